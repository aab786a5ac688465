#!/usr/bin/env python3
"""Voice take scripts written by someone else: the blind evaluation's media and truth.

A take script (one JSON file) is what a writer who never read the segmenter hands over: the
category, a voice (espeak-ng, flite, or the neural voice "piper"), a treatment (noise, music,
reverb), the exercises, a title per item, and every sentence with its section ("intro",
"mistake-2", "variation-1", "talk-1", "outro"; "p2:mistake-1" in a whole session) and role
("talk", "cue", "header", "bad", "good", "demo"). This script narrates it one sentence at a
time with the evaluation takes' voices and treatments (scripts/make_eval_takes.py), so every
sentence's true start and end are known, and writes beside the script's folder::

    BATCH/scripts/<name>.json      the writer's scripts (kept private: nobody tuning the
                                   segmenter reads them)
    BATCH/media/<name>/take.mp4    the narrated take
    BATCH/media/<name>/record.json its truth, in tests/eval_takes' format, with an outline
                                   a writer would pass ("## Mistake #2: <title>")

`scripts/eval_segments.py --set BATCH` scores the segmenter on a batch and prints only
figures and a failure class per take, never the text. Media already built is kept, so the
transcripts cached by its content stay valid from one evaluation to the next.

Usage::

    python scripts/voice_takes.py /work/blind/b1          # every script of the batch
    python scripts/voice_takes.py /work/blind/b1 --check  # only validate the scripts
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_eval_takes as takes  # noqa: E402

ROLES = {"talk", "cue", "header", "bad", "good", "demo"}
ITEM_ROLES = {"mistake": ({"bad"}, {"good"}), "variation": ({"demo"},)}


class ScriptError(ValueError):
    """A take script that does not follow the format."""


def validate(script: dict) -> None:
    """Raise ScriptError when the script cannot give an exact truth."""
    name = script.get("name", "?")
    sentences = script.get("sentences") or []
    if not sentences:
        raise ScriptError(f"{name}: no sentences")
    seen: list[str] = []
    for sentence in sentences:
        section, role = sentence.get("section", ""), sentence.get("role", "")
        if role not in ROLES:
            raise ScriptError(f"{name}: unknown role {role!r}")
        if not str(sentence.get("text", "")).strip():
            raise ScriptError(f"{name}: an empty sentence in {section}")
        if seen and seen[-1] != section and section in seen:
            raise ScriptError(f"{name}: section {section} is not contiguous")
        if not seen or seen[-1] != section:
            seen.append(section)
    parts = max(1, len(script.get("exercises") or []))
    for section in seen:
        label, _, kind_number = section.rpartition(":")
        if (parts > 1) != bool(label):
            raise ScriptError(f"{name}: section {section} and {parts} exercises disagree")
        kind, _, _number = kind_number.partition("-")
        roles = {s["role"] for s in sentences if s["section"] == section}
        for needed in ITEM_ROLES.get(kind, ()):
            if not roles & needed:
                raise ScriptError(f"{name}: {section} has no {'/'.join(sorted(needed))}")
        if kind in ITEM_ROLES and section not in script.get("titles", {}):
            raise ScriptError(f"{name}: {section} has no title")


def outline(script: dict, sections: list[str]) -> tuple[str, list[str]]:
    """The outline a writer would pass: the items' headings in spoken order, under each
    exercise's heading in a session; and the items' titles in that order."""
    exercises = script["exercises"]
    lines = [f"# {' and '.join(takes.title_case(e) for e in exercises)}", ""]
    titles = []
    last_part = ""
    for section in sections:
        part, _, name = section.rpartition(":")
        kind, _, number = name.partition("-")
        if kind not in ITEM_ROLES:
            continue
        if len(exercises) > 1 and part != last_part:
            lines += [f"## {takes.title_case(exercises[int(part[1:]) - 1])}", ""]
            last_part = part
        title = script["titles"][section]
        lines += [f"## {kind.capitalize()} #{number}: {title}", ""]
        titles.append(title)
    return "\n".join(lines), titles


def build(script: dict, media: Path) -> dict:
    """Narrate and treat one script into media/<name>/; return its truth record."""
    name = script["name"]
    voice = script["voice"]
    plan = takes.Plan(
        name=name,
        category=script["category"],
        style="natural",
        voice=takes.Voice(voice["engine"], voice["name"], bool(voice.get("fast"))),
        effect=script.get("effect", ""),
        exercises=tuple(script["exercises"]),
        seed=zlib.crc32(name.encode()),
    )
    folder = media / name
    folder.mkdir(parents=True, exist_ok=True)
    lines = [(s["section"], s["role"], s["text"]) for s in script["sentences"]]
    sentences, duration, track = takes.narrate(plan, lines, folder)
    treated, treatment = takes.treat(plan, track, folder)
    takes.encode(treated, folder, duration)
    sections = list(dict.fromkeys(s["section"] for s in sentences))
    text, headings = outline(script, sections)
    titles = {k: v[:1].upper() + v[1:] for k, v in script["titles"].items()}
    return {
        "name": name,
        "category": plan.category,
        "style": "blind",
        "voice": plan.voice.as_dict(),
        "treatment": treatment,
        "seed": plan.seed,
        "exercises": list(plan.exercises),
        "duration": duration,
        "sentences": sentences,
        "outline": text,
        "outline_headings": headings,
        "truth": takes.truth_plan(plan, sentences, duration, titles),
    }


def ensure(script_path: Path, media: Path) -> dict:
    """The record of a script, built the first time and kept with its media."""
    script = json.loads(script_path.read_text("utf-8"))
    validate(script)
    saved = media / script["name"] / "record.json"
    if saved.exists() and takes.media_path(media, script["name"]).exists():
        return json.loads(saved.read_text("utf-8"))
    record = build(script, media)
    saved.write_text(json.dumps(record), encoding="utf-8")
    return record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("batch", type=Path, help="folder with scripts/*.json")
    parser.add_argument("--check", action="store_true", help="only validate the scripts")
    args = parser.parse_args()
    paths = sorted((args.batch / "scripts").glob("*.json"))
    if not paths:
        sys.exit(f"{args.batch}/scripts has no take scripts")
    failed = 0
    for path in paths:
        try:
            if args.check:
                validate(json.loads(path.read_text("utf-8")))
            else:
                record = ensure(path, args.batch / "media")
                print(f"{record['name']:12} {record['category']:9} "
                      f"{record['voice']['engine']:9} {record['duration']:6.1f} s")  # fmt: skip
        except (ScriptError, json.JSONDecodeError, KeyError) as error:
            failed += 1
            print(f"{path.name}: {error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
