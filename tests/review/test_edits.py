"""The review app's edits, on a hand-made plan and transcript: what a person sees change."""

from __future__ import annotations

import pytest
from hand_made import TRANSCRIPT, plan

from pipeline.core.errors import PlanError
from pipeline.core.model import Word
from pipeline.core.plan_io import plan_from_dict
from pipeline.review.edits import apply_edit


def edit(**change: object) -> dict:
    data, _ = apply_edit(plan(), change, TRANSCRIPT)
    plan_from_dict(data, duration=12.0)  # every result is a plan the renderer takes
    return data


def test_a_dragged_edge_snaps_to_the_nearest_word_and_takes_its_words() -> None:
    moved = edit(op="move", segment="mistake-1", edge="start", time=1.22)
    assert moved["segments"][0]["start"] == 1.2  # the end of "one:"
    assert moved["segments"][0]["text"] == "pushing of your elbows."
    far = edit(op="move", segment="mistake-1", edge="end", time=4.4)
    assert far["segments"][0]["end"] == 4.4  # no word near: where it was dropped
    assert far["segments"][0]["demos"][1] == {"form": "good", "start": 4.0, "end": 4.4, "reps": 2}


def test_a_dragged_demo_loses_its_rep_count() -> None:
    moved = edit(op="move", segment="mistake-1", demo=0, edge="end", time=3.5)
    assert moved["segments"][0]["demos"][0] == {"form": "bad", "start": 3.0, "end": 3.5}
    assert moved["segments"][0]["demos"][1]["reps"] == 2


def test_a_fixed_word_reaches_the_transcript_text_and_title() -> None:
    data, fixed = apply_edit(plan(), {"op": "word", "index": 3, "text": "off"}, TRANSCRIPT)
    assert fixed.sentences[0].text == "Mistake one: pushing off your elbows."
    assert fixed.words[3] == Word(" off", 1.7, 1.8, 1.0)  # the heard timing, now certain
    mistake = data["segments"][0]
    assert mistake["title"] == "Pushing off your elbows"
    assert mistake["text"] == "Mistake one: pushing off your elbows." and mistake["unsure"] == []
    assert data["segments"][1] == plan()["segments"][1]
    _, again = apply_edit(plan(), {"op": "word", "index": 5, "text": "arms"}, TRANSCRIPT)
    assert again.words[5].text == " arms."  # the heard punctuation stays


def test_split_merge_add_delete_and_cut() -> None:
    split = edit(op="split", segment="variation-1", time=9.0)
    assert [(s["id"], s["start"], s["end"]) for s in split["segments"][1:]] == [
        ("variation-1", 6.0, 9.0),
        ("variation-1-b", 9.0, 12.0),
    ]
    assert [d["end"] for s in split["segments"][1:] for d in s["demos"]] == [9.0, 11.0]
    merged = edit(op="merge", segment="mistake-1")
    assert [(s["id"], s["start"], s["end"]) for s in merged["segments"]] == [
        ("mistake-1", 0.3, 12.0)
    ]
    assert len(merged["segments"][0]["demos"]) == 3
    added = edit(op="add", start=5.2, kind="talk", title="Water break")
    assert [s["id"] for s in added["segments"]] == ["mistake-1", "talk-1", "variation-1"]
    new = added["segments"][1]
    assert (new["start"], new["end"], new["title"]) == (5.2, 6.0, "Water break")  # up to the next
    assert edit(op="delete", segment="mistake-1")["segments"][0]["id"] == "variation-1"
    cut = edit(op="cut", start=4.5, end=6.4)  # its end snaps to the next word
    assert [(s["start"], s["end"]) for s in cut["segments"]] == [(0.3, 4.5), (6.2, 12.0)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"op": "set", "segment": "mistake-1", "field": "title", "value": " "}, "title is empty"),
        ({"op": "set", "segment": "mistake-1", "field": "kind", "value": "x"}, "kind 'x' is not"),
        ({"op": "set", "segment": "mistake-1", "field": "number", "value": -2}, "negative"),
        ({"op": "move", "segment": "mistake-1", "edge": "end", "time": 0.1}, "before start"),
        ({"op": "move", "segment": "nope", "edge": "end", "time": 2}, "no such segment"),
        ({"op": "cut", "start": 1.0, "end": 2.0}, "falls inside it"),
        ({"op": "word", "index": 99, "text": "x"}, "no such word"),
    ],
)
def test_an_edit_the_renderer_would_refuse_says_why(change: dict, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        edit(**change)
