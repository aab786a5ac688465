"""Subject-aware framing: one steady window per segment and format, around the athlete.

The athlete is found by motion: the segment is decoded small and sparse, absolute frame
differences are summed, and the region holding most of that energy is the subject. Each
format gets the tightest steady window of its shape that holds the padded subject inside the
band its header, labels and captions leave clear (zoom capped, so the picture stays sharp).
When no window of that shape can hold the subject, the subject's box is shown whole, fitted
over a blurred, zoomed copy of the picture ("fill"); the athlete is never cut off. Where the
pose model found the body, its landmarks (with room above the head) are added to the moving
box, so a still head or a planted foot stays in the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from pipeline.core.model import Media
from pipeline.hear.decode import small_frames
from pipeline.hear.pose import MIN_VISIBLE, PoseTrack

SAMPLES_PER_SECOND = 10.0
ENERGY_SHARE = 0.90  # the subject region holds this share of the motion energy
NOISE_LEVEL = 6  # grey levels; smaller differences are compression noise, not movement
# Motion misses what barely moves (a head on the bench, a planted foot): pad the moving box by
# this share of its own size on each side, and by at least MIN_PADDING of the frame.
SUBJECT_PADDING = 0.30
MIN_PADDING = 0.05
MAX_ZOOM = 2.5  # a window is at least 1/MAX_ZOOM of the largest one of its shape
MAX_UPSCALE = 2.5  # and never enlarges source pixels more than this in the output
HEAD_ROOM = 0.15  # above the highest landmark, as a share of the body's height


@dataclass(frozen=True, slots=True)
class Region:
    """A box in the upright picture, as fractions of its width and height."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


WHOLE_FRAME = Region(0.0, 0.0, 1.0, 1.0)


@dataclass(frozen=True, slots=True)
class Framing:
    """How one format shows the source: a crop (x, y, w, h) of the upright source, in pixels.

    Without `fill` the crop fills the output exactly. With `fill` the crop is the subject's
    box; the renderer widens it to the space it has (`widen`) and fits it over a blurred copy.
    """

    x: int
    y: int
    w: int
    h: int
    fill: bool = False


def motion_region(media: Media, start: float, end: float) -> Region:
    """Find where things move between `start` and `end` (seconds of the source).

    Returns the box holding ~90% of the motion energy in the upright picture, or the whole
    frame when nothing moves.

    Raises:
        InputError: the video cannot be decoded.
    """
    _, frames = small_frames(
        media, start, end, every=1.0 / SAMPLES_PER_SECOND, references_only=True
    )
    return region_of_frames(frames)


def body_region(tracks: Sequence[PoseTrack]) -> Region | None:
    """The box every seen landmark of these pose tracks stays in, with HEAD_ROOM above the
    head (the top landmark is the eyes or the crown, and a frame that ends there cuts the
    head); None without a landmark."""
    seen = [
        track.points[frame][track.points[frame][:, 2] >= MIN_VISIBLE, :2]
        for track in tracks
        for frame in range(len(track.times))
        if not np.isnan(track.points[frame, 0, 0])
    ]
    points = np.concatenate(seen) if seen else np.zeros((0, 2))
    if not len(points):
        return None
    left, top = np.clip(points.min(axis=0), 0.0, 1.0)
    right, bottom = np.clip(points.max(axis=0), 0.0, 1.0)
    top = max(0.0, top - HEAD_ROOM * (bottom - top))
    return Region(float(left), float(top), float(right), float(bottom))


def union(first: Region, second: Region | None) -> Region:
    """The box holding both regions (`first` alone when `second` is None)."""
    if second is None or first == WHOLE_FRAME:
        return first
    return Region(
        min(first.left, second.left), min(first.top, second.top),
        max(first.right, second.right), max(first.bottom, second.bottom),
    )  # fmt: skip


def region_of_frames(frames: list[np.ndarray]) -> Region:
    """Where things move in these small frames (see `motion_region`)."""
    if len(frames) < 2:
        return WHOLE_FRAME
    stack = np.stack(frames)
    difference = np.abs(np.diff(stack, axis=0))
    difference[difference < NOISE_LEVEL] = 0
    return energy_region(difference.sum(axis=0))


def energy_region(energy: np.ndarray, share: float = ENERGY_SHARE) -> Region:
    """The box holding `share` of the energy: (1 - share) / 2 is trimmed off each side."""
    total = float(energy.sum())
    if total <= 0:
        return WHOLE_FRAME
    rows, cols = energy.shape
    tail = (1.0 - share) / 2
    left, right = _span(energy.sum(axis=0), total, tail)
    top, bottom = _span(energy.sum(axis=1), total, tail)
    return Region(left / cols, top / rows, right / cols, bottom / rows)


