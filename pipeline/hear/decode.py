"""Small, upright pictures of a stretch of video, for analysis: grey for framing, stills and
movement, colour for pose."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import numpy as np
from PIL import Image

from pipeline.core.errors import InputError
from pipeline.core.model import Media

ANALYSIS_WIDTH = 160  # pixels: enough to find an athlete or judge sharpness, cheap to decode


def small_frames(
    media: Media, start: float, end: float, every: float = 0.0, references_only: bool = False
) -> tuple[list[float], list[np.ndarray]]:
    """Decode `start`..`end` (seconds) as grey float32 arrays `ANALYSIS_WIDTH` wide.

    Pictures are turned upright the way players turn them (PyAV leaves the display-matrix
    rotation to the caller; ffmpeg turns the picture `media.rotation` degrees anticlockwise).
    With `every` > 0, at most one frame per `every` seconds is kept. `references_only` skips
    decoding the frames no other frame refers to (most B-frames): about a third of the work,
    for analyses that only need a few frames a second.

    Raises:
        InputError: the video cannot be opened or decoded.
    """
    turns = (media.rotation % 360) // 90
    times, frames = [], []
    for time, small in _decoded(media, start, end, every, references_only, ANALYSIS_WIDTH, "gray"):
        frames.append(np.rot90(small.to_ndarray().astype(np.float32), k=turns))
        times.append(time)
    return times, frames


def pictures(
    media: Media, start: float, end: float, every: float, width: int
) -> tuple[list[float], list[Image.Image]]:
    """Decode `start`..`end` as upright RGB pictures `width` pixels wide, at most one per
    `every` seconds (for pose: colour, and more detail than the grey analysis frames).

    Raises:
        InputError: the video cannot be opened or decoded.
    """
    turns = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180}
    turn = {**turns, 270: Image.Transpose.ROTATE_270}.get(media.rotation % 360)
    times, images = [], []
    for time, frame in _decoded(media, start, end, every, True, width, "rgb24"):
        image = frame.to_image()
        images.append(image.transpose(turn) if turn is not None else image)
        times.append(time)
    return times, images


def _decoded(
    media: Media, start: float, end: float, every: float, references_only: bool, width: int,
    pixels: str,
) -> Iterator[tuple[float, Any]]:  # fmt: skip
    """(time, frame) of `start`..`end`, scaled to `width` in the `pixels` format, at most one
    per `every` seconds (every frame when 0)."""
    import av

    next_time = start
    try:
        with av.open(str(media.path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            if references_only:
                stream.codec_context.skip_frame = "NONREF"
            scale = width / max(1, stream.codec_context.width)
            height = max(2, round(stream.codec_context.height * scale / 2) * 2)
            seek(container, stream, start)
            for frame in container.decode(stream):
                if frame.time is None or frame.time < next_time:
                    continue
                if frame.time > end:
                    break
                next_time = frame.time + every if every > 0 else start
                yield float(frame.time), frame.reformat(width=width, height=height, format=pixels)
    except av.error.FFmpegError as exc:
        raise InputError(f"{media.path}: the video cannot be decoded ({exc})") from exc


def seek(container: object, stream: object, time: float) -> None:
    """Seek `container` to the keyframe at or before `time` seconds of `stream`."""
    base = getattr(stream, "time_base", None) or Fraction(1, 1_000_000)
    offset = int(max(0.0, time) / base)
    container.seek(offset, stream=stream, backward=True)  # type: ignore[attr-defined]
