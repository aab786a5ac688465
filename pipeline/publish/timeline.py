"""The editor hand-off: an OpenTimelineIO timeline of the segments, cut from the source.

Editors import `timeline.otio` (DaVinci Resolve, Premiere via adapters, Kdenlive) and get one
clip per segment, named by its heading, with red and green markers on the bad and good demos.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.files import write_text
from pipeline.core.model import Media, Output, Plan

MARKER_NAMES = {"bad": "BAD FORM", "good": "GOOD FORM", "demo": "DEMO"}


def write_timeline(media: Media, plan: Plan, outdir: Path) -> Output:
    """Write `outdir/timeline.otio`: one video track, one clip per segment of the source.

    Clip source ranges and marker ranges are in the source's own time (frames at media.fps),
    so an editor relinking to the original file lands on the same frames.

    Returns:
        The timeline's Output (type "timeline").
    """
    import opentimelineio as otio

    rate = media.fps or 30.0

    def at(seconds: float) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(round(seconds * rate), rate)

    def span(start: float, end: float) -> otio.opentime.TimeRange:
        begin = at(start)
        return otio.opentime.TimeRange(begin, at(end) - begin)

    colours = {
        "bad": otio.schema.MarkerColor.RED,
        "good": otio.schema.MarkerColor.GREEN,
        "demo": otio.schema.MarkerColor.YELLOW,
    }
    source = Path(media.path).resolve()
    timeline = otio.schema.Timeline(name=plan.topic or source.stem)
    track = otio.schema.Track(name="Segments", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    for segment in plan.segments:
        reference = otio.schema.ExternalReference(
            target_url=source.as_uri(), available_range=span(0.0, media.duration)
        )
        clip = otio.schema.Clip(
            name=segment.heading,
            media_reference=reference,
            source_range=span(segment.start, min(segment.end, media.duration)),
            metadata={"make-clips": {"segment": segment.id, "kind": segment.kind}},
        )
        for demo in segment.demos:
            clip.markers.append(
                otio.schema.Marker(
                    name=MARKER_NAMES[demo.form],
                    marked_range=span(demo.start, demo.end),
                    color=colours[demo.form],
                )
            )
        track.append(clip)
    text = otio.adapters.write_to_string(timeline, "otio_json")
    path = write_text(Path(outdir) / "timeline.otio", text)
    return Output(path=path, type="timeline", extra={"format": "otio", "clips": len(plan.segments)})
