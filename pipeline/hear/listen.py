"""How likely the speech model finds a given text on a stretch of the audio.

Sound-alike rules alone cannot tell "the mark" from "the bar": both are English, and espeak's
"b" is heard as "m" with 0.97 confidence. The model can: forced to read a text on the audio
(CTranslate2's `Whisper.align`, which faster-whisper uses for its word probabilities), it gives
the probability of each of the text's tokens. Summed as logs, these score what it heard and
each rewrite the fitness vocabulary proposes on the same seconds, so a rewrite is taken only
when the model itself finds it about as likely as what it wrote.

A window (a few seconds: pipeline.understand.rewrites reads clauses) is encoded once, as long
as it is, and every text is read on it in one batch. Decoding pads every window to 30 s; for
scoring, the unpadded features gave the same choices on the clauses tried (deficit men lift /
deadlift: +2.3 padded, +2.0 not) at a thirtieth of the cost (0.014 s against 0.45 s of CPU
for 2.4 s). A Listener reads on the model and audio transcription loaded (pipeline.hear.hearing);
after a cached transcript the model is loaded only when it is first asked.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from pipeline.core.errors import FFmpegError, TranscriptionError
from pipeline.hear.hearing import SAMPLE_RATE, Hearing

WINDOW_LIMIT = 29.0  # seconds: the encoder reads 30 s at most
PAD = 0.2  # seconds of audio kept either side of the words read


class Listener:
    """Scores texts on windows of one take's audio with the speech model it was heard with."""

    def __init__(self, heard: Hearing, prompt: str | None = None) -> None:
        self._heard, self._prompt = heard, prompt
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self.windows = 0  # windows encoded so far: what the scoring cost

    def log_likelihoods(self, start: float, end: float, texts: Sequence[str]) -> list[float]:
        """The model's log probability of each of `texts` being what is said from `start` to
        `end` seconds (the end of text included), all on the same encoded window.

        Raises:
            TranscriptionError: the model cannot be loaded, or the audio read.
        """
        if not texts:
            return []
        model, samples = self._loaded()
        import ctranslate2

        first = max(0, int((start - PAD) * SAMPLE_RATE))
        stop = min(len(samples), int((min(end, start + WINDOW_LIMIT) + PAD) * SAMPLE_RATE))
        window = samples[first:stop]
        features = model.feature_extractor(window)[..., : model.feature_extractor.nb_max_frames]
        frames = features.shape[-1]
        encoded = np.asarray(model.encode(np.ascontiguousarray(features, np.float32)))
        batch = ctranslate2.StorageView.from_array(
            np.ascontiguousarray(np.repeat(encoded, len(texts), axis=0))
        )
        tokens = [self._tokenizer.encode(" " + text.strip()) for text in texts]
        start_sequence = list(self._tokenizer.sot_sequence)
        if self._prompt:
            prompt = self._tokenizer.encode(" " + self._prompt.strip())
            start_sequence = [self._tokenizer.sot_prev, *prompt, *start_sequence]
        results = model.model.align(
            batch, start_sequence, tokens, [max(1, frames // 2)] * len(texts)
        )
        with self._lock:
            self.windows += 1
        return [float(np.log(np.maximum(r.text_token_probs, 1e-12)).sum()) for r in results]

    def _loaded(self) -> tuple[Any, np.ndarray]:
        """The model and the audio, loaded by transcription or now (a cached transcript)."""
        model = self._heard.model()
        try:
            samples = self._heard.samples()
        except (FFmpegError, RuntimeError, ValueError, OSError) as exc:
            raise TranscriptionError(
                f"{self._heard.source.name}: the audio cannot be read to check words ({exc})"
            ) from exc
        with self._lock:
            if self._tokenizer is None:
                from faster_whisper.tokenizer import Tokenizer

                self._tokenizer = Tokenizer(
                    model.hf_tokenizer, model.model.is_multilingual,
                    task="transcribe", language="en",
                )  # fmt: skip
        return model, samples
