"""The speech model and one take's audio as the model hears it, each loaded once, when first
needed: transcription (pipeline.hear.transcribe) and the listener that checks words on the same
audio (pipeline.hear.listen) share them. Loading and band-filtering both again for the listener
raised the transcription stage's peak on the sample from 399 MB to 492 MB. One model on all
cores serves both: the listener's small readings on it cost about 5% more CPU than on a model
of one thread per reading, far less than loading one (0.6 s a take).

A cached transcript loads no model: only the audio, to tell whether its echo is taken out (the
cache key depends on it, pipeline.hear.transcribe.DEREVERB); the listener then loads the model
only if a rewrite needs asking.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.core.device import Device
from pipeline.core.errors import TranscriptionError
from pipeline.hear import dereverb
from pipeline.hear.frontend import speech_audio

SAMPLE_RATE = 16000


class Hearing:
    """The speech model at `model_path` on `device` and `source`'s audio through the
    front end's `chain` (pipeline.hear.frontend), as 16 kHz samples, with the room's echo taken
    out (pipeline.hear.dereverb) when `echo` is "always", or "auto" and the audio is
    reverberant."""

    def __init__(
        self,
        source: Path,
        model_path: Path,
        device: Device,
        compute_type: str,
        chain: str,
        echo: str = "",
    ) -> None:
        self.source, self.model_path, self.device = source, model_path, device
        self._compute_type, self._chain, self._echo = compute_type, chain, echo
        self._model: Any = None
        self._samples: np.ndarray | None = None
        self.dereverberated = False  # whether the samples had the room's echo taken out
        self._lock = threading.Lock()  # asked from several threads: load once

    def model(self) -> Any:
        """The faster-whisper model.

        Raises:
            TranscriptionError: the model cannot be loaded.
        """
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the network
                from faster_whisper import WhisperModel

                try:
                    self._model = WhisperModel(
                        str(self.model_path), device=self.device,
                        compute_type=self._compute_type, cpu_threads=os.cpu_count() or 2,
                    )  # fmt: skip
                except (RuntimeError, ValueError, OSError) as exc:
                    raise TranscriptionError(
                        f"{self.model_path}: the speech model cannot be loaded ({exc})"
                    ) from exc
            return self._model

    def samples(self) -> np.ndarray:
        """The audio as the model hears it: mono float32 at SAMPLE_RATE.

        Raises:
            FFmpegError: the front end could not process the audio.
            av.error.FFmpegError, RuntimeError, ValueError: the audio cannot be decoded.
        """
        with self._lock:
            if self._samples is None:
                from faster_whisper.audio import decode_audio

                with speech_audio(self.source, self._chain) as audio:
                    samples = decode_audio(str(audio), sampling_rate=SAMPLE_RATE)
                self.dereverberated = self._echo == "always" or (
                    self._echo == "auto" and dereverb.reverberant(samples, SAMPLE_RATE)
                )
                if self.dereverberated:
                    samples = dereverb.dereverberate(samples)
                self._samples = samples
            return self._samples
