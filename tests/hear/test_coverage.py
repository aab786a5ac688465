"""A transcript that skipped a passage is noticed and that piece heard again without the prompt."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from pipeline.core.model import Word
from pipeline.hear import transcribe as transcribe_module
from pipeline.hear.coverage import speech_spans, unheard_seconds
from pipeline.hear.frontend import FRONT_ENDS
from pipeline.hear.hearing import Hearing
from pipeline.hear.probe import probe


def band_samples(video: Path) -> np.ndarray:
    """`video`'s audio as the model hears it (no model is loaded)."""
    return Hearing(video, Path("unused"), "cpu", "int8", FRONT_ENDS["band"]).samples()


def words_over(*spans: tuple[float, float]) -> list[Word]:
    """A word every 0.4 s over each (start, end) span."""
    found = []
    for start, end in spans:
        now = start
        while now < end:
            found.append(Word(" word", round(now, 3), round(now + 0.3, 3), 0.9))
            now += 0.4
    return found


def test_speech_no_word_comes_near_is_counted_and_pauses_are_not() -> None:
    speech = [(0.0, 10.0)]
    assert unheard_seconds(speech, words_over((0.0, 10.0))) == 0.0
    # words for the first 3 s and the last 2 s: 3.5 .. 7.5 (NEAR 0.5 either side) is unheard
    assert unheard_seconds(speech, words_over((0.0, 3.0), (8.0, 10.0))) == pytest.approx(4.0, 0.1)
    # a 1.4 s gap between words is a pause: with NEAR either side, under MIN_GAP
    assert unheard_seconds(speech, words_over((0.0, 4.0), (5.4, 10.0))) == 0.0
    assert unheard_seconds(speech, []) == 10.0
    assert unheard_seconds([], words_over((0.0, 3.0))) == 0.0


def test_the_detector_hears_the_mini_clip_speak(mini: Path) -> None:
    spans = speech_spans(band_samples(mini))
    assert spans and spans[0][0] == pytest.approx(0.5, abs=0.6)  # the cue starts at 0.5 s
    assert sum(b - a for a, b in spans) > 8  # most of the 14 s clip is speech


@dataclass
class FakeWord:
    word: str
    start: float
    end: float
    probability: float = 0.9


@dataclass
class FakeSegment:
    text: str
    start: float
    end: float
    words: list[FakeWord]


class SkippingModel:
    """Hears the whole clip without a prompt; with one, only its first second."""

    def __init__(self) -> None:
        self.prompts: list[object] = []

    def transcribe(self, samples: object, **options: object) -> tuple[list[FakeSegment], object]:
        self.prompts.append(options.get("initial_prompt"))
        stop = 1.0 if options.get("initial_prompt") else 14.0
        words = [FakeWord(" said", w.start, w.end) for w in words_over((0.4, stop))]
        return [FakeSegment("said " * len(words), 0.4, stop, words)], object()


def test_a_piece_with_speech_left_unheard_is_heard_again_without_the_prompt(mini: Path) -> None:
    model = SkippingModel()
    samples = band_samples(mini)
    sentences, _ = transcribe_module._heard(model, samples, probe(mini), lambda done: None)
    assert model.prompts[0] and model.prompts[1:] == [None]  # heard twice, the second unprompted
    assert sentences[-1].words[-1].end > 13  # the retry's words, to the end of the clip


def test_a_piece_heard_in_full_is_heard_once(mini: Path) -> None:
    model = SkippingModel()
    transcribe_module_options = {**transcribe_module.WHISPER_OPTIONS, "initial_prompt": None}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transcribe_module, "WHISPER_OPTIONS", transcribe_module_options)
        transcribe_module._heard(model, band_samples(mini), probe(mini), lambda done: None)
    assert model.prompts == [None]
