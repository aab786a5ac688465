"""A prepared ffmpeg run, kept apart from running it so the next one can be made ready meanwhile.

Preparing a clip (motion analysis, loudness measurement, drawing labels, writing captions)
keeps about one core busy for half a second; the encode keeps both busy for seconds. A run
prepares the next segment while the current one encodes (`pipeline.run.single`), so the
cores are not left half idle between encodes. An `Encode` owns its work folder: running or
discarding it removes the folder.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.ffmpeg import run_ffmpeg
from pipeline.core.files import atomic_path, write_text
from pipeline.core.model import Output

ProgressCallback = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class Encode:
    """One ffmpeg run that is ready to go.

    `args` name each finished file by its final path (one of `finals`); running the encode
    writes them under temporary names and renames each only when ffmpeg has succeeded.
    """

    args: tuple[str | Path, ...]
    duration: float  # seconds of output, for progress
    work: Path  # the folder ffmpeg runs in: fonts, captions, overlay pictures
    finals: tuple[Path, ...]
    outputs: tuple[Output, ...]
    texts: tuple[tuple[Path, str], ...] = ()  # written only once the encode has finished


def work_folder() -> Path:
    """A new private folder for one encode's files."""
    return Path(tempfile.mkdtemp(prefix="make-clips-"))


def run_encode(encode: Encode, on_progress: ProgressCallback | None = None) -> list[Output]:
    """Run `encode`, then write its texts; return its outputs. Its work folder is removed.

    Raises:
        FFmpegError: ffmpeg failed. OutputError: the files cannot be written.
    """
    try:
        with contextlib.ExitStack() as stack:
            partial = {final: stack.enter_context(atomic_path(final)) for final in encode.finals}
            args = [partial.get(a, a) if isinstance(a, Path) else a for a in encode.args]
            run_ffmpeg(args, duration=encode.duration, on_progress=on_progress, cwd=encode.work)
        for path, text in encode.texts:  # only beside files that were finished
            write_text(path, text)
    finally:
        discard(encode)
    return list(encode.outputs)


def discard(encode: Encode) -> None:
    """Remove the work folder of an encode that will not run."""
    shutil.rmtree(encode.work, ignore_errors=True)
