"""Batches: many sources, one failing, on the local pool and on a local Ray instance."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import MINI

from pipeline.cli.commands import main
from pipeline.core.settings import Settings
from pipeline.run.batch import run_batch
from pipeline.run.inputs import collect_inputs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shoots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two takes with the same name in different folders, and a broken 'video'."""
    root = tmp_path_factory.mktemp("shoots")
    mini = MINI
    for day in ("monday", "tuesday"):
        (root / day).mkdir()
        shutil.copy(mini, root / day / "take.mp4")
    (root / "broken.mp4").write_text("not a video at all")
    return root


def sources(shoots: Path) -> list[Path]:
    return collect_inputs([shoots / "monday", shoots / "tuesday", shoots / "broken.mp4"])


def outcome(results: list) -> list[tuple[str, str]]:
    return [(r.source.parent.name + "/" + r.source.name, r.status) for r in results]


@pytest.fixture(scope="module")
def local_run(shoots: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    out = tmp_path_factory.mktemp("local")
    settings = Settings(output_root=out, formats=("9:16",))
    return out, run_batch(sources(shoots), settings, jobs=2)


def test_one_failing_source_never_stops_the_others(local_run: tuple[Path, list]) -> None:
    _, results = local_run
    assert outcome(results) == [
        ("monday/take.mp4", "done"),
        ("tuesday/take.mp4", "done"),
        (f"{results[2].source.parent.name}/broken.mp4", "failed"),
    ]
    assert "not a video" in results[2].error
    assert all(r.segments == 2 and r.clips == 3 for r in results[:2])


def test_same_names_get_distinct_folders(local_run: tuple[Path, list]) -> None:
    out, results = local_run
    folders = {r.folder for r in results[:2]}
    assert len(folders) == 2 and all(
        f.parent == out and f.name.startswith("take-") for f in folders
    )
    assert all((f / "manifest.json").exists() for f in folders)


def test_rerun_skips_finished_sources_and_force_redoes_them(
    shoots: Path, local_run: tuple[Path, list]
) -> None:
    out, _ = local_run
    again = run_batch(sources(shoots), Settings(output_root=out, formats=("9:16",)), jobs=2)
    assert [r.status for r in again] == ["skipped", "skipped", "failed"]
    assert again[0].clips == 3
    changed = run_batch(sources(shoots)[:1], Settings(output_root=out, formats=("9:16", "1:1")))
    assert changed[0].status == "done"  # other settings: not the same outputs any more


def test_cli_batch_prints_a_table_and_exits_1_when_one_failed(
    shoots: Path, local_run: tuple[Path, list]
) -> None:
    out, _ = local_run
    result = CliRunner().invoke(main, [str(shoots), str(shoots / "*.mp4"), "-o", str(out),
                                       "--formats", "9:16", "--jobs", "2"])  # fmt: skip
    assert result.exit_code == 1
    assert "skipped" in result.output and "failed" in result.output
    assert "broken.mp4" in result.output


def test_ray_engine_makes_the_same_outputs(
    shoots: Path, local_run: tuple[Path, list], tmp_path: Path
) -> None:
    pytest.importorskip("ray")
    local_out, local_results = local_run
    settings = Settings(output_root=tmp_path, formats=("9:16",))
    results = run_batch(sources(shoots), settings, jobs=2, engine="ray")
    assert [r.status for r in results] == ["done", "done", "failed"]
    assert "not a video" in results[2].error
    for ours, theirs in zip(results[:2], local_results[:2]):
        assert ours.folder.name == theirs.folder.name
        mine = made(ours.folder)
        local = made(theirs.folder)
        assert [(e["path"], e["sha256"]) for e in mine] == [(e["path"], e["sha256"]) for e in local]
        assert {e["path"] for e in mine} >= {"plan.json", "article.md", "index.html"}


def made(folder: Path) -> list[dict]:
    """The manifest's outputs but timings.json, whose seconds differ from run to run."""
    outputs = json.loads((folder / "manifest.json").read_text())["outputs"]
    timings = [e for e in outputs if e["type"] == "timings"]
    assert [e["path"] for e in timings] == ["timings.json"]
    return [e for e in outputs if e["type"] != "timings"]
