"""Good-vs-bad comparison clips: the bad and the good demonstration at once, labelled.

Stacked (bad on top) in portrait and square formats, side by side (bad on the left) in
16:9. Both halves use the same framing, so the athlete is the same size in each, and both
start together and last as long as the shorter demo. With [annotations] ghost, the 16:9
clip's bad half also shows the good form over it at 50%, so the difference is in one picture.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.core.files import aspect_tag, segment_basename
from pipeline.core.model import Media, Output, Segment, Transcript
from pipeline.core.settings import ASPECTS, Settings
from pipeline.core.style import Style
from pipeline.hear import motion
from pipeline.render import graph, loudness
from pipeline.render.encode import Encode, ProgressCallback, run_encode, work_folder
from pipeline.render.framing import Region, choose_framing, region_of_frames, widen
from pipeline.render.labels import Overlay, centred, header_image, pill_image, safe_box
from pipeline.understand.reps import Alignment, align

LABEL_CLEAR = (0.18, 0.04)  # shares of each half covered by its label (top) and the edge
GHOST_OPACITY = 0.5  # the good form laid over the bad one in 16:9 (style [annotations] ghost)


def render_compare(
    media: Media,
    segment: Segment,
    transcript: Transcript,
    style: Style,
    settings: Settings,
    outdir: Path,
    on_progress: ProgressCallback | None = None,
) -> list[Output]:
    """Render `clips/<basename>_compare_<tag>.mp4` for each format with one ffmpeg process.

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
    encode = prepare_compare(media, segment, style, settings, outdir)
    return [] if encode is None else run_encode(encode, on_progress)


def prepare_compare(
    media: Media, segment: Segment, style: Style, settings: Settings, outdir: Path
) -> Encode | None:
    """Everything `render_compare` does before ffmpeg runs (None: no bad and good demo)."""
    bad, good = segment.demo("bad"), segment.demo("good")
    if bad is None or good is None:
        return None
    fps = graph.output_fps(media)
    threads = graph.encoder_threads(len(settings.formats))
    stem = segment_basename(segment.id, segment.title)
    clips = Path(outdir).resolve() / "clips"
    source = Path(media.path).resolve()
    work = work_folder()
    try:
        with ThreadPoolExecutor(3) as pool:
            # Decoding for motion (PyAV) and measuring loudness (ffmpeg) leave the GIL free.
            spans = [pool.submit(motion.decode_span, media, d.start, d.end) for d in (bad, good)]
            decoded = [span.result() for span in spans]
            region = _union(*(region_of_frames(frames) for _, frames in decoded))
            timing = _lined_up(decoded) if style.align_reps else Alignment()
            length = _length(segment, timing)
            audio_job = pool.submit(_audio_chain, media, source, good.start, length, work)
            audio = audio_job.result()
            args: list[str | Path] = []
            # Inputs 0 and 1: each demo decoded once for every format. The bad one starts
            # where its reps line up with the good one's; the good one at its start, so its
            # narration (the clip's sound) is whole, and its picture skips in the graph.
            for start, span in (
                (bad.start + timing.bad_skip, length),
                (good.start, length * timing.speed + timing.good_skip),
            ):
                args += ["-ss", f"{start:.3f}", "-t", f"{span + 0.1:.3f}", "-i", source]
            if not media.has_audio:
                args += ["-f", "lavfi", "-t", f"{length:.3f}", "-i", "anullsrc=r=48000:cl=stereo"]
            first_image = 2 if media.has_audio else 3
            for index, aspect in enumerate(settings.formats):
                tag = aspect_tag(aspect)
                halves, overlays = _layout(segment, style, ASPECTS[aspect], length, work, tag)
                args += graph.image_inputs(overlays)
                chain = _graph(media, style, ASPECTS[aspect], halves, overlays, region, fps,
                               length, index, first_image, timing)  # fmt: skip
                args += ["-filter_complex", chain]
                first_image += len(overlays)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    pads = "".join(f"[a{index}]" for index in range(len(settings.formats)))
    audio_input = 1 if media.has_audio else 2
    args += [
        "-filter_complex",
        f"[{audio_input}:a:0]{audio},asplit={len(settings.formats)}{pads}",
    ]
    outputs: list[Output] = []
    finals: list[Path] = []
    for index, aspect in enumerate(settings.formats):
        args += ["-map", f"[v{index}]", "-map", f"[a{index}]"]
        args += [*graph.video_args(settings, fps, threads), *graph.audio_args()]
        args += graph.mp4_args(f"{segment.heading}: bad vs good form")
        final = clips / f"{stem}_compare_{aspect_tag(aspect)}.mp4"
        args += ["-t", f"{length:.3f}", final]
        finals.append(final)
        alt = f"{segment.heading}: bad form and good form side by side"
        outputs.append(
            Output(final, "compare", segment.id, aspect, alt=alt, extra={"duration": length})
        )
    return Encode(tuple(args), length, work, tuple(finals), tuple(outputs))


