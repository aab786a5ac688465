"""Render a segment into social clips: every format from one ffmpeg process.

The process decodes the segment once (input seek around it); per format, one filter graph
frames it (steady crop, or the whole picture over a blurred fill), lays the header and form
labels over it and captions it with libass; each is encoded as H.264 High / AAC at -14 LUFS.
Each clip gets its own .srt and a .jpg thumbnail. Every file is written atomically.

Separate graphs rather than one graph with `split`: ffmpeg 7 and later run each filter graph
in its own thread, so the formats are filtered in parallel while the source is still decoded
once. Measured on the sample (scripts/bench.py, 2 cores, ffmpeg 9): 1.27x the plain-encode
floor, against 1.39x for one process per format; one graph with split measured 1.48x (ffmpeg 5).
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.files import aspect_tag, segment_basename
from pipeline.core.marking import Place, draw_mark, transparent
from pipeline.core.model import Media, Output, Segment, Transcript
from pipeline.core.settings import ASPECTS, Settings
from pipeline.core.style import Style
from pipeline.hear import motion
from pipeline.hear.pose import PoseTrack
from pipeline.render import graph, loudness, replay
from pipeline.render.captions import build_ass, build_srt, caption_layout, clip_words, paginate
from pipeline.render.compare import prepare_compare, render_compare
from pipeline.render.encode import Encode, ProgressCallback, run_encode, work_folder
from pipeline.render.framing import (
    Framing,
    Region,
    body_region,
    choose_framing,
    motion_region,
    union,
    widen,
)
from pipeline.render.labels import (
    Overlay,
    RepMark,
    SafeBox,
    counter_pill,
    safe_box,
    save_layer,
    segment_overlays,
)
from pipeline.understand.faults import REPLAY_SECONDS, FaultMark, key_moment
from pipeline.understand.reps import rep_tops

__all__ = ["render_segment", "prepare_segment", "render_compare", "prepare_compare", "clip_span"]

TAIL = 0.25  # seconds kept after the last word when a long segment is cut


@dataclass(frozen=True, slots=True)
class _Format:
    aspect: str
    size: tuple[int, int]
    duration: float  # seconds of the clip, from the segment's start
    framing: Framing
    place: graph.Box  # where the picture sits in the output (the whole frame unless fill)
    overlays: list[Overlay]
    ass: str  # file name of the captions in the work folder
    srt: str  # SRT text
    thumbnail_at: float
    insert: replay.Insert | None = None  # the slow-motion replay and freeze frame cut in


def render_segment(
    media: Media,
    segment: Segment,
    transcript: Transcript,
    style: Style,
    settings: Settings,
    outdir: Path,
    on_progress: ProgressCallback | None = None,
    poses: Sequence[PoseTrack] = (),
    mark: FaultMark | None = None,
) -> list[Output]:
    """Render one segment in every format of `settings.formats` with one ffmpeg process.

    The source span is decoded once and feeds one filter graph per format (ffmpeg 7 and
    later run each graph in its own thread). Writes `clips/<basename>_<tag>.mp4` plus a `.srt`
    and a `.jpg` beside each. A source without audio gets a silent AAC track, so every clip
    plays the same way everywhere. A segment longer than a format's limit
    (`settings.duration_limit`) is cut at the last sentence end before it; a warning is issued
    and the note is kept in the clip Output's `extra`. The body in `poses` (the segment's
    demos) is kept in frame with room above the head; a mistake's clip replays its fault
    slowly and freezes on `mark` after the bad demo (pipeline.render.replay).

    Returns:
        For each format: the clip, its subtitles and its thumbnail (with alt text).

    Raises:
        FFmpegError: ffmpeg failed. OutputError: the clips cannot be written.
    """
    encode = prepare_segment(media, segment, transcript, style, settings, outdir, poses, mark)
    return run_encode(encode, on_progress)


def prepare_segment(
    media: Media,
    segment: Segment,
    transcript: Transcript,
    style: Style,
    settings: Settings,
    outdir: Path,
    poses: Sequence[PoseTrack] = (),
    mark: FaultMark | None = None,
) -> Encode:
    """Everything `render_segment` does before ffmpeg runs: the encode, ready to run."""
    insert = plan_insert(media, segment, style, mark)
    spans = {
        aspect: format_span(segment, transcript, settings.duration_limit(aspect), aspect, insert)
        for aspect in settings.formats
    }
    start = segment.start
    longest = max(end for _, end, _, _ in spans.values()) - start
    fps = graph.output_fps(media)
    threads = graph.encoder_threads(len(settings.formats))
    source_size = (media.width, media.height)
    clips = Path(outdir).resolve() / "clips"
    stem = segment_basename(segment.id, segment.title)
    work = work_folder()
    try:
        with ThreadPoolExecutor(2) as pool:
            install_fonts(style, work)
            # The motion analysis (PyAV decoding) and the loudness passes (ffmpeg) don't hold
            # the GIL: run them while the overlays are drawn rather than one after the other.
            region_job = pool.submit(motion_region, media, start, start + longest)
            audio_job = pool.submit(_audio_chain, media, start, longest, work)
            reps = rep_marks(media, segment) if style.count_reps else []
            overlays = {
                aspect: segment_overlays(
                    segment,
                    start,
                    end - start,
                    style,
                    ASPECTS[aspect],
                    work,
                    aspect_tag(aspect),
                    reps,
                )  # fmt: skip
                for aspect, (_, end, _, _) in spans.items()
            }
            region = union(region_job.result(), body_region(poses))
            formats = [
                _plan_format(aspect, overlays[aspect], region, source_size, segment, start,
                             end - start, style, transcript, work, cut_in, mark)
                for aspect, (_, end, _, cut_in) in spans.items()
            ]  # fmt: skip
            audio = audio_job.result()
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    args = _clip_input_args(media, start, longest)
    first_image = 1 if media.has_audio else 2  # after the source and any silent track
    extra_inputs = (first_image, first_image + 1)  # the replay and the frozen picture
    if any(plan.insert is not None for plan in formats):
        assert insert is not None  # a format only has the insert the segment has
        args += replay.input_args(Path(media.path).resolve(), insert)
        first_image += 2
    for index, plan in enumerate(formats):
        args += graph.image_inputs(plan.overlays)
        args += ["-filter_complex", _clip_graph(plan, index, first_image, fps, extra_inputs)]
        first_image += len(plan.overlays)
    # The audio is the same for every format: normalised once, then copied (and paused under
    # a format's insert).
    pads = "".join(f"[ar{index}]" for index in range(len(formats)))
    audio_input = 0 if media.has_audio else 1
    audio_graph = [f"[{audio_input}:a:0]{audio},asplit={len(formats)}{pads}"]
    audio_graph += [replay.audio_chain(f"ar{i}", f"a{i}", p.insert) for i, p in enumerate(formats)]
    args += ["-filter_complex", ";".join(audio_graph)]
    outputs: list[Output] = []
    subtitles: list[tuple[Path, str]] = []
    finals: list[Path] = []
    for index, plan in enumerate(formats):
        name = f"{stem}_{aspect_tag(plan.aspect)}"
        clip, thumb = clips / f"{name}.mp4", clips / f"{name}.jpg"
        args += ["-map", f"[v{index}]", "-map", f"[a{index}]", "-t", f"{plan.duration:.3f}"]
        args += [*graph.video_args(settings, fps, threads), *graph.audio_args()]
        args += [*graph.mp4_args(segment.heading), clip]
        args += ["-map", f"[thumb{index}]", "-frames:v", "1", "-q:v", "3", "-update", "1", thumb]
        finals += [clip, thumb]
        note = spans[plan.aspect][2]
        extra: dict[str, object] = {
            "duration": round(plan.duration, 3),
            "framing": "fill" if plan.framing.fill else "crop",
            **({"note": note} if note else {}),
            **({"insert": _insert_extra(plan.insert)} if plan.insert else {}),
        }
        alt = (
            f"Frame from the {plan.aspect} clip “{segment.heading}”"
            f"{_moment(segment, start + plan.thumbnail_at)}"
        )
        subtitles.append((clips / f"{name}.srt", plan.srt))
        outputs += [
            Output(clip, "clip", segment.id, plan.aspect, extra=extra),
            Output(clips / f"{name}.srt", "subtitles", segment.id, plan.aspect),
            Output(thumb, "image", segment.id, plan.aspect, alt=alt),
        ]
    length = max(plan.duration for plan in formats)
    return Encode(tuple(args), length, work, tuple(finals), tuple(outputs), tuple(subtitles))


def plan_insert(
    media: Media, segment: Segment, style: Style, mark: FaultMark | None
) -> replay.Insert | None:
    """What a mistake's clip shows again after its bad demo: the 1.5 s where the body moves
    most, at half speed (style `slow_motion`), and the marked moment frozen (`freeze_frame`,
    when `mark` has a spot). None for other segments."""
    bad = segment.demo("bad")
    if segment.kind != "mistake" or bad is None:
        return None
    span = None
    if style.slow_motion:
        begin = key_moment(motion.movement(media, bad.start, bad.end), motion.RATE)
        if begin is not None:
            span = (bad.start + begin, min(bad.end, bad.start + begin + REPLAY_SECONDS))
    freeze = None
    if style.freeze_frame and mark is not None and mark.spot is not None:
        freeze = mark.bad_time
    if span is None and freeze is None:
        return None
    return replay.Insert(at=bad.end - segment.start, replay=span, freeze=freeze)


def format_span(
    segment: Segment,
    transcript: Transcript,
    limit: float | None,
    aspect: str,
    insert: replay.Insert | None,
) -> tuple[float, float, str | None, replay.Insert | None]:
    """`clip_span` of a format, leaving room within its limit for the insert; a format whose
    limit cannot hold the bad demo and the insert goes without it."""
    if insert is not None and limit is not None and segment.duration + insert.length > limit:
        if limit - insert.length < insert.at:
            return (*clip_span(segment, transcript, limit, aspect), None)
        start, end, note = clip_span(segment, transcript, limit - insert.length, aspect)
        return start, end, note, (insert if end - start >= insert.at else None)
    return (*clip_span(segment, transcript, limit, aspect), insert)


def _insert_extra(insert: replay.Insert) -> dict[str, object]:
    """Where a clip's insert is (seconds of the clip), for manifest.json."""
    extra: dict[str, object] = {"at": round(insert.at, 3), "length": round(insert.length, 3)}
    if insert.replay is not None:
        extra["slow_motion"] = [round(insert.at, 3), round(insert.at + insert.replay_length, 3)]
    if insert.freeze is not None:
        extra["freeze"] = [round(t, 3) for t in insert.freeze_span]
    return extra


