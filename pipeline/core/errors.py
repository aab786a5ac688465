"""Typed errors. Each message tells the user what is wrong and what to do about it.

Only `pipeline.cli` turns these into printed lines and exit codes; library code raises them.
"""

from __future__ import annotations


class MakeClipsError(Exception):
    """Base of every error make-clips raises on purpose."""

    exit_code = 1


class InputError(MakeClipsError):
    """The source file is missing, unreadable, or not a usable video."""

    exit_code = 2


class NoSpeechError(MakeClipsError):
    """The footage has no audio or no speech to build segments from."""

    exit_code = 3


class PlanError(MakeClipsError):
    """A plan file (hand-edited or generated) is not valid."""

    exit_code = 4


class TranscriptionError(MakeClipsError):
    """The speech model could not be loaded or failed."""

    exit_code = 5


class FFmpegError(MakeClipsError):
    """ffmpeg failed; the message carries the end of its error output."""

    exit_code = 6


class OutputError(MakeClipsError):
    """Outputs cannot be written (permissions, full disk)."""

    exit_code = 7


class StyleError(MakeClipsError):
    """A style file is missing or has invalid values."""

    exit_code = 8


class DeviceError(MakeClipsError):
    """The hardware asked for (a GPU) is not there or cannot be used."""

    exit_code = 9


class ModelMissingError(MakeClipsError):
    """A model make-clips reads (the speech or the sentence model) is not installed."""

    exit_code = 5
