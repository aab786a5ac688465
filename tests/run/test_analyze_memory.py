"""What the analysis holds on to: the speech model and the take's audio are let go once the
words are checked, so the heap handed back before the render does not keep them (a 20-minute
take's audio alone is 77 MB, the model another ~100 MB, under every encode that follows)."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest
from helpers import MINI

from pipeline.core.settings import Settings
from pipeline.hear import transcribe as transcribe_module
from pipeline.run import single

pytestmark = pytest.mark.slow


def test_the_model_and_audio_are_gone_before_the_heap_is_handed_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "take.mp4"
    shutil.copy(MINI, source)
    made: list[weakref.ref] = []
    alive_at_release: list[bool] = []

    def hearing(*args: object, **kwargs: object) -> object:
        heard = transcribe_module.hearing(*args, **kwargs)  # type: ignore[arg-type]
        made.append(weakref.ref(heard))
        return heard

    def release_memory() -> None:
        gc.collect()
        alive_at_release.append(any(ref() is not None for ref in made))

    monkeypatch.setattr(single, "hearing", hearing)
    monkeypatch.setattr(single, "release_memory", release_memory)
    settings = Settings(output_root=tmp_path / "out", cache_dir=tmp_path / "cache", force=True)
    single.analyze(source, settings)
    assert made, "the run did not hear the take"
    assert alive_at_release and not any(alive_at_release)
