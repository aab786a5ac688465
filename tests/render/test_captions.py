"""Captions: literal text whatever is said, short lines, word highlight, clip-relative times."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.model import Word
from pipeline.core.style import load_style
from pipeline.render.captions import (
    WORD_JOINER,
    build_ass,
    build_srt,
    caption_layout,
    clip_words,
    escape_ass,
    paginate,
)
from pipeline.render.labels import safe_box

STYLE = load_style()


def libass_text(text: str) -> tuple[str, list[str]]:
    """What libass shows for a dialogue text, and the override blocks it would parse."""
    shown, blocks, index = [], [], 0
    while index < len(text):
        char = text[index]
        if char == "{":
            end = text.find("}", index)
            end = len(text) if end < 0 else end
            blocks.append(text[index + 1 : end])
            index = end + 1
            continue
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            replacement = {"N": "\n", "n": " ", "h": "\u00a0", "{": "{", "}": "}"}.get(following)
            if replacement is not None:
                shown.append(replacement)
                index += 2
                continue
        shown.append(char)
        index += 1
    return "".join(shown).replace(WORD_JOINER, ""), blocks


@given(st.text())
def test_escaped_text_renders_literally_and_opens_no_override(text: str) -> None:
    shown, blocks = libass_text(escape_ass(text))
    expected = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    assert shown == expected.replace(WORD_JOINER, "")
    assert blocks == []


def test_nasty_examples() -> None:
    for text in ["{\\b1}bold", "\\N", "C:\\New", "50% it's: done}", "💪 {\\pos(0,0)}"]:
        shown, blocks = libass_text(escape_ass(text))
        assert shown == text and blocks == []


def words_of(sentence: str, start: float, step: float = 0.4) -> tuple[Word, ...]:
    return tuple(
        Word(" " + token, start + i * step, start + i * step + step * 0.8)
        for i, token in enumerate(sentence.split())
    )


def layout(size=(1080, 1920)):
    box = safe_box(STYLE, size)
    return caption_layout(STYLE, size, box, box.bottom)


def test_vertical_lines_are_short_and_pages_respect_max_lines() -> None:
    words = words_of("one two three four five six seven eight nine ten eleven twelve", 0)
    pages = paginate(words, layout())
    assert all(len(page) <= STYLE.max_lines for page in pages)
    assert all(len(line) <= STYLE.max_words_per_line for page in pages for line in page)
    assert [w.text for p in pages for line in p for w in line] == [w.text for w in words]


def test_wide_formats_fit_more_words_per_line() -> None:
    assert layout((1920, 1080)).max_words > layout((1080, 1920)).max_words


def test_sentence_end_starts_a_new_page() -> None:
    words = words_of("Stop. Go now", 0)
    assert len(paginate(words, layout())) == 2


def test_each_event_highlights_exactly_one_word_in_the_accent_colour() -> None:
    words = clip_words(words_of("Mistake number one: pushing off your elbows.", 10.0), 10.0, 14.0)
    ass = build_ass(paginate(words, layout()), layout(), STYLE, 4.0)
    assert "PlayResX: 1080" in ass and "PlayResY: 1920" in ass
    events = [line for line in ass.splitlines() if line.startswith("Dialogue:")]
    assert len(events) == len(words)
    for event in events:
        assert event.count("\\c&H0000D4FF") == 1  # accent #FFD400 in ASS BGR order
    first_start = re.match(r"Dialogue: 0,([^,]+),", events[0]).group(1)
    assert first_start == "0:00:00.00"  # times are relative to the clip


def test_vertical_captions_stay_clear_of_the_app_buttons() -> None:
    ass = build_ass([], layout(), STYLE, 1.0)
    style_line = next(line for line in ass.splitlines() if line.startswith("Style: Caption"))
    margin_left, margin_right, margin_v = (int(v) for v in style_line.split(",")[-4:-1])
    assert margin_right >= 1080 * STYLE.safe_right
    assert margin_v >= 1920 * STYLE.safe_bottom


def test_srt_times_are_relative_to_the_clip() -> None:
    words = clip_words(words_of("Keep your arms relaxed.", 30.0), 29.0, 33.0)
    srt = build_srt(paginate(words, layout()), 4.0)
    assert srt.startswith("1\n00:00:01,000 --> ")
    assert "Keep your arms\nrelaxed." in srt or "Keep your\narms relaxed." in srt


def test_words_outside_the_clip_are_dropped() -> None:
    words = words_of("a b c d e", 0.0, step=1.0)
    assert [w.text for w in clip_words(words, 1.5, 3.5)] == ["b", "c", "d"]
