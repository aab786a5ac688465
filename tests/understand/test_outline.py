"""Outline headings: found in plain text and Markdown, matched to spoken segments."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.model import Segment
from pipeline.understand.outline import match_headings, outline_topic, parse_outline, topic_phrase

SEED_ARTICLE = Path("/work/shared/seed/single-leg-hip-thrust-article.txt")


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="the seed article is not on this machine")
def test_plain_text_article() -> None:
    outline = parse_outline(SEED_ARTICLE.read_text("utf-8"))
    assert outline.title.startswith("The Single-Leg Hip Thrust: 3 Critical Mistakes")
    assert outline_topic(outline) == "Single-leg hip thrust"
    assert [(h.kind, h.number, h.title) for h in outline.headings] == [
        ("mistake", 1, "Pushing Off Your Elbows"),
        ("mistake", 2, "Hyperextending Your Lower Back"),
        ("mistake", 3, "Not Using Your Glutes"),
        ("variation", 1, "Single-Leg Hip Thrust with Iso Hold"),
        ("variation", 2, "Single-Leg Hip Thrust with Emphasized Eccentric"),
        ("variation", 3, "1.5 Single-Leg Hip Thrust"),
    ]


def test_markdown_outline() -> None:
    outline = parse_outline(
        "# Squat Fixes\n\nSome words.\n\n## Mistake 2: Knees caving\n### Why it matters\n"
        "- 1) a bullet that is not a heading\n## Three variations\n### Goblet\n### Box squat\n"
        "## Wrap-up\n### Not an item\n"
    )
    assert outline.title == "Squat Fixes"
    assert [(h.kind, h.number, h.title) for h in outline.headings] == [
        ("mistake", 2, "Knees caving"),
        ("variation", 1, "Goblet"),
        ("variation", 2, "Box squat"),
    ]


def test_topic_phrase() -> None:
    assert topic_phrase("the single-leg hip thrust") == "Single-leg hip thrust"
    assert topic_phrase("three hip thrust mistakes") == "Hip thrust"
    assert topic_phrase("how to fix your plank") == "Plank"
    assert topic_phrase("") == ""


def seg(kind: str, number: int, title: str, text: str) -> Segment:
    return Segment(f"{kind}-{number}", kind, number, title, 0.0, 1.0, text=text)  # type: ignore[arg-type]


def test_matching_by_words_beats_numbers() -> None:
    outline = parse_outline("T\n\nMistake 1: Knees caving in\nMistake 2: Rounded back\n")
    segments = [
        seg("mistake", 1, "Rounding your back", "Mistake one: rounding your back. Keep it flat."),
        seg("mistake", 2, "Knees cave", "Mistake two: knees cave in. Push them out."),
    ]
    matched = match_headings(outline.headings, segments)
    assert matched[0].title == "Rounded back"
    assert matched[1].title == "Knees caving in"


def test_unrelated_heading_of_another_kind_is_not_matched() -> None:
    outline = parse_outline("T\n\nVariation 1: Iso hold\n")
    segments = [seg("mistake", 1, "Elbows", "Mistake one: elbows.")]
    assert match_headings(outline.headings, segments) == {}
