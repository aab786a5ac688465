"""A corrected transcript keeps the timing of what the model heard."""

from __future__ import annotations

import pytest

from pipeline.core.model import Sentence, Transcript, Word
from pipeline.hear.align import align_to_heard, words_follow_text


def transcript(*sentences: tuple[str, list[tuple[str, float, float]]]) -> Transcript:
    built = []
    for text, words in sentences:
        timed = tuple(Word(" " + w, a, b, 0.6) for w, a, b in words)
        built.append(Sentence(text, timed[0].start, timed[-1].end, timed))
    return Transcript("en", 20.0, tuple(built))


HEARD = transcript(
    (
        "Variation 1. Did I go cold? Pause at the top of every ramp.",
        [("Variation", 9.7, 10.2), ("1.", 10.3, 10.6), ("Did", 10.9, 11.0), ("I", 11.0, 11.1),
         ("go", 11.1, 11.3), ("cold?", 11.3, 11.5), ("Pause", 11.9, 12.2), ("at", 12.2, 12.3),
         ("the", 12.3, 12.4), ("top", 12.4, 12.7), ("of", 12.7, 12.8), ("every", 12.8, 13.1),
         ("ramp.", 13.1, 13.6)],
    ),
)  # fmt: skip


def cue(text: str, start: float, end: float) -> Sentence:
    """A subtitle cue as read from an edited .srt: words spread evenly over the cue."""
    tokens = text.split()
    step = (end - start) / len(tokens)
    words = tuple(
        Word(" " + t, start + i * step, start + (i + 1) * step) for i, t in enumerate(tokens)
    )
    return Sentence(text, start, end, words)


def test_fixed_words_take_the_time_of_the_words_they_replace() -> None:
    fixed = Transcript(
        "en", 20.0, (cue("Variation 1. The iso hold. Pause at the top of every rep.", 9.67, 13.71),)
    )
    aligned = align_to_heard(fixed, HEARD)
    words = aligned.words
    assert [w.text.strip() for w in words][2:5] == ["The", "iso", "hold."]
    # "The iso hold." replaces "Did I go cold?": it shares 10.9..11.5, in order.
    the, iso, hold = words[2:5]
    assert the.start == pytest.approx(10.9) and hold.end == pytest.approx(11.5)
    assert the.end <= iso.start <= hold.start
    # "rep." replaces "ramp." one for one: the very same timing.
    assert (words[-1].text, words[-1].start, words[-1].end) == (" rep.", 13.1, 13.6)
    # Unchanged words keep the model's times and its confidence; typed ones are certain.
    assert (words[5].text, words[5].start, words[5].probability) == (" Pause", 11.9, 0.6)
    assert iso.probability == 1.0
    assert aligned.sentences[0].start == 9.7 and aligned.sentences[0].end == 13.6


def test_a_word_the_model_missed_fills_the_pause_between_its_neighbours() -> None:
    fixed = Transcript(
        "en",
        20.0,
        (cue("Variation 1. Did I go cold? Now pause at the top of every ramp.", 9.67, 13.71),),
    )
    now = next(w for w in align_to_heard(fixed, HEARD).words if w.text.strip() == "Now")
    assert 11.5 <= now.start < now.end <= 11.9


def test_deleted_words_leave_the_others_where_they_were() -> None:
    fixed = Transcript(
        "en", 20.0, (cue("Variation 1. Pause at the top of every rep.", 9.67, 13.71),)
    )
    aligned = align_to_heard(fixed, HEARD)
    assert [(w.text.strip(), w.start) for w in aligned.words][:3] == [
        ("Variation", 9.7),
        ("1.", 10.3),
        ("Pause", 11.9),
    ]


def test_the_models_own_transcript_comes_back_unchanged() -> None:
    assert align_to_heard(HEARD, HEARD) == HEARD


def test_sentences_stay_as_the_person_wrote_them() -> None:
    fixed = Transcript("en", 20.0, (
        cue("Variation 1.", 9.67, 10.8), cue("The iso hold.", 10.8, 11.8),
        cue("Pause at the top of every rep.", 11.8, 13.71),
    ))  # fmt: skip
    aligned = align_to_heard(fixed, HEARD)
    assert [s.text for s in aligned.sentences] == [s.text for s in fixed.sentences]
    assert [len(s.words) for s in aligned.sentences] == [2, 3, 7]
    assert aligned.sentences[1].start == pytest.approx(10.9)


def test_an_edited_transcript_json_sentence_rebuilds_its_words_from_its_text() -> None:
    edited = Sentence("The iso hold.", 10.9, 11.5, HEARD.sentences[0].words[2:6])
    (sentence,) = words_follow_text(Transcript("en", 20.0, (edited,))).sentences
    assert [w.text.strip() for w in sentence.words] == ["The", "iso", "hold."]
    assert sentence.words[0].start == 10.9 and sentence.words[-1].end == pytest.approx(11.5)


def test_nothing_heard_keeps_the_typed_timings() -> None:
    fixed = Transcript("en", 20.0, (cue("The iso hold.", 10.0, 11.0),))
    assert align_to_heard(fixed, Transcript("en", 20.0, ())) == fixed
