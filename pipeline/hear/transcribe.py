"""Speech to text with word timings: faster-whisper on the bundled tiny.en model (or the one
named by --model, see pipeline.hear.models), cached.

The cache key is the source file's content hash plus the model and every option that changes the
result, so a re-run, a renamed file or a copy of it is never transcribed twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.core import transcript_io
from pipeline.core.device import Device, resolve_device
from pipeline.core.errors import InputError, NoSpeechError, TranscriptionError
from pipeline.core.files import write_json
from pipeline.core.memory import release_memory
from pipeline.core.model import Media, Sentence, Transcript, Word
from pipeline.core.settings import Settings
from pipeline.hear import dereverb
from pipeline.hear.coverage import speech_spans, unheard_seconds
from pipeline.hear.frontend import FRONT_ENDS
from pipeline.hear.hearing import SAMPLE_RATE, Hearing
from pipeline.hear.models import resolve_model

# How the model computes on each device: int8 is the fast CPU path; GPUs want float16.
COMPUTE_TYPES: dict[Device, str] = {"cpu": "int8", "cuda": "float16"}

# Everything passed to WhisperModel.transcribe; part of the cache key. The neutral domain
# prompt lowered word errors on the sample (10.0% -> 9.0%) and gives cleaner sentence breaks;
# prompting with the user's outline headings was far worse (tiny.en then skips passages).
WHISPER_OPTIONS: dict[str, object] = {
    "language": "en",
    "initial_prompt": (
        "A strength coach explains exercise technique: common mistakes, bad form, good form, "
        "and variations."
    ),
    "beam_size": 5,
    "word_timestamps": True,
    "vad_filter": True,
    "vad_parameters": {"min_silence_duration_ms": 400},
    "condition_on_previous_text": False,
}
# The audio front end's chain (pipeline.hear.frontend); part of the cache key. The speech band
# lowered word errors on the 42 evaluation takes from 9.1% to 8.4% (noise 9.1 -> 8.3, reverb
# 13.6 -> 11.9); denoising and loudness levelling did worse (scripts/eval_transcript.py).
FRONT_END = "band"
# The room's echo taken out after the front end (pipeline.hear.dereverb): "" (never),
# "always", or "auto": where the audio is measured reverberant. On the 42 evaluation takes,
# always: reverb 11.0% -> 8.7% word error but noise 5.6 -> 7.1%, music, session and two
# scripted takes worse; auto: only the four reverb takes change. Part of the cache key for a
# take whose echo was taken out; deciding costs a decode of the audio on a cached transcript
# (tests/eval_takes/RESULTS-transcript.md).
DEREVERB = "auto"
# A piece whose detected speech has this many seconds no word comes near (the model skipped a
# passage) is heard again without the prompt, and the hearing that misses less is kept: on the
# 42 evaluation takes two were heard again (a fast take had lost 21 s, another its intro) and
# word errors fell from 9.1% to 8.2% (fast 17.4 -> 9.6%, voices 9.5 -> 8.9%), the other 40 as
# they were (pipeline.hear.coverage).
UNHEARD_LIMIT = 2.0
RETRY_OPTIONS: dict[str, object] = {"initial_prompt": None}
# Long audio is heard in pieces of at most this many seconds, cut where it is quietest.
PIECE_SECONDS = 300
QUIET_SEARCH = 30


def hearing(media: Media, settings: Settings) -> Hearing:
    """The model `settings` name and `media`'s audio through the front end, not loaded yet:
    give it to `transcribe` and to the listener (pipeline.hear.listen) to load them once."""
    device = resolve_device(settings.device)
    model_path = resolve_model(settings.model)
    return Hearing(
        media.path, model_path, device, COMPUTE_TYPES[device], FRONT_ENDS[FRONT_END], DEREVERB
    )


def transcribe(
    media: Media,
    settings: Settings,
    on_progress: Callable[[float], None] | None = None,
    heard: Hearing | None = None,
) -> Transcript:
    """Transcribe the speech in `media`, from the cache when the same audio was done before.

    `on_progress` gets the share of the audio done so far, as the model works through it;
    `heard` (see `hearing`) holds the model and audio afterwards, for the listener.

    Raises:
        NoSpeechError: the file has no audio track.
        TranscriptionError: the model cannot be found or loaded.
    """
    if not media.has_audio:
        raise NoSpeechError(
            f"{media.path.name}: has no audio track to transcribe; "
            "pass --transcript FILE (.srt, .vtt or transcript.json) instead"
        )
    model_path = resolve_model(settings.model)
    if DEREVERB:  # whether the echo is taken out depends on the audio: hear it first
        heard = heard or hearing(media, settings)
        _samples(heard, media)
    echo = heard is not None and heard.dereverberated
    key = _cache_key(media.path, model_path, resolve_device(settings.device), echo)
    cache_file = _cache_dir(settings) / f"{key}.json"
    if cache_file.exists() and not settings.force:
        try:
            return transcript_io.from_dict(json.loads(cache_file.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            cache_file.unlink(missing_ok=True)  # a damaged cache entry is simply redone
    heard = heard or hearing(media, settings)
    transcript = _run_whisper(media, heard, on_progress or (lambda done: None))
    release_memory()  # the decoder's features and pieces are gone (the hearing keeps the rest)
    write_json(cache_file, transcript_io.to_dict(transcript))
    return transcript


def _samples(heard: Hearing, media: Media) -> np.ndarray:
    """`heard`'s audio.

    Raises:
        InputError: the audio cannot be decoded.
        TranscriptionError: decoding failed otherwise.
    """
    import av

    try:
        return heard.samples()
    except av.error.FFmpegError as exc:  # first: some of these are also ValueErrors
        raise InputError(
            f"{media.path.name}: the audio cannot be decoded ({exc}); the file looks corrupt: "
            "copy or export it again, or pass --transcript FILE"
        ) from exc
    except (RuntimeError, ValueError) as exc:
        raise TranscriptionError(f"{media.path.name}: transcription failed ({exc})") from exc


def _run_whisper(media: Media, heard: Hearing, on_progress: Callable[[float], None]) -> Transcript:
    model = heard.model()
    samples = _samples(heard, media)
    try:
        sentences, info = _heard(model, samples, media, on_progress)
    except (RuntimeError, ValueError) as exc:
        raise TranscriptionError(f"{media.path.name}: transcription failed ({exc})") from exc
    on_progress(1.0)
    return Transcript(language=info.language, duration=media.duration, sentences=tuple(sentences))


def _heard(
    model: object, samples: np.ndarray, media: Media, on_progress: Callable[[float], None]
) -> tuple[list[Sentence], Any]:
    """The model's sentences for `samples`, heard a piece of at most PIECE_SECONDS at a time; a
    piece with speech it put no words on is heard again with RETRY_OPTIONS."""
    sentences: list[Sentence] = []
    info = None
    for first, stop in quiet_pieces(samples):
        offset, piece = first / SAMPLE_RATE, samples[first:stop]
        heard, info = _piece_sentences(model, piece, offset, WHISPER_OPTIONS, media, on_progress)
        speech = [(offset + a, offset + b) for a, b in speech_spans(piece)]
        missed = unheard_seconds(speech, [w for s in heard for w in s.words])
        if missed >= UNHEARD_LIMIT:
            options = {**WHISPER_OPTIONS, **RETRY_OPTIONS}
            again, _ = _piece_sentences(model, piece, offset, options, media, lambda done: None)
            if unheard_seconds(speech, [w for s in again for w in s.words]) < missed:
                heard = again
        sentences += heard
    return sentences, info


def _piece_sentences(
    model: object,
    piece: np.ndarray,
    offset: float,
    options: dict[str, object],
    media: Media,
    on_progress: Callable[[float], None],
) -> tuple[list[Sentence], Any]:
    """What the model hears in `piece` with `options`, timed from `offset` seconds."""
    sentences = []
    pieces, info = model.transcribe(piece, **options)  # type: ignore[attr-defined]
    for said in pieces:  # the model works lazily, one piece at a time
        sentences.append(
            Sentence(
                text=said.text.strip(),
                start=_sec(offset + said.start),
                end=_sec(offset + said.end),
                words=tuple(
                    Word(
                        w.word,
                        _sec(offset + w.start),
                        _sec(offset + w.end),
                        round(float(w.probability), 3),
                    )
                    for w in (said.words or ())
                ),  # fmt: skip
            )
        )
        on_progress(min(1.0, (offset + said.end) / max(media.duration, 0.001)))
    return sentences, info


def quiet_pieces(samples: np.ndarray) -> list[tuple[int, int]]:
    """Sample ranges of at most PIECE_SECONDS covering `samples`, each cut at the quietest
    half second of the last QUIET_SEARCH seconds before the limit, so no word is cut.

    faster-whisper works out the features of all the audio it is given at once: a 20-minute
    take peaked at 1.36 GB in transcription alone. In pieces the peak stays that of one piece.
    """
    limit, search = PIECE_SECONDS * SAMPLE_RATE, QUIET_SEARCH * SAMPLE_RATE
    hop = SAMPLE_RATE // 50  # 20 ms
    pieces, first = [], 0
    while len(samples) - first > limit:
        window = samples[first + limit - search : first + limit]
        frames = window[: len(window) // hop * hop].reshape(-1, hop)
        energy = np.convolve((frames.astype(np.float64) ** 2).mean(axis=1), np.ones(25), "same")
        stop = first + limit - search + int(np.argmin(energy)) * hop
        pieces.append((first, stop))
        first = stop
    pieces.append((first, len(samples)))
    return pieces


def _sec(value: float) -> float:
    return round(float(value), 3)


def _cache_dir(settings: Settings) -> Path:
    if settings.cache_dir is not None:
        return settings.cache_dir
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "make-clips" / "transcripts"


def _cache_key(source: Path, model_path: Path, device: Device = "cpu", echo: bool = False) -> str:
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    model_bin = model_path / "model.bin"
    identity = {
        "model": model_path.name,
        "model_size": model_bin.stat().st_size,
        "options": WHISPER_OPTIONS,
        "retry": {"unheard": UNHEARD_LIMIT, "options": RETRY_OPTIONS},
        **({"front_end": FRONT_ENDS[FRONT_END]} if FRONT_END != "none" else {}),
        **({"dereverb": dereverb.settings()} if echo else {}),
        "format": transcript_io.FORMAT_VERSION,
        # The GPU computes in float16 and hears a little differently; CPU keys stay as they were.
        **({"device": device, "compute_type": COMPUTE_TYPES[device]} if device != "cpu" else {}),
    }
    digest.update(json.dumps(identity, sort_keys=True).encode())
    return digest.hexdigest()[:32]


def require_speech(transcript: Transcript, source: Path) -> Transcript:
    """Return `transcript` if it holds words.

    Raises:
        NoSpeechError: nothing was said, so there is nothing to segment.
    """
    if not transcript.words:
        raise NoSpeechError(
            f"{source.name}: no speech was found in the audio; make-clips needs a narrated take "
            "(or pass --transcript FILE)"
        )
    return transcript
