"""`make-clips review` refusing what it cannot review: one line, the right exit status."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import MINI, invoke


def test_a_folder_without_a_plan_is_refused_in_one_line(tmp_path: Path) -> None:
    result = invoke("review", tmp_path, "--no-browser")
    assert result.exit_code == 4
    assert (
        result.output.strip()
        == f"error: {tmp_path.resolve()}: no plan.json here; give the folder make-clips wrote"
    )


def test_a_plan_whose_source_is_gone_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "gone.mp4"
    shutil.copy(MINI, source)
    plan = {"source": str(source), "duration": 13.0, "segments": []}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    (tmp_path / "transcript.json").write_text(json.dumps({"duration": 13.0, "sentences": []}))
    source.unlink()
    result = invoke("review", tmp_path, "--no-browser")
    assert result.exit_code == 2 and result.output.startswith("error: ")
    assert len(result.output.strip().splitlines()) == 1


def test_review_takes_one_source_only(tmp_path: Path) -> None:
    result = invoke(MINI, MINI, "--review", "-o", tmp_path)
    assert result.exit_code == 2 and "--review works with one source" in result.output
