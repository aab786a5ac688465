"""Plans as JSON: written by make-clips, edited by hand, read back and checked.

The contract (it may be extended, never changed)::

    {"source": str, "duration": float,
     "segments": [{"id": str, "kind": "intro"|"mistake"|"variation"|"outro"|"talk",
                   "number": int|null, "title": str, "start": float, "end": float,
                   "demos": [{"form": "bad"|"good"|"demo", "start": float, "end": float}]}]}

plus the optional "topic", "unmatched_headings", per demo "reps" (repetitions it shows) and,
per segment, "annotations" (its own [annotations] switches of the style file, e.g.
{"slow_motion": false}), "text", "unsure" (words
the speech model was unsure of; "title_unsure" is written for readers, derived), and in a whole
session of several exercises "part" (1, 2, ...) and "topic" per segment. Times are seconds
of the source. Unknown keys are ignored, so a truth file with extra fields still loads.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from pipeline.core.errors import PlanError
from pipeline.core.files import write_json
from pipeline.core.model import DEMO_FORMS, SEGMENT_KINDS, Demo, Plan, Segment
from pipeline.core.style import ANNOTATIONS

TOLERANCE = 0.05  # seconds a time may pass the end of the video (rounding in edited files)
MAX_ID_LENGTH = 64
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready values, in the contract's shape."""
    return {
        "source": plan.source,
        "duration": plan.duration,
        "topic": plan.topic,
        "segments": [
            {
                "id": seg.id,
                "kind": seg.kind,
                "number": seg.number,
                "title": seg.title,
                "start": seg.start,
                "end": seg.end,
                "demos": [
                    {"form": d.form, "start": d.start, "end": d.end}
                    | ({"reps": d.reps} if d.reps is not None else {})
                    for d in seg.demos
                ],
                "text": seg.text,
                "unsure": list(seg.unsure),
                "title_unsure": list(seg.title_unsure),
                **({"part": seg.part, "topic": seg.topic} if seg.part is not None else {}),
                **({"annotations": dict(seg.annotations)} if seg.annotations else {}),
            }
            for seg in plan.segments
        ],
        "unmatched_headings": list(plan.unmatched_headings),
    }


def plan_from_dict(data: object, *, duration: float | None = None, where: str = "plan") -> Plan:
    """Check JSON values against the contract and build the plan.

    Args:
        data: the parsed JSON.
        duration: the real length of the video; when given, times are checked against it
            and it becomes the plan's duration.
        where: how to name the plan in messages, usually its file name.

    Raises:
        PlanError: naming the segment (by id, else by position) and the field at fault.
    """
    if not isinstance(data, dict):
        raise PlanError(f"{where}: expected a JSON object with source, duration and segments")
    source = _field(data, "source", str, where)
    length = _time(data, "duration", where)
    if duration is not None:
        length = _number(duration, "duration", where)
    segments_data = _field(data, "segments", list, where)
    segments = []
    seen: set[str] = set()
    for index, item in enumerate(segments_data):
        seg = _segment(item, index, length, where)
        if seg.id in seen:
            raise PlanError(f'{where}: segment "{seg.id}": id is used twice; ids must be unique')
        seen.add(seg.id)
        segments.append(seg)
    topic = _optional(data, "topic", str, "", where)
    unmatched = _optional(data, "unmatched_headings", list, [], where)
    if not all(isinstance(h, str) for h in unmatched):
        raise PlanError(f"{where}: unmatched_headings must be a list of strings")
    return Plan(
        source=source,
        duration=length,
        segments=tuple(segments),
        topic=topic,
        unmatched_headings=tuple(unmatched),
    )


