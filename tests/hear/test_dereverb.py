"""Dereverberation: the room's echo is taken out of reverberant takes, and only of those."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from helpers import DATA, MINI

from pipeline.hear import dereverb
from pipeline.hear.frontend import FRONT_ENDS
from pipeline.hear.hearing import SAMPLE_RATE, Hearing

# 12 s of evaluation takes (scripts/cut_test_clip.py reverb-03 10 12 / noise-05 10 12): espeak
# in sox's reverb, and flite over gym noise.
ROOM = DATA / "reverb-room.mp4"
GYM = DATA / "noise-gym.mp4"


def _hearing(path: Path, echo: str = "") -> Hearing:
    return Hearing(path, Path("unused"), "cpu", "int8", FRONT_ENDS["band"], echo)


def _in_a_room(dry: np.ndarray) -> np.ndarray:
    """`dry` through a synthetic room: a 0.6-s exponentially decaying noise tail."""
    rng = np.random.default_rng(0)
    t = np.arange(int(0.8 * SAMPLE_RATE)) / SAMPLE_RATE
    response = rng.standard_normal(len(t)) * np.exp(-6.9 * t / 0.6) * 0.08
    response[0] = 1.0
    return np.convolve(dry, response)[: len(dry)].astype(np.float32)


def test_the_echo_of_a_room_is_taken_out() -> None:
    dry = _hearing(MINI).samples().astype(np.float64)
    wet = _in_a_room(dry)
    cleaned = dereverb.dereverberate(wet)
    assert cleaned.shape == wet.shape and cleaned.dtype == np.float32
    before = np.sum((wet - dry) ** 2)
    after = np.sum((cleaned - dry) ** 2)
    assert after < 0.6 * before  # measured 0.46


def test_only_reverberant_audio_counts_as_reverberant() -> None:
    dry = _hearing(MINI).samples()
    assert not dereverb.reverberant(dry)
    assert dereverb.reverberant(_in_a_room(dry.astype(np.float64)))
    assert dereverb.reverberant(_hearing(ROOM).samples())
    assert not dereverb.reverberant(_hearing(GYM).samples())  # steady noise is not an echo


def test_the_hearing_takes_the_echo_out_only_where_it_hears_one() -> None:
    room = _hearing(ROOM, "auto")
    assert room.dereverberated is False  # not decided before the audio is loaded
    assert not np.array_equal(room.samples(), _hearing(ROOM).samples())
    assert room.dereverberated
    gym = _hearing(GYM, "auto")
    assert np.array_equal(gym.samples(), _hearing(GYM).samples())
    assert not gym.dereverberated
