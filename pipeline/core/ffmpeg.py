"""The one place that runs ffmpeg.

Arguments are always a list (never a shell string), stdin is closed, errors carry the end of
ffmpeg's own message, and progress is read from `-progress pipe:1`.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.core.errors import FFmpegError, OutputError

ProgressCallback = Callable[[float], None]


# Renders run one filter graph per format in one process; ffmpeg 7 and later give each graph
# its own thread. Debian 12's ffmpeg 5.1 ran the sample's render at 1.79x the plain-encode floor
# with 3.2 GB peak memory, against 1.27x and 1.1 GB with the ffmpeg 9 imageio-ffmpeg ships.
NEWEST_FIRST_FROM = 7


@functools.cache
def ffmpeg_exe() -> str:
    """Find ffmpeg: $MAKE_CLIPS_FFMPEG; else the system one if it is version 7 or later; else the
    one imageio-ffmpeg ships; else an older system one.

    Raises:
        FFmpegError: none of them exists.
    """
    chosen = os.environ.get("MAKE_CLIPS_FFMPEG")
    if chosen:
        return chosen
    system = shutil.which("ffmpeg")
    if system and ffmpeg_version(system) >= (NEWEST_FIRST_FROM, 0):
        return system
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        if system:
            return system
        raise FFmpegError(
            "ffmpeg was not found: install it (apt-get install ffmpeg) "
            "or `pip install imageio-ffmpeg`"
        ) from exc


def ffmpeg_version(executable: str) -> tuple[int, int]:
    """(major, minor) of an ffmpeg executable; a git build ("N-…") counts as new, and one that
    does not run or say counts as (0, 0)."""
    try:
        said = subprocess.run(
            [executable, "-version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return (0, 0)
    match = re.search(r"ffmpeg version n?(\d+)\.(\d+)", said)
    if match:
        return int(match.group(1)), int(match.group(2))
    return (99, 0) if re.search(r"ffmpeg version N-", said) else (0, 0)


def run_ffmpeg(
    args: Sequence[str | Path],
    *,
    duration: float | None = None,
    on_progress: ProgressCallback | None = None,
    cwd: Path | None = None,
) -> None:
    """Run ffmpeg with `args` and wait for it.

    Args:
        args: everything after the program name, as separate list items.
        duration: seconds of output expected, so progress can be given as a fraction.
        on_progress: called with a fraction in [0, 1] as ffmpeg reports its position.
        cwd: working folder (lets filter graphs name files without path escaping).

    Raises:
        OutputError: the disk filled up or the output folder is not writable.
        FFmpegError: ffmpeg failed for any other reason.
    """
    command = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "error"]
    command += ["-progress", "pipe:1", "-y", *map(str, args)]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        text=True,
        errors="replace",
    )
    error_tail: deque[str] = deque(maxlen=25)
    assert process.stderr is not None and process.stdout is not None
    reader = threading.Thread(target=lambda: error_tail.extend(process.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        for line in process.stdout:
            if on_progress and duration and line.startswith("out_time_us="):
                value = line.split("=", 1)[1].strip()
                if value.isdigit():
                    on_progress(min(1.0, int(value) / 1e6 / duration))
        process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        reader.join(timeout=5)
    message = "".join(error_tail).strip()
    # Some ffmpeg versions (5.1) exit 0 when the last writes fail on a full disk, leaving a
    # truncated file: its own words are the only sign.
    if process.returncode != 0 or any(sign in message for sign in _WRITE_FAILED):
        message = message or f"exit status {process.returncode}"
        if "No space left on device" in message:
            raise OutputError("the disk is full: free some space and run again")
        if "Permission denied" in message:
            raise OutputError(f"cannot write the output: {_last_line(message)}")
        raise FFmpegError(f"ffmpeg failed: {_last_line(message)}\n{message}")
    if on_progress:
        on_progress(1.0)


_WRITE_FAILED = ("No space left on device", "Error writing trailer", "Error closing file")


def _last_line(message: str) -> str:
    return message.strip().splitlines()[-1] if message.strip() else message
