"""The editor hand-off: timeline.otio read back with OpenTimelineIO."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio

from pipeline.core.model import Demo, Media, Plan, Segment
from pipeline.publish.timeline import write_timeline


def media(path: Path) -> Media:
    return Media(path, 40.0, 1280, 720, 30.0, 0, True, "h264", "yuv420p")


PLAN = Plan(
    source="take.mp4",
    duration=40.0,
    topic="Single-leg hip thrust",
    segments=(
        Segment("intro", "intro", None, "Intro", 0.0, 5.0),
        Segment(
            "mistake-1",
            "mistake",
            1,
            "Pushing off your elbows",
            5.0,
            20.0,
            demos=(Demo("bad", 8.0, 12.0), Demo("good", 12.5, 18.0)),
        ),
        Segment(
            "variation-1", "variation", 1, "Iso hold", 20.0, 40.0, demos=(Demo("demo", 24.0, 30.0),)
        ),
    ),
)


def test_timeline_has_one_clip_per_segment_cut_from_the_source(tmp_path):
    source = tmp_path / "my take.mp4"
    source.write_bytes(b"")
    output = write_timeline(media(source), PLAN, tmp_path)
    assert output.path == tmp_path / "timeline.otio"
    timeline = otio.adapters.read_from_file(str(output.path))
    clips = list(timeline.find_clips())
    assert [clip.name for clip in clips] == [
        "Intro",
        "Mistake #1: Pushing off your elbows",
        "Variation #1: Iso hold",
    ]
    assert len(timeline.tracks) == 1
    for clip, segment in zip(clips, PLAN.segments):
        assert clip.source_range.start_time.to_seconds() == segment.start
        assert clip.source_range.duration.to_seconds() == segment.duration
        assert clip.source_range.start_time.rate == 30.0
        reference = clip.media_reference
        assert reference.target_url == source.resolve().as_uri()
        assert reference.available_range.duration.to_seconds() == 40.0
    assert timeline.duration().to_seconds() == 40.0


def test_demos_are_red_and_green_markers_in_media_time(tmp_path):
    output = write_timeline(media(tmp_path / "take.mp4"), PLAN, tmp_path)
    clips = list(otio.adapters.read_from_file(str(output.path)).find_clips())
    markers = [
        (
            m.name,
            m.color,
            m.marked_range.start_time.to_seconds(),
            m.marked_range.duration.to_seconds(),
        )
        for m in clips[1].markers
    ]
    assert markers == [
        ("BAD FORM", otio.schema.MarkerColor.RED, 8.0, 4.0),
        ("GOOD FORM", otio.schema.MarkerColor.GREEN, 12.5, 5.5),
    ]
    assert not clips[0].markers
    assert [m.name for m in clips[2].markers] == ["DEMO"]
    assert not list(tmp_path.glob(".*partial*"))
