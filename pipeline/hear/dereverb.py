"""Take the room's echo out of speech: Weighted Prediction Error (WPE) on one channel.

In each frequency band of a short-time spectrum, the late echo at a frame is predicted from the
frames a few steps before it (`DELAY` frames back, `TAPS` of them) and subtracted; the
prediction is fitted by least squares weighted by the inverse power of the dry speech, which is
re-estimated from the result `ITERATIONS` times (Nakatani et al., "Speech dereverberation based
on variance-normalized delayed linear prediction", IEEE TASLP 2010; the same algorithm as
nara-wpe's `wpe`). The direct sound and the first reflections (within `DELAY` frames) stay, so
the speech itself is not whitened.

The correlations are summed lag by lag over the whole take, so memory stays a few copies of the
spectrum whatever the taps.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# Settings for 16 kHz speech, measured on the reverb takes (scripts/eval_transcript.py): 128-ms
# frames every 32 ms, the echo predicted from 8 frames (32-288 ms back), 3 rounds of
# re-weighting. nara-wpe's 32-ms frames with 10 taps 24 ms back left most of sox's longer tail
# (reverb takes 11.0% -> 10.6% word error); 64-ms frames with 15 taps 9.6%; these 8.7%.
FRAME = 2048
HOP = 512
TAPS = 8
DELAY = 1
ITERATIONS = 3
_FLOOR = 1e-10  # power below which a bin is weighted as if it were that loud

# A take is reverberant when its loudness seldom falls freely: per minute, the falls from
# within 10 dB of its loud level by more than FALL_DB in one run of 10-ms frames that never
# rise by more than 0.5 dB. Dry speech, with noise or a music bed under it or not, falls that
# way at most pauses; an echo's tail breaks the fall. On the 42 evaluation takes and 96 unseen
# ones (seeds 4-9): 0-10.5 a minute on the 28 reverberant takes, 61-161 on the 110 others
# (tests/eval_takes/RESULTS-transcript.md).
FALL_DB = 20.0
FALLS_PER_MINUTE = 30.0


def settings() -> dict[str, float]:
    """What changes the result: part of the transcript cache key when dereverberation is on."""
    return {
        "frame": FRAME, "hop": HOP, "taps": TAPS, "delay": DELAY, "iterations": ITERATIONS,
        "fall_db": FALL_DB, "falls_per_minute": FALLS_PER_MINUTE,
    }  # fmt: skip


# Long audio is dereverberated in pieces of this many seconds, overlapping by OVERLAP seconds
# and cross-faded there, so memory stays that of one piece (a 120-s piece's spectrum is 61 MB);
# the room does not change within a take, and two minutes is ample to fit its echo.
PIECE_SECONDS = 120
OVERLAP = 1.0
_BANDS = 128  # bands fitted at once, a block per core: each band's prediction is its own


def dereverberate(samples: np.ndarray, rate: int = 16000) -> np.ndarray:
    """`samples` (mono float32) with the late echo predicted from earlier frames removed."""
    piece, overlap = PIECE_SECONDS * rate, int(OVERLAP * rate)
    if len(samples) <= piece:
        return _dereverberated(samples)
    out = np.zeros(len(samples), dtype=np.float32)
    fade = np.linspace(0.0, 1.0, overlap, dtype=np.float32)
    first = 0
    while first < len(samples):
        stop = min(len(samples), first + piece)
        cleaned = _dereverberated(samples[first:stop])
        if first:
            cleaned[:overlap] *= fade
            out[first : first + overlap] *= 1.0 - fade
        out[first:stop] += cleaned
        if stop == len(samples):
            break
        first = stop - overlap
    return out


def _dereverberated(samples: np.ndarray) -> np.ndarray:
    if len(samples) < FRAME * 4:
        return samples.astype(np.float32)
    spectrum = _stft(samples)
    blocks = range(0, spectrum.shape[0], _BANDS)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # numpy lets go of the GIL
        fitted = list(pool.map(lambda low: _wpe(spectrum[low : low + _BANDS]), blocks))
    return _istft(np.concatenate(fitted), len(samples)).astype(np.float32)


def _wpe(spectrum: np.ndarray) -> np.ndarray:
    """The spectrum (bands x frames) with each band's delayed linear prediction subtracted."""
    bands, frames = spectrum.shape
    if frames <= DELAY + TAPS:
        return spectrum
    # past[k] is the spectrum delayed by DELAY + k frames (zeros before the start).
    lags = [DELAY + k for k in range(TAPS)]
    dry = spectrum
    for _ in range(ITERATIONS):
        weight = 1.0 / np.maximum(np.abs(dry) ** 2, _FLOOR)
        corr = np.empty((bands, TAPS, TAPS), dtype=np.complex128)
        cross = np.empty((bands, TAPS), dtype=np.complex128)
        for i, a in enumerate(lags):
            # sum over frames t of x[t-a] * conj(x[t-b]) * w[t], for b >= a (Hermitian)
            xa = spectrum[:, : frames - a] * weight[:, a:]
            cross[:, i] = np.einsum("ft,ft->f", xa, spectrum[:, a:].conj())
            for j in range(i, TAPS):
                b = lags[j]
                value = np.einsum("ft,ft->f", xa[:, b - a :], spectrum[:, : frames - b].conj())
                corr[:, i, j] = value
                corr[:, j, i] = value.conj()
        load = 1e-6 * np.trace(corr, axis1=1, axis2=2).real[:, None, None] + 1e-10
        filters = np.linalg.solve(corr + load * np.eye(TAPS), cross[..., None])[..., 0]
        echo = np.zeros_like(spectrum)
        for i, a in enumerate(lags):
            echo[:, a:] += filters[:, i, None].conj() * spectrum[:, : frames - a]
        dry = spectrum - echo
    return dry


