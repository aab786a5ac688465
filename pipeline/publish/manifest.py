"""manifest.json: every output of a run, with what it is, how big, and its checksum."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pipeline.core.files import write_json
from pipeline.core.model import Output, Plan

VIDEO_TYPES = ("clip", "compare")
MANIFEST_VERSION = 1


def write_manifest(
    folder: Path, plan: Plan, outputs: list[Output], fingerprint: str | None = None
) -> Path:
    """Write `folder/manifest.json` listing `outputs` (written last, so it marks a finished run).

    Each entry: path (relative to the manifest), type, segment, aspect, size in bytes, sha256,
    and where they apply duration (clips), width and height (clips and images), alt text.
    `fingerprint` identifies the source and settings, so a re-run can tell the outputs are current.
    """
    entries = [_entry(folder, output) for output in _unique(outputs)]
    document = {
        "version": MANIFEST_VERSION,
        "source": plan.source,
        "fingerprint": fingerprint,
        "topic": plan.topic,
        "segments": [s.id for s in plan.segments],
        "outputs": entries,
    }
    return write_json(folder / "manifest.json", document)


def _unique(outputs: list[Output]) -> list[Output]:
    seen: set[Path] = set()
    unique = []
    for output in outputs:
        if output.path.resolve() not in seen:
            seen.add(output.path.resolve())
            unique.append(output)
    return unique


def _entry(folder: Path, output: Output) -> dict[str, Any]:
    path = output.path
    entry: dict[str, Any] = {
        "path": path.resolve().relative_to(folder.resolve()).as_posix(),
        "type": output.type,
        "segment": output.segment,
        "aspect": output.aspect,
        "size": path.stat().st_size,
        "sha256": sha256_of(path),
    }
    if output.type in VIDEO_TYPES:
        entry.update(_video_facts(path))
    elif path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"):
        entry.update(_image_facts(path))
    if output.alt:
        entry["alt"] = output.alt
    entry.update({k: v for k, v in output.extra.items() if k not in entry})
    return entry


def sha256_of(path: Path) -> str:
    """The file's SHA-256, as hex, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _video_facts(path: Path) -> dict[str, Any]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        duration = (container.duration or 0) / 1_000_000
        return {
            "duration": round(duration, 3),
            "width": stream.codec_context.width,
            "height": stream.codec_context.height,
        }


def _image_facts(path: Path) -> dict[str, Any]:
    from PIL import Image

    with Image.open(path) as image:
        return {"width": image.width, "height": image.height}
