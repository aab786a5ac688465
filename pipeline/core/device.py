"""Which hardware a run uses: the CPU (the default, and the tested path) or an NVIDIA GPU.

With `--device cuda` the speech model runs on CTranslate2's CUDA backend and clips are
encoded with NVENC; filters, framing and stills stay on the CPU. `--device auto` takes the
GPU only when both work on this machine.
"""

from __future__ import annotations

import functools
import subprocess
from typing import Literal

from pipeline.core.errors import DeviceError
from pipeline.core.ffmpeg import ffmpeg_exe

Device = Literal["cpu", "cuda"]
DEVICES = ("auto", "cpu", "cuda")


def resolve_device(requested: str) -> Device:
    """The device to use for `requested` ("auto", "cpu" or "cuda").

    Raises:
        DeviceError: "cuda" was asked for and there is no usable GPU, or the name is unknown.
    """
    if requested == "cpu":
        return "cpu"
    if requested not in DEVICES:
        raise DeviceError(f"--device {requested!r}: choose auto, cpu or cuda")
    usable = cuda_transcription() and nvenc_encoding()
    if requested == "auto":
        return "cuda" if usable else "cpu"
    if not usable:
        missing = (
            "no CUDA GPU for the speech model"
            if not cuda_transcription()
            else ("ffmpeg cannot encode with NVENC here")
        )
        raise DeviceError(f"--device cuda: {missing}; use --device auto or --device cpu")
    return "cuda"


@functools.cache
def cuda_transcription() -> bool:
    """Whether CTranslate2 sees a CUDA GPU."""
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count()) > 0
    except (ImportError, RuntimeError, OSError):
        return False


@functools.cache
def nvenc_encoding() -> bool:
    """Whether ffmpeg can really encode H.264 with NVENC (a driver and a GPU, not only a build)."""
    command = [
        ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
        "-i", "color=c=black:s=256x256:d=0.2", "-c:v", "h264_nvenc", "-f", "null", "-",
    ]  # fmt: skip
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
