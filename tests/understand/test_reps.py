"""Reps from how a demo's pictures change: counted exactly, and two demos lined up."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.hear.motion import movement_signal
from pipeline.understand.reps import align, count_reps, period

RATE = 10.0  # frames a second, as the analysis decodes them


def lifting(reps: int, seconds_per_rep: float, lead: float = 0.0, seed: int = 0) -> list:
    """Small grey frames of a bright block that rises and sinks `reps` times, starting
    `lead` seconds into its first rep, with sensor noise."""
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(round(reps * seconds_per_rep * RATE)):
        phase = (i / RATE + lead) / seconds_per_rep
        top = 30 - round(20 * (0.5 - 0.5 * np.cos(2 * np.pi * phase)))  # 30 (down) .. 10 (up)
        frame = rng.normal(40, 3, (48, 64)).astype(np.float32)
        frame[top : top + 12, 24:40] += 150
        frames.append(frame)
    return frames


@pytest.mark.parametrize(("reps", "seconds"), [(2, 2.0), (3, 2.5), (5, 1.6), (8, 1.2), (4, 4.0)])
def test_reps_are_counted_exactly(reps: int, seconds: float) -> None:
    (signal,) = movement_signal(lifting(reps, seconds, seed=reps))
    assert period(signal, RATE) == pytest.approx(seconds, abs=0.15)
    assert count_reps(signal, RATE) == reps


def test_a_still_picture_has_no_reps() -> None:
    rng = np.random.default_rng(3)
    still = [rng.normal(40, 3, (48, 64)).astype(np.float32) for _ in range(60)]
    (signal,) = movement_signal(still)
    assert count_reps(signal, RATE) == 0


def test_two_reps_with_a_known_offset_are_lined_up() -> None:
    # The good demo is 0.8 s further into its rep at the start: skip 0.8 s of the bad one
    # ... or, equivalently, start the good one 1.2 s later (one 2-s rep minus 0.8 s).
    bad, good = movement_signal(lifting(4, 2.0), lifting(4, 2.0, lead=0.8, seed=1))
    alignment = align(bad, good, RATE)
    assert alignment.speed == pytest.approx(1.0, abs=0.02)
    shift = alignment.bad_skip - alignment.good_skip  # > 0: the bad demo starts later
    residual = (shift - 0.8) % 2.0  # a whole rep more or less lines up just as well
    assert min(residual, 2.0 - residual) < 0.1


def test_a_slower_good_rep_is_played_faster_but_never_more_than_15_percent() -> None:
    bad, good = movement_signal(lifting(4, 2.0), lifting(4, 2.2, seed=1))
    assert align(bad, good, RATE).speed == pytest.approx(1.1, abs=0.04)
    bad, good = movement_signal(lifting(4, 1.5), lifting(3, 3.0, seed=1))
    assert align(bad, good, RATE).speed == pytest.approx(1.15)


def test_tops_at_irregular_times_are_not_a_count_anyone_should_publish() -> None:
    rate, rng = RATE, np.random.default_rng(5)
    times = np.arange(0, 12, 1 / rate)
    signal = np.zeros_like(times)
    for top in (1.0, 2.0, 5.5, 6.3, 10.8):  # bumps at no steady tempo
        signal += np.exp(-(((times - top) / 0.25) ** 2))
    signal += rng.normal(0, 0.02, len(times))
    assert count_reps(signal, rate) is None
