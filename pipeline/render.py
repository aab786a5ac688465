"""Render a segment into social clips: one ffmpeg process per format, all running at once.

Each process decodes the segment (input seek around it), frames it (steady crop, or the
whole picture over a blurred fill), lays the header and form labels over it, captions it with
libass and encodes H.264 High / AAC at -14 LUFS. Each clip gets its own .srt and a .jpg
thumbnail. Every file is written atomically.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline import graph, loudness
from pipeline.captions import build_ass, build_srt, caption_layout, clip_words, paginate
from pipeline.compare import render_compare
from pipeline.files import aspect_tag, atomic_path, segment_basename, write_text
from pipeline.framing import Framing, Region, choose_framing, motion_region, widen
from pipeline.labels import Overlay, safe_box, segment_overlays
from pipeline.model import Media, Output, Segment, Transcript
from pipeline.settings import ASPECTS, Settings
from pipeline.style import Style

__all__ = ["render_segment", "render_compare", "clip_span"]

ProgressCallback = Callable[[float], None]
TAIL = 0.25  # seconds kept after the last word when a long segment is cut


@dataclass(frozen=True, slots=True)
class _Format:
    aspect: str
    size: tuple[int, int]
    framing: Framing
    place: graph.Box  # where the picture sits in the output (the whole frame unless fill)
    overlays: list[Overlay]
    ass: str  # file name of the captions in the work folder
    srt: str  # SRT text
    thumbnail_at: float


def render_segment(
    media: Media,
    segment: Segment,
    transcript: Transcript,
    style: Style,
    settings: Settings,
    outdir: Path,
    on_progress: ProgressCallback | None = None,
) -> list[Output]:
    """Render one segment in every format of `settings.formats`, one ffmpeg process each.

    Writes `clips/<basename>_<tag>.mp4` plus a `.srt` and a `.jpg` beside each. A source
    without audio gets a silent AAC track, so every clip plays the same way everywhere.
    A segment longer than `settings.max_duration` is cut at the last sentence end before
    the limit; a warning is issued and the note is kept in the clip Output's `extra`.

    Returns:
        For each format: the clip, its subtitles and its thumbnail (with alt text).

    Raises:
        FFmpegError: ffmpeg failed. OutputError: the clips cannot be written.
    """
    start, end, note = clip_span(segment, transcript, settings.max_duration)
    duration = end - start
    fps = graph.output_fps(media)
    sizes = {aspect: ASPECTS[aspect] for aspect in settings.formats}
    source_size = (media.width, media.height)
    clips = Path(outdir).resolve() / "clips"
    stem = segment_basename(segment.id, segment.title)
    words = clip_words(transcript.words, start, end)
    with tempfile.TemporaryDirectory(prefix="make-clips-") as folder, ThreadPoolExecutor(2) as pool:
        work = Path(folder)
        install_fonts(style, work)
        # The motion analysis (PyAV decoding) and the loudness passes (ffmpeg) don't hold the
        # GIL: run them while the overlays are drawn rather than one after the other.
        region_job = pool.submit(motion_region, media, start, end)
        audio_job = pool.submit(_audio_chain, media, start, duration, work)
        overlays = {
            aspect: segment_overlays(
                segment, start, duration, style, sizes[aspect], work, aspect_tag(aspect)
            )
            for aspect in settings.formats
        }
        region = region_job.result()
        formats = [
            _plan_format(
                aspect,
                sizes[aspect],
                overlays[aspect],
                region,
                source_size,
                segment,
                start,
                duration,
                style,
                words,
                work,
            )
            for aspect in settings.formats
        ]
        audio = audio_job.result()
        outputs: list[Output] = []
        commands: list[list[str | Path]] = []
        with contextlib.ExitStack() as stack:
            for plan in formats:
                name = f"{stem}_{aspect_tag(plan.aspect)}"
                clip, thumb = clips / f"{name}.mp4", clips / f"{name}.jpg"
                args = _clip_input_args(media, start, duration, plan.overlays)
                args += ["-filter_complex", _clip_graph(media, plan, fps, audio)]
                args += ["-map", "[v]", "-map", "[a]", *graph.video_args(settings, fps)]
                args += [*graph.audio_args(), *graph.mp4_args(segment.heading)]
                args += [stack.enter_context(atomic_path(clip))]
                args += ["-map", "[thumb]", "-frames:v", "1", "-q:v", "3", "-update", "1"]
                args += [stack.enter_context(atomic_path(thumb))]
                commands.append(args)
                extra: dict[str, object] = {
                    "duration": round(duration, 3),
                    "framing": "fill" if plan.framing.fill else "crop",
                }
                if note:
                    extra["note"] = note
                alt = (
                    f"Frame from the {plan.aspect} clip “{segment.heading}”"
                    f"{_moment(segment, start + plan.thumbnail_at)}"
                )
                outputs += [
                    Output(clip, "clip", segment.id, plan.aspect, extra=extra),
                    Output(
                        write_text(clips / f"{name}.srt", plan.srt),
                        "subtitles",
                        segment.id,
                        plan.aspect,
                    ),  # fmt: skip
                    Output(thumb, "image", segment.id, plan.aspect, alt=alt),
                ]
            graph.run_all(commands, duration, on_progress, work)
    return outputs


def _audio_chain(media: Media, start: float, duration: float, work: Path) -> str:
    if not media.has_audio:
        return loudness.AUDIO_BASE
    return loudness.normalise_chain(media.path, start, duration, work)


def _clip_input_args(
    media: Media, start: float, duration: float, overlays: list[Overlay]
) -> list[str | Path]:
    """The source span (input 0), a silent track if it has no audio (1), then the overlays."""
    args: list[str | Path] = ["-ss", f"{start:.3f}", "-t", f"{duration:.3f}"]
    args += ["-i", Path(media.path).resolve()]
    if not media.has_audio:
        args += ["-f", "lavfi", "-t", f"{duration:.3f}", "-i", "anullsrc=r=48000:cl=stereo"]
    return args + graph.image_inputs(overlays)


def _clip_graph(media: Media, plan: _Format, fps: int, audio: str) -> str:
    """One format's graph: frame, overlays, a thumbnail before the captions, captions, audio."""
    audio_input = 0 if media.has_audio else 1
    return ";".join([
        f"[0:v]setpts=PTS-STARTPTS,fps={fps}[src]",
        graph.frame_filter("src", "fr", plan.framing, plan.size, plan.place),
        graph.overlay_chain("fr", "ov", plan.overlays, audio_input + 1),
        "[ov]format=yuv420p,split=2[cap][still];"
        f"[still]trim=start={plan.thumbnail_at:.3f}:duration=1,setpts=PTS-STARTPTS,"
        "scale=iw:ih[thumb];"
        f"[cap]ass={plan.ass}:fontsdir=fonts,format=yuv420p[v]",
        f"[{audio_input}:a:0]{audio}[a]",
    ])  # fmt: skip