def _audio_chain(media: Media, start: float, duration: float, work: Path) -> str:
    if not media.has_audio:
        return loudness.AUDIO_BASE
    return loudness.normalise_chain(media.path, start, duration, work)


def _clip_input_args(media: Media, start: float, duration: float) -> list[str | Path]:
    """The source span (input 0) and, if it has no audio, a silent track (input 1)."""
    args: list[str | Path] = ["-ss", f"{start:.3f}", "-t", f"{duration:.3f}"]
    args += ["-i", Path(media.path).resolve()]
    if not media.has_audio:
        args += ["-f", "lavfi", "-t", f"{duration:.3f}", "-i", "anullsrc=r=48000:cl=stereo"]
    return args


def _clip_graph(
    plan: _Format, index: int, first_image: int, fps: int, extra_inputs: tuple[int, int]
) -> str:
    """Format `index`'s picture: the insert cut in, frame, overlays, a thumbnail before the
    captions, captions.

    Its output pads are `[v<index>]` and `[thumb<index>]`; the overlays are inputs
    `first_image` onwards; the insert's replay and frozen picture are `extra_inputs`.
    """
    i = index
    start = f"[0:v]setpts=PTS-STARTPTS,fps={fps}[src{i}]"
    if plan.insert is not None:
        start = f"[0:v]setpts=PTS-STARTPTS,fps={fps}[raw{i}];" + replay.video_chain(
            f"raw{i}", f"src{i}", plan.insert, extra_inputs, fps
        )
    return ";".join([
        start,
        graph.frame_filter(f"src{i}", f"fr{i}", plan.framing, plan.size, plan.place),
        graph.overlay_chain(f"fr{i}", f"ov{i}", plan.overlays, first_image),
        f"[ov{i}]format=yuv420p,split=2[cap{i}][still{i}];"
        f"[still{i}]trim=start={plan.thumbnail_at:.3f}:duration=1,setpts=PTS-STARTPTS,"
        f"scale=iw:ih[thumb{i}];"
        f"[cap{i}]ass={plan.ass}:fontsdir=fonts,format=yuv420p[v{i}]",
    ])  # fmt: skip