def _stft(samples: np.ndarray) -> np.ndarray:
    window = np.hanning(FRAME + 1)[:-1]
    padded = np.pad(samples.astype(np.float64), (FRAME, FRAME))
    count = 1 + (len(padded) - FRAME) // HOP
    index = np.arange(FRAME)[None, :] + HOP * np.arange(count)[:, None]
    return np.fft.rfft(padded[index] * window, axis=1).T.astype(np.complex128)


def _istft(spectrum: np.ndarray, length: int) -> np.ndarray:
    window = np.hanning(FRAME + 1)[:-1]
    frames = np.fft.irfft(spectrum.T, n=FRAME, axis=1) * window
    count = frames.shape[0]
    out = np.zeros(HOP * (count - 1) + FRAME)
    norm = np.zeros_like(out)
    for i in range(count):  # overlap-add
        out[i * HOP : i * HOP + FRAME] += frames[i]
        norm[i * HOP : i * HOP + FRAME] += window**2
    out /= np.maximum(norm, 1e-8)
    return out[FRAME : FRAME + length]


def reverberant(samples: np.ndarray, rate: int = 16000) -> bool:
    """Whether `samples` sound like a room's echo: their loudness seldom falls freely."""
    seconds = len(samples) / rate
    return seconds >= 5 and free_falls(samples, rate) / seconds * 60 < FALLS_PER_MINUTE


def free_falls(samples: np.ndarray, rate: int = 16000) -> int:
    """How many times the loudness falls by FALL_DB from near its loud level without rising."""
    hop = rate // 100
    count = len(samples) // hop
    if count < 2:
        return 0
    frames = samples[: count * hop].astype(np.float64).reshape(count, hop)
    level = 10 * np.log10((frames**2).mean(axis=1) + 1e-10)
    loud = np.percentile(level, 95) - 10
    falls, i = 0, 0
    while i < count - 1:
        if level[i] > loud and level[i + 1] < level[i]:
            j = i
            while j + 1 < count and level[j + 1] <= level[j] + 0.5:
                j += 1
            falls += level[i] - level[j] > FALL_DB
            i = j + 1
        else:
            i += 1
    return falls
