"""Writing outputs so that nothing half-written ever looks finished, and safe file names."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from pipeline.core.errors import OutputError

PARTIAL_MARK = ".partial"


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside `final`; rename it to `final` only if the block succeeds.

    The temporary name is hidden and keeps the extension (ffmpeg picks the format from it):
    `clip.mp4` is written as `.clip.partial.mp4`. On failure the temporary file is removed.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = partial_path(final)
    try:
        yield temporary
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _output_error(exc, final) from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finish(temporary, final)


def partial_path(final: Path) -> Path:
    """The hidden name `final` is written under until it is finished: `.clip.partial.mp4`."""
    return final.with_name(f".{final.stem}{PARTIAL_MARK}{final.suffix}")


def finish(partial: Path, final: Path) -> Path:
    """Give a file written under its `partial_path` its `final` name; return `final`.

    Raises:
        OutputError: it cannot be renamed (the partial file is then removed).
    """
    try:
        os.replace(partial, final)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _output_error(exc, final) from exc
    return final


def write_text(final: Path, text: str) -> Path:
    """Write `text` to `final` atomically and return `final`."""
    with atomic_path(final) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return final


def write_bytes(final: Path, data: bytes) -> Path:
    """Write `data` to `final` atomically and return `final`."""
    with atomic_path(final) as temporary:
        temporary.write_bytes(data)
    return final


def write_json(final: Path, value: object) -> Path:
    """Write `value` as indented UTF-8 JSON to `final` atomically and return `final`."""
    return write_text(final, json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def ensure_writable_dir(folder: Path) -> Path:
    """Create `folder` if needed and check that files can be written in it.

    Raises:
        OutputError: it cannot be created or written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".write-test{PARTIAL_MARK}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise _output_error(exc, folder) from exc
    return folder


def start_over(folder: Path) -> None:
    """Make `folder` look unfinished before a run writes into it, and sweep up a killed run.

    Removes `manifest.json` (the mark of a finished run: it would vouch for outputs that are
    about to change) and the hidden `.….partial…` files a killed run left in `folder`, `clips/`
    and `images/`. Nothing else is touched.

    Raises:
        OutputError: a file cannot be removed.
    """
    try:
        (folder / "manifest.json").unlink(missing_ok=True)
        for place in (folder, folder / "clips", folder / "images"):
            if place.is_dir():
                for leftover in place.glob(f".*{PARTIAL_MARK}*"):
                    if leftover.is_file():
                        leftover.unlink(missing_ok=True)
    except OSError as exc:
        raise _output_error(exc, folder) from exc


def _output_error(exc: OSError, where: Path) -> OutputError:
    if exc.errno == errno.ENOSPC:
        return OutputError(f"the disk is full while writing {where}: free some space and run again")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"cannot write to {where}: choose another folder with -o")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return OutputError(
            f"cannot write {where}: a file is in the way of that folder; choose another with -o"
        )
    return OutputError(f"cannot write {where}: {exc.strerror or exc}")


_UNSAFE = re.compile(r"[^a-z0-9]+")


def safe_name(text: str, *, fallback: str = "untitled", max_length: int = 60) -> str:
    """Turn a title or id into a file-name part: lower-case ASCII words joined by hyphens.

    `"../Mistake #1: Pushing Off Your Elbows!"` becomes `"mistake-1-pushing-off-your-elbows"`;
    nothing can contain a path separator, start with a dot, or be empty.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _UNSAFE.sub("-", ascii_text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or fallback


def segment_basename(segment_id: str, title: str) -> str:
    """The file-name stem for a segment's outputs: `mistake-1-pushing-off-your-elbows`."""
    slug_id = safe_name(segment_id, fallback="segment", max_length=24)
    slug_title = safe_name(title, fallback="", max_length=48)
    if not slug_title or slug_title == slug_id or slug_id.endswith(slug_title):
        return slug_id
    return f"{slug_id}-{slug_title}"


def aspect_tag(aspect: str) -> str:
    """`"9:16"` -> `"9x16"`, for file names."""
    return aspect.replace(":", "x")
