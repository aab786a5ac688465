"""How one source of a batch went: the result both engines (local pool and Ray) return."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Status = Literal["done", "skipped", "failed"]
# Called with (index of the source, stage name, fraction of that stage done).
StageCallback = Callable[[int, str, float], None]


@dataclass(frozen=True, slots=True)
class JobResult:
    """How one source went."""

    source: Path
    folder: Path
    status: Status
    segments: int = 0
    clips: int = 0
    seconds: float = 0.0
    error: str = ""


def skipped(source: Path, folder: Path) -> JobResult:
    """A source whose outputs were already complete, counted from its manifest."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    clips = sum(1 for o in manifest["outputs"] if o["type"] in ("clip", "compare"))
    return JobResult(source, folder, "skipped", len(manifest.get("segments", [])), clips)


def failed(
    source: Path, folder: Path, exc: BaseException, seconds: float, unexpected: bool = False
) -> JobResult:
    """A source that failed, with the first line of its error (marked when unexpected)."""
    message = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if unexpected:
        message = f"unexpected {type(exc).__name__}: {message}"
    return JobResult(source, folder, "failed", seconds=seconds, error=message)
