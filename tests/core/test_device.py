"""--device: the CPU by default, a GPU only when asked for and really there."""

from __future__ import annotations

import pytest

from pipeline.core import device
from pipeline.core.device import resolve_device
from pipeline.core.errors import DeviceError
from pipeline.core.settings import Settings
from pipeline.render.graph import video_args


@pytest.fixture
def gpu(monkeypatch: pytest.MonkeyPatch):
    """Pretend the machine has (True) or lacks (False) a usable GPU."""

    def set_to(cuda: bool, nvenc: bool) -> None:
        monkeypatch.setattr(device, "cuda_transcription", lambda: cuda)
        monkeypatch.setattr(device, "nvenc_encoding", lambda: nvenc)

    return set_to


def test_cpu_is_the_default_and_never_looks_for_a_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    def looked() -> bool:
        raise AssertionError("the CPU path must not probe for a GPU")

    monkeypatch.setattr(device, "cuda_transcription", looked)
    assert Settings().device == "cpu"
    assert resolve_device("cpu") == "cpu"
    assert "libx264" in video_args(Settings(), 30)


@pytest.mark.parametrize(
    ("cuda", "nvenc", "expected"),
    [(False, False, "cpu"), (True, False, "cpu"), (False, True, "cpu"), (True, True, "cuda")],
)
def test_auto_takes_the_gpu_only_when_model_and_encoder_both_work(
    gpu, cuda: bool, nvenc: bool, expected: str
) -> None:
    gpu(cuda, nvenc)
    assert resolve_device("auto") == expected


def test_cuda_without_a_gpu_says_what_to_do(gpu) -> None:
    gpu(False, False)
    with pytest.raises(DeviceError, match="no CUDA GPU.*--device auto or --device cpu"):
        resolve_device("cuda")
    gpu(True, False)
    with pytest.raises(DeviceError, match="NVENC"):
        resolve_device("cuda")


def test_on_a_gpu_clips_are_encoded_with_nvenc_at_the_same_quality_setting(gpu) -> None:
    gpu(True, True)
    args = video_args(Settings(device="cuda", crf=21), 30)
    assert args[args.index("-c:v") + 1] == "h264_nvenc"
    assert args[args.index("-cq") + 1] == "21"
    assert args[args.index("-g") + 1] == "60" and "yuv420p" in args


def test_this_machine_has_no_gpu_so_auto_is_the_cpu() -> None:
    """CI runs on CPUs only: auto must fall back, not fail."""
    if device.cuda_transcription() and device.nvenc_encoding():
        pytest.skip("a GPU is present")
    assert resolve_device("auto") == "cpu"
