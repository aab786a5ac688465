"""Find out what a source file is: duration, upright size, frame rate, audio.

Probing also reads the whole file once, without decoding the picture, so that a truncated
copy or damaged audio is reported before anything is transcribed or rendered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.core.errors import InputError
from pipeline.core.model import Media


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
        raise InputError(
            f"{path}: not a video file ffmpeg can read, or an incomplete one ({_reason(exc)}); "
            "check the file plays, or copy or export it again"
        ) from exc
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
        _check_complete(container, path, duration)
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


# A few damaged audio packets only blur a word; more than this share garbles the transcript.
DAMAGED_AUDIO_SHARE = 0.01


def _check_complete(container: Any, path: Path, duration: float) -> None:
    """Read every packet: the data must reach the stated duration and the audio must decode.

    Only audio is decoded (cheap); damaged pictures are found where segments are decoded.

    Raises:
        InputError: the file is truncated or its audio is damaged.
    """
    import av

    container.seek(0)
    start = (container.start_time or 0) / 1_000_000
    end, audio_packets, damaged = start, 0, 0
    try:
        for packet in container.demux():
            if packet.pts is None or packet.time_base is None:
                continue
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
            if packet.stream.type == "audio":
                audio_packets += 1
                try:
                    packet.decode()
                except av.error.FFmpegError:
                    damaged += 1
    except av.error.FFmpegError as exc:
        raise InputError(
            f"{path}: the file is damaged after {end - start:.1f} s ({_reason(exc)}); "
            "copy or export it again"
        ) from exc
    if end - start < duration - max(1.0, duration * 0.05):
        raise InputError(
            f"{path}: the file stops at {end - start:.1f} s of {duration:.1f} s; it is truncated "
            "(an interrupted copy or download?): copy or export it again"
        )
    if damaged > max(2, audio_packets * DAMAGED_AUDIO_SHARE):
        raise InputError(
            f"{path}: the audio is damaged ({damaged} of {audio_packets} packets cannot be "
            "decoded); the file looks corrupt: copy or export it again"
        )


def _duration(container: object, stream: object) -> float:
    if getattr(container, "duration", None):
        return float(container.duration) / 1_000_000  # type: ignore[attr-defined]
    if getattr(stream, "duration", None) and getattr(stream, "time_base", None):
        return float(stream.duration * stream.time_base)  # type: ignore[attr-defined]
    return 0.0


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)
