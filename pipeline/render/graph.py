"""Pieces of ffmpeg filter graphs and output options shared by clips and compare clips.

Only numbers and file names made by make-clips go into a graph (never user text, which lives
in ASS files and PNGs), and files are referred to relative to the work folder ffmpeg runs
in, so no path ever needs filter-graph escaping.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pipeline.core.device import resolve_device
from pipeline.core.model import Media
from pipeline.core.settings import Settings
from pipeline.render.framing import Framing
from pipeline.render.labels import Overlay

BLUR_SHRINK = 8  # the fill background is blurred at 1/8 size: cheap and very soft
BAND_MARGIN = 2  # small rows scaled beyond a band of the background, for the filter's taps


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in output pixels."""

    x: int
    y: int
    w: int
    h: int

    @property
    def bottom(self) -> int:
        return self.y + self.h


def output_fps(media: Media) -> int:
    """60 for ~60 fps sources (50 and up), else 30: a constant rate every platform accepts."""
    return 60 if media.fps >= 49 else 30


def fitted_size(framing: Framing, size: tuple[int, int]) -> tuple[int, int]:
    """The size of the crop scaled to fit inside `size` (even numbers)."""
    width, height = size
    scale = min(width / framing.w, height / framing.h)
    return max(2, round(framing.w * scale / 2) * 2), max(2, round(framing.h * scale / 2) * 2)


def frame_filter(
    source: str, target: str, framing: Framing, size: tuple[int, int], place: Box
) -> str:
    """Crop `source` and scale it to `size`; with fill, fit it at `place` over a blurred copy."""
    width, height = size
    crop = f"crop={framing.w}:{framing.h}:{framing.x}:{framing.y}"
    if not framing.fill:
        return f"[{source}]{crop},scale={width}:{height}:flags=bicubic,setsar=1[{target}]"
    small_w, small_h = _even(width / BLUR_SHRINK), _even(height / BLUR_SHRINK)
    chains = [
        f"[{source}]{crop},split=2[{target}_bgin][{target}_fgin]",
        f"[{target}_bgin]scale={small_w}:{small_h}:force_original_aspect_ratio=increase,"
        f"crop={small_w}:{small_h},boxblur=6:2,eq=brightness=-0.10:saturation=0.85[{target}_sm]",
        f"[{target}_fgin]scale={place.w}:{place.h}:flags=bicubic,setsar=1[{target}_fg]",
    ]
    if place.x == 0 and place.w == width and height == small_h * BLUR_SHRINK and place.y % 2 == 0:
        return ";".join([*chains, _bands(f"{target}_sm", f"{target}_fg", target, size, place)])
    chains.append(f"[{target}_sm]scale={width}:{height}:flags=bilinear,setsar=1[{target}_bg]")
    return ";".join([*chains, around(f"{target}_bg", f"{target}_fg", target, size, place)])


