"""Plan JSON: the contract, clear errors for bad edits, and exact round trips."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.errors import PlanError
from pipeline.core.model import Demo, Plan, Segment
from pipeline.core.plan_io import load_plan, plan_from_dict, plan_to_dict, save_plan
from pipeline.core.style import load_style

VALID: dict[str, Any] = {
    "source": "take.mp4",
    "duration": 30.0,
    "segments": [
        {"id": "intro", "kind": "intro", "number": None, "title": "Intro", "start": 0.0,
         "end": 5.0, "demos": []},
        {"id": "mistake-2", "kind": "mistake", "number": 2, "title": "Elbows", "start": 15.5,
         "end": 22.0, "demos": [{"form": "bad", "start": 16, "end": 18},
                                {"form": "good", "start": 18.5, "end": 21.0}]},
    ],
}  # fmt: skip


def edited(path: str, value: object) -> dict[str, Any]:
    """VALID with one field replaced; path like "segments.1.end"; value ... deletes it."""
    data = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    key: Any = int(last) if last.isdigit() else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return data


def test_valid_plan_loads() -> None:
    plan = plan_from_dict(VALID)
    assert plan.segment("mistake-2").demo("bad") == Demo("bad", 16.0, 18.0)


def test_end_before_start_names_segment_and_field() -> None:
    with pytest.raises(PlanError) as error:
        plan_from_dict(edited("segments.1.end", 12.0), where="plan.json")
    assert str(error.value) == 'plan.json: segment "mistake-2": end (12.0) is before start (15.5)'


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("segments.1.end", 31.0, "after the end of the video"),
        ("segments.1.start", -1, "negative"),
        ("segments.1.kind", "blooper", "kind 'blooper' is not one of"),
        ("segments.1.demos.0.form", "ugly", "form 'ugly'"),
        ("segments.1.demos.0.start", 10.0, "outside its segment"),
        ("segments.1.id", "intro", "used twice"),
        ("segments.1.id", "../x", "id must be"),
        ("segments.1.id", "/etc", "id must be"),
        ("segments.1.id", "a/b", "id must be"),
        ("segments.1.id", "a\\b", "id must be"),
        ("segments.1.id", "", "id must be"),
        ("segments.1.title", "  ", "title is empty"),
        ("segments.1.title", ..., "title is missing"),
        ("segments.1.start", "15", "start must be a number"),
        ("segments.1.start", True, "start must be a number"),
        ("segments.1.number", 2.5, "number must be a whole number"),
        ("segments.1.number", True, "number must be a whole number"),
        ("segments.1.end", float("nan"), "finite"),
        ("segments.1.demos", "none", "demos must be a list"),
        ("segments.1", "mistake", "segment 2: expected an object"),
        ("segments", {}, "segments must be a list"),
        ("duration", ..., "duration is missing"),
        ("source", 3, "source must be text"),
    ],
)
def test_bad_edits_are_rejected_with_the_place(path: str, value: object, message: str) -> None:
    with pytest.raises(PlanError, match="^plan") as error:
        plan_from_dict(edited(path, value))
    assert message in str(error.value)
    if path.startswith("segments.1.") and not path.endswith(".id"):
        assert 'segment "mistake-2"' in str(error.value)


def test_real_duration_is_checked() -> None:
    with pytest.raises(PlanError, match="after the end of the video"):
        plan_from_dict(VALID, duration=20.0)
    assert plan_from_dict(VALID, duration=40.0).duration == 40.0


def test_not_json_is_a_plan_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(PlanError, match="plan.json: not valid JSON"):
        load_plan(path)
    with pytest.raises(PlanError, match="cannot read"):
        load_plan(tmp_path / "missing.json")


def test_save_and_load(tmp_path: Path) -> None:
    plan = plan_from_dict(VALID)
    path = save_plan(plan, tmp_path / "out" / "plan.json")
    assert load_plan(path) == plan
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) >= {"source", "duration", "segments"}
    assert set(data["segments"][1]) >= {"id", "kind", "number", "title", "start", "end", "demos"}


def test_unknown_keys_are_ignored() -> None:
    data = edited("sentences", [{"text": "hi"}])
    assert plan_from_dict(data) == plan_from_dict(VALID)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "kind", "start", "end", "x"]) | st.text(max_size=6),
            children,
            max_size=5,
        )
    ),  # fmt: skip
    max_leaves=20,
)


@given(json_values)
@settings(max_examples=300)
def test_any_json_gives_a_plan_or_a_plan_error(data: object) -> None:
    with contextlib.suppress(PlanError):
        plan_from_dict(data)


@given(st.sampled_from(["segments.1", "segments.1.demos.0", "segments.0", ""]), json_values)
@settings(max_examples=300)
def test_any_edit_gives_a_plan_or_a_plan_error(where: str, value: object) -> None:
    data = copy.deepcopy(VALID)
    target: Any = data
    for key in filter(None, where.split(".")):
        target = target[int(key)] if key.isdigit() else target[key]
    for key in list(target)[:3]:
        target[key] = value
    with contextlib.suppress(PlanError):
        plan_from_dict(data)


times = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    count = draw(st.integers(0, 5))
    cuts = sorted(draw(st.lists(times, min_size=2 * count, max_size=2 * count, unique=True)))
    segments = []
    for index in range(count):
        start, end = cuts[2 * index], cuts[2 * index + 1]
        demo_form = draw(st.sampled_from(["bad", "good", "demo"]))
        demos = (Demo(demo_form, start, end),) if draw(st.booleans()) else ()  # type: ignore[arg-type]
        segments.append(
            Segment(
                id=f"seg-{index}",
                kind=draw(st.sampled_from(["intro", "mistake", "variation", "outro", "talk"])),
                number=draw(st.none() | st.integers(0, 99)),
                title=draw(st.text(min_size=1, max_size=20).filter(str.strip)),
                start=start,
                end=end,
                demos=demos,
                text=draw(st.text(max_size=20)),
            )
        )
    duration = max([*cuts, 0.0]) + draw(st.floats(0, 10))
    return Plan(
        source=draw(st.text(max_size=10)),
        duration=duration,
        segments=tuple(segments),
        topic=draw(st.text(max_size=10)),
        unmatched_headings=tuple(draw(st.lists(st.text(max_size=10), max_size=3))),
    )


@given(plans())
def test_valid_plans_round_trip_exactly(plan: Plan) -> None:
    assert plan_from_dict(plan_to_dict(plan)) == plan
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(plan)))) == plan


def test_a_single_exercise_plan_gains_no_session_keys() -> None:
    written = plan_to_dict(plan_from_dict(VALID))
    assert all("part" not in seg and "topic" not in seg for seg in written["segments"])


def test_session_parts_and_topics_round_trip() -> None:
    data = edited("segments.1.part", 2)
    data["segments"][1]["topic"] = "Push-up"
    plan = plan_from_dict(data)
    assert (plan.segment("mistake-2").part, plan.segment("mistake-2").topic) == (2, "Push-up")
    assert plan.segment("intro").part is None
    assert plan_from_dict(plan_to_dict(plan)) == plan


@pytest.mark.parametrize("value", [0, -1, "2", 1.5, True])
def test_a_bad_part_is_rejected_with_the_place(value: object) -> None:
    with pytest.raises(PlanError, match='segment "mistake-2": part must be a whole number'):
        plan_from_dict(edited("segments.1.part", value))


def test_a_segment_switches_its_own_annotations_off() -> None:
    plan = plan_from_dict(edited("segments.1.annotations", {"slow_motion": False, "ghost": True}))
    mistake = plan.segment("mistake-2")
    assert dict(mistake.annotations) == {"slow_motion": False, "ghost": True}
    assert plan.segment("intro").annotations == ()
    assert plan_from_dict(plan_to_dict(plan)) == plan
    assert "annotations" not in plan_to_dict(plan)["segments"][0]  # only where one was set
    style = load_style().for_segment(mistake.annotations)
    assert not style.slow_motion and style.ghost and style.freeze_frame  # the rest as styled


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"slow_mo": False}, "'slow_mo' is not one of count_reps"),
        ({"freeze_frame": "no"}, "freeze_frame must be true or false, not text"),
        ([False], "annotations must be an object, not a list"),
    ],
)
def test_a_bad_annotation_switch_is_rejected_with_the_place(value: object, message: str) -> None:
    with pytest.raises(PlanError, match=f'segment "mistake-2": (annotations: )?{message}'):
        plan_from_dict(edited("segments.1.annotations", value))
