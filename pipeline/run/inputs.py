"""Which files to work on: files, folders (searched by content) and globs, each with its folder."""

from __future__ import annotations

import glob
import hashlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pipeline.core.errors import InputError

# The first bytes of the containers cameras, phones and editors write. A folder is searched by
# these, so `clip.MOV`, `clip.video` or a file with no extension is found, and notes are not.
_SIGNATURES: tuple[tuple[int, bytes], ...] = (
    (4, b"ftyp"),  # MP4, MOV, M4V, 3GP (ISO base media)
    (4, b"moov"),  # old QuickTime
    (4, b"mdat"),
    (4, b"wide"),
    (0, b"\x1a\x45\xdf\xa3"),  # Matroska, WebM
    (0, b"RIFF"),  # AVI (checked further below)
    (0, b"FLV"),
    (0, b"\x00\x00\x01\xba"),  # MPEG program stream
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"),  # ASF, WMV
)
_GLOB_CHARS = set("*?[")


def looks_like_video(path: Path) -> bool:
    """Whether the file's first bytes are those of a video container."""
    try:
        with path.open("rb") as handle:
            head = handle.read(376)
    except OSError:
        return False
    for offset, magic in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return magic != b"RIFF" or head[8:12] == b"AVI "
    # MPEG transport stream: a sync byte every 188 bytes.
    return len(head) >= 376 and head[0] == head[188] == 0x47


def collect_inputs(arguments: Sequence[str | Path]) -> list[Path]:
    """Expand files, folders and glob patterns into a sorted list of distinct source files.

    A file named on the command line is always taken (probing will say if it is not a video);
    folders are searched recursively and yield only files that look like video by content.

    Raises:
        InputError: an argument names nothing, or nothing at all was found.
    """
    found: list[Path] = []
    for argument in arguments:
        text = str(argument)
        path = Path(text)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and looks_like_video(p))
        elif path.exists() or path.is_symlink():
            found.append(path)
        elif _GLOB_CHARS & set(text):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                raise InputError(f"{text}: the pattern matches no files")
            found += files
        else:
            raise InputError(f"{text}: no such file or folder; check the path")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise InputError("no video files found in the given folders")
    return unique


def assign_folders(sources: Sequence[Path], output_root: Path) -> dict[Path, Path]:
    """Give each source its output folder: `<root>/<stem>`, or `<root>/<stem>-<hash>` on a clash.

    The suffix is a hash of the source's full path, so the same file always gets the same folder
    whatever else is in the batch.
    """
    stems = Counter(folder_name(source) for source in sources)
    folders = {}
    for source in sources:
        stem = folder_name(source)
        if stems[stem] > 1:
            stem += "-" + hashlib.sha1(str(source.resolve()).encode()).hexdigest()[:8]
        folders[source] = output_root / stem
    return folders


def folder_name(source: Path) -> str:
    """The output folder name for `source`: its file name without the extension.

    "...mp4" has the stem "..": a name of only dots (or nothing) becomes "video", so no file
    name can climb out of the output root.
    """
    stem = source.stem.strip()
    return stem if stem.strip(".") else "video"
