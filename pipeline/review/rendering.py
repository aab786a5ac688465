"""Rendering from the review app: one render at a time, in the background, with its progress.

The render remakes only the outputs whose inputs changed (`render_plan_file(only_changed=True)`);
when it ends, the files it wrote are listed so the page can refresh exactly those.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.errors import MakeClipsError
from pipeline.core.settings import Settings
from pipeline.run.single import render_plan_file

STAGES = {"render": (0.0, 0.8), "stills": (0.8, 0.95), "manifest": (0.95, 1.0)}


@dataclass
class Renderer:
    """Renders `folder/plan.json` with `settings` on request, one render at a time."""

    folder: Path
    settings: Settings
    state: str = "idle"  # idle, running, done, failed
    stage: str = ""
    fraction: float = 0.0
    error: str = ""
    remade: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self.state == "running"

    def start(self) -> bool:
        """Start a render in the background; False if one is already running."""
        with self.lock:
            if self.running:
                return False
            self.state, self.stage, self.fraction, self.error = "running", "starting", 0.0, ""
            self.remade = []
            self.thread = threading.Thread(target=self._render, name="review-render", daemon=True)
            self.thread.start()
            return True

    def status(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "stage": self.stage,
            "fraction": round(self.fraction, 3),
            "error": self.error,
            "remade": self.remade,
            "seconds": round(self.seconds, 1),
        }

    def wait(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)

    def _render(self) -> None:
        started = time.monotonic()
        before = _written(self.folder)
        try:
            render_plan_file(
                self.folder / "plan.json", self.settings, self._progress, only_changed=True
            )
        except MakeClipsError as exc:
            self.error, self.state = str(exc).strip().splitlines()[0], "failed"
        except Exception as exc:  # noqa: BLE001 - the page must hear of it, not a log
            self.error, self.state = f"unexpected {type(exc).__name__}: {exc}", "failed"
        else:
            after = _written(self.folder)
            self.remade = sorted(path for path, facts in after.items() if before.get(path) != facts)
            self.state, self.fraction = "done", 1.0
        self.seconds = time.monotonic() - started

    def _progress(self, stage: str, fraction: float) -> None:
        low, high = STAGES.get(stage, (self.fraction, self.fraction))
        self.stage, self.fraction = stage, max(self.fraction, low + (high - low) * fraction)


def _written(folder: Path) -> dict[str, tuple[str, int]]:
    """Each output the manifest lists, with its checksum and modification time."""
    try:
        entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError):
        return {}
    facts = {}
    for entry in entries:
        try:
            facts[entry["path"]] = (entry["sha256"], (folder / entry["path"]).stat().st_mtime_ns)
        except (OSError, KeyError, TypeError):
            continue
    return facts