def subject_box(region: Region, source: tuple[int, int]) -> tuple[float, float, float, float]:
    """The padded subject in source pixels: (left, top, right, bottom), inside the frame."""
    width, height = source
    if region == WHOLE_FRAME:
        return 0.0, 0.0, float(width), float(height)
    pad_x = max(SUBJECT_PADDING * region.width, MIN_PADDING) * width
    pad_y = max(SUBJECT_PADDING * region.height, MIN_PADDING) * height
    return (
        max(0.0, region.left * width - pad_x),
        max(0.0, region.top * height - pad_y),
        min(float(width), region.right * width + pad_x),
        min(float(height), region.bottom * height + pad_y),
    )


def choose_framing(
    source: tuple[int, int],
    region: Region,
    output: tuple[int, int],
    clear: tuple[float, float] = (0.0, 0.0),
) -> Framing:
    """Pick one steady window of the output's shape around the subject `region`.

    Args:
        source: the upright source size in pixels.
        region: where the athlete moves (fractions of the source).
        output: the output size; the window has its shape.
        clear: shares of the output height covered at the top (header, labels) and bottom
            (captions); the subject is kept in the band between when the source allows.

    Returns:
        A crop, or with `fill` the subject's box when no window of that shape can hold it
        (always for a portrait source into a landscape format).
    """
    src_w, src_h = source
    out_w, out_h = output
    target = out_w / out_h
    left, top, right, bottom = subject_box(region, source)
    largest_w = min(float(src_w), src_h * target)
    smallest_w = min(largest_w, max(largest_w / MAX_ZOOM, out_w / MAX_UPSCALE))
    portrait_into_landscape = src_h > src_w and out_w > out_h
    for top_share, bottom_share in (clear, (0.0, 0.0)):
        band = max(0.3, 1.0 - top_share - bottom_share)
        w = max(right - left, (bottom - top) / band * target, smallest_w)
        if portrait_into_landscape or w > largest_w + 0.5:
            continue
        h = w / target
        x = (left + right) / 2 - w / 2
        y = (top + bottom) / 2 - h * (top_share + band / 2)
        w, h = min(_even_floor(w), _even_floor(src_w)), min(_even_floor(h), _even_floor(src_h))
        return Framing(_slide(x, w, src_w), _slide(y, h, src_h), w, h)
    return Framing(
        _even_floor(left), _even_floor(top), _even_ceil(right - left), _even_ceil(bottom - top),
        fill=True,
    )  # fmt: skip


def widen(framing: Framing, band: tuple[int, int], source: tuple[int, int]) -> Framing:
    """Grow a fill crop towards the shape of `band` (the output pixels it will fill).

    The subject box is usually the wrong shape for the space left between header and
    captions; showing more of the scene around it fills that space instead of the blur.
    It also grows until its pixels are enlarged at most `MAX_UPSCALE` times.
    """
    src_w, src_h = source
    aspect = band[0] / band[1]
    w, h = float(framing.w), float(framing.h)
    if w / h > aspect:
        h = w / aspect
    else:
        w = h * aspect
    grow = max(1.0, band[0] / MAX_UPSCALE / w)
    w, h = min(float(src_w), w * grow), min(float(src_h), h * grow)
    x = framing.x + framing.w / 2 - w / 2
    y = framing.y + framing.h / 2 - h / 2
    w, h = min(_even_ceil(w), _even_floor(src_w)), min(_even_ceil(h), _even_floor(src_h))
    return replace(framing, x=_slide(x, w, src_w), y=_slide(y, h, src_h), w=w, h=h)


def _span(profile: np.ndarray, total: float, tail: float) -> tuple[int, int]:
    cumulative = np.cumsum(profile)
    low = int(np.searchsorted(cumulative, total * tail, side="left"))
    high = int(np.searchsorted(cumulative, total * (1.0 - tail), side="left")) + 1
    return low, min(high, len(profile))


def _slide(position: float, size: int, limit: int) -> int:
    return _even_floor(min(max(0.0, position), float(limit - size)))


def _even_floor(value: float) -> int:
    return int(value) // 2 * 2


def _even_ceil(value: float) -> int:
    return -(-int(np.ceil(value)) // 2) * 2
