"""MediaPipe BlazePose "full" run offline with the LiteRT interpreter: one person's 33 body
landmarks in a picture.

The two models ship in assets/models/ (Apache-2.0, from the `mediapipe` 0.10.21 wheel) and run
as MediaPipe's own pose graph runs them in still-image mode:

1. the detector (224x224, letterboxed) finds the person: the best-scoring anchor, averaged with
   those overlapping it (weighted non-maximum suppression), gives the hip centre and a point
   whose distance from it is the radius of a circle around the whole body;
2. that circle, turned so the hips-to-head line points up and enlarged 1.25x, is cut out at
   256x256 and the landmark model places 39 points (33 body landmarks and 2 for alignment)
   with a visibility and a presence score each, plus whether a person is there at all.

Nothing is downloaded: the interpreter comes from the `ai-edge-litert` package, the models
from this repository.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.core.errors import InputError
from pipeline.core.settings import ASSETS

MODELS = ASSETS / "models"
DETECTOR = MODELS / "pose_detection.tflite"
LANDMARKER = MODELS / "pose_landmark_full.tflite"
DETECTOR_SIZE = 224
LANDMARK_SIZE = 256
MIN_DETECTION = 0.5  # MediaPipe's defaults: min_detection_confidence
MIN_PRESENCE = 0.5  # and the landmark model's person-present threshold
NMS_OVERLAP = 0.3
ROI_SCALE = 1.25
LANDMARKS = 33
HEATMAP_REACH = 3  # cells each side: MediaPipe's 7x7 refinement kernel
MIN_REFINE = 0.5


@dataclass(frozen=True, slots=True)
class BodyPose:
    """The 33 landmarks of one person in one picture: x, y as fractions of the picture's width
    and height, and visibility (0..1) of each."""

    points: np.ndarray  # (33, 3): x, y, visibility
    presence: float  # the landmark model's confidence that a person is there


class PoseModel:
    """BlazePose detector and landmark model, loaded once, for one thread."""

    def __init__(self, threads: int = 1) -> None:
        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise InputError("pose needs the ai-edge-litert package") from exc
        with _native_stderr_silenced():  # LiteRT's "INFO: Created ... delegate" lines
            self._detector = Interpreter(model_path=str(DETECTOR), num_threads=threads)
            self._landmarker = Interpreter(model_path=str(LANDMARKER), num_threads=threads)
            self._detector.allocate_tensors()
            self._landmarker.allocate_tensors()
        self._anchors = _anchors()

    def find(self, picture: Image.Image) -> BodyPose | None:
        """The person's landmarks in an RGB `picture`, or None when no person is found."""
        roi = self._person(picture)
        return None if roi is None else self._landmarks(picture, roi)

    def _person(self, picture: Image.Image) -> tuple[float, float, float, float] | None:
        """The square region around the person: centre x, y and side in pixels, rotation."""
        width, height = picture.size
        scale = DETECTOR_SIZE / max(width, height)
        inner = (max(1, round(width * scale)), max(1, round(height * scale)))
        pad = ((DETECTOR_SIZE - inner[0]) // 2, (DETECTOR_SIZE - inner[1]) // 2)
        canvas = Image.new("RGB", (DETECTOR_SIZE, DETECTOR_SIZE))
        canvas.paste(picture.resize(inner, Image.Resampling.BILINEAR), pad)
        tensor = np.asarray(canvas, np.float32)[None] / 127.5 - 1.0
        boxes, scores = _run(self._detector, tensor, by_size={12: "boxes", 1: "scores"})
        boxes = boxes.reshape(-1, 12)
        scores = 1.0 / (1.0 + np.exp(-np.clip(scores.reshape(-1).astype(np.float64), -100, 100)))
        best = int(np.argmax(scores))
        if scores[best] < MIN_DETECTION:
            return None
        decoded = _decode(boxes, self._anchors)
        overlap = _iou(decoded[best, :4], decoded[:, :4])
        overlapping = (scores >= MIN_DETECTION) & (overlap > NMS_OVERLAP)
        weights = scores[overlapping][:, None]
        merged = (decoded[overlapping] * weights).sum(axis=0) / weights.sum()
        # Back from the letterboxed square to the picture's pixels.
        x, y = (
            (merged[4::2] * DETECTOR_SIZE - pad[0]) / scale,
            (merged[5::2] * DETECTOR_SIZE - pad[1]) / scale,
        )
        return _region((x[0], y[0]), (x[1], y[1]))

    def _landmarks(
        self, picture: Image.Image, roi: tuple[float, float, float, float]
    ) -> BodyPose | None:
        centre_x, centre_y, side, rotation = roi
        cos, sin = math.cos(rotation), math.sin(rotation)
        step = side / LANDMARK_SIZE
        # PIL maps each output pixel to the input: image = centre + R(rotation) (crop - half).
        half = LANDMARK_SIZE / 2
        matrix = (
            step * cos, -step * sin, centre_x - half * step * cos + half * step * sin,
            step * sin, step * cos, centre_y - half * step * sin - half * step * cos,
        )  # fmt: skip
        crop = picture.transform(
            (LANDMARK_SIZE, LANDMARK_SIZE),
            Image.Transform.AFFINE,
            matrix,
            Image.Resampling.BILINEAR,
        )
        tensor = np.asarray(crop, np.float32)[None] / 255.0
        raw, presence, heatmap = _run(
            self._landmarker, tensor, by_size={195: "landmarks", 1: "presence", 39: "heatmap"}
        )
        flag = float(presence.reshape(-1)[0])
        if flag < MIN_PRESENCE:
            return None
        values = raw.reshape(39, 5)[:LANDMARKS]
        refined = _refined(values[:, :2] / LANDMARK_SIZE, heatmap[0]) * LANDMARK_SIZE
        u, v = refined[:, 0] - half, refined[:, 1] - half
        x = centre_x + step * (cos * u - sin * v)
        y = centre_y + step * (sin * u + cos * v)
        visibility = 1.0 / (1.0 + np.exp(-values[:, 3]))
        width, height = picture.size
        points = np.stack([x / width, y / height, visibility], axis=1).astype(np.float64)
        return BodyPose(points, flag)


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Send what native code writes to stderr (file descriptor 2) nowhere for a moment."""
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all
        yield
        return
    try:
        with open(os.devnull, "wb") as nowhere:
            os.dup2(nowhere.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _refined(points: np.ndarray, heatmap: np.ndarray) -> np.ndarray:
    """MediaPipe's RefineLandmarksFromHeatmap: each landmark moved to the confidence-weighted
    centre of the 7x7 heatmap cells around it, where the heatmap is confident there."""
    rows, cols, _ = heatmap.shape
    out = points.copy()
    for index, (x, y) in enumerate(points):
        col, row = int(x * cols), int(y * rows)
        if not (0 <= col < cols and 0 <= row < rows):
            continue
        top, left = max(0, row - HEATMAP_REACH), max(0, col - HEATMAP_REACH)
        window = heatmap[top : row + HEATMAP_REACH + 1, left : col + HEATMAP_REACH + 1, index]
        confidence = 1.0 / (1.0 + np.exp(-window.astype(np.float64)))
        if confidence.max() < MIN_REFINE or confidence.sum() <= 0:
            continue
        ys, xs = np.mgrid[top : top + window.shape[0], left : left + window.shape[1]]
        out[index] = (
            (xs * confidence).sum() / confidence.sum() / cols,
            (ys * confidence).sum() / confidence.sum() / rows,
        )
    return out


def _region(
    hip: tuple[float, float], edge: tuple[float, float]
) -> tuple[float, float, float, float]:
    """MediaPipe's alignment: centred on the hips, 2 x the body radius, turned so that the
    hips-to-edge line points up, enlarged ROI_SCALE times."""
    dx, dy = edge[0] - hip[0], edge[1] - hip[1]
    rotation = math.pi / 2 - math.atan2(-dy, dx)
    rotation = (rotation + math.pi) % (2 * math.pi) - math.pi
    side = 2 * math.hypot(dx, dy) * ROI_SCALE
    return hip[0], hip[1], side, rotation


def _run(
    interpreter: object, tensor: np.ndarray, by_size: dict[int, str]
) -> tuple[np.ndarray, ...]:
    """Run `interpreter` on `tensor`; its outputs picked by their last dimension, in the order
    of `by_size`."""
    model = interpreter  # ai_edge_litert.interpreter.Interpreter
    (entry,) = model.get_input_details()  # type: ignore[attr-defined]
    model.set_tensor(entry["index"], tensor)  # type: ignore[attr-defined]
    model.invoke()  # type: ignore[attr-defined]
    found: dict[str, np.ndarray] = {}
    for detail in model.get_output_details():  # type: ignore[attr-defined]
        shape = tuple(detail["shape"])
        name = by_size.get(shape[-1]) if len(shape) <= 3 or shape[-1] == 39 else None
        if name is not None and name not in found:
            found[name] = model.get_tensor(detail["index"])  # type: ignore[attr-defined]
    return tuple(found[name] for name in by_size.values())


@functools.cache
def _anchors() -> np.ndarray:
    """The detector's 2254 SSD anchor centres (fractions), as MediaPipe's SsdAnchorsCalculator
    makes them for BlazePose: strides 8, 16, 32, 32, 32, two anchors per cell and layer."""
    strides = (8, 16, 32, 32, 32)
    centres: list[tuple[float, float]] = []
    layer = 0
    while layer < len(strides):
        same = 0
        while layer + same < len(strides) and strides[layer + same] == strides[layer]:
            same += 1
        cells = math.ceil(DETECTOR_SIZE / strides[layer])
        for y in range(cells):
            for x in range(cells):
                centres += [((x + 0.5) / cells, (y + 0.5) / cells)] * (2 * same)
        layer += same
    return np.array(centres)


def _decode(raw: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """Boxes (x0, y0, x1, y1) and 4 keypoints (x, y), fractions of the detector's square."""
    scaled = raw / DETECTOR_SIZE
    cx, cy = scaled[:, 0] + anchors[:, 0], scaled[:, 1] + anchors[:, 1]
    w, h = scaled[:, 2], scaled[:, 3]
    out = np.empty((len(raw), 12))
    out[:, 0], out[:, 1], out[:, 2], out[:, 3] = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
    out[:, 4::2] = scaled[:, 4::2] + anchors[:, :1]
    out[:, 5::2] = scaled[:, 5::2] + anchors[:, 1:]
    return out[:, :8]


def _iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    left = np.maximum(box[0], boxes[:, 0])
    top = np.maximum(box[1], boxes[:, 1])
    right = np.minimum(box[2], boxes[:, 2])
    bottom = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(right - left, 0, None) * np.clip(bottom - top, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return inter / np.maximum(area + areas - inter, 1e-9)


def model_files() -> tuple[Path, Path]:
    """The two model files (for the licence check and cache keys)."""
    return DETECTOR, LANDMARKER
