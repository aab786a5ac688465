"""How close a plan is to a hand-made (true) plan: segment F1, boundary error, titles, demos.

A predicted segment matches a true one of the same kind and number when their time spans
overlap by an intersection-over-union of at least MATCH_IOU. Used by the tests and by
`scripts/eval_segments.py`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from pipeline.core.model import Demo, Plan, Segment

MATCH_IOU = 0.5
DEMO_IOU = 0.3


@dataclass(frozen=True, slots=True)
class PlanScore:
    """The figures for one predicted plan against its truth."""

    true_segments: int
    predicted_segments: int
    matched: int
    boundary_error: float  # mean |start error| and |end error| of matched segments, seconds
    title_similarity: float  # mean similarity of matched mistake/variation titles, 0..1
    mistakes: int  # true mistakes
    mistakes_with_demos: int  # matched mistakes whose bad and good demos overlap the truth
    demo_iou: float  # mean IoU of matched demos
    missed: tuple[str, ...] = ()  # ids of true segments without a match
    extra: tuple[str, ...] = ()  # ids of predicted segments without a match

    @property
    def precision(self) -> float:
        return self.matched / self.predicted_segments if self.predicted_segments else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.true_segments if self.true_segments else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def iou(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    """Intersection over union of two time spans."""
    overlap = max(0.0, min(a_end, b_end) - max(a_start, b_start))
    union = max(a_end, b_end) - min(a_start, b_start)
    return overlap / union if union > 0 else 0.0


def title_similarity(predicted: str, truth: str) -> float:
    """0..1, case-insensitive."""
    return difflib.SequenceMatcher(None, predicted.lower(), truth.lower()).ratio()


def score_plan(predicted: Plan, truth: Plan) -> PlanScore:
    """Compare a predicted plan with the true one."""
    pairs: list[tuple[Segment, Segment]] = []
    used: set[int] = set()
    for true_seg in truth.segments:
        best = max(
            (
                (iou(p.start, p.end, true_seg.start, true_seg.end), index)
                for index, p in enumerate(predicted.segments)
                if index not in used and (p.kind, p.number) == (true_seg.kind, true_seg.number)
            ),
            default=(0.0, -1),
        )
        if best[0] >= MATCH_IOU:
            used.add(best[1])
            pairs.append((predicted.segments[best[1]], true_seg))
    matched_truth = {id(t) for _, t in pairs}
    errors = [abs(p.start - t.start) for p, t in pairs] + [abs(p.end - t.end) for p, t in pairs]
    titled = [(p, t) for p, t in pairs if t.kind in ("mistake", "variation")]
    demo_ious: list[float] = []
    with_demos = 0
    for p, t in pairs:
        found = [_demo_iou(p.demo(d.form), d) for d in t.demos]
        demo_ious += found
        if t.kind == "mistake" and all(v >= DEMO_IOU for v in found) and len(found) >= 2:
            with_demos += 1
    return PlanScore(
        true_segments=len(truth.segments),
        predicted_segments=len(predicted.segments),
        matched=len(pairs),
        boundary_error=sum(errors) / len(errors) if errors else 0.0,
        title_similarity=(
            sum(title_similarity(p.title, t.title) for p, t in titled) / len(titled)
            if titled
            else 1.0
        ),
        mistakes=sum(1 for t in truth.segments if t.kind == "mistake"),
        mistakes_with_demos=with_demos,
        demo_iou=sum(demo_ious) / len(demo_ious) if demo_ious else 1.0,
        missed=tuple(t.id for t in truth.segments if id(t) not in matched_truth),
        extra=tuple(p.id for i, p in enumerate(predicted.segments) if i not in used),
    )


def _demo_iou(predicted: Demo | None, truth: Demo) -> float:
    return iou(predicted.start, predicted.end, truth.start, truth.end) if predicted else 0.0
