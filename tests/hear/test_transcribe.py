"""Transcription with the real bundled tiny.en model on the committed mini clip."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline.core.errors import NoSpeechError, TranscriptionError
from pipeline.core.model import Media
from pipeline.core.settings import Settings
from pipeline.hear.models import resolve_model
from pipeline.hear.probe import probe
from pipeline.hear.transcribe import require_speech, transcribe

pytestmark = pytest.mark.slow


def test_real_model_transcribes_the_mini_clip_with_word_times(mini: Path, tmp_path: Path) -> None:
    media = probe(mini)
    progress: list[float] = []
    transcript = transcribe(media, Settings(cache_dir=tmp_path), progress.append)
    assert len(progress) >= 2 and progress == sorted(progress) and progress[-1] == 1.0
    text = transcript.text.lower()
    assert "mistake" in text and "elbows" in text and "variation" in text
    words = transcript.words
    assert len(words) > 20
    assert all(0 <= w.start <= w.end <= media.duration + 0.5 for w in words)
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
    first = next(w for w in words if "mistake" in w.text.lower())
    assert first.start == pytest.approx(0.5, abs=0.6)  # the truth file says the cue starts at 0.5 s


def test_cache_is_by_content_so_a_renamed_copy_is_not_transcribed_again(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(cache_dir=tmp_path / "cache")
    first = transcribe(probe(mini), settings)
    copy = tmp_path / "renamed copy.mp4"
    shutil.copy(mini, copy)

    def fail(*args: object) -> None:
        raise AssertionError("transcribed again")

    monkeypatch.setattr("pipeline.hear.transcribe._run_whisper", fail)
    assert transcribe(probe(copy), settings) == first


def test_no_audio_track_asks_for_a_transcript(mini: Path) -> None:
    media = Media(mini, 14.0, 320, 180, 30.0, 0, False, "h264", "yuv420p")
    with pytest.raises(NoSpeechError, match="--transcript"):
        transcribe(media, Settings())


def test_empty_transcript_is_no_speech(mini: Path) -> None:
    from pipeline.core.model import Transcript

    with pytest.raises(NoSpeechError, match="no speech"):
        require_speech(Transcript("en", 5.0, ()), mini)


def test_model_folder_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TranscriptionError, match="model.bin"):
        resolve_model(tmp_path)


def test_long_audio_is_heard_in_pieces_cut_where_it_is_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.hear import transcribe as module

    monkeypatch.setattr(module, "PIECE_SECONDS", 10)
    monkeypatch.setattr(module, "QUIET_SEARCH", 4)
    rate = module.SAMPLE_RATE
    rng = np.random.default_rng(1)
    samples = rng.normal(0, 0.3, 35 * rate).astype(np.float32)  # 35 s of "speech"
    for quiet in (7.5, 16.0, 25.2):  # half-second pauses
        samples[int(quiet * rate) : int((quiet + 0.5) * rate)] *= 0.001
    pieces = module.quiet_pieces(samples)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(samples)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))  # contiguous, nothing lost
    assert all(stop - first <= 10 * rate for first, stop in pieces)
    cuts = [first / rate for first, _ in pieces[1:]]
    assert len(cuts) == 3
    for cut, quiet in zip(cuts, (7.5, 16.0, 25.2)):
        assert quiet <= cut <= quiet + 0.5  # inside the pause


def test_short_audio_is_one_piece() -> None:
    from pipeline.hear.transcribe import quiet_pieces

    assert quiet_pieces(np.zeros(16000 * 60, dtype=np.float32)) == [(0, 16000 * 60)]
