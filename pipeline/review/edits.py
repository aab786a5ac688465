"""The edits a person makes in the review app, applied to the plan as JSON values.

Each edit takes the plan in plan.json's shape and the transcript and returns new ones; the
caller checks the result exactly as `make-clips render plan.json` does (`plan_from_dict`),
so an edit can never leave a plan the renderer would refuse. Dragged edges snap to the
nearest word boundary; a segment whose span changes gets its said text and doubtful words
again from the words now inside it. A fixed caption word is certain (as a word typed into
`--transcript` is), and flows into its segment's text, title and words to check. Pure: no
files, no ffmpeg.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import Any

from pipeline.core.errors import PlanError
from pipeline.core.model import Sentence, Transcript, Word, word_key
from pipeline.understand.confidence import doubtful_words
from pipeline.understand.speech import join

SNAP = 0.5  # seconds: an edge dropped this close to a word boundary lands on it
NEW_LENGTH = 3.0  # seconds a segment added without an end lasts

PlanData = dict[str, Any]
Edit = dict[str, Any]

_EDGE_PUNCTUATION = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def apply_edit(plan: PlanData, edit: Edit, transcript: Transcript) -> tuple[PlanData, Transcript]:
    """`plan` and `transcript` after `edit`, an object with an "op" and its arguments.

    Ops: "move" (segment, edge "start"|"end", time, optional demo index), "set" (segment,
    field "title"|"kind"|"number", value), "split" (segment, time), "merge" (segment: with the
    next one), "delete" (segment), "add" (start, optional end, kind, title), "cut" (start,
    end: that stretch is left out of every segment), "word" (index into the transcript's
    words, text).

    Raises:
        PlanError: the edit names no such segment, demo or word, or cannot be done.
    """
    plan = copy.deepcopy(plan)
    op = edit.get("op")
    handlers = {
        "move": _move,
        "set": _set,
        "split": _split,
        "merge": _merge,
        "delete": _delete,
        "add": _add,
        "cut": _cut,
    }
    if op == "word":
        return fix_word(plan, transcript, _whole(edit, "index"), _text(edit, "text"))
    if op not in handlers:
        raise PlanError(f"unknown edit {op!r}; use one of {', '.join([*handlers, 'word'])}")
    changed = handlers[op](plan, edit, transcript)
    for segment in plan["segments"]:
        if segment["id"] in changed:
            _resay(segment, transcript)
    return plan, transcript


def snap(time: float, transcript: Transcript) -> float:
    """`time` moved onto the nearest word start or end within SNAP seconds, else unchanged."""
    edges = [t for word in transcript.words for t in (word.start, word.end)]
    nearest = min(edges, key=lambda edge: abs(edge - time), default=None)
    if nearest is not None and abs(nearest - time) <= SNAP:
        return round(nearest, 3)
    return round(time, 3)


def fix_word(
    plan: PlanData, transcript: Transcript, index: int, text: str
) -> tuple[PlanData, Transcript]:
    """The transcript with word `index` spelled `text`, and the plan following it.

    Punctuation the typed word leaves out is kept from the heard one ("pawn," -> "pull,").
    The segment the word is said in gets it in its text and title, and loses it from its
    words to check.
    """
    words = transcript.words
    if not 0 <= index < len(words):
        raise PlanError(f"word {index}: there is no such word in the transcript")
    typed = text.strip()
    if not typed or len(typed.split()) != 1:
        raise PlanError(f"word {index}: type one word (no spaces); it replaces the one heard")
    old = words[index]
    lead, _, tail = _EDGE_PUNCTUATION.match(old.text.strip()).groups()  # type: ignore[union-attr]
    typed_lead, core, typed_tail = _EDGE_PUNCTUATION.match(typed).groups()  # type: ignore[union-attr]
    spelled = f"{typed_lead or lead}{core}{typed_tail or tail}"
    space = " " if old.text[:1].isspace() else ""
    new = Word(space + spelled, old.start, old.end, 1.0)
    transcript = _with_word(transcript, index, new)
    plan = copy.deepcopy(plan)
    middle = (old.start + old.end) / 2
    for segment in plan["segments"]:
        if segment["start"] <= middle < segment["end"]:
            segment["title"] = _retitled(segment["title"], old.text, core)
            _resay(segment, transcript)
    return plan, transcript


def _move(plan: PlanData, edit: Edit, transcript: Transcript) -> set[str]:
    segment = _segment(plan, edit)
    edge = edit.get("edge")
    if edge not in ("start", "end"):
        raise PlanError(f'segment "{segment["id"]}": edge must be "start" or "end"')
    time = snap(_seconds(edit, "time"), transcript)
    demo = edit.get("demo")
    if demo is None:
        segment[edge] = time
        # Demos follow their segment's edge rather than stick out of it.
        for item in segment.get("demos", []):
            item["start"], item["end"] = (
                max(item["start"], segment["start"]),
                min(item["end"], segment["end"]),
            )
    else:
        demos = segment.get("demos", [])
        if not isinstance(demo, int) or not 0 <= demo < len(demos):
            raise PlanError(f'segment "{segment["id"]}": demo {demo} does not exist')
        demos[demo][edge] = time
        demos[demo].pop("reps", None)  # counted on the old span: no longer known
    return {segment["id"]}


def _set(plan: PlanData, edit: Edit, transcript: Transcript) -> set[str]:
    segment = _segment(plan, edit)
    field, value = edit.get("field"), edit.get("value")
    if field not in ("title", "kind", "number"):
        raise PlanError(f'segment "{segment["id"]}": only title, kind or number can be set')
    if field == "number" and value in ("", None):
        value = None
    segment[field] = value.strip() if isinstance(value, str) else value
    return set()


def _split(plan: PlanData, edit: Edit, transcript: Transcript) -> set[str]:
    segment = _segment(plan, edit)
    at = snap(_seconds(edit, "time"), transcript)
    if not segment["start"] < at < segment["end"]:
        raise PlanError(
            f'segment "{segment["id"]}": split at {at} is not inside it '
            f"({segment['start']}-{segment['end']})"
        )
    second = copy.deepcopy(segment)
    second["id"] = _new_id(plan, segment["id"])
    segment["end"], second["start"] = at, at
    segment["demos"] = _within(segment.get("demos", []), segment["start"], at)
    second["demos"] = _within(second.get("demos", []), at, second["end"])
    segments = plan["segments"]
    segments.insert(segments.index(segment) + 1, second)
    return {segment["id"], second["id"]}


def _merge(plan: PlanData, edit: Edit, transcript: Transcript) -> set[str]:
    segment = _segment(plan, edit)
    segments = plan["segments"]
    position = segments.index(segment)
    if position + 1 >= len(segments):
        raise PlanError(f'segment "{segment["id"]}": it is the last one; nothing follows to merge')
    following = segments.pop(position + 1)
    segment["start"] = min(segment["start"], following["start"])
    segment["end"] = max(segment["end"], following["end"])
    segment["demos"] = [*segment.get("demos", []), *following.get("demos", [])]
    return {segment["id"]}


def _delete(plan: PlanData, edit: Edit, transcript: Transcript) -> set[str]:
    plan["segments"].remove(_segment(plan, edit))
    return set()


def _add(plan: PlanData, edit: Edit, transcript: Transcript) -> set[str]:
    start = snap(_seconds(edit, "start"), transcript)
    end = edit.get("end")
    end = snap(_seconds(edit, "end"), transcript) if end is not None else start + NEW_LENGTH
    end = min(end, float(plan.get("duration", end)))
    following = [s["start"] for s in plan["segments"] if s["start"] > start]
    if edit.get("end") is None and following:  # a new segment stops where the next begins
        end = min(end, min(following))
    kind = edit.get("kind") or "talk"
    segment: dict[str, Any] = {
        "id": _free_id(plan, str(kind)),
        "kind": kind,
        "number": None,
        "title": edit.get("title") or "New segment",
        "start": start,
        "end": end,
        "demos": [],
    }
    after = [s for s in plan["segments"] if s["start"] <= start]
    plan["segments"].insert(len(after), segment)
    return {segment["id"]}


def _cut(plan: PlanData, edit: Edit, transcript: Transcript) -> set[str]:
    start = snap(_seconds(edit, "start"), transcript)
    end = snap(_seconds(edit, "end"), transcript)
    if end <= start:
        raise PlanError(f"cut {start}-{end}: its end must come after its start")
    changed, kept = set(), []
    for segment in plan["segments"]:
        if segment["end"] <= start or segment["start"] >= end:
            kept.append(segment)
            continue
        if start <= segment["start"] and segment["end"] <= end:
            continue  # wholly inside the cut: it goes
        if segment["start"] < start and end < segment["end"]:
            raise PlanError(
                f'segment "{segment["id"]}": the cut {start}-{end} falls inside it; a clip cannot '
                "jump over it: split the segment there first, or cut from one of its edges"
            )
        if segment["start"] < start:
            segment["end"] = start
        else:
            segment["start"] = end
        segment["demos"] = _within(segment.get("demos", []), segment["start"], segment["end"])
        changed.add(segment["id"])
        kept.append(segment)
    plan["segments"] = kept
    return changed


def _within(demos: list[dict[str, Any]], start: float, end: float) -> list[dict[str, Any]]:
    """The demos overlapping `start`..`end`, clipped to it (a clipped demo loses its count)."""
    inside = []
    for demo in demos:
        clipped = {**demo, "start": max(demo["start"], start), "end": min(demo["end"], end)}
        if clipped["end"] <= clipped["start"]:
            continue
        if (clipped["start"], clipped["end"]) != (demo["start"], demo["end"]):
            clipped.pop("reps", None)
        inside.append(clipped)
    return inside


def _resay(segment: dict[str, Any], transcript: Transcript) -> None:
    """The segment's said text and words to check, from the words now inside it."""
    inside = [
        word
        for word in transcript.words
        if segment["start"] <= (word.start + word.end) / 2 < segment["end"]
    ]
    segment["text"] = join(inside)
    segment["unsure"] = list(doubtful_words(inside))
    segment.pop("title_unsure", None)  # derived again when the plan is written


