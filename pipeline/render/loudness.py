"""Loudness: measure a stretch of the source, then normalise it to -14 LUFS, -1 dBTP.

Measuring is a cheap audio-only ffmpeg pass with `ebur128`, whose per-frame metadata is
written to a file by `ametadata` (so the one ffmpeg runner needs no stderr parsing).
When a plain gain keeps the true peak under the limit, that gain is the whole job (exact).
Otherwise the peaks go through a limiter, which lowers the loudness a little, so the limited
audio is measured again and a make-up gain is added; the limiter's ceiling is lowered until
the make-up gain keeps the peaks under the limit too. This hits -14 LUFS within a few
tenths of a LU even on short clips, where single-pass `loudnorm` falls short by up to 1 LU.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.ffmpeg import run_ffmpeg

TARGET_LUFS = -14.0
PEAK_LIMIT = -1.7  # dBTP we aim under: AAC encoding was seen to add up to ~0.3 dB of peak
SILENT_LUFS = -50.0  # quieter than this is silence or hum: leave it alone, don't boost it
ATTEMPTS = 4
# Every audio chain starts like this, so what is measured is exactly what gets normalised.
AUDIO_BASE = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo"


@dataclass(frozen=True, slots=True)
class Loudness:
    """What ebur128 measured: integrated loudness (LUFS), range (LU), true peak (dBTP)."""

    integrated: float
    loudness_range: float
    true_peak: float


def normalise_chain(path: Path, start: float, duration: float, work: Path) -> str:
    """The audio filter chain that brings this stretch of `path` to -14 LUFS, peaks < -1 dBTP.

    Raises:
        FFmpegError: ffmpeg could not read the audio.
    """
    level = measure(path, start, duration, work)
    if level.integrated < SILENT_LUFS:
        return AUDIO_BASE
    gain = TARGET_LUFS - level.integrated
    chain = f"{AUDIO_BASE},volume={gain:.2f}dB"
    if level.true_peak + gain <= PEAK_LIMIT:
        return chain
    ceiling = PEAK_LIMIT - 0.5
    for _ in range(ATTEMPTS):
        limited = f"{chain},alimiter=limit={10 ** (ceiling / 20):.4f}:level=disabled"
        after = measure(path, start, duration, work, limited)
        makeup = TARGET_LUFS - after.integrated
        if after.true_peak + makeup <= PEAK_LIMIT:
            return f"{limited},volume={makeup:.2f}dB"
        ceiling -= after.true_peak + makeup - PEAK_LIMIT
    # Still over: give up a few tenths of loudness rather than the peak limit.
    return f"{limited},volume={min(makeup, PEAK_LIMIT - after.true_peak):.2f}dB"


def measure(
    path: Path, start: float, duration: float, work: Path, chain: str = AUDIO_BASE
) -> Loudness:
    """Measure the loudness of `duration` seconds of `path`'s audio from `start`, after `chain`.

    `work` is a scratch folder for ebur128's numbers.

    Raises:
        FFmpegError: ffmpeg could not read the audio.
    """
    report = work / "loudness.txt"
    report.unlink(missing_ok=True)
    meter = f"{chain},ebur128=peak=true:metadata=1,ametadata=mode=print:file={report.name}"
    args: list[str | Path] = ["-ss", f"{start:.3f}", "-t", f"{duration:.3f}"]
    args += ["-i", Path(path).resolve(), "-vn", "-af", meter, "-f", "null", "-"]
    run_ffmpeg(args, cwd=work)
    return parse_report(report.read_text(encoding="utf-8") if report.exists() else "")


def parse_report(text: str) -> Loudness:
    """The final integrated loudness, range and true peak from ametadata's print-out."""
    values: dict[str, float] = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.startswith("lavfi.r128.") and value:
            try:
                values[key[len("lavfi.r128.") :]] = float(value)
            except ValueError:
                continue
    peaks = [v for k, v in values.items() if k.startswith("true_peak")]
    peak = max(peaks, default=0.0)
    return Loudness(
        integrated=values.get("I", -70.0),
        loudness_range=values.get("LRA", 0.0),
        true_peak=20 * math.log10(peak) if peak > 0 else -99.0,
    )
