"""Framing: the crop window keeps the athlete in, or falls back to the blurred fill."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from pipeline.core.ffmpeg import run_ffmpeg
from pipeline.core.model import Media
from pipeline.hear.pose import PoseTrack
from pipeline.hear.probe import probe
from pipeline.render import framing
from pipeline.render.framing import (
    Framing,
    Region,
    choose_framing,
    energy_region,
    motion_region,
    widen,
)

LANDSCAPE = (1280, 720)


def contains(crop: Framing, region: Region, source: tuple[int, int]) -> bool:
    width, height = source
    return (
        crop.x <= region.left * width
        and crop.x + crop.w >= region.right * width
        and crop.y <= region.top * height
        and crop.y + crop.h >= region.bottom * height
    )


def test_off_centre_athlete_is_inside_the_vertical_crop() -> None:
    region = Region(0.68, 0.4, 0.86, 0.9)  # narrow, standing athlete on the right
    crop = choose_framing(LANDSCAPE, region, (1080, 1920))
    assert not crop.fill
    assert abs(crop.w / crop.h - 9 / 16) < 0.01
    assert contains(crop, region, LANDSCAPE)
    assert crop.x > 1280 * 0.3  # not the centred crop, which would cut the athlete off


def test_wide_motion_uses_the_fill_in_9x16_zoomed_on_the_subject() -> None:
    region = Region(0.55, 0.45, 0.9, 0.85)
    crop = choose_framing(LANDSCAPE, region, (1080, 1920))
    assert crop.fill and contains(crop, region, LANDSCAPE)
    assert crop.w < 1280 * 0.7  # the subject's box, not the whole frame
    wider = widen(crop, (1080, 900), LANDSCAPE)
    assert contains(wider, region, LANDSCAPE) and abs(wider.w / wider.h - 1.2) < 0.05


def test_wide_motion_still_fits_a_square_crop() -> None:
    region = Region(0.55, 0.45, 0.9, 0.85)
    crop = choose_framing(LANDSCAPE, region, (1080, 1080))
    assert not crop.fill and contains(crop, region, LANDSCAPE)


def test_small_subject_is_zoomed_but_never_beyond_the_caps() -> None:
    region = Region(0.7, 0.7, 0.8, 0.8)
    crop = choose_framing(LANDSCAPE, region, (1920, 1080))
    assert not crop.fill and contains(crop, region, LANDSCAPE)
    assert crop.w < 1280 and abs(crop.w / crop.h - 16 / 9) < 0.01
    assert crop.w >= 1920 / framing.MAX_UPSCALE - 2  # source pixels enlarged 2.5x at most


def test_subject_is_kept_clear_of_header_and_captions() -> None:
    region = Region(0.5, 0.3, 0.7, 0.6)
    crop = choose_framing(LANDSCAPE, region, (1080, 1080), clear=(0.2, 0.3))
    top_band = crop.y + 0.2 * crop.h
    bottom_band = crop.y + 0.7 * crop.h
    assert top_band <= 0.3 * 720 and bottom_band >= 0.6 * 720


def test_portrait_source_into_16x9_uses_the_fill() -> None:
    region = Region(0.4, 0.45, 0.6, 0.55)
    crop = choose_framing((720, 1280), region, (1920, 1080))
    assert crop.fill and contains(crop, region, (720, 1280))
    assert widen(crop, (1920, 1080), (720, 1280)).w == 720  # as wide as the source allows


def test_crop_numbers_are_even() -> None:
    crop = choose_framing((1279, 721), Region(0.61, 0.2, 0.7, 0.6), (1080, 1350))
    assert all(value % 2 == 0 for value in (crop.x, crop.y, crop.w, crop.h))


def test_energy_region_holds_the_hot_spot() -> None:
    energy = np.zeros((90, 160))
    energy[40:70, 100:140] = 1.0
    region = energy_region(energy)
    assert 0.6 <= region.left < region.right <= 0.9
    assert 0.4 <= region.top < region.bottom <= 0.8


def test_no_motion_means_whole_frame() -> None:
    assert energy_region(np.zeros((9, 16))) == framing.WHOLE_FRAME


@pytest.mark.slow
def test_rotated_phone_footage_is_framed_as_players_show_it(tmp_path: Path) -> None:
    import imageio_ffmpeg
    from PIL import Image

    stored = tmp_path / "stored.mp4"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "color=c=gray:s=320x180:r=30:d=2", "-f", "lavfi",
         "-i", "color=c=red:s=30x40:r=30:d=2", "-filter_complex",
         "[0][1]overlay=x='10+8*sin(t*6)':y='60+8*cos(t*7)'", "-c:v", "libx264",
         "-pix_fmt", "yuv420p", stored]
    )  # fmt: skip
    phone = tmp_path / "phone.mp4"
    ffmpeg9 = imageio_ffmpeg.get_ffmpeg_exe()  # has -display_rotation, unlike older ffmpeg
    subprocess.run(
        [ffmpeg9, "-v", "error", "-display_rotation", "90", "-i", stored, "-c", "copy", phone],
        check=True,
    )
    media = probe(phone)
    assert (media.width, media.height) == (180, 320)
    upright = tmp_path / "upright.png"  # what players show: ffmpeg's own autorotation
    run_ffmpeg(["-i", phone, "-frames:v", "1", upright])
    red = np.argwhere(np.asarray(Image.open(upright).convert("RGB"))[:, :, 0] > 200)
    red_y = red[:, 0].mean() / 320
    region = motion_region(media, 0.2, 1.8)
    assert region.top <= red_y <= region.bottom


@pytest.mark.slow
def test_finds_a_moving_box_off_centre(tmp_path: Path) -> None:
    clip = tmp_path / "box.mp4"
    run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            "color=c=gray:s=320x240:r=30:d=3",
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=30x60:r=30:d=3",
            "-filter_complex",
            "[0][1]overlay=x='200+15*sin(t*4)':y='120+15*cos(t*5)'",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            clip,
        ]  # fmt: skip
    )
    media = Media(clip, 3.0, 320, 240, 30.0, 0, False, "h264", "yuv420p")
    region = motion_region(media, 0.5, 2.5)
    assert region.left >= 0.5 and region.right <= 0.85
    crop = choose_framing((320, 240), region, (1080, 1920))
    assert not crop.fill and contains(crop, region, (320, 240))
    assert crop.x >= 120  # a centred crop (x = 92) would cut the box off


def test_the_whole_body_and_room_above_the_head_stay_in_the_crop() -> None:
    # Motion saw the moving legs only; the pose has the still head above them.
    moving = Region(0.55, 0.55, 0.75, 0.9)
    points = np.full((3, 33, 3), np.nan)
    body = np.zeros((33, 3))
    body[:, 0] = np.linspace(0.58, 0.72, 33)
    body[:, 1] = np.linspace(0.30, 0.88, 33)  # the head's landmarks at the top
    body[:, 2] = 1.0
    body[5, :] = (0.05, 0.05, 0.2)  # a landmark the model did not see: left out
    points[0] = points[2] = body  # the middle picture found no one
    track = PoseTrack(np.array([1.0, 1.25, 1.5]), points)
    region = framing.union(moving, framing.body_region([track]))
    assert region.top == pytest.approx(0.30 - framing.HEAD_ROOM * 0.58)
    assert (region.left, region.right, region.bottom) == pytest.approx((0.55, 0.75, 0.9))
    crop = choose_framing(LANDSCAPE, region, (1080, 1920))
    assert contains(crop, region, LANDSCAPE)
    assert framing.body_region([PoseTrack(np.array([1.0]), np.full((1, 33, 3), np.nan))]) is None
