"""The audio front end: the speech band as 16 kHz mono for the model, the source untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import av
import numpy as np
from helpers import MINI

from pipeline.hear.frontend import FRONT_ENDS, speech_audio
from pipeline.hear.transcribe import FRONT_END


def _samples(path: Path) -> tuple[np.ndarray, int, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks = [f.to_ndarray() for f in container.decode(stream)]
        return np.concatenate(chunks, axis=1), stream.rate, stream.channels


def test_the_speech_band_is_16k_mono_without_rumble_and_the_source_is_untouched() -> None:
    before = hashlib.sha256(MINI.read_bytes()).hexdigest()
    with speech_audio(MINI, FRONT_ENDS["band"]) as wav:
        samples, rate, channels = _samples(wav)
        assert (rate, channels) == (16000, 1)
        spectrum = np.abs(np.fft.rfft(samples[0].astype(np.float64)))
        freqs = np.fft.rfftfreq(samples.shape[1], 1 / rate)
        low = spectrum[freqs < 40].mean()
        speech = spectrum[(freqs > 300) & (freqs < 3000)].mean()
        assert low < speech / 20  # below the highpass: next to nothing left
    assert not wav.exists()  # the temporary file is gone afterwards
    assert hashlib.sha256(MINI.read_bytes()).hexdigest() == before


def test_no_chain_hands_the_source_itself_and_the_default_is_measured() -> None:
    with speech_audio(MINI, "") as path:
        assert path == MINI
    assert FRONT_END in FRONT_ENDS and FRONT_ENDS[FRONT_END]  # the band, as measured
