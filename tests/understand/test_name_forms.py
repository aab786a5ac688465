import pytest

from pipeline.core.model import Sentence, Transcript, Word
from pipeline.understand.name_forms import name_forms


def said(*texts: str) -> Transcript:
    words = tuple(Word(" " + t, i * 0.5, i * 0.5 + 0.4, 0.7) for i, t in enumerate(texts))
    return Transcript("en", 9.0, (Sentence(" ".join(texts), 0.0, words[-1].end, words),))


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        (("the", "inclined", "push-up."), "the incline push-up."),
        (("the", "single", "arms", "swing."), "the single arm swing."),
        (("the", "Single-arms", "swing,"), "the Single-arm swing,"),
        (("a", "hips", "thrust"), "a hip thrust"),
        # a name's word written closed up takes the names' hyphen, capital and punctuation kept
        (("the", "incline", "pushup."), "the incline push-up."),
        (("Pushups", "are", "hard."), "Push-ups are hard."),
        (("over", "your", "midfoot,"), "over your mid-foot,"),
    ],
)
def test_a_name_modifier_written_inflected_is_put_in_its_base_form(
    heard: tuple[str, ...], meant: str
) -> None:
    fixed = name_forms(said(*heard))
    assert fixed.sentences[0].text == meant
    assert [(w.start, w.end, w.probability) for w in fixed.words] == [
        (w.start, w.end, w.probability) for w in said(*heard).words
    ]


@pytest.mark.parametrize(
    "heard",
    [
        ("do", "three", "knee", "raises."),  # a head in the plural: how it is said
        ("the", "paused", "squat."),  # a name as it is ("pause squat" is one too)
        ("push", "your", "hips", "back."),  # no name either way
        ("squeeze", "your", "hips,", "thrust", "up."),  # a clause ends between them
    ],
)
def test_names_and_words_that_are_no_inflected_name_stay_as_heard(heard: tuple[str, ...]) -> None:
    assert name_forms(said(*heard)) == said(*heard)
