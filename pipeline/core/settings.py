"""Every option of a run, in one place, with its default."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "assets"

ASPECTS: dict[str, tuple[int, int]] = {
    "9:16": (1080, 1920),
    "1:1": (1080, 1080),
    "4:5": (1080, 1350),
    "16:9": (1920, 1080),
}
DEFAULT_FORMATS: tuple[str, ...] = ("9:16", "1:1", "16:9")
DEFAULT_MAX_DURATION: tuple[tuple[str, float], ...] = (("9:16", 90.0),)


@dataclass(frozen=True, slots=True)
class Settings:
    """Options for one run; the CLI fills these from flags, tests build them directly."""

    output_root: Path = Path("output")
    # A CTranslate2 Whisper folder or a model name ("base"); None: the bundled tiny.en.
    model: Path | str | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    style: Path | None = None  # a brand's style.toml laid over assets/style.toml
    outline: Path | None = None  # the user's article or outline, for titles and order
    transcript: Path | None = None  # an existing .srt/.vtt/transcript.json instead of transcribing
    # Longest clip per format, seconds (a format not listed has no limit); a longer segment is
    # cut at a sentence end. 90 s is the longest Reel; Shorts and TikTok take longer.
    max_duration: tuple[tuple[str, float], ...] = DEFAULT_MAX_DURATION
    cache_dir: Path | None = None  # transcripts by content hash; None: ~/.cache/make-clips
    force: bool = False
    preset: str = "veryfast"  # x264 preset for clips
    crf: int = 21
    device: str = "cpu"  # "cpu", "cuda" (speech model and encoder on an NVIDIA GPU) or "auto"

    def duration_limit(self, aspect: str) -> float | None:
        """The longest clip allowed in `aspect`, in seconds, or None for no limit."""
        return dict(self.max_duration).get(aspect)
