"""Which outputs of a previous render still hold: a digest of each output's inputs.

Every clip, compare clip, split image, still and the cover is keyed by what it is made of
(`Key`: the segment, the kind of output, the format) and fingerprinted by its inputs: the
source file, the settings and style that shape it, its segment as planned, and for clips the
words said inside it. `make-clips` records the digest in manifest.json (`inputs` on each
entry); a re-render after an edit (`make-clips review`) redoes only the outputs whose digest
changed, so a title fixed in one segment re-encodes that segment's clips and nothing else.
The article, page, timeline and timings depend on everything and are always written again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.core.files import write_bytes
from pipeline.core.model import Output, Plan, Segment, Transcript
from pipeline.core.plan_io import plan_to_dict
from pipeline.core.settings import Settings
from pipeline.core.style import load_style
from pipeline.publish.manifest import sha256_of
from pipeline.publish.stills import SPLIT_SIZES, cover_facts

# (segment id or None for the whole take, role, aspect): one fingerprinted group of files.
# Roles: "clip" (a clip with its .srt and thumbnail), "compare", "split", "fault" (a mistake's
# marked freeze frame), "still", "cover".
Key = tuple[str | None, str, str]


def input_digests(
    source: Path, plan: Plan, transcript: Transcript, settings: Settings
) -> dict[Key, str]:
    """The digest of every fingerprinted output's inputs, for `plan` rendered with `settings`."""
    stat = Path(source).stat()
    style = load_style(settings.style)
    shared = {
        "version": __version__,
        "source": [Path(source).name, stat.st_size, stat.st_mtime_ns],
        "style": repr(style),
        "encoder": [settings.preset, settings.crf, settings.device],
    }
    planned = {entry["id"]: entry for entry in plan_to_dict(plan)["segments"]}
    digests: dict[Key, str] = {}
    for segment in plan.segments:
        facts = {**shared, "segment": planned[segment.id], "topic": plan.topic}
        words = _words_inside(transcript, segment)
        for aspect in settings.formats:
            limit = settings.duration_limit(aspect)
            digests[segment.id, "clip", aspect] = _digest(facts, aspect, words, limit)
            if segment.kind == "mistake" and segment.demo("bad") and segment.demo("good"):
                digests[segment.id, "compare", aspect] = _digest(facts, aspect)
        if segment.demo("bad") and segment.demo("good"):
            for aspect in SPLIT_SIZES:
                digests[segment.id, "split", aspect] = _digest(facts, aspect)
            digests[segment.id, "fault", "16:9"] = _digest(facts, "fault")
        digests[segment.id, "still", "16:9"] = _digest(facts)
    if plan.segments:
        digests[None, "cover", "16:9"] = _digest(shared, cover_facts(plan))
    return digests


def output_key(output: Output) -> Key | None:
    """The fingerprinted group an output belongs to; None for whole-take files."""
    role = output.extra.get("role")
    if output.type in ("clip", "subtitles") or (output.type == "image" and role is None):
        return (output.segment, "clip", output.aspect or "") if output.segment else None
    if output.type == "compare":
        return output.segment, "compare", output.aspect or ""
    if output.type == "image" and isinstance(role, str):
        return output.segment, role, output.aspect or ""
    return None


def with_digests(outputs: list[Output], digests: dict[Key, str]) -> list[Output]:
    """`outputs`, each fingerprinted one carrying its inputs' digest (`inputs` in the manifest)."""
    marked = []
    for output in outputs:
        key = output_key(output)
        if key in digests:
            output = replace(output, extra={**output.extra, "inputs": digests[key]})
        marked.append(output)
    return marked


# A copy of the last finished manifest, kept while a render replaces it: a render stopped
# half-way (Ctrl-C reaches ffmpeg too) removes manifest.json, and without the copy the next
# render would have to make everything again.
PREVIOUS_MANIFEST = ".manifest.previous.json"


