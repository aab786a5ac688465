"""Words the model was unsure of are marked in transcript.json, plan.json and the page."""

from __future__ import annotations

import json

from pipeline.core.model import Plan, Segment, Sentence, Transcript, Word
from pipeline.core.plan_io import plan_from_dict, plan_to_dict
from pipeline.core.transcript_io import to_dict
from pipeline.publish.page import write_page
from pipeline.understand.confidence import mark_unsure

WORDS = (
    Word(" Variation", 10.0, 10.4, 0.95), Word(" one:", 10.4, 10.7, 0.9),
    Word(" hip", 10.8, 11.0, 0.93), Word(" trust.", 11.0, 11.4, 0.21),
    Word(" Drive", 12.0, 12.3, 0.88), Word(" through", 12.3, 12.5, 0.9),
    Word(" the", 12.5, 12.6, 0.97), Word(" <heal>.", 12.6, 13.0, 0.35),
    Word(" Trust", 14.0, 14.3, 0.3),
)  # fmt: skip
TRANSCRIPT = Transcript("en", 20.0, (
    Sentence("Variation one: hip trust.", 10.0, 11.4, WORDS[:4]),
    Sentence("Drive through the <heal>.", 12.0, 13.0, WORDS[4:8]),
    Sentence("Trust", 14.0, 14.3, WORDS[8:]),
))  # fmt: skip
PLAN = Plan("take.mp4", 20.0, (
    Segment("variation-1", "variation", 1, "Hip trust", 10.0, 13.5,
            text="Variation one: hip trust. Drive through the <heal>."),
    Segment("outro", "outro", None, "Outro", 13.5, 20.0, text="Trust"),
))  # fmt: skip


def test_each_segment_lists_the_doubtful_words_said_in_it_once() -> None:
    marked = mark_unsure(PLAN, TRANSCRIPT)
    assert marked.segments[0].unsure == ("trust", "<heal>")
    assert marked.segments[0].title_unsure == ("trust",)
    assert marked.segments[1].unsure == ("Trust",)  # its own segment, not the one before


def test_plan_json_carries_them_and_reads_them_back() -> None:
    data = plan_to_dict(mark_unsure(PLAN, TRANSCRIPT))
    assert data["segments"][0]["unsure"] == ["trust", "<heal>"]
    assert data["segments"][0]["title_unsure"] == ["trust"]
    again = plan_from_dict(json.loads(json.dumps(data)))
    assert again.segments[0].unsure == ("trust", "<heal>")
    old = plan_from_dict({**data, "segments": [
        {k: v for k, v in s.items() if k not in ("unsure", "title_unsure")}
        for s in data["segments"]
    ]})  # fmt: skip
    assert old.segments[0].unsure == ()  # plans written before still load


def test_transcript_json_marks_the_words_by_index() -> None:
    sentences = to_dict(TRANSCRIPT)["sentences"]
    assert [s["unsure"] for s in sentences] == [[3], [3], [0]]


def test_the_page_highlights_them_escaped(tmp_path) -> None:
    html = write_page(mark_unsure(PLAN, TRANSCRIPT), [], tmp_path).path.read_text()
    assert "Check the captions for <mark>trust</mark>, <mark>&lt;heal&gt;</mark>" in html
    assert "(the title has “trust”)" in html
    assert '<mark title="the speech model was unsure of this word">trust.</mark>' in html
    assert "<heal>" not in html
