"""Clean the audio before the speech model hears it: an ffmpeg filter chain, measured per chain.

The chain runs once per transcription, writing 16 kHz mono PCM to a temporary WAV file that the
model reads instead of the source. Which chain is used (if any) is decided by measurement on the
evaluation takes (scripts/eval_transcript.py --front-end NAME); see FRONT_ENDS.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.core.ffmpeg import run_ffmpeg

# Candidate chains. "band" keeps the speech band; "denoise" adds ffmpeg's FFT denoiser with a
# noise floor tracked from the audio; "level" evens out loudness (dynamic, so quiet words rise);
# "loudnorm" sets the loudness of the whole take (EBU R128), "speechnorm" raises quiet speech
# cycle by cycle.
FRONT_ENDS: dict[str, str] = {
    "none": "",
    "resample": "anull",
    "highpass": "highpass=f=120",
    "band": "highpass=f=80,lowpass=f=7000",
    "denoise": "highpass=f=80,lowpass=f=7000,afftdn=nr=12:nf=-30:tn=1",
    "level": "highpass=f=80,lowpass=f=7000,dynaudnorm=f=200:g=11",
    "denoise-level": "highpass=f=80,lowpass=f=7000,afftdn=nr=12:nf=-30:tn=1,dynaudnorm=f=200:g=11",
    "loudnorm": "highpass=f=80,lowpass=f=7000,loudnorm=I=-20:TP=-2:LRA=11",
    "speechnorm": "highpass=f=80,lowpass=f=7000,speechnorm=e=6.25:r=0.00001:l=1",
}


@contextmanager
def speech_audio(source: Path, chain: str) -> Iterator[Path]:
    """`source` itself when `chain` is empty, else a temporary 16 kHz mono WAV of its audio
    through `chain`, removed afterwards.

    Raises:
        FFmpegError: the chain or the source's audio could not be processed.
    """
    if not chain:
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="make-clips-audio-") as folder:
        wav = Path(folder) / "speech.wav"
        run_ffmpeg(["-i", source, "-vn", "-ac", "1", "-ar", "16000", "-af", chain, wav])
        yield wav
