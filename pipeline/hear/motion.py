"""How a demonstration moves, as one number per moment: the movement signal that rep counting
and the lining up of bad and good form read (pipeline.understand.reps).

A rep is the same movement again, so the small grey frames of a demo trace a loop. The
direction in which the frames change most (their first principal component) turns that loop
into one number per frame that rises and falls once per rep.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from pipeline.core.model import Media
from pipeline.hear.decode import small_frames

RATE = 10.0  # samples a second of every movement signal
MIN_MOVEMENT = 3.0  # the movement's component is this many times the median one's strength
SPANS_KEPT = 16  # decoded spans kept for the next reader (decode_span)


def movements(media: Media, spans: Sequence[tuple[float, float]]) -> list[np.ndarray]:
    """The movement signal of each span (start, end seconds) of `media`, at RATE a second, on
    one shared component, so the signals of bad and good form rise and fall the same way.

    Raises:
        InputError: the video cannot be decoded.
    """
    return signals_of([decode_span(media, start, end) for start, end in spans])


@functools.lru_cache(maxsize=256)
def movement(media: Media, start: float, end: float) -> np.ndarray:
    """The movement signal of one span on its own component (`movements` of that span alone),
    worked out once per process: a demo's reps are counted from it, and its rep counter and
    slow-motion replay placed by it. Read-only, as it is shared.

    Raises:
        InputError: the video cannot be decoded.
    """
    (signal,) = movements(media, [(start, end)])
    signal.setflags(write=False)
    return signal


def decode_span(media: Media, start: float, end: float) -> tuple[list[float], list[np.ndarray]]:
    """The small frames movement is read from (also what framing reads motion energy from).

    The last SPANS_KEPT spans are decoded once per process: the reps stage reads each demo,
    and a mistake's compare clip both of its demos again (lining up their reps, framing them).
    """
    times, frames = _grey_span(media, start, end)
    return list(times), [frame.astype(np.float32) for frame in frames]


@functools.lru_cache(maxsize=SPANS_KEPT)
def _grey_span(
    media: Media, start: float, end: float
) -> tuple[tuple[float, ...], tuple[np.ndarray, ...]]:
    # Kept as the decoder's 8-bit grey (exact: the float frames hold whole numbers), a
    # quarter of the memory: 14 KB a frame, under 1 MB for a 6-s demo.
    times, frames = small_frames(media, start, end, every=1.0 / RATE, references_only=True)
    kept = tuple(frame.astype(np.uint8) for frame in frames)
    for frame in kept:
        frame.setflags(write=False)
    return tuple(times), kept


def signals_of(decoded: Sequence[tuple[list[float], list[np.ndarray]]]) -> list[np.ndarray]:
    """Movement signals at RATE a second of decoded spans (times, frames), on one component;
    empty arrays when a span has fewer than two frames."""
    if any(len(frames) < 2 for _, frames in decoded):
        return [np.zeros(0) for _ in decoded]
    signals = movement_signal(*(frames for _, frames in decoded))
    return [resampled(times, signal, RATE) for (times, _), signal in zip(decoded, signals)]


def movement_signal(*demos: Sequence[np.ndarray]) -> list[np.ndarray]:
    """One movement signal per demo (frames of the same size), on one shared component, so the
    signals of two demos of the same exercise rise and fall the same way."""
    stacks = [np.stack([np.asarray(f, dtype=np.float32).ravel() for f in d]) for d in demos]
    # Each demo about its own mean picture: what differs between bad and good form at rest
    # (elbows down, back arched) is not movement.
    centred = np.concatenate([stack - stack.mean(axis=0) for stack in stacks])
    if len(centred) < 3 or not np.any(centred):
        return [np.zeros(len(s)) for s in stacks]
    # The first right singular vector: the pixel pattern the frames move along most. When it
    # is hardly stronger than the typical one, the frames only differ by noise: nothing moves.
    _, strengths, vt = np.linalg.svd(centred, full_matrices=False)
    if strengths[0] < MIN_MOVEMENT * np.median(strengths):
        return [np.zeros(len(s)) for s in stacks]
    scores = centred @ vt[0]
    out, first = [], 0
    for stack in stacks:
        out.append(scores[first : first + len(stack)].astype(np.float64))
        first += len(stack)
    return out


def resampled(times: Sequence[float], signal: np.ndarray, rate: float) -> np.ndarray:
    """`signal`, sampled at `times` (seconds; decoders skip frames unevenly), at `rate` a
    second from the first time."""
    if len(times) < 2:
        return np.asarray(signal, dtype=np.float64)
    grid = np.arange(times[0], times[-1] + 1e-9, 1.0 / rate)
    return np.interp(grid, times, signal)