def _retitled(title: str, heard: str, typed: str) -> str:
    """`title` with the heard word replaced by the typed one, keeping its capital and commas."""
    key = word_key(heard)
    words = []
    for token in title.split(" "):
        if key and word_key(token) == key:
            lead, core, tail = _EDGE_PUNCTUATION.match(token).groups()  # type: ignore[union-attr]
            spelled = typed[:1].upper() + typed[1:] if core[:1].isupper() else typed
            token = f"{lead}{spelled}{tail}"
        words.append(token)
    return " ".join(words)


def _with_word(transcript: Transcript, index: int, new: Word) -> Transcript:
    sentences, count = [], 0
    for sentence in transcript.sentences:
        if count <= index < count + len(sentence.words):
            words = list(sentence.words)
            words[index - count] = new
            text = "".join(w.text for w in words).strip()
            sentence = Sentence(text, sentence.start, sentence.end, tuple(words))
        count += len(sentence.words)
        sentences.append(sentence)
    return replace(transcript, sentences=tuple(sentences))


def _new_id(plan: PlanData, base: str) -> str:
    taken = {s["id"] for s in plan["segments"]}
    stem = re.sub(r"-[a-z]$", "", base)
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if f"{stem}-{letter}" not in taken:
            return f"{stem}-{letter}"
    number = 2
    while f"{stem}-{number}" in taken:
        number += 1
    return f"{stem}-{number}"


def _free_id(plan: PlanData, kind: str) -> str:
    taken = {s["id"] for s in plan["segments"]}
    number = 1
    while f"{kind}-{number}" in taken:
        number += 1
    return f"{kind}-{number}"


def _segment(plan: PlanData, edit: Edit) -> dict[str, Any]:
    wanted = edit.get("segment")
    for segment in plan["segments"]:
        if segment["id"] == wanted:
            return segment
    raise PlanError(f'segment "{wanted}": there is no such segment (reload the page)')


def _seconds(edit: Edit, key: str) -> float:
    value = edit.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlanError(f"{key} must be a number of seconds")
    return max(0.0, float(value))


def _whole(edit: Edit, key: str) -> int:
    value = edit.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanError(f"{key} must be a whole number")
    return value


def _text(edit: Edit, key: str) -> str:
    value = edit.get(key)
    if not isinstance(value, str):
        raise PlanError(f"{key} must be text")
    return value
