"""Good-vs-bad comparison clips: the bad and the good demonstration at once, labelled.

Stacked (bad on top) in portrait and square formats, side by side (bad on the left) in
16:9. Both halves use the same framing, so the athlete is the same size in each, and both
start together and last as long as the shorter demo.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline import graph, loudness
from pipeline.ffmpeg import run_ffmpeg
from pipeline.files import aspect_tag, atomic_path, segment_basename
from pipeline.framing import Region, choose_framing, motion_region, widen
from pipeline.labels import Overlay, centred, header_image, pill_image, safe_box
from pipeline.model import Media, Output, Segment, Transcript
from pipeline.settings import ASPECTS, Settings
from pipeline.style import Style

ProgressCallback = Callable[[float], None]
LABEL_CLEAR = (0.18, 0.04)  # shares of each half covered by its label (top) and the edge


def render_compare(
    media: Media,
    segment: Segment,
    transcript: Transcript,
    style: Style,
    settings: Settings,
    outdir: Path,
    on_progress: ProgressCallback | None = None,
) -> list[Output]:
    """Render `clips/<basename>_compare_<tag>.mp4` for each format, from one ffmpeg process.

    Audio: the good demonstration's narration, normalised to -14 LUFS. Both halves play at
    once, so only one voice can be heard; the good one is the instruction the viewer should
    follow ("keep your arms relaxed"), it ends the comparison on the right note, and the bad
    demo's lines ("don't do it like this") only make sense over a single picture. A source
    without audio gets a silent track.

    Returns:
        One Output(type="compare") per format; none when the segment lacks a bad or good demo.

    Raises:
        FFmpegError: ffmpeg failed. OutputError: the clips cannot be written.
    """
    bad, good = segment.demo("bad"), segment.demo("good")
    if bad is None or good is None:
        return []
    length = round(min(bad.end - bad.start, good.end - good.start), 3)
    fps = graph.output_fps(media)
    region = _union(
        motion_region(media, bad.start, bad.end), motion_region(media, good.start, good.end)
    )
    stem = segment_basename(segment.id, segment.title)
    clips = Path(outdir).resolve() / "clips"
    source = Path(media.path).resolve()
    count = len(settings.formats)
    with tempfile.TemporaryDirectory(prefix="make-clips-") as folder:
        work = Path(folder)
        audio = (
            loudness.normalise_chain(source, good.start, length, work)
            if media.has_audio
            else loudness.AUDIO_BASE
        )
        args: list[str | Path] = []
        for demo in (bad, good):
            args += ["-ss", f"{demo.start:.3f}", "-t", f"{length:.3f}", "-i", source]
        audio_input = 1
        if not media.has_audio:
            args += ["-f", "lavfi", "-t", f"{length:.3f}", "-i", "anullsrc=r=48000:cl=stereo"]
            audio_input = 2
        next_input = 3 if not media.has_audio else 2
        chains = []
        for side, letter in ((0, "b"), (1, "g")):
            pads = "".join(f"[{letter}{i}]" for i in range(count))
            split = f",split={count}" if count > 1 else ""
            chains.append(f"[{side}:v]setpts=PTS-STARTPTS,fps={fps}{split}{pads}")
        for index, aspect in enumerate(settings.formats):
            size = ASPECTS[aspect]
            halves, overlays = _layout(segment, style, size, length, work, aspect_tag(aspect))
            half_size = (halves[0].w, halves[0].h)
            source_size = (media.width, media.height)
            framing = choose_framing(source_size, region, half_size, clear=LABEL_CLEAR)
            place = graph.Box(0, 0, *half_size)
            if framing.fill:
                framing = widen(framing, half_size, source_size)
                fit_w, fit_h = graph.fitted_size(framing, half_size)
                place = graph.Box(
                    (half_size[0] - fit_w) // 2, (half_size[1] - fit_h) // 2, fit_w, fit_h
                )
            background = "0x{:02X}{:02X}{:02X}".format(*style.header_background)
            chains.append(
                f"color=c={background}:s={size[0]}x{size[1]}:r={fps}:d={length:.3f}[canvas{index}]"
            )
            for letter in ("b", "g"):
                chains.append(
                    graph.frame_filter(
                        f"{letter}{index}", f"{letter}f{index}", framing, half_size, place
                    )
                )
            chains.append(
                f"[canvas{index}][bf{index}]overlay={halves[0].x}:{halves[0].y}[one{index}];"
                f"[one{index}][gf{index}]overlay={halves[1].x}:{halves[1].y}[both{index}]"
            )
            chains.append(graph.overlay_chain(f"both{index}", f"ov{index}", overlays, next_input))
            chains.append(f"[ov{index}]format=yuv420p[v{index}]")
            args += graph.image_inputs(overlays)
            next_input += len(overlays)
        pads = "".join(f"[a{i}]" for i in range(count))
        chains.append(f"[{audio_input}:a:0]{audio},asplit={count}{pads}")
        args += ["-filter_complex", ";".join(chains)]
        outputs = []
        with contextlib.ExitStack() as stack:
            for index, aspect in enumerate(settings.formats):
                final = clips / f"{stem}_compare_{aspect_tag(aspect)}.mp4"
                args += [
                    "-map",
                    f"[v{index}]",
                    "-map",
                    f"[a{index}]",
                    *graph.video_args(settings, fps),
                ]
                args += [
                    *graph.audio_args(),
                    *graph.mp4_args(f"{segment.heading}: bad vs good form"),
                ]
                args += ["-t", f"{length:.3f}", stack.enter_context(atomic_path(final))]
                alt = f"{segment.heading}: bad form and good form side by side"
                outputs.append(Output(final, "compare", segment.id, aspect, alt=alt,
                                      extra={"duration": length}))  # fmt: skip
            run_ffmpeg(args, duration=length, on_progress=on_progress, cwd=work)
    return outputs


def _layout(
    segment: Segment, style: Style, size: tuple[int, int], length: float, work: Path, tag: str
) -> tuple[tuple[graph.Box, graph.Box], list[Overlay]]:
    """Where the bad and good halves go, and the header and label overlays."""
    width, height = size
    box = safe_box(style, size)
    unit = min(size)
    gap = max(4, unit // 120) // 2 * 2
    heading = style.header_for(segment.kind, segment.number, segment.title)
    header = header_image(heading, style, round(unit * 0.036), box.width, max_lines=2)
    pills = [
        pill_image(
            text, colour, style, round(unit * 0.05), box.width // (1 if height >= width else 2)
        )
        for text, colour in ((style.bad_label, style.bad), (style.good_label, style.good))
    ]
    overlays: list[Overlay] = []
    if height >= width:
        head = centred(header, work / f"{tag}-header.png", box, box.top, 0, length, "header")
        top = head.y + head.height + gap
        half_h = (box.bottom - top - gap) // 2 // 2 * 2
        halves = (graph.Box(0, top, width, half_h), graph.Box(0, top + half_h + gap, width, half_h))
        label_boxes = [box, box]
    else:
        half_w = (width - gap) // 2 // 2 * 2
        halves = (graph.Box(0, 0, half_w, height), graph.Box(width - half_w, 0, half_w, height))
        y = box.bottom - header.height
        head = centred(header, work / f"{tag}-header.png", box, y, 0, length, "header")
        label_boxes = [
            type(box)(max(box.left, half.x), box.top, min(box.right, half.x + half.w), box.bottom)
            for half in halves
        ]
    overlays.append(head)
    for half, label_box, pill, form in zip(halves, label_boxes, pills, ("bad", "good")):
        y = half.y + max(unit // 40, box.top - half.y)
        overlays.append(centred(pill, work / f"{tag}-{form}.png", label_box, y, 0, length, "label"))
    return halves, overlays


def _union(first: Region, second: Region) -> Region:
    return Region(
        min(first.left, second.left),
        min(first.top, second.top),
        max(first.right, second.right),
        max(first.bottom, second.bottom),
    )
