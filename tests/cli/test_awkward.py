"""Awkward footage that must work: every input is generated here from the mini clip.

Inputs are made with imageio-ffmpeg's ffmpeg (the one CI is sure to have, with libx265, VP9,
Opus and `-display_rotation`), and each goes through the real command line in-process. The
checks are what a user would notice: the exit status, the plan, a 1080x1920 H.264 clip that
plays, the picture the right way up, and the source file left exactly as it was.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest
from click.testing import Result
from helpers import FFMPEG9, MINI, digest, ffmpeg9, frame_at, invoke
from PIL import Image

pytestmark = pytest.mark.slow

X264 = ["-c:v", "libx264", "-preset", "ultrafast"]
SHORT_SECONDS = 3.6  # "Mistake number one: pushing off your elbows." and nothing else
WEIRD_NAME = "my clip 'final' (v2) $HOME; rm -rf ~ `x` — ünïcødé 💪.mp4"


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("awkward")


@pytest.fixture(scope="session")
def short_take(media_dir: Path) -> Path:
    """The first 3.6 s of the mini clip: one announced mistake, under 5 s."""
    path = media_dir / "short.mp4"
    ffmpeg9("-i", MINI, "-t", SHORT_SECONDS, *X264, "-c:a", "aac", path)
    return path


@pytest.fixture(scope="session")
def short_srt(media_dir: Path) -> Path:
    """What is said in the short take, as SubRip, so format cases need no speech model."""
    path = media_dir / "short.srt"
    path.write_text(
        "1\n00:00:00,500 --> 00:00:03,377\nMistake number one: pushing off your elbows.\n"
    )
    return path


@pytest.fixture(scope="session")
def banded(media_dir: Path, short_take: Path) -> Path:
    """An upright portrait (180x320) take with coloured bands that show which way is up.

    Red along the top, blue along the bottom (a clip shows the whole picture), magenta down the
    left and cyan down the right (a 16:9 still crops the top and bottom of a portrait away).
    """
    path = media_dir / "banded.mp4"
    bands = ",".join(
        f"drawbox=x={x}:y={y}:w={w}:h={h}:color={colour}:t=fill"
        for x, y, w, h, colour in [
            (0, 0, 24, 320, "magenta"), (156, 0, 24, 320, "cyan"),
            (0, 0, 180, 48, "red"), (0, 272, 180, 48, "blue"),
        ]
    )  # fmt: skip
    ffmpeg9("-i", short_take, "-vf", f"scale=180:320,{bands}", *X264, "-c:a", "copy", path)
    return path


@dataclass(frozen=True)
class Case:
    """One awkward input: its file name and the ffmpeg options that make it from the short take."""

    file_name: str
    options: tuple[str, ...]
    transcribe: bool = False  # run the real speech model rather than pass --transcript


CASES = {
    # x264 will not make odd-sized 4:2:0, so odd sizes come as 4:4:4 H.264 and 4:2:0 VP9
    "odd-dimensions-yuv444": Case(
        "odd.mp4", ("-vf", "scale=321:179", *X264, "-pix_fmt", "yuv444p", "-c:a", "copy")
    ),
    "odd-dimensions-vp9": Case(
        "odd.mkv",
        (
            "-vf",
            "scale=317:177",
            "-c:v",
            "libvpx-vp9",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "copy",
        ),
    ),  # fmt: skip
    "yuv444": Case("yuv444.mp4", (*X264, "-pix_fmt", "yuv444p", "-c:a", "copy")),
    "10-bit": Case("ten-bit.mp4", (*X264, "-pix_fmt", "yuv420p10le", "-c:a", "copy")),
    "hevc-main10": Case(
        "hevc.mp4",
        (
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-x265-params",
            "log-level=error",
            "-pix_fmt",
            "yuv420p10le",
            "-tag:v",
            "hvc1",
            "-c:a",
            "copy",
        ),
        transcribe=True,
    ),  # fmt: skip
    "variable-frame-rate": Case(
        "vfr.mp4",
        # drop every 7th frame and jitter the rest by up to 11 ms, on a millisecond clock
        (
            "-vf",
            "settb=1/1000,select='not(eq(mod(n,7),3))',setpts='PTS+0.011*sin(N)/TB'",
            "-fps_mode",
            "vfr",
            "-enc_time_base",
            "1/1000",
            *X264,
            "-c:a",
            "copy",
        ),
        transcribe=True,
    ),  # fmt: skip
    "60-fps": Case("sixty.mp4", ("-vf", "fps=60", *X264, "-c:a", "copy")),
    "mov": Case("take.mov", ("-c", "copy")),
    "mkv": Case("take.mkv", ("-c", "copy")),
    "webm-vp9-opus": Case(
        "take.webm",
        (
            "-c:v",
            "libvpx-vp9",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-b:v",
            "300k",
            "-c:a",
            "libopus",
        ),
        transcribe=True,
    ),  # fmt: skip
    "unicode-and-shell-characters-in-name": Case(WEIRD_NAME, ("-c", "copy")),
}


def make_clips(source: Path, out: Path, *extra: str | Path) -> tuple[Path, Result]:
    """Run `make-clips SOURCE -o OUT --formats 9:16`; check the source is left untouched."""
    before = digest(source)
    result = invoke(source, "-o", out, "--formats", "9:16", *extra)
    assert digest(source) == before, "the source file was modified"
    return out / source.stem, result


def assert_made_the_mistake_clip(folder: Path, result: Result) -> dict:
    """The run succeeded and made a playable 1080x1920 clip of the announced mistake."""
    assert result.exit_code == 0, result.output
    plan = json.loads((folder / "plan.json").read_text())
    [segment] = plan["segments"]
    assert (segment["kind"], segment["number"]) == ("mistake", 1)
    assert "elbows" in segment["title"].lower()
    [clip] = [p for p in (folder / "clips").glob("mistake-1*_9x16.mp4") if "compare" not in p.name]
    with av.open(str(clip)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.width, video.codec_context.height) == (1080, 1920)
        assert video.codec_context.name == "h264" and video.codec_context.pix_fmt == "yuv420p"
        assert audio.codec_context.name == "aac"
        assert sum(1 for _ in container.decode(video=0)) > 0  # it decodes to the end
        duration = container.duration / 1e6
    assert abs(duration - (segment["end"] - segment["start"])) < 0.3
    manifest = json.loads((folder / "manifest.json").read_text())
    assert all((folder / entry["path"]).is_file() for entry in manifest["outputs"])
    assert not [p for p in folder.rglob(".*") if ".partial" in p.name], "partial files left"
    return {"plan": plan, "clip": clip, "manifest": manifest}


@pytest.mark.parametrize("name", list(CASES))
def test_awkward_footage_makes_clips(
    name: str, short_take: Path, short_srt: Path, media_dir: Path, tmp_path: Path
) -> None:
    case = CASES[name]
    source = media_dir / case.file_name
    ffmpeg9("-i", short_take, *case.options, source)
    extra = () if case.transcribe else ("--transcript", short_srt)
    folder, result = make_clips(source, tmp_path / "out", *extra)
    made = assert_made_the_mistake_clip(folder, result)
    if name == "60-fps":
        with av.open(str(made["clip"])) as container:
            assert container.streams.video[0].average_rate == 60
    if name == "variable-frame-rate":
        assert len(set(np.round(np.diff(frame_times(source)), 3))) > 3  # the input really is VFR
        steps = np.diff(frame_times(made["clip"]))
        assert np.allclose(steps, 1 / 30, atol=1e-3)  # the clip is a constant 30 fps
    if name == "unicode-and-shell-characters-in-name":
        assert folder.name == Path(WEIRD_NAME).stem  # "$HOME" and the backticks stayed literal
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_very_short_video_is_transcribed_and_clipped(short_take: Path, tmp_path: Path) -> None:
    folder, result = make_clips(short_take, tmp_path / "out")
    made = assert_made_the_mistake_clip(folder, result)
    assert made["plan"]["duration"] < 5


def test_portrait_source_keeps_its_orientation(
    banded: Path, short_srt: Path, tmp_path: Path
) -> None:
    folder, result = make_clips(banded, tmp_path / "out", "--transcript", short_srt)
    made = assert_made_the_mistake_clip(folder, result)
    assert_red_above_blue(frame_at(made["clip"], 1.0))
    assert_magenta_left_of_cyan(frame_at(made["clip"], 1.0))
    assert_magenta_left_of_cyan(still(folder))


def test_rotated_phone_video_comes_out_upright(
    banded: Path, short_srt: Path, media_dir: Path, tmp_path: Path
) -> None:
    # Store the picture turned a quarter clockwise, then tag it to be turned back on playback,
    # as phones do: the file holds 320x180 pictures with a 90° display rotation.
    sideways = media_dir / "sideways.mp4"
    ffmpeg9("-i", banded, "-vf", "transpose=clock", *X264, "-c:a", "copy", sideways)
    rotated = media_dir / "rotated.mp4"
    ffmpeg9("-display_rotation", "90", "-i", sideways, "-c", "copy", rotated)
    assert_red_above_blue(ffmpeg9_first_frame(rotated))  # players show it upright
    assert_magenta_left_of_cyan(ffmpeg9_first_frame(rotated))
    with av.open(str(rotated)) as container:
        stored = container.streams.video[0].codec_context
        assert (stored.width, stored.height) == (320, 180)

    folder, result = make_clips(rotated, tmp_path / "out", "--transcript", short_srt)
    made = assert_made_the_mistake_clip(folder, result)
    assert_red_above_blue(frame_at(made["clip"], 1.0))
    assert_magenta_left_of_cyan(frame_at(made["clip"], 1.0))
    assert_magenta_left_of_cyan(still(folder))


def test_silent_audio_says_no_speech_and_invents_nothing(short_take: Path, tmp_path: Path) -> None:
    silent = tmp_path / "silent.mp4"
    ffmpeg9("-i", short_take, "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-map", "0:v",
            "-map", "1:a", "-shortest", "-c:v", "copy", "-c:a", "aac", silent)  # fmt: skip
    folder, result = make_clips(silent, tmp_path / "out")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: ") and "no speech" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (folder / "plan.json").exists() and not (folder / "clips").exists()
    assert not (folder / "manifest.json").exists()


# ---- looking at pictures ---------------------------------------------------------------------


def frame_times(path: Path) -> list[float]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sorted(
            float(p.pts * p.time_base) for p in container.demux(stream) if p.pts is not None
        )


def still(folder: Path) -> np.ndarray:
    [path] = (folder / "images").glob("mistake-1*_still.jpg")
    return np.asarray(Image.open(path).convert("RGB"))


def ffmpeg9_first_frame(path: Path) -> np.ndarray:
    """The first frame as imageio's ffmpeg shows it (it applies the display rotation)."""
    with av.open(str(path)) as container:
        stored = container.streams.video[0].codec_context
        width, height = stored.height, stored.width  # turned a quarter
    raw = subprocess.run(
        [FFMPEG9, "-nostdin", "-loglevel", "error", "-i", str(path), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


COLOURS = {"red": (255, 0, 0), "blue": (0, 0, 255), "magenta": (255, 0, 255), "cyan": (0, 255, 255)}


def band(picture: np.ndarray, colour: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the pixels close to one of the band colours."""
    distance = np.abs(picture.astype(int) - np.array(COLOURS[colour])).max(axis=2)
    rows, columns = np.nonzero(distance < 70)
    assert len(rows) > 100, f"no {colour} band in the picture"
    return rows, columns


def assert_red_above_blue(picture: np.ndarray) -> None:
    """Red (the top of the upright picture) lies above blue, in a band wider than it is tall."""
    red_rows, red_columns = band(picture, "red")
    blue_rows, _ = band(picture, "blue")
    assert red_rows.mean() < blue_rows.mean(), "the picture is upside down"
    assert np.ptp(red_columns) > np.ptp(red_rows), "the picture is sideways"


def assert_magenta_left_of_cyan(picture: np.ndarray) -> None:
    """Magenta (the left of the upright picture) lies left of cyan, in a band taller than wide."""
    magenta_rows, magenta_columns = band(picture, "magenta")
    _, cyan_columns = band(picture, "cyan")
    assert magenta_columns.mean() < cyan_columns.mean(), "the picture is turned or mirrored"
    assert np.ptp(magenta_rows) > np.ptp(magenta_columns), "the picture is sideways"
