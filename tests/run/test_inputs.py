from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.core.errors import InputError
from pipeline.core.settings import Settings
from pipeline.run.inputs import assign_folders, collect_inputs, looks_like_video
from pipeline.run.resume import fingerprint, is_complete


@pytest.fixture
def shoots(tmp_path: Path, mini: Path) -> Path:
    """A folder of footage as a team drops it: odd names, nested folders, notes beside videos."""
    root = tmp_path / "shoots"
    (root / "monday" / "cam b").mkdir(parents=True)
    shutil.copy(mini, root / "monday" / "take 1.mp4")
    shutil.copy(mini, root / "monday" / "cam b" / "take 1.MOV")
    shutil.copy(mini, root / "no-extension")
    (root / "notes.txt").write_text("remember the tripod")
    (root / "fake.mp4").write_text("not a video")
    return root


def test_folders_are_searched_by_content(shoots: Path) -> None:
    names = sorted(p.name for p in collect_inputs([shoots]))
    assert names == ["no-extension", "take 1.MOV", "take 1.mp4"]


def test_files_globs_and_folders_together(shoots: Path) -> None:
    found = collect_inputs(
        [shoots / "fake.mp4", str(shoots / "monday" / "*.mp4"), shoots / "monday"]
    )
    assert [p.name for p in found] == ["fake.mp4", "take 1.mp4", "take 1.MOV"]


@pytest.mark.parametrize("argument", ["missing.mp4", "nothing-*.mp4"])
def test_arguments_that_name_nothing(tmp_path: Path, argument: str) -> None:
    with pytest.raises(InputError):
        collect_inputs([str(tmp_path / argument)])


def test_same_stems_get_distinct_stable_folders(shoots: Path, tmp_path: Path) -> None:
    sources = collect_inputs([shoots])
    folders = assign_folders(sources, tmp_path / "out")
    assert len(set(folders.values())) == len(sources)
    assert folders[shoots / "no-extension"] == tmp_path / "out" / "no-extension"
    take = (shoots / "monday" / "take 1.mp4").resolve()
    again = assign_folders(
        [take, (shoots / "monday" / "cam b" / "take 1.MOV").resolve()], tmp_path / "out"
    )
    assert again[take] == folders[take]


def test_looks_like_video(mini: Path, tmp_path: Path) -> None:
    assert looks_like_video(mini)
    text = tmp_path / "a.mp4"
    text.write_text("hello")
    assert not looks_like_video(text)


def test_fingerprint_follows_source_and_settings(tmp_path: Path, mini: Path) -> None:
    source = tmp_path / "raw.mp4"
    shutil.copy(mini, source)
    base = fingerprint(source, Settings())
    assert fingerprint(source, Settings(output_root=tmp_path / "elsewhere")) == base
    assert fingerprint(source, Settings(formats=("9:16",))) != base
    style = tmp_path / "brand.toml"
    style.write_text("[colors]\naccent = '#00FF00'\n")
    with_style = fingerprint(source, Settings(style=style))
    style.write_text("[colors]\naccent = '#0000FF'\n")
    assert fingerprint(source, Settings(style=style)) != with_style
    source.write_bytes(source.read_bytes() + b"\0")
    assert fingerprint(source, Settings()) != base


def test_incomplete_without_a_manifest(tmp_path: Path, mini: Path) -> None:
    assert not is_complete(tmp_path, mini, Settings())


@pytest.mark.parametrize("name", ["...mp4", "..mp4", " .mp4", ". .mov"])
def test_a_name_of_dots_never_climbs_out_of_the_output_root(tmp_path: Path, name: str) -> None:
    folders = assign_folders([tmp_path / name], tmp_path / "out")
    folder = folders[tmp_path / name]
    assert folder.parent == tmp_path / "out" and folder.name.strip(".") != ""
    assert folder.resolve().is_relative_to((tmp_path / "out").resolve())
