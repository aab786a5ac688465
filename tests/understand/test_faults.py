"""What is wrong in a bad demo: joint angles on hand-made poses, the joint that differs most,
and the stretch where the body moves most."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.understand.faults import (
    FaultMark,
    fault_joint,
    joint_angle,
    joint_spot,
    key_moment,
)

SIZE = (1280, 720)


def body(hip_angle: float, knee_angle: float = 90.0, swap_legs: bool = False) -> np.ndarray:
    """A side view of an athlete lying face up (33 BlazePose landmarks, all seen): shoulder
    left of the hip, the thigh turned `hip_angle` degrees from the torso (180: a straight
    line), the shin `knee_angle` from the thigh. With `swap_legs` the model calls the near
    leg the right one, as BlazePose may from one picture to the next."""
    points = np.zeros((33, 3))
    points[:, 2] = 1.0
    pixels = {}
    hip = np.array([640.0, 400.0])
    pixels[11] = pixels[12] = hip + [-300.0, 0.0]  # shoulders
    pixels[23] = pixels[24] = hip
    thigh = math.radians(180.0 - hip_angle)  # the thigh turns up from the torso's line
    knee = hip + 200.0 * np.array([math.cos(thigh), -math.sin(thigh)])
    shin = thigh - math.radians(180.0 - knee_angle)
    ankle = knee + 200.0 * np.array([math.cos(shin), -math.sin(shin)])
    near, far = (26, 28), (25, 27)  # the near leg bent as given, the far one straight down
    if swap_legs:
        near, far = far, near
    pixels[near[0]], pixels[near[1]] = knee, ankle
    pixels[far[0]], pixels[far[1]] = hip + [150.0, 150.0], hip + [150.0, 320.0]
    for elbow, wrist in ((13, 15), (14, 16)):
        pixels[elbow], pixels[wrist] = pixels[11] + [0.0, 150.0], pixels[11] + [100.0, 150.0]
    for index, (x, y) in pixels.items():
        points[index, :2] = x / SIZE[0], y / SIZE[1]
    for foot in (31, 32):
        points[foot, :2] = points[foot - 4, :2] + [0.05, 0.0]
    return points


def test_the_angle_at_a_joint_is_read_in_degrees() -> None:
    assert joint_angle(body(152.0), (12, 24, 26), SIZE) == pytest.approx(152.0, abs=0.01)
    assert joint_angle(body(178.0), (12, 24, 26), SIZE) == pytest.approx(178.0, abs=0.01)
    knee = joint_angle(body(178.0, knee_angle=95), (24, 26, 28), SIZE)  # one way round
    assert min(knee, 360 - knee) == pytest.approx(95.0)


def test_the_hip_that_sags_is_the_fault_with_both_angles() -> None:
    fault = fault_joint(body(152.0), body(178.0), SIZE)
    assert fault is not None and fault.joint == "hip"
    assert round(fault.bad_angle) == 152 and round(fault.good_angle) == 178
    mark = FaultMark(1.0, 2.0, (0.0, 0.0, 1.0, 1.0), joint_spot(fault, SIZE), fault)
    assert mark.text == "hip 152° (good form 178°)"
    x, y, radius = mark.spot or (0, 0, 0)
    assert (x, y) == pytest.approx((0.5, 400 / 720)) and 0.03 <= radius <= 0.12


def test_a_back_bent_past_straight_reads_past_180() -> None:
    fault = fault_joint(body(196.0), body(178.0), SIZE)
    assert fault is not None and fault.joint == "hip"
    assert round(fault.bad_angle) == 196 and round(fault.good_angle) == 178


def test_legs_named_the_other_way_round_are_still_the_same_limb() -> None:
    fault = fault_joint(body(152.0, swap_legs=True), body(178.0), SIZE)
    assert fault is not None and fault.joint == "hip"
    assert round(fault.bad_angle) == 152 and round(fault.good_angle) == 178


def test_alike_poses_have_no_fault_and_hidden_joints_are_not_guessed() -> None:
    assert fault_joint(body(176.0), body(178.0), SIZE) is None
    hidden = body(120.0)
    hidden[[23, 24], 2] = 0.1  # both hips hidden: no hip or knee angle can be read
    fault = fault_joint(hidden, body(178.0), SIZE)
    assert fault is None or fault.joint not in ("hip", "knee")


def test_the_replay_starts_where_the_body_moves_most() -> None:
    rate = 10.0
    signal = np.zeros(60)  # 6 s: still, then a fast rep from 3.5 s to 5 s, then still
    signal[35:50] = np.sin(np.linspace(0, 2 * np.pi, 15)) * 5
    begin = key_moment(signal, rate, seconds=1.5)
    assert begin is not None and 3.3 <= begin <= 3.6
    assert key_moment(np.zeros(60), rate) is None
    assert key_moment(signal[:10], rate) is None  # shorter than the replay
