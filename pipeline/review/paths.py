"""Which files the review app may send: those inside the output folder, and the plan's source.

A requested path is refused when it is absolute, climbs out with "..", names a hidden file
(a half-written `.….partial…` one) or, once every symlink is followed, lands outside the folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath


def inside(root: Path, requested: str) -> Path | None:
    """The file `requested` (a relative, `/`-separated path) names under `root`, or None."""
    if not requested or "\\" in requested or "\x00" in requested:
        return None
    relative = PurePosixPath(requested)
    if relative.is_absolute() or any(
        part in ("..", "") or part.startswith(".") for part in relative.parts
    ):
        return None
    try:
        base = root.resolve(strict=True)
        target = (base / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target