def _bands(small: str, picture: str, target: str, size: tuple[int, int], place: Box) -> str:
    """The blurred `small` background scaled up only where it shows, above and below a
    `picture` as wide as the output, and stacked with it.

    Each band is scaled from the rows of the small picture it needs, with BAND_MARGIN rows
    more on either side: at the same ratio (BLUR_SHRINK) a bilinear row depends only on its
    two nearest rows, so the band's pixels are the whole scaled picture's (9:16 sample: the
    background shows on 934 of 1920 rows).
    """
    width, height = size
    rows = height // BLUR_SHRINK
    bands = {}  # name: (first small row, small rows, crop y of the scaled band, height)
    if place.y > 0:
        last = min(rows, _even_up(-(-place.y // BLUR_SHRINK) + BAND_MARGIN))
        bands["top"] = (0, last, 0, place.y)
    if place.bottom < height:
        first = max(0, (place.bottom // BLUR_SHRINK - BAND_MARGIN) // 2 * 2)
        bands["bottom"] = (first, rows - first, place.bottom - first * BLUR_SHRINK,
                           height - place.bottom)  # fmt: skip
    if not bands:
        return f"[{small}]nullsink;[{picture}]null[{target}]"
    names = [f"{target}_{name}" for name in bands]
    chains = [f"[{small}]split={len(bands)}" + "".join(f"[{n}]" for n in names)]
    for name, (first, count, y, band) in zip(names, bands.values()):
        chains.append(
            f"[{name}]crop=iw:{count}:0:{first},"
            f"scale={width}:{count * BLUR_SHRINK}:flags=bilinear,setsar=1,"
            f"crop={width}:{band}:0:{y}[{name}c]"
        )
    column = [f"[{target}_topc]"] if "top" in bands else []
    column += [f"[{picture}]"] + ([f"[{target}_bottomc]"] if "bottom" in bands else [])
    chains.append("".join(column) + f"vstack={len(column)}[{target}]")
    return ";".join(chains)


def around(background: str, picture: str, target: str, size: tuple[int, int], place: Box) -> str:
    """`picture` at `place` over `background` (yuv420p, `size` and `place`'s size).

    The background's pieces are stacked around the picture: the same frames as overlaying
    it, for less work (overlay converts an opaque picture to yuva420p and blends every pixel
    at full opacity). An odd place, which crop cannot cut in yuv420p, is overlaid.
    """
    width, height = size
    if any(value % 2 for value in (place.x, place.y, place.w, place.h)):
        return f"[{background}][{picture}]overlay={place.x}:{place.y}[{target}]"
    right = width - place.x - place.w
    pieces = {  # the background around the picture: crop width, height, x, y
        "top": (width, place.y, 0, 0),
        "left": (place.x, place.h, 0, place.y),
        "right": (right, place.h, place.x + place.w, place.y),
        "bottom": (width, height - place.bottom, 0, place.bottom),
    }
    pieces = {name: crop for name, crop in pieces.items() if crop[0] > 0 and crop[1] > 0}
    if not pieces:
        return f"[{background}]nullsink;[{picture}]null[{target}]"
    names = [f"{target}_{name}" for name in pieces]
    chains = [f"[{background}]split={len(pieces)}" + "".join(f"[{n}]" for n in names)]
    chains += [
        f"[{n}]crop={w}:{h}:{x}:{y}[{n}c]" for n, (w, h, x, y) in zip(names, pieces.values())
    ]
    row = [f"[{target}_{name}c]" for name in ("left",) if name in pieces]
    row += [f"[{picture}]"] + [f"[{target}_{name}c]" for name in ("right",) if name in pieces]
    column = [f"[{target}_{name}c]" for name in ("top",) if name in pieces]
    column.append(f"[{target}_row]" if len(row) > 1 else row[0])
    column += [f"[{target}_{name}c]" for name in ("bottom",) if name in pieces]
    if len(row) > 1:
        chains.append(
            "".join(row)
            + f"hstack={len(row)}"
            + (f"[{target}_row]" if len(column) > 1 else f"[{target}]")
        )
    if len(column) > 1:
        chains.append("".join(column) + f"vstack={len(column)}[{target}]")
    return ";".join(chains)


def overlay_chain(source: str, target: str, overlays: list[Overlay], first_input: int) -> str:
    """Lay each overlay (input `first_input` + i) over `source`, only during its time."""
    if not overlays:
        return f"[{source}]null[{target}]"
    steps = []
    current = source
    for index, overlay in enumerate(overlays):
        following = target if index == len(overlays) - 1 else f"{target}_o{index}"
        steps.append(
            f"[{current}][{first_input + index}:v]overlay={overlay.x}:{overlay.y}"
            f":enable='between(t,{overlay.start:.3f},{overlay.end:.3f})'[{following}]"
        )
        current = following
    return ";".join(steps)


def image_inputs(overlays: list[Overlay]) -> list[str]:
    """ffmpeg input options for the overlays' PNGs (one still frame each, repeated by overlay)."""
    args: list[str] = []
    for overlay in overlays:
        args += ["-i", str(overlay.image)]
    return args


def video_args(settings: Settings, fps: int, threads: int | None = None) -> list[str]:
    """H.264 High, yuv420p, constant frame rate, a keyframe every 2 s.

    8x8 transforms are switched on so even `--preset ultrafast` stays High profile.
    `threads` limits x264's threads (None: x264 chooses, 1.5 per core). On a GPU
    (`settings.device`) NVENC encodes instead, at constant quality `settings.crf`.
    """
    if resolve_device(settings.device) == "cuda":
        return [
            "-c:v", "h264_nvenc", "-preset", "p5", "-tune", "hq", "-rc", "vbr",
            "-cq", str(settings.crf), "-b:v", "0", "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-r", str(fps), "-g", str(fps * 2),
        ]  # fmt: skip
    return [
        "-c:v", "libx264", "-preset", settings.preset, "-crf", str(settings.crf),
        "-profile:v", "high", "-x264-params", "8x8dct=1", "-pix_fmt", "yuv420p",
        "-r", str(fps), "-g", str(fps * 2),
        *(["-threads", str(threads)] if threads else []),
    ]  # fmt: skip


def encoder_threads(encoders: int) -> int | None:
    """x264 threads for each of `encoders` run at once by one ffmpeg.

    With at least one encoder per core, one thread each: the encoders already keep every
    core busy, and x264's frame threads only add work (measured on 2 cores, 3 formats of a
    15 s segment: 17.4 s CPU against 18.4 s with x264's default of 3 threads each).
    Fewer encoders than cores keep x264's own choice.
    """
    return 1 if encoders >= (os.cpu_count() or 1) else None


def audio_args() -> list[str]:
    """AAC, 48 kHz stereo."""
    return ["-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2"]


def mp4_args(title: str) -> list[str]:
    """Index at the front (plays while downloading) and a title tag."""
    return ["-movflags", "+faststart", "-metadata", f"title={title}"]


def _even_up(value: int) -> int:
    return value + value % 2


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)
