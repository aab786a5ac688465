"""Helpers several test modules share: running the CLI and ffmpeg, reading frames back."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from click.testing import CliRunner, Result

from pipeline.cli.commands import main

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
MINI = DATA / "mini.mp4"
ARTIFACTS = TESTS / "artifacts"  # screenshots and frames to look at (git-ignored)
CHROMIUM = Path("/usr/bin/chromium")  # Debian's, installed by scripts/ensure_chromium.sh

# Test media is made with imageio's ffmpeg 9 whatever the system has, so every machine makes
# the same inputs (HEVC, VP9, 10-bit...).
FFMPEG9 = imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg9(*args: str | Path) -> None:
    """Run imageio's ffmpeg with an argument list (no shell)."""
    command = [FFMPEG9, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    subprocess.run([*command, *map(str, args)], check=True)


def invoke(*args: str | Path) -> Result:
    """Run the CLI as a user would, catching what it raises (a traceback is a failure)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def digest(path: Path) -> tuple[str, int]:
    """Content hash and modification time: both must stay as they were."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def frame_at(clip: Path, seconds: float) -> np.ndarray:
    """The first frame at or after `seconds`, as RGB."""
    import av

    with av.open(str(clip)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time >= seconds:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"{clip} has no frame at {seconds} s")


def chromium_or_skip() -> Path:
    """Debian's chromium; the test skips without it, except in CI, where it must be there."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: scripts/ensure_chromium.sh installs it")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); CI runs this test")
