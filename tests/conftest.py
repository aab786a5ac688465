"""Fixtures shared by every test module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import DATA, MINI


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the user's real transcript cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def mini() -> Path:
    """A 13 s, 320x180 narrated take: one mistake (bad then good form) and one variation."""
    return MINI


@pytest.fixture
def mini_truth() -> dict:
    return json.loads((DATA / "mini.truth.json").read_text())
