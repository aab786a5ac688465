"""Misheard domain words put right with the outline's own terms, timings kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.model import Sentence, Transcript, Word
from pipeline.understand.vocabulary import correct, similarity, vocabulary

OUTLINE = ROOT / "assets/samples/single-leg-hip-thrust-outline.md"
SEED_ARTICLE = Path("/work/shared/seed/single-leg-hip-thrust-article.txt")
OUTLINE_TEXT = OUTLINE.read_text("utf-8")


def sentence(text: str, start: float = 0.0, step: float = 0.3) -> Sentence:
    """Whisper-style words (leading space) of `text`, one every `step` seconds."""
    words = tuple(
        Word(" " + token, round(start + i * step, 3), round(start + (i + 1) * step - 0.05, 3))
        for i, token in enumerate(text.split())
    )
    return Sentence(text, words[0].start, words[-1].end, words)


def take(*texts: str) -> Transcript:
    sentences, start = [], 0.0
    for text in texts:
        sentences.append(sentence(text, start))
        start = sentences[-1].end + 1.0
    return Transcript("en", start, tuple(sentences))


def corrected(text: str, outline: str = OUTLINE_TEXT) -> str:
    return correct(take(text), outline).sentences[0].text


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        (
            "Today, the single egg dip thrust, free mistakes.",
            "Today, the single-leg hip thrust, three mistakes.",
        ),
        ("Hyper extending your lower back.", "Hyperextending your lower back."),
        (
            "Mistake two, hyper extending your lower back.",
            "Mistake two, hyperextending your lower back.",
        ),
        ("Variation two, emphasize the centric.", "Variation two, emphasized eccentric."),
        ("Now using your glutes is the problem.", "Not using your glutes is the problem."),
        ("Single-edge hip thrust with a high vocal.", "Single-leg hip thrust with a high vocal."),
        ("Pushing of your elbows is bad.", "Pushing off your elbows is bad."),
    ],
)
def test_misheard_terms_are_respelled(heard: str, meant: str) -> None:
    assert corrected(heard) == meant


@pytest.mark.parametrize(
    "said",
    [
        "Watch what happens when I push off my elbows like this.",
        "pushing off your elbows like this",
        "Don't push off your elbows.",  # another ending of the same words is not a mishearing
        "Instead, keep your arms relaxed and drive through your heel.",
        "Today, the single-leg hip thrust, three mistakes you never want to make.",
        "Not using your glutes, you feel it in your knees.",
        "the single leg hip thrust with an iso hold",  # only a hyphen and "an" apart
        "Two mistakes you never want to take.",  # numbers and everyday words are no targets
        "Single leg hip thrusts off your bench.",
        "Hyperextended your lower back.",
    ],
)
def test_right_or_unrelated_words_are_left_alone(said: str) -> None:
    assert corrected(said) == said


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("Free mistakes you never want to make.", "Three mistakes you never want to make."),
        ("and free variations.", "and three variations."),
        ("for variations", "for variations"),  # four is not the outline's count
        ("free weights and free reps", "free weights and free reps"),  # not a counted noun
    ],
)
def test_the_outlines_counts_replace_their_sound_alikes(heard: str, meant: str) -> None:
    assert corrected(heard) == meant
    assert corrected(heard, "# Hip thrusts\n\n## Mistake 1: Elbows\n") == heard  # no counts


def test_without_an_outline_nothing_changes() -> None:
    transcript = take("the single egg dip thrust")
    assert correct(transcript, "") is transcript
    assert correct(transcript, "# Squat Fixes\n## Mistake 1: Knees Caving\n") == transcript


def test_a_term_never_spans_a_sentence_end() -> None:
    assert corrected("It was single. Egg dip thrust it.") == "It was single. Egg dip thrust it."
    assert corrected("Hyper. Extending your lower back.") == "Hyper. Extending your lower back."


def test_replaced_words_share_the_time_of_the_words_they_replace() -> None:
    before = take("Today, the single egg dip thrust, free mistakes.")
    after = correct(before, OUTLINE_TEXT)
    old, new = before.sentences[0].words, after.sentences[0].words
    assert [w.text for w in new] == [
        " Today,", " the", " single-leg", " hip", " thrust,", " three", " mistakes."
    ]  # fmt: skip
    assert new[2].start == old[2].start  # "single" started the misheard span
    assert new[3].end == old[4].end  # "dip" ended it; "thrust," keeps its own timing
    assert new[4] == old[5]
    assert new[2].end == new[3].start
    assert new[2].end - new[2].start > new[3].end - new[3].start  # longer word, longer time
    assert after.sentences[0].start == before.sentences[0].start
    assert after.sentences[0].end == before.sentences[0].end


def test_capitals_follow_the_sentence_not_the_heading() -> None:
    assert corrected("Single egg dip thrust today.") == "Single-leg hip thrust today."
    assert corrected("Try emphasize the centric reps.") == "Try emphasized eccentric reps."
    acronym = "# Fixes\n## Mistake 1: RDL Lockout Position\n"
    assert corrected("Film the R D L lockout.", acronym) == "Film the RDL lockout."


def test_only_changed_sentences_are_rebuilt() -> None:
    before = take("Keep your arms relaxed.", "Hyper extending your lower back.")
    after = correct(before, OUTLINE_TEXT)
    assert after.sentences[0] is before.sentences[0]
    assert after.sentences[1].text == "Hyperextending your lower back."
    assert "".join(w.text for w in after.sentences[1].words).strip() == after.sentences[1].text


def test_vocabulary_holds_heading_phrases_and_long_words_only() -> None:
    terms = {" ".join(t.words) for t in vocabulary(OUTLINE_TEXT)}
    assert {"single-leg hip thrust", "not using your glutes", "hyperextending"} <= terms
    assert {"emphasized eccentric", "pushing off your elbows", "eccentric"} <= terms
    assert not terms & {"off your", "want to make", "never want to make", "three", "mistakes"}
    assert all(1 <= len(t.split()) <= 6 for t in terms)


def test_similarity() -> None:
    assert similarity("singleeggdipthrust", "singleleghipthrust") == pytest.approx(5 / 6)
    assert similarity("abc", "abc") == 1.0
    assert similarity("", "abc") == 0.0


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="the seed article is not on this machine")
def test_article_prose_is_never_rewritten_with_its_own_headings() -> None:
    article = SEED_ARTICLE.read_text("utf-8")
    lines = [line.strip() for line in article.splitlines() if line.strip()]
    transcript = take(*lines)
    assert correct(transcript, article) == transcript


VOCABULARY = [
    "single", "egg", "dip", "leg", "hip", "thrust", "hyper", "extending", "your", "lower",
    "back", "now", "not", "using", "glutes", "the", "off", "emphasize", "centric", "free",
    "Single-edge", "with", "a", "high", "vocal", "iso", "hold", "pushing", "elbows",
]  # fmt: skip
word_text = st.tuples(
    st.sampled_from(["", " "]), st.sampled_from(VOCABULARY), st.sampled_from(["", ",", ".", "?"])
).map("".join)
sentence_words = st.lists(st.tuples(word_text, st.floats(0, 2), st.floats(0, 2)), max_size=12)
headings = st.lists(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=7), max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.lists(sentence_words, min_size=1, max_size=4), headings)
def test_any_transcript_keeps_its_sentences_and_times(
    raw: list[list[tuple[str, float, float]]], outline_words: list[list[str]]
) -> None:
    sentences, clock = [], 0.0
    for raw_words in raw:
        words = []
        for text, gap, length in raw_words:
            start = round(clock + gap, 3)
            clock = round(start + length, 3)
            words.append(Word(text, start, clock))
        first, last = (words[0].start, words[-1].end) if words else (clock, clock)
        sentences.append(Sentence("".join(w.text for w in words), first, last, tuple(words)))
    transcript = Transcript("en", clock, tuple(sentences))
    outline = "# Topic\n" + "".join(
        f"## Mistake {i}: {' '.join(h)}\n" for i, h in enumerate(outline_words, 1)
    )

    result = correct(transcript, outline)

    assert len(result.sentences) == len(transcript.sentences)
    for before, after in zip(transcript.sentences, result.sentences, strict=True):
        assert (after.start, after.end) == (before.start, before.end)
        if before.words:
            assert after.words[0].start == before.words[0].start
            assert after.words[-1].end == before.words[-1].end
        times = [t for w in after.words for t in (w.start, w.end)]
        assert times == sorted(times)