def load_plan(path: Path, *, duration: float | None = None) -> Plan:
    """Read and check a plan file.

    Raises:
        PlanError: the file cannot be read, is not JSON, or breaks the contract.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"{path}: cannot read the plan ({exc}); check the path") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "fix the file or delete it to start again"
        ) from exc
    return plan_from_dict(data, duration=duration, where=path.name)


def save_plan(plan: Plan, path: Path) -> Path:
    """Write the plan as JSON, atomically, and return the path."""
    return write_json(Path(path), plan_to_dict(plan))


def _segment(item: object, index: int, length: float, where: str) -> Segment:
    name = f"segment {index + 1}"
    if not isinstance(item, dict):
        raise PlanError(f"{where}: {name}: expected an object with id, kind, title, start, end")
    raw_id = item.get("id")
    if isinstance(raw_id, str) and raw_id:
        name = f'segment "{raw_id}"'
    here = f"{where}: {name}"
    seg_id = _field(item, "id", str, here)
    if len(seg_id) > MAX_ID_LENGTH or not _SAFE_ID.fullmatch(seg_id):
        raise PlanError(
            f"{here}: id must be letters, digits, '-' or '_' (at most {MAX_ID_LENGTH}), "
            'like "mistake-2"; it names output folders'
        )
    kind = _field(item, "kind", str, here)
    if kind not in SEGMENT_KINDS:
        raise PlanError(f"{here}: kind {kind!r} is not one of {', '.join(SEGMENT_KINDS)}")
    number = item.get("number", None)
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        raise PlanError(f"{here}: number must be a whole number or null")
    if number is not None and number < 0:
        raise PlanError(f"{here}: number ({number}) must not be negative")
    title = _field(item, "title", str, here)
    if not title.strip():
        raise PlanError(f"{here}: title is empty; give the segment a title")
    start, end = _span(item, length, here)
    demos_data = _optional(item, "demos", list, [], here)
    demos = tuple(_demo(d, i, start, end, here) for i, d in enumerate(demos_data))
    text = _optional(item, "text", str, "", here)
    unsure = _optional(item, "unsure", list, [], here)
    if not all(isinstance(word, str) for word in unsure):
        raise PlanError(f'{here}: "unsure" must be a list of words (text)')
    part = item.get("part", None)
    if part is not None and (not isinstance(part, int) or isinstance(part, bool) or part < 1):
        raise PlanError(f"{here}: part must be a whole number from 1, or null")
    topic = _optional(item, "topic", str, "", here)
    switches = _annotations(_optional(item, "annotations", dict, {}, here), here)
    return Segment(
        seg_id, kind, number, title, start, end, demos, text, tuple(unsure), part=part,
        topic=topic, annotations=switches,
    )  # fmt: skip


def _annotations(values: dict[str, Any], here: str) -> tuple[tuple[str, bool], ...]:
    """A segment's own annotation switches: names of [annotations] keys, true or false."""
    for key, value in values.items():
        if key not in ANNOTATIONS:
            raise PlanError(f"{here}: annotations: {key!r} is not one of {', '.join(ANNOTATIONS)}")
        if not isinstance(value, bool):
            raise PlanError(
                f"{here}: annotations: {key} must be true or false, not {_describe(value)}"
            )
    return tuple(sorted(values.items()))


def _demo(item: object, index: int, start: float, end: float, where: str) -> Demo:
    here = f"{where}: demo {index + 1}"
    if not isinstance(item, dict):
        raise PlanError(f"{here}: expected an object with form, start and end")
    form = _field(item, "form", str, here)
    if form not in DEMO_FORMS:
        raise PlanError(f"{here}: form {form!r} is not one of {', '.join(DEMO_FORMS)}")
    demo_start, demo_end = _span(item, None, here)
    if demo_start < start - TOLERANCE or demo_end > end + TOLERANCE:
        raise PlanError(f"{here}: {demo_start}-{demo_end} is outside its segment ({start}-{end})")
    reps = item.get("reps")
    if reps is not None and (not isinstance(reps, int) or isinstance(reps, bool) or reps < 0):
        raise PlanError(f"{here}: reps must be a whole number from 0, or left out")
    return Demo(form, demo_start, demo_end, reps)


def _span(item: dict[str, Any], length: float | None, here: str) -> tuple[float, float]:
    start = _time(item, "start", here)
    end = _time(item, "end", here)
    if end < start:
        raise PlanError(f"{here}: end ({end}) is before start ({start})")
    if end == start:
        raise PlanError(f"{here}: end ({end}) is the same as start; it would be empty")
    if length is not None and end > length + TOLERANCE:
        raise PlanError(f"{here}: end ({end}) is after the end of the video ({length})")
    return start, end


def _time(item: dict[str, Any], key: str, here: str) -> float:
    if key not in item:
        raise PlanError(f"{here}: {key} is missing")
    value = _number(item[key], key, here)
    if value < 0:
        raise PlanError(f"{here}: {key} ({value}) is negative; times are seconds from 0")
    return value


def _number(value: object, key: str, here: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlanError(f"{here}: {key} must be a number of seconds, not {_describe(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise PlanError(f"{here}: {key} must be a finite number of seconds")
    return number


def _field(item: dict[str, Any], key: str, kind: type, here: str) -> Any:
    if key not in item:
        raise PlanError(f"{here}: {key} is missing")
    value = item[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise PlanError(f"{here}: {key} must be {_KIND_NAMES[kind]}, not {_describe(value)}")
    return value


def _optional(item: dict[str, Any], key: str, kind: type, default: Any, here: str) -> Any:
    return _field(item, key, kind, here) if key in item else default


def _describe(value: object) -> str:
    if value is None:
        return "null"
    names = {bool: "true/false", str: "text", list: "a list", dict: "an object"}
    return names.get(type(value), f"{type(value).__name__} {value!r}"[:40])


_KIND_NAMES: dict[type, str] = {str: "text", list: "a list", dict: "an object"}
