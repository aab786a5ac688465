"""Transcripts to and from transcript.json, SubRip (.srt) and WebVTT (.vtt)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pipeline.core.errors import InputError
from pipeline.core.files import write_json, write_text
from pipeline.core.model import Output, Sentence, Transcript, Word

FORMAT_VERSION = 1


def to_dict(transcript: Transcript) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "language": transcript.language,
        "duration": transcript.duration,
        "sentences": [
            {
                "text": s.text,
                "start": s.start,
                "end": s.end,
                "words": [[w.text, w.start, w.end, w.probability] for w in s.words],
                # Which words (by index) the model was unsure of: the captions to check.
                "unsure": [i for i, w in enumerate(s.words) if w.unsure],
            }
            for s in transcript.sentences
        ],
    }


def from_dict(data: dict[str, Any]) -> Transcript:
    """Rebuild a transcript from `to_dict` output.

    Raises:
        KeyError, TypeError, ValueError: the data is not a transcript.
    """
    sentences = tuple(
        Sentence(
            text=str(s["text"]),
            start=float(s["start"]),
            end=float(s["end"]),
            words=tuple(Word(str(t), float(a), float(b), float(p)) for t, a, b, p in s["words"]),
        )
        for s in data["sentences"]
    )
    return Transcript(str(data.get("language", "en")), float(data["duration"]), sentences)


def write_transcripts(transcript: Transcript, folder: Path) -> list[Output]:
    """Write transcript.json, transcript.srt and transcript.vtt into `folder`."""
    written = [
        write_json(folder / "transcript.json", to_dict(transcript)),
        write_text(folder / "transcript.srt", to_srt(transcript.sentences)),
        write_text(folder / "transcript.vtt", to_vtt(transcript.sentences)),
    ]
    return [Output(path, "transcript") for path in written]


def to_srt(sentences: tuple[Sentence, ...] | list[Sentence], offset: float = 0.0) -> str:
    """SubRip text of `sentences`, with times shifted back by `offset` seconds."""
    blocks = []
    for index, s in enumerate(sentences, 1):
        start, end = _timestamp(s.start - offset, ","), _timestamp(s.end - offset, ",")
        blocks.append(f"{index}\n{start} --> {end}\n{s.text.strip()}\n")
    return "\n".join(blocks)


def to_vtt(sentences: tuple[Sentence, ...] | list[Sentence], offset: float = 0.0) -> str:
    """WebVTT text of `sentences`, with times shifted back by `offset` seconds."""
    blocks = ["WEBVTT\n"]
    for s in sentences:
        start, end = _timestamp(s.start - offset, "."), _timestamp(s.end - offset, ".")
        # "-->" inside a cue would end it early; VTT has no escape for it.
        blocks.append(f"{start} --> {end}\n{s.text.strip().replace('-->', '->')}\n")
    return "\n".join(blocks)


def _timestamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


_CUE_TIME = re.compile(
    r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
)


def read_transcript(path: Path, duration: float) -> Transcript:
    """Load an existing transcript: transcript.json, .srt or .vtt.

    Subtitle files carry no word timings; each cue's words are spread over the cue in
    proportion to their length, which is close enough for captions and segmentation.

    Raises:
        InputError: the file is missing or not a transcript in one of those formats.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: transcript file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the transcript as UTF-8 text") from exc
    if path.suffix.lower() == ".json":
        try:
            return from_dict(json.loads(text))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: not a make-clips transcript.json") from exc
    if path.suffix.lower() not in (".srt", ".vtt"):
        raise InputError(f"{path}: transcripts must be .srt, .vtt or transcript.json")
    sentences = _parse_cues(text)
    if not sentences:
        raise InputError(f"{path}: no subtitle cues found; is it an empty or malformed file?")
    return Transcript("en", duration, tuple(sentences))


def _parse_cues(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = block.strip().splitlines()
        for i, line in enumerate(lines):
            match = _CUE_TIME.search(line)
            if not match:
                continue
            g = match.groups()
            start = _seconds(g[0], g[1], g[2], g[3])
            end = _seconds(g[4], g[5], g[6], g[7])
            body = " ".join(re.sub(r"<[^>]+>", "", x).strip() for x in lines[i + 1 :]).strip()
            if body and end > start:
                sentences.append(Sentence(body, start, end, _spread_words(body, start, end)))
            break
    return sentences


def _seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float:
    return (
        int(hours or 0) * 3600
        + int(minutes) * 60
        + int(seconds)
        + int(fraction.ljust(3, "0")) / 1000
    )


def _spread_words(text: str, start: float, end: float) -> tuple[Word, ...]:
    tokens = text.split()
    total = sum(len(t) + 1 for t in tokens)
    words, cursor = [], start
    for token in tokens:
        length = (end - start) * (len(token) + 1) / total
        words.append(Word(" " + token, round(cursor, 3), round(cursor + length, 3)))
        cursor += length
    return tuple(words)