def clip_span(
    segment: Segment, transcript: Transcript, max_duration: float | None, aspect: str = ""
) -> tuple[float, float, str | None]:
    """The part of `segment` to render: all of it, or up to the last sentence end that keeps
    it within `max_duration` (then with a note saying so, also issued as a warning)."""
    start, end = segment.start, segment.end
    if max_duration is None or segment.duration <= max_duration:
        return start, end, None
    limit = start + max_duration
    ends = [s.end for s in transcript.sentences if start < s.end <= limit]
    ends = ends or [w.end for w in transcript.words if start < w.end <= limit]
    cut = min(limit, max(ends) + TAIL) if ends else limit
    note = (
        f"{segment.heading}: {segment.duration:.0f} s is longer than the {max_duration:.0f} s "
        f"limit{' for ' + aspect if aspect else ''}, so the {aspect + ' ' if aspect else ''}clip "
        f"ends at {cut - start:.1f} s, after the last full sentence"
    )
    warnings.warn(note, stacklevel=2)
    return start, cut, note


def install_fonts(style: Style, work: Path) -> None:
    """Copy the style's fonts into `work/fonts`, for libass's `fontsdir` (works offline)."""
    fonts = work / "fonts"
    fonts.mkdir(exist_ok=True)
    for font in {style.caption_font, style.label_font, style.header_font}:
        shutil.copyfile(font, fonts / font.name)


