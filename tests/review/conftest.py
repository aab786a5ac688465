"""A review server running in a thread, for the tests that talk to it over HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
