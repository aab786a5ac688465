from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.errors import OutputError
from pipeline.core.files import (
    atomic_path,
    ensure_writable_dir,
    safe_name,
    segment_basename,
    write_text,
)


def test_atomic_path_renames_only_on_success(tmp_path: Path) -> None:
    final = tmp_path / "clip.mp4"
    with atomic_path(final) as temporary:
        assert temporary.suffix == ".mp4" and temporary.name.startswith(".")
        temporary.write_bytes(b"done")
        assert not final.exists()
    assert final.read_bytes() == b"done"
    assert list(tmp_path.iterdir()) == [final]


def test_atomic_path_leaves_nothing_when_interrupted(tmp_path: Path) -> None:
    final = tmp_path / "clip.mp4"
    with pytest.raises(KeyboardInterrupt), atomic_path(final) as temporary:
        temporary.write_bytes(b"half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_write_text_keeps_old_file_until_the_new_one_is_complete(tmp_path: Path) -> None:
    final = write_text(tmp_path / "plan.json", "old")
    with pytest.raises(RuntimeError), atomic_path(final) as temporary:
        temporary.write_text("new, half")
        raise RuntimeError("killed")
    assert final.read_text() == "old"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(OutputError, match="choose another folder"):
        ensure_writable_dir(locked / "out")


def test_folder_under_a_file_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError):
        ensure_writable_dir(tmp_path / "file" / "out")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mistake #1: Pushing Off Your Elbows!", "mistake-1-pushing-off-your-elbows"),
        ("../../etc/passwd", "etc-passwd"),
        ("/absolute/path", "absolute-path"),
        ("Crème brûlée 'quoted' $(rm -rf)", "creme-brulee-quoted-rm-rf"),
        ("...", "untitled"),
        ("💪🔥", "untitled"),
    ],
)
def test_safe_name(text: str, expected: str) -> None:
    assert safe_name(text) == expected


@given(st.text())
def test_safe_name_never_escapes_a_folder(text: str) -> None:
    name = safe_name(text)
    assert name and "/" not in name and "\\" not in name and not name.startswith(".")
    assert len(name) <= 60 and name.isascii()


def test_segment_basename() -> None:
    assert (
        segment_basename("mistake-1", "Pushing off your elbows")
        == "mistake-1-pushing-off-your-elbows"
    )
    assert segment_basename("intro", "Intro") == "intro"
    assert "/" not in segment_basename("../x", "/etc/passwd")
