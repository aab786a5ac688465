"""The one place that runs ffmpeg.

Arguments are always a list (never a shell string), stdin is closed, errors carry the end of
ffmpeg's own message, and progress is read from `-progress pipe:1`.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.errors import FFmpegError, OutputError

ProgressCallback = Callable[[float], None]


@functools.cache
def ffmpeg_exe() -> str:
    """Find ffmpeg: $MAKE_CLIPS_FFMPEG, then the system one, then the one imageio-ffmpeg ships.

    Raises:
        FFmpegError: none of them exists.
    """
    chosen = os.environ.get("MAKE_CLIPS_FFMPEG") or shutil.which("ffmpeg")
    if chosen:
        return chosen
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise FFmpegError(
            "ffmpeg was not found: install it (apt-get install ffmpeg) "
            "or `pip install imageio-ffmpeg`"
        ) from exc


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
