"""Numbers heard as their sound-alikes are put back where a coach counts."""

from __future__ import annotations

from pipeline.core.model import Sentence, Transcript, Word
from pipeline.understand.counts import correct_counts
from pipeline.understand.rewrites import fix_heard


def heard(text: str) -> Transcript:
    words = tuple(Word(" " + t, i * 0.5, i * 0.5 + 0.4, 0.9) for i, t in enumerate(text.split()))
    return Transcript("en", 20.0, (Sentence(text, words[0].start, words[-1].end, words),))


def said(transcript: Transcript) -> str:
    return "".join(w.text for w in transcript.words).strip()


def test_a_cue_nouns_number_is_put_back() -> None:
    assert said(correct_counts(heard("Mistake to, jerking the bar."))) == (
        "Mistake two, jerking the bar."
    )
    assert said(correct_counts(heard("Mistake free, rising onto your toes."))) == (
        "Mistake three, rising onto your toes."
    )
    assert said(correct_counts(heard("Ok, you know number to lifting with your arms."))) == (
        "Ok, you know number two lifting with your arms."
    )
    assert said(correct_counts(heard("Now, variation for: the tempo squat."))) == (
        "Now, variation four: the tempo squat."
    )


def test_a_count_before_a_cue_noun_is_put_back() -> None:
    assert said(correct_counts(heard("Let's fix the free mistakes that hold people back."))) == (
        "Let's fix the three mistakes that hold people back."
    )
    assert said(correct_counts(heard("Here are free common variations."))) == (
        "Here are three common variations."
    )


def test_the_same_words_meaning_what_they_say_stay() -> None:
    for text in (
        "A mistake to avoid is this.",
        "The first mistake to watch for.",
        "Look for variations that suit you.",
        "Grab the free weights.",
        "This leads to mistakes.",
        "Keep the rep mistake free.",
    ):
        assert correct_counts(heard(text)) == heard(text), text


def test_a_number_put_back_keeps_its_time_and_is_not_asked_about_again() -> None:
    before = heard("Mistake to, jerking the bar.")
    fixed = fix_heard(before, judge=lambda start, end, texts: [0.0] * len(texts))
    two = fixed.words[1]
    assert two.text == " two," and (two.start, two.end) == (before.words[1].start, 0.9)


def test_too_heard_as_the_number_before_a_word_of_degree_is_put_back() -> None:
    assert said(correct_counts(heard("Starting with the bar 2 far away."))) == (
        "Starting with the bar too far away."
    )
    assert said(correct_counts(heard("Don't drop two early."))) == "Don't drop too early."
    for text in ("Do two sets of ten.", "Hold for two, then stand.", "Two, far from it.",
                 "Walk to the two far cones.", "Skip your last two late sets."):  # fmt: skip
        assert correct_counts(heard(text)) == heard(text), text
