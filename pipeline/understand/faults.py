"""What is wrong in a bad-form demo and when it shows: joint angles from body landmarks, the
joint where bad form differs most from good, the moment to freeze and the stretch to replay
slowly.

A joint's angle is the one at its middle landmark between the two body segments that meet
there (the hip: shoulder-hip-knee, 180° when the body is straight from shoulder to knee),
measured in the picture's pixels. Bad and good form are compared at the moment the split
images and freeze frames show (the top of a rep), on the side of the body the camera sees
best.

The replay is the stretch of the bad demo where the body moves most: the largest summed
change of its movement signal (pipeline.hear.motion) over REPLAY_SECONDS.

Pure: landmark arrays and signals in (landmarks as pipeline.hear.pose gives them: x, y as
fractions, visibility), numbers out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_VISIBLE = 0.5
MIN_DIFFERENCE = 8.0  # degrees: smaller differences are within what the model wobbles
REPLAY_SECONDS = 1.5  # of the bad demo replayed at half speed (3 s on screen)

Spot = tuple[float, float, float]  # centre x, y and radius: fractions of the picture's width
Box = tuple[float, float, float, float]  # left, top, right, bottom: fractions of the picture

# BlazePose landmark indices of each joint's three points (end, joint, end), left then right.
JOINTS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "hip": ((11, 23, 25), (12, 24, 26)),
    "knee": ((23, 25, 27), (24, 26, 28)),
    "elbow": ((11, 13, 15), (12, 14, 16)),
    "shoulder": ((13, 11, 23), (14, 12, 24)),
    "ankle": ((25, 27, 31), (26, 28, 32)),
}


@dataclass(frozen=True, slots=True)
class Fault:
    """The joint whose angle differs most between bad and good form, and both angles."""

    joint: str  # "hip", "knee", ...
    bad_angle: float  # degrees
    good_angle: float
    bad_points: tuple[tuple[float, float], ...]  # end, joint, end: fractions of the picture
    good_points: tuple[tuple[float, float], ...]

    @property
    def difference(self) -> float:
        return abs(self.bad_angle - self.good_angle)


@dataclass(frozen=True, slots=True)
class FaultMark:
    """A mistake's marked moment: the bad and good frames compared (seconds of the source),
    where the athlete is in them, the ring's spot, and the joint angles when pose found both."""

    bad_time: float
    good_time: float
    subject: Box
    spot: Spot | None
    fault: Fault | None = None

    @property
    def text(self) -> str:
        """E.g. "hip 152° (good form 178°)"; empty without a pose."""
        if self.fault is None:
            return ""
        good = round(self.fault.good_angle)
        return f"{angle_text(self.fault.joint, self.fault.bad_angle)} (good form {good}°)"


def key_moment(signal: np.ndarray, rate: float, seconds: float = REPLAY_SECONDS) -> float | None:
    """Where (seconds from the signal's start) the `seconds` in which the movement signal
    changes most begin; None when the demo is shorter or nothing moves."""
    window = round(seconds * rate)
    values = np.asarray(signal, dtype=np.float64)
    if window < 2 or len(values) <= window:
        return None
    change = np.abs(np.diff(values))
    if not np.any(change):
        return None
    sums = np.convolve(change, np.ones(window - 1), mode="valid")
    return float(np.argmax(sums) / rate)


def joint_spot(fault: Fault, size: tuple[int, int]) -> Spot:
    """A ring around the bad form's joint, as large as a third of its shorter segment."""
    (ax, ay), (jx, jy), (bx, by) = fault.bad_points
    width, height = size
    reach = min(np.hypot((ax - jx) * width, (ay - jy) * height),
                np.hypot((bx - jx) * width, (by - jy) * height))  # fmt: skip
    radius = float(np.clip(reach / 3 / width, 0.03, 0.12))
    return jx, jy, radius


def joint_angle(points: np.ndarray, triple: tuple[int, int, int], size: tuple[int, int]) -> float:
    """The angle in degrees at `triple[1]` turning from the segment to `triple[0]` to the one
    to `triple[2]`, one way round (0..360), in a picture of `size` (width, height) pixels:
    a joint bent past straight (a hyperextended back) reads past 180 on the same side."""
    scale = np.array(size, dtype=np.float64)
    end_a, joint, end_b = (np.asarray(points[i, :2], dtype=np.float64) * scale for i in triple)
    first, second = end_a - joint, end_b - joint
    if not np.any(first) or not np.any(second):
        return float("nan")
    turn = np.arctan2(first[0] * second[1] - first[1] * second[0], np.dot(first, second))
    return float(np.degrees(turn) % 360.0)


def fault_joint(
    bad: np.ndarray, good: np.ndarray, size: tuple[int, int], joints: tuple[str, ...] = ()
) -> Fault | None:
    """The joint whose angle differs most between the `bad` and `good` landmarks (33 x 3);
    None when no joint differs by MIN_DIFFERENCE degrees.

    The model may call the near leg left in one picture and right in the other, so each
    joint of the bad form is compared with the same limb of the good form: left with left
    and right with right, or crossed when that pairing's points lie nearer (the camera and
    the athlete stay put between demos). Angles are
    read on the side where good form is at most 180°, so bad form past straight reads more.
    """
    best: Fault | None = None
    for name in joints or tuple(JOINTS):
        for bad_side, good_side in _same_limbs(bad, good, JOINTS[name]):
            bad_angle = joint_angle(bad, bad_side, size)
            good_angle = joint_angle(good, good_side, size)
            if np.isnan(bad_angle) or np.isnan(good_angle):
                continue
            bad_angle = good_angle + (bad_angle - good_angle + 180.0) % 360.0 - 180.0
            if good_angle > 180.0:  # read on the side where good form is at most straight
                bad_angle, good_angle = 360.0 - bad_angle, 360.0 - good_angle
            bad_angle = abs(bad_angle)  # bent the other way past 0: its size
            candidate = Fault(
                name, bad_angle, good_angle, _points(bad, bad_side), _points(good, good_side)
            )
            if best is None or candidate.difference > best.difference:
                best = candidate
    return best if best is not None and best.difference >= MIN_DIFFERENCE else None


Triple = tuple[int, int, int]


def _same_limbs(
    bad: np.ndarray, good: np.ndarray, sides: tuple[Triple, Triple]
) -> list[tuple[Triple, Triple]]:
    """The (bad, good) landmark triples that are the same limb, seen in both: left with left
    and right with right, or crossed when the crossed points lie nearer each other."""
    left, right = sides

    def apart(first: Triple, second: Triple) -> float:
        return sum(float(np.hypot(*(bad[i, :2] - good[j, :2]))) for i, j in zip(first, second))

    pairs = [(left, left), (right, right)]
    if apart(left, right) + apart(right, left) < apart(left, left) + apart(right, right):
        pairs = [(left, right), (right, left)]
    return [
        (b, g)
        for b, g in pairs
        if all(bad[i, 2] >= MIN_VISIBLE for i in b) and all(good[i, 2] >= MIN_VISIBLE for i in g)
    ]


def _points(points: np.ndarray, side: tuple[int, int, int]) -> tuple[tuple[float, float], ...]:
    return tuple((float(points[i, 0]), float(points[i, 1])) for i in side)


def angle_text(joint: str, angle: float) -> str:
    """E.g. "hip 152°"."""
    return f"{joint} {round(angle)}°"
