"""Cue phrases: every common form, misheard numbers, and cue words that are not cues."""

from __future__ import annotations

import pytest

from pipeline.core.model import Word
from pipeline.understand.cues import announced_kind, find_cues, parse_number
from pipeline.understand.speech import normalise, split_sentences


def cues_in(text: str) -> list[tuple[str, int]]:
    words = [Word(" " + t, i * 0.4, i * 0.4 + 0.3) for i, t in enumerate(text.split())]
    normalised = [normalise(w.text) for w in words]
    return [(c.kind, c.number) for c in find_cues(normalised, split_sentences(words))]


@pytest.mark.parametrize(
    ("token", "number"),
    [("2", 2), ("#2", 2), ("two", 2), ("second", 2), ("2nd", 2), ("number-two", 2), ("ten", 10)],
)
def test_parse_number(token: str, number: int) -> None:
    assert parse_number(token) == number


def test_homophones_only_when_loose() -> None:
    assert parse_number("to") is None
    assert parse_number("to", loose=True) == 2
    assert parse_number("won") == 1  # never a real word after "mistake"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mistake number one: pushing off your elbows.", [("mistake", 1)]),
        ("The first mistake is pushing off.", [("mistake", 1)]),
        ("Mistake #2: sagging hips.", [("mistake", 2)]),
        ("Common mistake number three: half reps.", [("mistake", 3)]),
        ("Problem number one: bar path.", [("mistake", 1)]),
        ("Error two: elbows back.", [("mistake", 2)]),
        ("Mistake hash one, flaring.", [("mistake", 1)]),
        ("Variation one: iso hold.", [("variation", 1)]),
        ("Version two, single leg.", [("variation", 2)]),
        ("Option three is the feet elevated bridge.", [("variation", 3)]),
        ("Progression one: marching.", [("variation", 1)]),
        ("The first variation is banded.", [("variation", 1)]),
        ("Mistake number to: knees in.", [("mistake", 2)]),
        ("Variation number won, iso hold.", [("variation", 1)]),
        ("Mistakes number three, looking up.", [("mistake", 3)]),
        ("Mistake number 1. Pushing off.", [("mistake", 1)]),
        ("Mistake Number One: Pushing Off Your Elbows", [("mistake", 1)]),
    ],
)
def test_cue_forms(text: str, expected: list[tuple[str, int]]) -> None:
    assert cues_in(text) == expected


def test_sequential_cues_are_counted() -> None:
    text = (
        "The first mistake is A. Another mistake I see is B. Okay, so the next mistake is C. "
        "And the last mistake is D."
    )
    assert cues_in(text) == [("mistake", 1), ("mistake", 2), ("mistake", 3), ("mistake", 4)]


def test_announced_list_then_the_first_one() -> None:
    text = "Here are three variations. The first one is A. The second one is B. The last one is C."
    assert cues_in(text) == [("variation", 1), ("variation", 2), ("variation", 3)]


def test_misheard_bare_number_counts_only_when_expected() -> None:
    assert cues_in("Variation one: A. Do it. Variation to: B.") == [
        ("variation", 1),
        ("variation", 2),
    ]
    assert cues_in("This variation to try is nice.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Three mistakes you never want to make.",
        "Don't make this mistake again.",
        "A big mistake people make is holding their breath.",
        "That is a mistake one time too many.",
        "Like in mistake number one, keep your back flat.",
        "There are a few variations of this.",
        "Another option is to use a band.",
    ],
)
def test_cue_words_in_passing_are_not_cues(text: str) -> None:
    assert cues_in(text) == []


def test_repeating_the_heading_is_one_cue() -> None:
    assert cues_in("Mistake number two: knees. Again, mistake number two, it hurts.") == [
        ("mistake", 2)
    ]


def said(text: str) -> list[str]:
    return [normalise(word) for word in text.split()]


def test_announcements() -> None:
    assert announced_kind(said("now here are three variations")) == "variation"
    assert announced_kind(said("three mistakes you never want to make")) == "mistake"
    assert announced_kind(said("mistakes number three")) is None
    assert announced_kind(said("keep your back flat")) is None
