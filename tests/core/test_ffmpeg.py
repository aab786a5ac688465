"""Which ffmpeg runs: the newest that gives each format's graph its own thread."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.core import ffmpeg


def fake_ffmpeg(folder: Path, version_line: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "ffmpeg"
    program.write_text(f"#!/bin/sh\necho '{version_line}'\n")
    program.chmod(0o755)
    return program


@pytest.fixture(autouse=True)
def fresh_choice(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("MAKE_CLIPS_FFMPEG", raising=False)
    ffmpeg.ffmpeg_exe.cache_clear()
    yield
    ffmpeg.ffmpeg_exe.cache_clear()


@pytest.mark.parametrize(
    ("line", "version"),
    [
        ("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026", (5, 1)),
        ("ffmpeg version n9.0.2-17-g2a571b6068-20260930 Copyright", (9, 0)),
        ("ffmpeg version 7.1 Copyright", (7, 1)),
        ("ffmpeg version N-118000-gabcdef Copyright", (99, 0)),
        ("something else entirely", (0, 0)),
    ],
)
def test_version_is_read_from_what_ffmpeg_says(tmp_path: Path, line: str, version: tuple) -> None:
    assert ffmpeg.ffmpeg_version(str(fake_ffmpeg(tmp_path, line))) == version


def test_an_old_system_ffmpeg_gives_way_to_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_ffmpeg(tmp_path, "ffmpeg version 5.1.9-0+deb12u1")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    chosen = ffmpeg.ffmpeg_exe()
    assert chosen != str(tmp_path / "ffmpeg") and "imageio_ffmpeg" in chosen


def test_a_recent_system_ffmpeg_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_ffmpeg(tmp_path, "ffmpeg version 7.1.1 Copyright")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert ffmpeg.ffmpeg_exe() == str(tmp_path / "ffmpeg")


def test_the_environment_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAKE_CLIPS_FFMPEG", "/opt/ffmpeg/bin/ffmpeg")
    assert ffmpeg.ffmpeg_exe() == "/opt/ffmpeg/bin/ffmpeg"
