"""Choosing the frame of a demonstration a photographer would keep, and where the athlete is.

The method, as a photographer picks from a burst:

1. Decode the interval once at reduced resolution (about 160 px wide, grayscale): cheap, and
   sharpness and motion compare fine at that size.
2. Score every frame:
   - sharpness: variance of the Laplacian of the grayscale frame (a blurred frame has weak edges);
   - motion: mean absolute difference to the previous and next frames (a still moment shows no
     motion blur);
   - peak: how far the frame is from the interval's median frame. The pose that differs most
     from the average pose is an extreme of the movement, such as the top of a rep, where
     the motion changes direction and the body is briefly still.
3. Reject frames within 0.2 s of the demo's edges (the coach is still talking or moving in or
   out of position), frames next to a scene change or transition (a difference to a neighbour
   far above the interval's typical motion), and frames much softer than the sharpest one.
4. Keep the best score, then decode that one frame again at full resolution, upright.

Where the athlete is comes from the same pass: motion energy (the summed frame differences)
shows where something moves; the box holding most of that energy is the subject.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from PIL import Image

from pipeline.core.errors import InputError
from pipeline.core.model import Media
from pipeline.hear.decode import seek, small_frames

EDGE_MARGIN = 0.2  # seconds left out at each end of a demonstration
SPOT_LEVEL = 8.0  # grey levels of blurred difference below which bad and good look alike
MAX_WINDOW = 12.0  # seconds analysed at most; a longer interval is analysed around its middle
_LAPLACIAN = ((0, 1, 0), (1, -4, 1), (0, 1, 0))

Box = tuple[float, float, float, float]  # left, top, right, bottom as fractions of the frame


@dataclass(frozen=True, slots=True)
class FrameChoice:
    """The moment chosen in an interval and the region where the subject moves."""

    time: float
    subject: Box  # fractions of the upright frame
    sharpness: float
    motion: float


@functools.lru_cache(maxsize=256)
def choose_frame(media: Media, start: float, end: float) -> FrameChoice:
    """Pick the sharpest, stillest, most telling moment between `start` and `end` (seconds).

    Worked out once per process and span: a mistake's good demo is chosen from for its fault
    mark and again for its still (and the first one for the cover), each time decoding every
    frame of the demo.

    Raises:
        InputError: no frame in the interval can be decoded.
    """
    start, end = _window(media, start, end)
    times, frames = small_frames(media, start, end)
    if not frames:
        raise InputError(f"{media.path}: no picture between {start:.1f}s and {end:.1f}s")
    stack = np.stack(frames)
    sharp = np.array([laplacian_variance(frame) for frame in stack])
    diffs = np.abs(np.diff(stack, axis=0)).mean(axis=(1, 2)) if len(stack) > 1 else np.zeros(0)
    before = np.concatenate(([diffs[0] if len(diffs) else 0.0], diffs))
    after = np.concatenate((diffs, [diffs[-1] if len(diffs) else 0.0]))
    motion = (before + after) / 2
    away = np.abs(stack - np.median(stack, axis=0))
    peak = away.mean(axis=(1, 2))
    rise = _rise(away)

    allowed = _allowed(np.array(times), start, end, before, after, sharp)
    score = _norm(sharp) - _norm(motion) + 0.5 * _norm(peak) + 0.5 * rise
    score = np.where(allowed, score, -np.inf)
    best = int(np.argmax(score))
    return FrameChoice(
        time=times[best],
        subject=subject_box(stack),
        sharpness=float(sharp[best]),
        motion=float(motion[best]),
    )


def decode_frame(media: Media, time: float) -> Image.Image:
    """The frame shown at `time`, at full resolution, turned upright, as an RGB image.

    Raises:
        InputError: the file has no decodable frame at or after `time`.
    """
    import av

    with av.open(str(media.path)) as container:
        stream = container.streams.video[0]
        seek(container, stream, time)
        chosen = None
        for frame in container.decode(stream):
            if chosen is None or frame.time is None or frame.time <= time + 1e-3:
                chosen = frame
            if frame.time is not None and frame.time >= time - 1e-3:
                break
        if chosen is None:
            raise InputError(f"{media.path}: no picture at {time:.2f}s")
        return upright(chosen.to_image(), media.rotation)


def upright(image: Image.Image, rotation: int) -> Image.Image:
    """Turn a decoded picture the way players do from the display-matrix `rotation`.

    PyAV does not apply the rotation itself; ffmpeg turns the picture `rotation` degrees
    counter-clockwise (as PIL's `rotate` does), checked against ffmpeg's autorotate in tests.
    """
    turns = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180}
    turns[270] = Image.Transpose.ROTATE_270
    method = turns.get(rotation % 360)
    return image.transpose(method) if method is not None else image


def laplacian_variance(gray: np.ndarray) -> float:
    """Sharpness of a grayscale frame: the variance of its Laplacian (higher is sharper)."""
    g = gray.astype(np.float32)
    if g.shape[0] < 3 or g.shape[1] < 3:
        return 0.0
    lap = np.zeros((g.shape[0] - 2, g.shape[1] - 2), dtype=np.float32)
    for dy, row in enumerate(_LAPLACIAN):
        for dx, weight in enumerate(row):
            if weight:
                lap += weight * g[dy : dy + lap.shape[0], dx : dx + lap.shape[1]]
    return float(lap.var())


def subject_box(stack: np.ndarray) -> Box:
    """The box holding most of the motion energy in a stack of frames, as fractions.

    Falls back to the whole frame when nothing moves (a locked-off shot of a still speaker).
    """
    if len(stack) < 2:
        return (0.0, 0.0, 1.0, 1.0)
    energy = np.abs(np.diff(stack, axis=0)).sum(axis=0)
    energy = np.where(energy > energy.mean() + energy.std(), energy, 0.0)  # ignore noise
    if energy.sum() <= 0:
        return (0.0, 0.0, 1.0, 1.0)
    left, right = _mass_span(energy.sum(axis=0))
    top, bottom = _mass_span(energy.sum(axis=1))
    height, width = energy.shape
    return (left / width, top / height, right / width, bottom / height)


def _rise(away: np.ndarray) -> np.ndarray:
    """How high each frame's pose sits among the interval's poses: 1 highest, 0 lowest.

    The difference to the median frame holds the frame's own pose plus the same median
    "ghost" in every frame, so its vertical centre of mass moves up and down with the body.
    """
    rows = away.sum(axis=2)
    mass = rows.sum(axis=1)
    centre = (rows * np.arange(rows.shape[1])).sum(axis=1) / np.where(mass > 0, mass, 1)
    span = float(centre.max() - centre.min())
    return (centre.max() - centre) / span if span > 0 else np.zeros_like(centre)


def _mass_span(profile: np.ndarray, share: float = 0.01) -> tuple[float, float]:
    cumulative = np.cumsum(profile) / profile.sum()
    low = int(np.searchsorted(cumulative, share))
    high = int(np.searchsorted(cumulative, 1 - share)) + 1
    return float(low), float(max(high, low + 1))


def _allowed(
    times: np.ndarray,
    start: float,
    end: float,
    before: np.ndarray,
    after: np.ndarray,
    sharp: np.ndarray,
) -> np.ndarray:
    margin = min(EDGE_MARGIN, (end - start) / 4)
    allowed = (times >= start + margin) & (times <= end - margin)
    typical = float(np.median(np.concatenate((before, after)))) if len(before) else 0.0
    cut = max(30.0, 8 * typical)  # a scene change differs far more than any movement
    allowed &= (before < cut) & (after < cut)
    allowed &= sharp >= 0.6 * sharp.max() if sharp.max() > 0 else True
    if not allowed.any():  # very short or odd interval: sharpness alone decides
        allowed = sharp >= sharp.max()
    return allowed


def _norm(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def _window(media: Media, start: float, end: float) -> tuple[float, float]:
    start, end = max(0.0, start), min(media.duration, end)
    if end - start > MAX_WINDOW:
        middle = (start + end) / 2
        start, end = middle - MAX_WINDOW / 2, middle + MAX_WINDOW / 2
    if end <= start:
        end = min(media.duration, start + 1.0)
    return start, end


Spot = tuple[float, float, float]  # centre x, centre y, radius: fractions of the frame width


def difference_spot(bad: Image.Image, good: Image.Image, subject: Box) -> Spot | None:
    """Where bad and good form differ most inside the subject's box: the centre and size of the
    brightest patch of their (blurred) difference, or None when they hardly differ.

    Both frames come from the same camera, at the same moment of their reps (the frame
    chooser keeps the top of a rep), so what differs is the body's position: the elbows
    driven down, the back arched, the heel lifted.
    """
    width = 160
    height = max(2, round(bad.height * width / bad.width))
    small = [
        np.asarray(image.convert("L").resize((width, height), Image.Resampling.BILINEAR), float)
        for image in (bad, good)
    ]
    difference = np.abs(small[0] - small[1])
    left, top, right, bottom = subject
    mask = np.zeros_like(difference)
    rows = slice(int(top * height), int(np.ceil(bottom * height)))
    mask[rows, int(left * width) : int(np.ceil(right * width))] = 1
    difference *= mask
    blurred = _box_blur(difference, radius=max(2, width // 32))
    if blurred.max() < SPOT_LEVEL:
        return None
    y, x = np.unravel_index(int(np.argmax(blurred)), blurred.shape)
    # The patch: where the blurred difference stays above half its peak, around the peak.
    strong = blurred >= blurred[y, x] / 2
    ys, xs = np.nonzero(strong)
    near = (np.abs(ys - y) < height / 4) & (np.abs(xs - x) < width / 4)
    span = max(xs[near].max() - xs[near].min(), (ys[near].max() - ys[near].min()) * 1.0)
    radius = float(np.clip(span / 2 / width + 0.02, 0.04, 0.15))
    return float(x + 0.5) / width, float(y + 0.5) / height, radius


def _box_blur(values: np.ndarray, radius: int) -> np.ndarray:
    kernel = np.ones(2 * radius + 1) / (2 * radius + 1)
    rows = np.apply_along_axis(lambda r: np.convolve(r, kernel, "same"), 1, values)
    return np.apply_along_axis(lambda c: np.convolve(c, kernel, "same"), 0, rows)
