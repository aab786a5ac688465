"""The marked moment of each mistake, shared by its split images, its clip's freeze frame and
the article: the frames of bad and good form compared, where they differ most, and with a
pose the joint and both angles.
"""

from __future__ import annotations

from pipeline.core.model import Media, Plan, Segment
from pipeline.hear.pose import Poses
from pipeline.publish.frames import FrameChoice, choose_frame, decode_frame, difference_spot
from pipeline.understand.faults import FaultMark, Spot, fault_joint, joint_spot


def mark_faults(media: Media, plan: Plan, poses: Poses) -> dict[str, FaultMark]:
    """Each mistake's FaultMark (by segment id), for mistakes with a bad and a good demo.

    Raises:
        InputError: the source cannot be decoded where a demo says it has a picture.
    """
    return {
        segment.id: mark_fault(media, segment, poses)
        for segment in plan.segments
        if segment.demo("bad") is not None and segment.demo("good") is not None
    }


def mark_fault(media: Media, segment: Segment, poses: Poses) -> FaultMark:
    """The frames of the segment's bad and good demo at the top of a rep (the frame chooser's
    pick), the joint whose angle differs most there when both have a pose, and the ring: on
    that joint, or else where the two pictures differ most."""
    bad, good = segment.demo("bad"), segment.demo("good")
    assert bad is not None and good is not None
    bad_choice, good_choice = (
        choose_frame(media, bad.start, bad.end),
        choose_frame(media, good.start, good.end),
    )
    subject = _union(bad_choice, good_choice)
    tracks = [poses.get((segment.id, segment.demos.index(demo))) for demo in (bad, good)]
    fault = None
    if tracks[0] is not None and tracks[1] is not None:
        bad_points, good_points = tracks[0].at(bad_choice.time), tracks[1].at(good_choice.time)
        if bad_points is not None and good_points is not None:
            fault = fault_joint(bad_points, good_points, (media.width, media.height))
    spot: Spot | None
    if fault is not None:
        spot = joint_spot(fault, (media.width, media.height))
    else:
        pictures = decode_frame(media, bad_choice.time), decode_frame(media, good_choice.time)
        spot = difference_spot(*pictures, subject)
    return FaultMark(bad_choice.time, good_choice.time, subject, spot, fault)


def _union(first: FrameChoice, second: FrameChoice) -> tuple[float, float, float, float]:
    a, b = first.subject, second.subject
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