def _lined_up(decoded: list[tuple[list[float], list]]) -> Alignment:
    """How the good demo plays against the bad one so their reps reach the top together."""
    bad_signal, good_signal = motion.signals_of(decoded)
    if not len(bad_signal) or not len(good_signal):
        return Alignment()
    return align(bad_signal, good_signal, motion.RATE)


def _length(segment: Segment, timing: Alignment) -> float:
    """The compare clip's length: as long as both demos last, lined up."""
    bad, good = segment.demo("bad"), segment.demo("good")
    assert bad is not None and good is not None
    bad_left = bad.end - bad.start - timing.bad_skip
    good_left = (good.end - good.start - timing.good_skip) / timing.speed
    return round(max(0.5, min(bad_left, good_left)), 3)


def _audio_chain(media: Media, source: Path, start: float, length: float, work: Path) -> str:
    if not media.has_audio:
        return loudness.AUDIO_BASE
    return loudness.normalise_chain(source, start, length, work)


def _graph(
    media: Media, style: Style, size: tuple[int, int], halves: tuple[graph.Box, graph.Box],
    overlays: list[Overlay], region: Region, fps: int, length: float, index: int,
    first_image: int, timing: Alignment,
) -> str:  # fmt: skip
    """Format `index`'s picture `[v<index>]`: both demos framed alike on a canvas, labelled."""
    half_size = (halves[0].w, halves[0].h)
    source_size = (media.width, media.height)
    framing = choose_framing(source_size, region, half_size, clear=LABEL_CLEAR)
    place = graph.Box(0, 0, *half_size)
    if framing.fill:
        framing = widen(framing, half_size, source_size)
        fit_w, fit_h = graph.fitted_size(framing, half_size)
        place = graph.Box((half_size[0] - fit_w) // 2, (half_size[1] - fit_h) // 2, fit_w, fit_h)
    background = "0x{:02X}{:02X}{:02X}".format(*style.header_background)
    i = index
    good = f"trim=start={timing.good_skip:.3f},setpts=(PTS-STARTPTS)/{timing.speed:.4f}"
    chains = [
        f"[0:v]setpts=PTS-STARTPTS,fps={fps}[b{i}]",
        f"[1:v]{good},fps={fps}[g{i}]",
    ]
    chains += [
        graph.frame_filter(f"{letter}{i}", f"{letter}f{i}", framing, half_size, place)
        for letter in "bg"
    ]
    bad_half, good_half = f"bf{i}", f"gf{i}"
    if style.ghost and size[0] > size[1]:  # side by side: the good form's ghost over the bad
        chains.append(
            f"[gf{i}]format=yuv420p,split=2[gfa{i}][gfb{i}];[bf{i}]format=yuv420p[bfa{i}];"
            f"[bfa{i}][gfb{i}]blend=all_mode=normal:all_opacity={GHOST_OPACITY}[ghost{i}]"
        )
        bad_half, good_half = f"ghost{i}", f"gfa{i}"
    chains += [
        _canvas(bad_half, good_half, f"both{i}", size, halves, background, fps, length),
        graph.overlay_chain(f"both{i}", f"ov{i}", overlays, first_image),
        f"[ov{i}]format=yuv420p[v{i}]",
    ]
    return ";".join(chains)


def _canvas(
    bad: str, good: str, target: str, size: tuple[int, int], halves: tuple[graph.Box, graph.Box],
    colour: str, fps: int, length: float,
) -> str:  # fmt: skip
    """The two halves on a plain background (pipeline.render.graph.around: the frames of two
    overlays on a `color` canvas, for less work)."""
    return ";".join([
        f"color=c={colour}:s={size[0]}x{size[1]}:r={fps}:d={length:.3f},format=yuv420p"
        f"[{target}_canvas]",
        graph.around(f"{target}_canvas", bad, f"{target}_one", size, halves[0]),
        graph.around(f"{target}_one", good, target, size, halves[1]),
    ])  # fmt: skip


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
