"""Where the athlete's body is during each demonstration: BlazePose landmarks a few times a
second, from a small colour decode, cached by the source's content like the transcript.

A demo in which the model finds no person in most frames (a drawing it cannot read, the
athlete out of the picture) has no pose; everything that uses pose then falls back to what
the movement of the picture shows.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.core.files import write_json
from pipeline.core.memory import release_memory
from pipeline.core.model import Media, Plan
from pipeline.hear.blazepose import LANDMARKS, PoseModel, model_files
from pipeline.hear.decode import pictures

RATE = 4.0  # pictures a second: enough for the extremes of a rep, a small share of a run
WIDTH = 480  # pixels: the detector sees 224 and the landmark model 256 of the body anyway
MIN_FOUND = 0.5  # share of a demo's pictures with a person, below which the demo has no pose
MIN_VISIBLE = 0.5  # a landmark's visibility from which it counts as seen
FORMAT = 1  # of the cache files


@dataclass(frozen=True, slots=True)
class PoseTrack:
    """One demo's landmarks: `points[i]` is (33, 3) x, y (fractions of the upright picture)
    and visibility at `times[i]` (seconds of the source), NaN where no person was found."""

    times: np.ndarray
    points: np.ndarray

    @property
    def found(self) -> float:
        """The share of pictures in which a person was found."""
        if not len(self.times):
            return 0.0
        return float(np.mean(~np.isnan(self.points[:, 0, 0])))

    def at(self, time: float) -> np.ndarray | None:
        """The landmarks nearest `time` among the pictures with a person, or None."""
        seen = np.flatnonzero(~np.isnan(self.points[:, 0, 0]))
        if not len(seen):
            return None
        return self.points[seen[np.argmin(np.abs(self.times[seen] - time))]]


Poses = dict[tuple[str, int], PoseTrack]  # by (segment id, demo index); only demos with a pose


class LazyPoseModel:
    """The pose model, loaded the first time a demo is not in the cache, then kept.

    A run asks for its demos' poses segment by segment (each segment's clips wait only for
    their own); sharing one of these across those calls loads the model once, not once a
    segment (0.3-0.7 s wall each).
    """

    def __init__(self) -> None:
        self._model: PoseModel | None = None

    def get(self) -> PoseModel:
        if self._model is None:
            self._model = PoseModel(threads=1)
        return self._model


def demo_poses(
    media: Media, plan: Plan, cache: Path | None = None, model: LazyPoseModel | None = None
) -> Poses:
    """The pose of every demo of `plan` in which the model finds a person.

    Args:
        model: the model to share with other calls; by default one loaded for this call,
            only if some demo is not in the cache.

    Raises:
        InputError: the video cannot be decoded.
    """
    spans = [
        ((segment.id, index), (demo.start, demo.end))
        for segment in plan.segments
        for index, demo in enumerate(segment.demos)
    ]
    tracks = pose_tracks(media, [span for _, span in spans], cache, model)
    return {key: track for (key, _), track in zip(spans, tracks) if track.found >= MIN_FOUND}


def pose_tracks(
    media: Media,
    spans: Sequence[tuple[float, float]],
    cache: Path | None = None,
    model: LazyPoseModel | None = None,
) -> list[PoseTrack]:
    """The landmarks of each span (start, end seconds), from the cache when done before."""
    folder = (cache or _default_cache()) / "poses"
    model = model if model is not None else LazyPoseModel()
    tracks = []
    for start, end in spans:
        cached = folder / f"{_key(media.path, start, end)}.json"
        track = _read(cached)
        if track is None:
            track = _track(model.get(), media, start, end)
            write_json(cached, _to_dict(track))
            release_memory()  # the demo's pictures' heap, beside the encodes (~15 MB a demo)
        tracks.append(track)
    return tracks


def _track(model: PoseModel, media: Media, start: float, end: float) -> PoseTrack:
    times, images = pictures(media, start, end, every=1.0 / RATE, width=WIDTH)
    points = np.full((len(images), LANDMARKS, 3), np.nan)
    for index, image in enumerate(images):
        body = model.find(image)
        if body is not None:
            points[index] = body.points
    return PoseTrack(np.asarray(times, dtype=np.float64), points)


def _to_dict(track: PoseTrack) -> dict[str, object]:
    return {
        "format": FORMAT,
        "times": [round(float(t), 4) for t in track.times],
        "points": [
            None if np.isnan(frame[0, 0]) else np.round(frame, 4).tolist() for frame in track.points
        ],
    }


def _read(path: Path) -> PoseTrack | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        points = np.full((len(data["times"]), LANDMARKS, 3), np.nan)
        for index, frame in enumerate(data["points"]):
            if frame is not None:
                points[index] = np.asarray(frame, dtype=np.float64)
        return PoseTrack(np.asarray(data["times"], dtype=np.float64), points)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: simply redone


def _key(source: Path, start: float, end: float) -> str:
    digest = hashlib.sha256(_content_hash(Path(source).resolve(), *_stamp(source)).encode())
    identity = {
        "span": [round(start, 3), round(end, 3)],
        "rate": RATE,
        "width": WIDTH,
        "models": [path.stat().st_size for path in model_files()],
        "format": FORMAT,
    }
    digest.update(json.dumps(identity, sort_keys=True).encode())
    return digest.hexdigest()[:32]


def _stamp(source: Path) -> tuple[int, int]:
    status = Path(source).stat()
    return status.st_size, status.st_mtime_ns


@functools.lru_cache(maxsize=16)
def _content_hash(source: Path, size: int, modified: int) -> str:
    """The file's SHA-256, once per file version (a run asks for every demo)."""
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _default_cache() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "make-clips"


def visible(points: np.ndarray, *indices: int) -> bool:
    """Whether every landmark of `indices` was seen in `points` (one picture's landmarks)."""
    return bool(np.all(points[list(indices), 2] >= MIN_VISIBLE))