def _plan_format(
    aspect: str, overlays: list[Overlay], region: Region, source_size: tuple[int, int],
    segment: Segment, start: float, duration: float, style: Style, transcript: Transcript,
    work: Path, insert: replay.Insert | None = None, mark: FaultMark | None = None,
) -> _Format:  # fmt: skip
    size = ASPECTS[aspect]
    words = replay.shifted_words(clip_words(transcript.words, start, start + duration), insert)
    overlays = replay.shifted_overlays(overlays, insert)
    width, height = size
    tag = aspect_tag(aspect)
    box = safe_box(style, size)
    layout = caption_layout(style, size, box, box.bottom)
    gap = round(min(size) * 0.03)
    top = max((o.y + o.height for o in overlays if o.kind in ("header", "label")), default=0)
    band_top, band_bottom = top + gap, box.bottom - layout.block_height - gap
    clear = (band_top / height, 1.0 - band_bottom / height)
    framing = choose_framing(source_size, region, size, clear)
    place = graph.Box(0, 0, width, height)
    if framing.fill:
        band = (width, band_bottom - band_top)
        if band[1] < height * 0.3:  # no room between header and captions: use the whole height
            band_top, band = 0, (width, height)
        framing = widen(framing, band, source_size)
        fit_w, fit_h = graph.fitted_size(framing, band)
        y = band_top + (band[1] - fit_h) // 2 // 2 * 2
        if band[1] < height:
            layout = caption_layout(style, size, box, box.bottom, top=y + fit_h + gap)
        place = graph.Box((width - fit_w) // 2 // 2 * 2, y, fit_w, fit_h)
    if insert is not None:
        duration += insert.length
        overlays = overlays + insert_overlays(insert, mark, overlays, style, size, box, work,
                                              tag, fitted(framing, place, source_size))  # fmt: skip
    pause = insert.at if insert is not None else None
    if pause is None:
        pages = paginate(words, layout)
    else:  # no page holds words from both sides of the insert
        pages = paginate(tuple(w for w in words if w.start < pause), layout) + paginate(
            tuple(w for w in words if w.start >= pause), layout
        )
    ass_name = f"captions-{tag}.ass"
    ass = build_ass(pages, layout, style, duration, pause)
    (work / ass_name).write_text(ass, encoding="utf-8")
    srt = build_srt(pages, duration, pause)
    moment = _thumbnail_time(segment, start, duration)
    moment = insert.shift(moment) if insert is not None else moment
    return _Format(aspect, size, duration, framing, place, overlays, ass_name, srt, moment, insert)


def fitted(framing: Framing, place: graph.Box, source: tuple[int, int]) -> Place:
    """Where a point of the source (fractions) lands in the output, through the framing."""

    def to_output(x: float, y: float) -> tuple[float, float]:
        return (
            place.x + (x * source[0] - framing.x) * place.w / framing.w,
            place.y + (y * source[1] - framing.y) * place.h / framing.h,
        )

    return to_output


def insert_overlays(
    insert: replay.Insert, mark: FaultMark | None, overlays: list[Overlay], style: Style,
    size: tuple[int, int], box: SafeBox, work: Path, tag: str, place: Place,
) -> list[Overlay]:  # fmt: skip
    """The "SLOW-MO" tag over the replay, beside the form label, and the fault's mark over
    the frozen picture."""
    added: list[Overlay] = []
    unit = min(size)
    if insert.replay is not None:
        begin, end = insert.at, insert.at + insert.replay_length
        # Level with the form label shown over the replay, if any.
        labels = [o.y for o in overlays if o.kind == "label" and o.start < end and begin < o.end]
        y = min(labels, default=box.top + unit // 8)
        path = work / f"{tag}-slow-motion.png"
        label = style.slow_motion_label
        added.append(counter_pill(label, style, box, unit, overlays, y, begin, end, path))
    if insert.freeze is not None and mark is not None and mark.spot is not None:
        layer = transparent(size)
        fault = mark.fault
        limb = fault.bad_points if fault is not None else ()
        # Output pixels per source pixel, from a point one source width across.
        scale = place(1.0, 0.0)[0] - place(0.0, 0.0)[0]
        draw_mark(layer, place, style.bad, mark.spot, 1, scale, limb, mark.text,
                  style.label_font, (box.left, box.top, box.right, box.bottom))  # fmt: skip
        begin, end = insert.freeze_span
        added.append(save_layer(layer, work / f"{tag}-mark.png", begin, end, "mark"))
    return added


def rep_marks(media: Media, segment: Segment) -> list[RepMark]:
    """When each counted rep of the segment's demos reaches its top, and until when its number
    shows (the next top, or the demo's end). Demos without a count get no counter."""
    marks: list[RepMark] = []
    for demo in segment.demos:
        if not demo.reps:
            continue
        signal = motion.movement(media, demo.start, demo.end)
        tops = [demo.start + index / motion.RATE for index in rep_tops(signal, motion.RATE)]
        if len(tops) != demo.reps:  # the plan was edited since it was counted: say nothing
            continue
        ends = [*tops[1:], demo.end]
        marks += [(top, end, number) for number, (top, end) in enumerate(zip(tops, ends), 1)]
    return marks


def _thumbnail_time(segment: Segment, start: float, duration: float) -> float:
    demo = segment.demo("good") or segment.demo("demo") or segment.demo("bad")
    moment = (demo.start + demo.end) / 2 - start if demo else duration / 2
    return min(max(0.0, moment), max(0.0, duration - 1.0))


def _moment(segment: Segment, at: float) -> str:
    for demo in segment.demos:
        if demo.start <= at <= demo.end:
            return {
                "bad": ", during the bad-form demonstration",
                "good": ", during the good-form demonstration",
            }.get(demo.form, ", during the demonstration")
    return ""
