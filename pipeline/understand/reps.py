"""Repetitions in a demonstration, from its movement signal (pipeline.hear.motion): counting
them and lining up bad and good form. From the signal:

- reps are the tops of the smoothed signal that stand out from the troughs on both sides (their
  prominence), taken at the middle of a hold at the top;
- the period is the median distance between tops, or with fewer than two tops the lag of the
  autocorrelation's highest peak;
- two demos filmed alike (bad and good form), whose signals share one component, are lined up
  by playing the good one at the bad one's tempo (within MAX_RETIME) and shifting one of them
  by at most half a rep to the highest cross-correlation, so both reach the top together.

Pure: arrays in, numbers out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from pipeline.core.model import Plan

SHORTEST_REP = 0.8  # seconds
LONGEST_REP = 8.0
MIN_PEAK_HEIGHT = 0.5  # a peak stands this many standard deviations above the troughs beside it
MAX_RETIME = 0.15  # the good demo is played at most 15% faster or slower to match the bad one
SMOOTHING = 0.3  # seconds of moving average before peaks are counted
MAX_IRREGULARITY = 0.35  # spread of the gaps between tops, as a share of their mean
PLATEAU = 0.15  # standard deviations below a top that still count as the top (a hold)


@dataclass(frozen=True, slots=True)
class Alignment:
    """How to play the good demo against the bad one so their reps line up.

    The good demo starts `good_skip` seconds later (or the bad one `bad_skip` later) and plays
    at `speed` (0.87 = slower: it takes 1/0.87 as long).
    """

    bad_skip: float = 0.0
    good_skip: float = 0.0
    speed: float = 1.0


def period(signal: np.ndarray, rate: float) -> float | None:
    """Seconds per rep: the median distance between the tops of reps when two or more show,
    else the autocorrelation's highest peak between the shortest and longest rep; None when
    nothing repeats."""
    tops = rep_tops(signal, rate)
    if len(tops) >= 2:
        return float(np.median(np.diff(tops)) / rate)
    return _autocorrelation_period(signal, rate)


def rep_tops(signal: np.ndarray, rate: float) -> list[int]:
    """Sample indices of the tops of the reps: the smoothed signal's maxima that stand out
    from the troughs around them, at least 60% of the shortest rep apart."""
    values = _standard(signal)
    if values is None:
        return []
    width = max(1, round(SMOOTHING * rate))
    smooth = np.convolve(values, np.ones(width) / width, mode="same")
    return _peaks(smooth, max(1, round(0.6 * SHORTEST_REP * rate)))


def _autocorrelation_period(signal: np.ndarray, rate: float) -> float | None:
    values = _standard(signal)
    if values is None:
        return None
    n = len(values)
    correlation = np.correlate(values, values, "full")[n - 1 :] / n
    low, high = int(SHORTEST_REP * rate), min(int(LONGEST_REP * rate), n - 2)
    if high <= low:
        return None
    lags = np.arange(low, high + 1)
    window = correlation[low : high + 1]
    peaks = [i for i in range(1, len(window) - 1) if window[i - 1] < window[i] >= window[i + 1]]
    if not peaks:
        return None
    best = max(peaks, key=lambda i: window[i])
    return float(lags[best] / rate) if window[best] > 0.2 else None


def count_reps(signal: np.ndarray, rate: float) -> int | None:
    """How many reps the demo shows (their tops): 0 when nothing moves up and down, None
    when the tops come at irregular times (a moving camera, someone walking through), since
    a count that may be wrong should not be published."""
    tops = rep_tops(signal, rate)
    if len(tops) >= 3:
        gaps = np.diff(tops)
        if gaps.std() > MAX_IRREGULARITY * gaps.mean():
            return None
    return len(tops)


def align(bad: np.ndarray, good: np.ndarray, rate: float) -> Alignment:
    """How to shift and retime the good demo against the bad one (signals on one component).

    Without a clear period in both, the demos keep starting together at their own speed.
    """
    bad_period, good_period = period(bad, rate), period(good, rate)
    if bad_period is None or good_period is None:
        return Alignment()
    speed = float(np.clip(good_period / bad_period, 1 - MAX_RETIME, 1 + MAX_RETIME))
    # The good signal as it will play: `speed` times as fast, sampled at `rate`.
    played = np.interp(np.arange(0, len(good) / speed) * speed, np.arange(len(good)), good)
    a, b = _standard(bad), _standard(played)
    if a is None or b is None:
        return Alignment(speed=speed)
    longest = round(bad_period * rate / 2)  # half a rep either way reaches every phase
    best_lag, best_score = 0, -np.inf
    for lag in range(-longest, longest + 1):
        x, y = (a[lag:], b) if lag >= 0 else (a, b[-lag:])
        size = min(len(x), len(y))
        if size < 2 * bad_period * rate * 0.5:
            continue
        score = float(np.dot(x[:size], y[:size]) / size)
        if score > best_score:
            best_lag, best_score = lag, score
    if best_lag >= 0:  # the bad demo reaches this phase later: start it later
        return Alignment(bad_skip=best_lag / rate, speed=speed)
    return Alignment(good_skip=-best_lag / rate * speed, speed=speed)


def _standard(signal: np.ndarray) -> np.ndarray | None:
    values = np.asarray(signal, dtype=np.float64)
    if len(values) < 4:
        return None
    spread = values.std()
    return None if spread == 0 else (values - values.mean()) / spread


def _peaks(values: np.ndarray, gap: int) -> list[int]:
    """Indices of maxima at least `gap` apart whose prominence (how far the signal falls on
    each side before rising higher) is at least MIN_PEAK_HEIGHT; a side that runs into the
    edge of the demo counts only if the signal falls there too."""
    n = len(values)
    candidates = [i for i in range(1, n - 1) if values[i - 1] < values[i] >= values[i + 1]]
    if n >= 2 and values[0] > values[1]:
        candidates.insert(0, 0)
    if n >= 2 and values[-1] > values[-2]:
        candidates.append(n - 1)
    kept: list[int] = []
    for i in sorted(candidates, key=lambda i: -values[i]):
        if any(abs(i - k) < gap for k in kept):
            continue
        falls = []
        for step in (-1, 1):
            j, lowest = i, values[i]
            while 0 <= j + step < n and values[j + step] <= values[i]:
                j += step
                lowest = min(lowest, values[j])
            falls.append(values[i] - lowest)
        if max(falls) >= MIN_PEAK_HEIGHT and min(falls) >= MIN_PEAK_HEIGHT / 2:
            kept.append(i)
    return sorted(_top_centre(values, i) for i in kept)


def _top_centre(values: np.ndarray, index: int) -> int:
    """The middle of the flat top around `index` (a hold at the top of a rep), so the tops of
    reps with holds are as far apart as the reps."""
    level = values[index] - PLATEAU
    first = last = index
    while first > 0 and values[first - 1] >= level:
        first -= 1
    while last + 1 < len(values) and values[last + 1] >= level:
        last += 1
    return (first + last) // 2


def with_reps(plan: Plan, signals: Mapping[tuple[str, int], np.ndarray], rate: float) -> Plan:
    """`plan` with each demo's `reps` counted from its movement signal, keyed by (segment id,
    demo index); a demo without a signal keeps what it had, an irregular one gets None."""
    segments = []
    for segment in plan.segments:
        demos = tuple(
            replace(demo, reps=count_reps(signals[segment.id, index], rate))
            if (segment.id, index) in signals
            else demo
            for index, demo in enumerate(segment.demos)
        )
        segments.append(replace(segment, demos=demos))
    return replace(plan, segments=tuple(segments))