def previous_outputs(folder: Path) -> list[Output]:
    """The outputs the last finished render of `folder` listed, as Outputs; none if unreadable.

    Read from manifest.json, or, after a render that did not finish, from the copy it kept
    (`keep_manifest`): the checksums in it still tell which files are as that render left them.
    """
    for name in ("manifest.json", PREVIOUS_MANIFEST):
        try:
            manifest = json.loads((folder / name).read_text(encoding="utf-8"))
            return [_from_entry(folder, entry) for entry in manifest["outputs"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return []


def keep_manifest(folder: Path) -> None:
    """Copy manifest.json aside before a render replaces it (see PREVIOUS_MANIFEST)."""
    manifest = folder / "manifest.json"
    if manifest.is_file():
        write_bytes(folder / PREVIOUS_MANIFEST, manifest.read_bytes())


def drop_kept_manifest(folder: Path) -> None:
    """Remove the copy once the render it was kept for has written its own manifest."""
    (folder / PREVIOUS_MANIFEST).unlink(missing_ok=True)


def still_current(previous: list[Output], digests: dict[Key, str]) -> dict[Key, list[Output]]:
    """The groups of `previous` whose inputs are unchanged and whose files are all still there.

    A group counts only when every file listed for it carries the digest it would get now and
    still has the size recorded, so a half-replaced or hand-deleted group is made again.
    """
    groups: dict[Key, list[Output]] = {}
    for output in previous:
        key = output_key(output)
        if key is not None:
            groups.setdefault(key, []).append(output)
    return {
        key: group
        for key, group in groups.items()
        if key in digests and all(_unchanged(output, digests[key]) for output in group)
    }


def in_order(plan: Plan, outputs: list[Output], formats: tuple[str, ...]) -> list[Output]:
    """`outputs` in the order a full render lists them, kept and re-made ones alike.

    Whole-take files first as they came; then per segment its clips and compare clips, format
    by format; then per segment its split images and still, and the cover last.
    """
    segments = {segment.id: index for index, segment in enumerate(plan.segments)}
    aspects = {aspect: index for index, aspect in enumerate((*formats, *SPLIT_SIZES))}
    roles = {
        "clip": (0, 0),
        "compare": (0, 1),
        "split": (1, 0),
        "fault": (1, 1),
        "still": (1, 2),
        "cover": (1, 3),
    }

    def rank(output: Output) -> tuple[int, int, int, int]:
        key = output_key(output)
        if key is None:
            return (-1, 0, 0, 0)
        segment, role, aspect = key
        phase, order = roles.get(role, (1, 4))
        where = len(segments) if segment is None else segments.get(segment, len(segments))
        return (phase, where, order, aspects.get(aspect, len(aspects)))

    return sorted(outputs, key=rank)


def remove_unlisted(previous: list[Output], outputs: list[Output], folder: Path) -> None:
    """Delete the files of `previous` that `outputs` no longer lists (a renamed segment's)."""
    current = {output.path.resolve() for output in outputs}
    root = folder.resolve()
    for output in previous:
        path = output.path.resolve()
        if output_key(output) is None or path in current or not path.is_relative_to(root):
            continue
        path.unlink(missing_ok=True)


def _unchanged(output: Output, digest: str) -> bool:
    """Made from the same inputs, and still the very bytes the manifest recorded.

    The checksum is read again (the manifest reads every file anyway): a file replaced by
    hand, or by a render that was stopped before it wrote its manifest, is made again.
    """
    try:
        same_inputs = output.extra.get("inputs") == digest
        same_size = output.path.stat().st_size == output.extra.get("size")
        return same_inputs and same_size and sha256_of(output.path) == output.extra.get("sha256")
    except OSError:
        return False


def _from_entry(folder: Path, entry: dict[str, Any]) -> Output:
    relative = Path(entry["path"])
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"manifest path outside the folder: {relative}")
    known = {"path", "type", "segment", "aspect", "alt"}
    extra = {key: value for key, value in entry.items() if key not in known}
    return Output(
        folder / relative,
        entry["type"],
        entry.get("segment"),
        entry.get("aspect"),
        entry.get("alt"),
        extra=extra,
    )


def _words_inside(transcript: Transcript, segment: Segment) -> list[list[object]]:
    return [
        [word.text, word.start, word.end, word.probability]
        for word in transcript.words
        if word.end > segment.start and word.start < segment.end
    ]


def _digest(*facts: object) -> str:
    text = json.dumps(facts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]
