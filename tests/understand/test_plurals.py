"""Paired body parts put back in the plural: what fitness text and the sentence say."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pipeline.core.model import Sentence, Transcript, Word
from pipeline.understand import rewrites
from pipeline.understand.lexicon import Lexicon, load_lexicon
from pipeline.understand.plurals import one_sided_takes, paired_plurals


def sentence(*texts: str) -> Sentence:
    words = tuple(Word(" " + t, i * 0.5, i * 0.5 + 0.4, 0.9) for i, t in enumerate(texts))
    return Sentence(" ".join(texts), words[0].start, words[-1].end, words)


def said(*sentences: Sequence[str]) -> Transcript:
    return Transcript("en", 30.0, tuple(sentence(*texts) for texts in sentences))


def pluralised(*texts: str) -> str:
    return paired_plurals(said(texts)).text


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        (("push", "your", "hip", "back."), "push your hips back."),
        (("let", "the", "hip", "float."), "let the hips float."),
        (("and", "squeeze", "your", "glute."), "and squeeze your glutes."),
        (("put", "your", "heel", "on", "a", "plate."), "put your heels on a plate."),
        (("flaring", "the", "elbow", "early."), "flaring the elbows early."),
        (("I", "let", "my", "hip", "sag."), "I let my hips sag."),  # "my" counted as "your"
        (("is", "the", "heel", "elevated", "squat."), "is the heels elevated squat."),
        (("know", "the", "elbow's", "early."), "know the elbows early."),  # the "s" as "'s"
        (("squeeze", "your", "lute's", "hard."), "squeeze your glutes hard."),  # a sound-alike
    ],
)
def test_a_paired_part_a_possessive_or_the_says_is_put_in_the_plural(
    heard: tuple[str, ...], meant: str
) -> None:
    assert pluralised(*heard) == meant


@pytest.mark.parametrize(
    "heard",
    [
        ("pause", "just", "below", "the", "knee."),  # a place on the body
        ("the", "hip", "thrust."),  # the singular names a thing
        ("sink", "between", "my", "shoulder", "blades."),
        ("put", "one", "hand", "on", "the", "bench", "and", "pull", "it", "to", "your", "hip."),
        ("drive", "through", "your", "front", "heel."),  # one side, and not right after
        ("the", "opposite", "shoulder."),
        ("over", "your", "mid", "foot."),
        ("bend", "your", "elbows."),  # already plural
    ],
)
def test_a_singular_that_means_one_side_or_one_place_stays(heard: tuple[str, ...]) -> None:
    assert pluralised(*heard) == " ".join(heard)


def test_a_take_about_one_leg_keeps_its_lower_body_singular_and_only_that() -> None:
    take = said(
        ("the", "single-leg", "hip", "thrust."),
        ("now", "for", "the", "top."),  # the sentence before says nothing of a side
        ("drive", "through", "your", "heel", "and", "squeeze", "your", "glute."),
        ("keep", "your", "hand", "on", "the", "bench."),
    )
    assert one_sided_takes(take) == {"lower"}
    texts = [s.text for s in paired_plurals(take).sentences]
    assert texts[2] == "drive through your heel and squeeze your glute."
    assert texts[3] == "keep your hands on the bench."


def test_a_side_said_in_the_sentence_before_holds_for_the_next() -> None:
    take = said(("put", "one", "hand", "on", "the", "bench."), ("pull", "it", "to", "your", "hip."))
    assert paired_plurals(take) == take


def test_the_prior_is_what_fitness_text_says_there() -> None:
    heard = said(("push", "your", "hip", "back."))
    evenly = Lexicon(words={}, pairs={"your hip": 10, "your hips": 10})
    mostly_plural = Lexicon(words={}, pairs={"your hip": 1, "your hips": 10})
    assert paired_plurals(heard, evenly) == heard
    assert paired_plurals(heard, mostly_plural).text == "push your hips back."


def test_only_a_word_fitness_text_never_uses_is_taken_for_the_part_it_sounds_like() -> None:
    heard = said(("squeeze", "your", "lute's", "hard."))
    pairs = {"your glutes": 10}
    assert paired_plurals(heard, Lexicon(words={}, pairs=pairs)).text == "squeeze your glutes hard."
    assert paired_plurals(heard, Lexicon(words={"lute": 3}, pairs=pairs)) == heard


def test_the_plural_takes_the_singulars_time_and_punctuation() -> None:
    heard = said(("Squeeze", "your", "Glute,", "hard."))
    fixed = paired_plurals(heard)
    old, new = heard.words[2], fixed.words[2]
    assert new.text == " Glutes,"
    assert (new.start, new.end, new.probability) == (old.start, old.end, old.probability)
    assert [w for i, w in enumerate(fixed.words) if i != 2] == [
        w for i, w in enumerate(heard.words) if i != 2
    ]


def judge_liking(word: str, gain: float) -> rewrites.Judge:
    """A judge scoring texts that say `word` `gain` above the heard text, others below."""

    def scores(start: float, end: float, texts: Sequence[str]) -> list[float]:
        return [gain if word in t.split() else 0.0 if i == 0 else -1.0 for i, t in enumerate(texts)]

    return scores


def test_an_s_heard_on_the_word_after_a_plural_is_moved_back_when_the_judge_prefers_it() -> None:
    heard = said(("push", "your", "hips", "smack."))
    lexicon = load_lexicon()
    propose = rewrites.plural_resplits
    fixed = rewrites.rescore(heard, judge_liking("back.", 2.0), lexicon, propose=propose)
    assert fixed.text == "push your hips back."
    assert (fixed.words[3].start, fixed.words[3].end) == (heard.words[3].start, heard.words[3].end)
    assert rewrites.rescore(heard, judge_liking("back.", -4.0), lexicon, propose=propose) == heard
    # a word fitness text says after the plural, or one not begun by an "s", is not asked about
    assert not rewrites.plural_resplits(said(("push", "your", "hips", "back.")), lexicon)
    assert not rewrites.plural_resplits(said(("push", "your", "hips", "mack.")), lexicon)
    assert not rewrites.plural_resplits(said(("push", "your", "hips", "sandwich.")), lexicon)
