from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import InputError
from pipeline.core.model import Sentence, Transcript, Word
from pipeline.core.transcript_io import (
    from_dict,
    read_transcript,
    to_dict,
    to_srt,
    to_vtt,
    write_transcripts,
)

TRANSCRIPT = Transcript(
    "en",
    12.0,
    (
        Sentence(
            "Mistake number one.",
            0.5,
            1.9,
            (Word(" Mistake", 0.5, 0.9), Word(" number", 0.9, 1.3), Word(" one.", 1.3, 1.9)),
        ),
        Sentence("Use { and } --> literally.", 62.0, 3725.25, (Word(" Use", 62.0, 63.0),)),
    ),
)


def test_json_round_trip_is_exact() -> None:
    assert from_dict(to_dict(TRANSCRIPT)) == TRANSCRIPT


def test_srt_and_vtt_timestamps() -> None:
    srt = to_srt(TRANSCRIPT.sentences)
    assert "1\n00:00:00,500 --> 00:00:01,900\nMistake number one.\n" in srt
    assert "00:01:02,000 --> 01:02:05,250" in srt
    vtt = to_vtt(TRANSCRIPT.sentences, offset=0.5)
    assert vtt.startswith("WEBVTT\n")
    assert "00:00:00.000 --> 00:00:01.400" in vtt
    assert "--> literally" not in vtt.split("\n", 3)[-1].split("\n", 1)[1]


@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".json"])
def test_written_transcripts_read_back(tmp_path: Path, suffix: str) -> None:
    write_transcripts(TRANSCRIPT, tmp_path)
    again = read_transcript(tmp_path / f"transcript{suffix}", duration=12.0)
    assert [s.start for s in again.sentences] == [0.5, 62.0]
    assert again.sentences[0].text == "Mistake number one."
    words = again.sentences[0].words
    assert words[0].start == 0.5 and words[-1].end == pytest.approx(1.9)
    assert all(a.end <= b.start + 1e-6 for a, b in zip(words, words[1:]))


def test_srt_with_bom_crlf_and_markup(tmp_path: Path) -> None:
    path = tmp_path / "talk.srt"
    path.write_bytes(
        "\ufeff1\r\n00:00:01,000 --> 00:00:03,000\r\n"
        "<i>Variation one:</i>\r\nthe iso hold\r\n".encode()
    )
    transcript = read_transcript(path, duration=5.0)
    assert transcript.sentences[0].text == "Variation one: the iso hold"
    assert len(transcript.words) == 5


@pytest.mark.parametrize(
    ("name", "content"), [("x.srt", "no cues here"), ("x.txt", "1"), ("x.json", "{}")]
)
def test_bad_transcripts_are_input_errors(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError):
        read_transcript(path, duration=5.0)
