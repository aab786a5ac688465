"""What the analysis leaves in the run's process: the speech model and the take's audio are
loaded only in the child process that works out the words (pipeline.run.words), so whatever
transcribing leaves behind (a 20-minute take: about 180 MB more than its cached transcript)
is gone before the render."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import MINI

from pipeline.core.errors import NoSpeechError
from pipeline.core.settings import Settings
from pipeline.hear.hearing import Hearing
from pipeline.run import single

pytestmark = pytest.mark.slow


def test_the_model_and_audio_are_never_loaded_in_the_runs_own_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "take.mp4"
    shutil.copy(MINI, source)

    def loaded_here(self: Hearing) -> object:
        raise AssertionError("the speech model or audio was loaded in the run's own process")

    monkeypatch.setattr(Hearing, "model", loaded_here)
    monkeypatch.setattr(Hearing, "samples", loaded_here)
    progress: list[tuple[str, float]] = []
    settings = Settings(output_root=tmp_path / "out", cache_dir=tmp_path / "cache", force=True)
    _, plan, transcript, folder = single.analyze(source, settings, lambda *p: progress.append(p))
    assert transcript.words and plan.segments
    assert (folder / "transcript.json").exists()
    # the child's progress through the audio reaches the caller, between start and end
    assert any(stage == "transcribe" and 0.0 < done < 1.0 for stage, done in progress)


def test_the_childs_errors_reach_the_caller_as_they_are(tmp_path: Path) -> None:
    silent = tmp_path / "silent.mp4"
    from pipeline.core.ffmpeg import run_ffmpeg

    run_ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=160x90:d=1", "-c:v", "libx264", silent])
    settings = Settings(output_root=tmp_path / "out", cache_dir=tmp_path / "cache")
    with pytest.raises(NoSpeechError, match="no audio track"):
        single.analyze(silent, settings)
