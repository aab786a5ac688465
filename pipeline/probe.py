"""Find out what a source file is: duration, upright size, frame rate, audio."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError
from pipeline.model import Media


def probe(path: Path) -> Media:
    """Read a video file's properties with PyAV.

    Raises:
        InputError: the file is missing, empty, not a video, or has no readable picture.
    """
    import av

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a video file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty; export the video again")
    try:
        container = av.open(str(path))
    except av.error.FFmpegError as exc:
        raise InputError(f"{path}: not a video file ffmpeg can read ({_reason(exc)})") from exc
    with container:
        if not container.streams.video:
            raise InputError(f"{path}: has no video track (audio-only?); make-clips needs video")
        stream = container.streams.video[0]
        rotation = 0
        try:
            first = next(container.decode(stream), None)
        except av.error.FFmpegError as exc:
            raise InputError(
                f"{path}: the video cannot be decoded; is it corrupt? ({_reason(exc)})"
            ) from exc
        if first is None:
            raise InputError(f"{path}: the video track holds no frames; is it truncated?")
        rotation = int(getattr(first, "rotation", 0) or 0) % 360
        width, height = first.width, first.height
        if rotation in (90, 270):
            width, height = height, width
        duration = _duration(container, stream)
        if duration <= 0:
            raise InputError(f"{path}: cannot tell how long the video is; is it truncated?")
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        return Media(
            path=path,
            duration=duration,
            width=width,
            height=height,
            fps=float(rate) if rate else 30.0,
            rotation=rotation,
            has_audio=bool(container.streams.audio),
            video_codec=stream.codec_context.name,
            pixel_format=str(stream.codec_context.pix_fmt or first.format.name),
        )


def _duration(container: object, stream: object) -> float:
    if getattr(container, "duration", None):
        return float(container.duration) / 1_000_000  # type: ignore[attr-defined]
    if getattr(stream, "duration", None) and getattr(stream, "time_base", None):
        return float(stream.duration * stream.time_base)  # type: ignore[attr-defined]
    return 0.0


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)