def clip_span(
    segment: Segment, transcript: Transcript, max_duration: float
) -> tuple[float, float, str | None]:
    """The part of `segment` to render: all of it, or up to the last sentence end that keeps
    it within `max_duration` (then with a note saying so, also issued as a warning)."""
    start, end = segment.start, segment.end
    if segment.duration <= max_duration:
        return start, end, None
    limit = start + max_duration
    ends = [s.end for s in transcript.sentences if start < s.end <= limit]
    ends = ends or [w.end for w in transcript.words if start < w.end <= limit]
    cut = min(limit, max(ends) + TAIL) if ends else limit
    note = (
        f"{segment.heading}: {segment.duration:.0f} s is longer than the {max_duration:.0f} s "
        f"limit, so the clip ends at {cut - start:.1f} s, after the last full sentence"
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
    aspect: str, size: tuple[int, int], overlays: list[Overlay], region: Region,
    source_size: tuple[int, int], segment: Segment, start: float, duration: float, style: Style,
    words: tuple, work: Path,
) -> _Format:  # fmt: skip
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
    pages = paginate(words, layout)
    ass_name = f"captions-{tag}.ass"
    (work / ass_name).write_text(build_ass(pages, layout, style, duration), encoding="utf-8")
    return _Format(aspect, size, framing, place, overlays, ass_name, build_srt(pages, duration),
                   _thumbnail_time(segment, start, duration))  # fmt: skip


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
