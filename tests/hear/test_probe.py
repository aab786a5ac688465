from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import InputError
from pipeline.hear.probe import probe


def test_probe_reads_the_mini_clip(mini: Path) -> None:
    media = probe(mini)
    assert (media.width, media.height) == (320, 180)
    assert 10 < media.duration < 20
    assert media.fps == pytest.approx(30, abs=0.1)
    assert media.has_audio and media.rotation == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"", "empty"), (b"this is text, not a video\n" * 20, "not a video")],
)
def test_bad_inputs_say_what_is_wrong(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "raw.mp4"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        probe(path)


def test_truncated_file_is_an_input_error(tmp_path: Path, mini: Path) -> None:
    broken = tmp_path / "truncated.mp4"
    broken.write_bytes(mini.read_bytes()[:4000])
    with pytest.raises(InputError):
        probe(broken)
