"""A review server running in a thread, for the tests that talk to it over HTTP."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hand_made import TRANSCRIPT, plan
from helpers import MINI
from review_client import SECRET

from pipeline.core import transcript_io
from pipeline.core.settings import Settings
from pipeline.review.server import Review, open_review


@pytest.fixture
def serve() -> Iterator[Any]:
    """Start a review of a folder; stopped (and its thread joined) when the test ends."""
    running: list[tuple[Review, threading.Thread]] = []

    def start(folder: Path, settings: Settings | None = None) -> Review:
        review = open_review(folder, settings or Settings(preset="ultrafast"))
        thread = threading.Thread(target=review.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not review.started:
            assert time.monotonic() < deadline, "the review server did not start"
            time.sleep(0.02)
        running.append((review, thread))
        return review

    yield start
    for review, thread in running:
        review.stop()
        thread.join(20)
        assert not thread.is_alive(), "the server did not stop"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An output folder as make-clips leaves it: plan, transcripts, a clip; a secret beside it."""
    out = tmp_path / "out" / "take"
    (out / "clips").mkdir(parents=True)
    data = plan() | {"source": str(MINI)}
    (out / "plan.json").write_text(json.dumps(data))
    transcript_io.write_transcripts(TRANSCRIPT, out)
    (out / "clips" / "mistake-1_9x16.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nhi\n")
    (tmp_path / "secret.txt").write_text(SECRET)
    os.symlink(tmp_path / "secret.txt", out / "clips" / "innocent.srt")
    os.symlink(tmp_path, out / "up")
    return out
