"""Pictures laid on a background by stacking its pieces are the frames overlay makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.ffmpeg import run_ffmpeg
from pipeline.render import compare, graph
from pipeline.render.framing import Framing

SIZE = (96, 160)
# A moving background and a moving picture, so every pixel of both is tested.
BACKGROUND = f"testsrc2=s={SIZE[0]}x{SIZE[1]}:r=10:d=0.5,format=yuv420p"
PICTURE = "mandelbrot=s={w}x{h}:r=10,trim=duration=0.5,format=yuv420p"


def _frames(tmp_path: Path, name: str, chain: str, inputs: list[str]) -> list[str]:
    """Per-frame checksums of the graph's `[out]` (framemd5) as a clip encodes it: yuv420p."""
    args: list[str | Path] = []
    for source in inputs:
        args += ["-f", "lavfi", "-i", source]
    out = tmp_path / f"{name}.md5"
    chain = chain.replace("[out]", "[picture]") + ";[picture]format=yuv420p[out]"
    args += ["-filter_complex", chain, "-map", "[out]", "-f", "framemd5", out]
    run_ffmpeg(args)
    return [line.split(",")[-1] for line in out.read_text().splitlines() if line[:1] != "#"]


@pytest.mark.parametrize(
    "place",
    [
        graph.Box(0, 40, 96, 60),  # full width: above and below
        graph.Box(20, 40, 50, 60),  # all round
        graph.Box(0, 0, 96, 100),  # at the top
        graph.Box(46, 0, 50, 160),  # at the right, full height
        graph.Box(21, 41, 50, 60),  # odd: overlaid
    ],
)
def test_picture_around_background_is_the_overlay(tmp_path: Path, place: graph.Box) -> None:
    inputs = [BACKGROUND, PICTURE.format(w=place.w, h=place.h)]
    stacked = graph.around("0:v", "1:v", "out", SIZE, place)
    overlaid = f"[0:v][1:v]overlay={place.x}:{place.y}[out]"
    frames = _frames(tmp_path, "stacked", stacked, inputs)
    assert len(frames) == 5
    assert frames == _frames(tmp_path, "overlaid", overlaid, inputs)


@pytest.mark.parametrize(
    "halves",
    [
        (graph.Box(0, 20, 96, 60), graph.Box(0, 84, 96, 60)),  # one above the other
        (graph.Box(0, 0, 46, 160), graph.Box(50, 0, 46, 160)),  # side by side
        (graph.Box(0, 21, 96, 60), graph.Box(0, 85, 96, 60)),  # odd: overlaid
    ],
)
def test_compare_halves_on_a_plain_background_are_the_overlays(
    tmp_path: Path, halves: tuple[graph.Box, graph.Box]
) -> None:
    colour = "0x1E2A38"
    inputs = [PICTURE.format(w=half.w, h=half.h) for half in halves]
    stacked = compare._canvas("0:v", "1:v", "out", SIZE, halves, colour, 10, 0.5)
    overlaid = (
        f"color=c={colour}:s={SIZE[0]}x{SIZE[1]}:r=10:d=0.5[canvas];"
        f"[canvas][0:v]overlay={halves[0].x}:{halves[0].y}[one];"
        f"[one][1:v]overlay={halves[1].x}:{halves[1].y}[out]"
    )
    frames = _frames(tmp_path, "stacked", stacked, inputs)
    assert len(frames) == 5
    assert frames == _frames(tmp_path, "overlaid", overlaid, inputs)


@pytest.mark.parametrize(
    ("size", "place"),
    [
        ((1080, 1920), graph.Box(0, 264, 1080, 986)),  # 9:16: bands above and below
        ((1080, 1920), graph.Box(0, 0, 1080, 1300)),  # only below
        ((1080, 1920), graph.Box(100, 300, 880, 900)),  # narrower: stacked pieces
        ((1080, 1080), graph.Box(0, 294, 1080, 578)),  # 1:1 (not 8 times the small height)
    ],
)
def test_fill_is_the_blurred_background_with_the_picture_over_it(
    tmp_path: Path, size: tuple[int, int], place: graph.Box
) -> None:
    framing = Framing(200, 100, 700, 500, fill=True)
    small_w, small_h = round(size[0] / 16) * 2, round(size[1] / 16) * 2
    overlaid = (
        "[0:v]crop=700:500:200:100,split=2[bgin][fgin];"
        f"[bgin]scale={small_w}:{small_h}:force_original_aspect_ratio=increase,"
        f"crop={small_w}:{small_h},boxblur=6:2,eq=brightness=-0.10:saturation=0.85,"
        f"scale={size[0]}:{size[1]}:flags=bilinear,setsar=1[bg];"
        f"[fgin]scale={place.w}:{place.h}:flags=bicubic,setsar=1[fg];"
        f"[bg][fg]overlay={place.x}:{place.y}[out]"
    )
    inputs = ["testsrc2=s=1280x720:r=10:d=0.3,format=yuv420p"]
    frames = _frames(
        tmp_path, "filled", graph.frame_filter("0:v", "out", framing, size, place), inputs
    )
    assert len(frames) == 3
    assert frames == _frames(tmp_path, "overlaid", overlaid, inputs)
