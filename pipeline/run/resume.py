"""Knowing when a source's outputs are finished and still current, so a re-run can skip it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from pipeline.core.settings import Settings

# Settings that do not change what is made.
_NOT_OUTPUT = {"output_root", "cache_dir", "force"}


def fingerprint(source: Path, settings: Settings) -> str:
    """A digest of the source (size and modification time) and every setting that shapes outputs.

    Files that settings point at (style, outline, transcript) count by their content.
    """
    stat = Path(source).stat()
    facts: dict[str, object] = {"source": [Path(source).name, stat.st_size, stat.st_mtime_ns]}
    for name, value in asdict(settings).items():
        if name in _NOT_OUTPUT:
            continue
        if isinstance(value, Path) and value.is_file():
            value = hashlib.sha256(value.read_bytes()).hexdigest()
        facts[name] = str(value)
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:24]


def is_complete(folder: Path, source: Path, settings: Settings) -> bool:
    """Whether `folder` holds a finished run of `source` with these settings.

    The manifest is written last, so its presence means the run ended; every file it lists must
    still be there with its recorded size, and its fingerprint must match.
    """
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("fingerprint") != fingerprint(source, settings):
            return False
        return all(
            (folder / entry["path"]).stat().st_size == entry["size"]
            for entry in manifest["outputs"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False
