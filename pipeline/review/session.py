"""One output folder under review: its plan and transcript, their version, and the edits' undo.

The version is a digest of plan.json and transcript.json as they are on disk, so an edit made
from a page that loaded an older state (another tab, another window, a hand edit) is refused
with a message instead of overwriting what it never saw. Every write is atomic; the plan
before each edit is kept as plan.json.bak. Undo puts back the files as they were before the
last edit made here.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core import transcript_io
from pipeline.core.errors import MakeClipsError, PlanError
from pipeline.core.files import write_bytes
from pipeline.core.model import Transcript
from pipeline.core.plan_io import plan_from_dict, plan_to_dict, save_plan
from pipeline.review.edits import Edit, apply_edit

TRANSCRIPT_FILES = ("transcript.json", "transcript.srt", "transcript.vtt")


class StaleVersion(MakeClipsError):
    """The page edited a plan that has changed since it loaded it."""


@dataclass
class Session:
    """The plan of `folder` being reviewed, with what undo needs to put it back."""

    folder: Path
    duration: float
    history: list[dict[str, bytes | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def plan_file(self) -> Path:
        return self.folder / "plan.json"

    def version(self) -> str:
        """A digest of plan.json and transcript.json as they are now."""
        digest = hashlib.sha256()
        for name in ("plan.json", "transcript.json"):
            path = self.folder / name
            digest.update(path.read_bytes() if path.exists() else b"-")
        return digest.hexdigest()[:16]

    def plan_data(self) -> dict[str, Any]:
        plan = plan_from_dict(self._json("plan.json"), duration=self.duration, where="plan.json")
        return plan_to_dict(plan)

    def transcript(self) -> Transcript:
        return transcript_io.read_transcript(self.folder / "transcript.json", self.duration)

    def edit(self, version: str, edit: Edit) -> None:
        """Apply `edit` to the plan (and the transcript for a word) if `version` is current.

        Raises:
            StaleVersion: the files changed since the page loaded `version`.
            PlanError: the edit cannot be done, or leaves a plan that is not valid.
        """
        with self.lock:
            self._check(version)
            before = self._snapshot()
            transcript = self.transcript()
            data, fixed = apply_edit(self.plan_data(), edit, transcript)
            plan = plan_from_dict(data, duration=self.duration, where="plan.json")
            write_bytes(self.folder / "plan.json.bak", before["plan.json"] or b"")
            if fixed is not transcript:
                transcript_io.write_transcripts(fixed, self.folder)
            save_plan(plan, self.plan_file)
            self.history.append(before)

    def undo(self, version: str) -> None:
        """Put the plan and transcript back as they were before the last edit.

        Raises:
            StaleVersion: the files changed since the page loaded `version`.
            PlanError: there is nothing to undo.
        """
        with self.lock:
            self._check(version)
            if not self.history:
                raise PlanError("nothing to undo: no edit was made in this review")
            before = self.history.pop()
            current = self.plan_file.read_bytes()
            write_bytes(self.folder / "plan.json.bak", current)
            for name, data in before.items():
                if data is not None:
                    write_bytes(self.folder / name, data)

    def _check(self, version: str) -> None:
        if version != self.version():
            raise StaleVersion(
                "the plan was changed elsewhere (another tab or window) since this page loaded "
                "it; reload the page to see those changes, then make your edit again"
            )

    def _snapshot(self) -> dict[str, bytes | None]:
        names = ("plan.json", *TRANSCRIPT_FILES)
        return {
            name: (self.folder / name).read_bytes() if (self.folder / name).exists() else None
            for name in names
        }

    def _json(self, name: str) -> object:
        try:
            return json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PlanError(f"{name}: cannot read it ({exc})") from exc


_WHERE = re.compile(r'segment "(?P<segment>[^"]+)"(?:: demo (?P<demo>\d+))?')
_FIELDS = ("title", "kind", "number", "start", "end", "id", "form", "reps")


def error_place(message: str) -> dict[str, Any]:
    """Which segment, demo and field a plan error names, so the page shows it beside that field."""
    found = _WHERE.search(message)
    rest = message[found.end() :] if found else message
    named = [f for f in _FIELDS if re.search(rf"\b{f}\b", rest)]
    return {
        "segment": found["segment"] if found else None,
        "demo": int(found["demo"]) - 1 if found and found["demo"] else None,
        "field": named[0] if named else None,
    }
