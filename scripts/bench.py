"""Whole-job and render speed against their floors, the alternative, batches (`make bench`).

Not a test: it runs on the sample footage and, in the same run on the same machine,
- the whole job against its floor: `make-clips` end to end with a cold transcript cache, against
  bare faster-whisper (same model and options: word timestamps, VAD) plus the plain ffmpeg
  clips below for the same plan; also as a share of real time, with its stage timings; and
  against a second floor encoding as many seconds as the run (plain clips as long as ours
  with the mistakes' inserts, and as long as the compare clips), to show the overhead apart
  from the outputs the first floor does not make;
- the floor: a plain ffmpeg encode of the same clips (one process per segment decoding the span
  once, same sizes by plain scale and crop, same encoder settings, no overlays, captions or
  loudness), interleaved segment by segment with our render so both see the same machine load;
- the alternative: the same 9:16 clip written with moviepy 2, the way a user might;
- a batch of 4 sources run sequentially, with `--jobs 2` and with `--engine ray` (local).

Targets: the whole job within 1.3x of its floor and 0.75x real time, render within 1.15x
of its floor, at least 8x faster than moviepy, peak memory of the render stage (Python plus
its ffmpeg children) under 1.5 GB. Outside the whole-job part transcription is not timed: the
plan is made first (transcripts are cached by content hash). Results go to output/bench.json.

`--long` times the whole job on a 20-minute 1080p take and on the first 80 s of it (both made
from the sample, looped and scaled up): time per source minute within 10% of the short take's,
peak memory at most 1.2 GB.

    python scripts/bench.py [--quick] [--long] [--only e2e|render|moviepy|batch ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.ffmpeg import ffmpeg_exe, run_ffmpeg
from pipeline.core.memory import limit_arenas
from pipeline.core.model import Media, Plan, Segment, Transcript
from pipeline.core.settings import ASPECTS, Settings
from pipeline.core.style import Style, load_style
from pipeline.core.timings import cpu_seconds
from pipeline.core.transcript_io import read_transcript
from pipeline.hear.models import resolve_model
from pipeline.hear.pose import demo_poses
from pipeline.hear.probe import probe
from pipeline.hear.transcribe import WHISPER_OPTIONS
from pipeline.publish.faults import mark_faults
from pipeline.publish.stills import make_stills
from pipeline.render import graph, loudness
from pipeline.render.clips import clip_span, plan_insert, render_compare, render_segment
from pipeline.render.framing import motion_region
from pipeline.render.labels import header_image, pill_image
from pipeline.run.single import Result, analyze, make_clips

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "assets/samples/single-leg-hip-thrust.mp4"
MOVIEPY_SEGMENTS = ("mistake-1", "variation-1")  # a labelled mistake and a plain variation
TARGETS = {
    "e2e_vs_floor": 1.3,
    "e2e_vs_real_time": 0.75,
    "render_vs_floor": 1.15,
    "moviepy_vs_render": 8.0,
    "peak_mb": 1536,
    "long_per_minute_vs_short": 1.10,
    "long_peak_mb": 1229,
}


@dataclass
class Timing:
    """Wall-clock and CPU seconds (this process and its children) of some work."""

    wall: float = 0.0
    cpu: float = 0.0

    def __iadd__(self, other: Timing) -> Timing:
        self.wall += other.wall
        self.cpu += other.cpu
        return self


@contextmanager
def timed() -> Iterator[Timing]:
    """Measure the block; CPU time matters on a shared machine, where wall time is noisy."""
    result = Timing()
    before, clock = cpu_seconds(), time.perf_counter()
    yield result
    result.wall = time.perf_counter() - clock
    result.cpu = cpu_seconds() - before


class TreeMemory:
    """Peak resident memory of this process plus all its descendants, sampled every 50 ms.

    ru_maxrss cannot give this: RUSAGE_CHILDREN reports the largest single child, and only
    after it exits, not the sum of Python and the ffmpeg running beside it.
    """

    def __init__(self) -> None:
        self.peak = 0
        self.loads: list[float] = []  # the 1-minute load average while measuring
        self._measuring = threading.Event()
        self._stopped = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    @contextmanager
    def measuring(self) -> Iterator[None]:
        self._measuring.set()
        try:
            yield
        finally:
            self._measuring.clear()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stopped.wait(0.05):
            if self._measuring.is_set():
                self.peak = max(self.peak, self._tree_rss())
                self.loads.append(os.getloadavg()[0])

    @property
    def load(self) -> float:
        """The mean load average while measuring: how shared the machine was."""
        return sum(self.loads) / len(self.loads) if self.loads else os.getloadavg()[0]

    def _tree_rss(self) -> int:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree, frontier = {os.getpid()}, [os.getpid()]
        while frontier:
            parent = frontier.pop()
            children = [pid for pid, ppid in parents.items() if ppid == parent]
            # A child caught between fork and exec still maps its parent's pages: counting
            # it would count the parent twice (seen as a 389 MB "child" beside Python's 389).
            # Told by its command line, not its program: the words' child (`python -m
            # pipeline.run.words`) runs the same Python and must be counted.
            children = [pid for pid in children if _command(pid) != _command(parent)]
            tree.update(children)
            frontier += children
        total = 0
        for pid in tree:
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page
            except (OSError, IndexError, ValueError):
                continue
        return total


def _command(pid: int) -> bytes | None:
    """The command line of process `pid`, or None when it cannot be read (it has gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


@dataclass
class Report:
    """Everything measured, written to output/bench.json and printed as a table."""

    machine: dict[str, Any] = field(default_factory=dict)
    e2e: dict[str, Any] = field(default_factory=dict)
    long: dict[str, Any] = field(default_factory=dict)
    render: dict[str, Any] = field(default_factory=dict)
    moviepy: dict[str, Any] = field(default_factory=dict)
    batch: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------- render vs floor


def floor_clip(
    media: Media,
    segment: Segment,
    transcript: Transcript,
    settings: Settings,
    outdir: Path,
    extra: float | dict[str, float] = 0.0,
) -> float:
    """The plain encode of one segment in every format: one ffmpeg, one decode, no overlays;
    `extra` seconds longer (as long as our clip with a mistake's slow-motion replay and
    freeze frame, so both encode as many pictures), or per format.

    Returns the clip duration in seconds.
    """
    more = extra if isinstance(extra, dict) else dict.fromkeys(settings.formats, extra)
    ends = {
        aspect: clip_span(segment, transcript, settings.duration_limit(aspect))[1]
        + more.get(aspect, 0.0)
        for aspect in settings.formats
    }
    return plain_clips(media, segment.start, ends, settings, outdir, segment.id, segment.heading)


def plain_clips(
    media: Media,
    start: float,
    ends: dict[str, float],
    settings: Settings,
    outdir: Path,
    name: str,
    title: str,
) -> float:
    """Plain clips of the source from `start` to each format's end: one ffmpeg decoding the
    span once, plain scale and crop, the same encoder settings. Returns the longest's length."""
    duration, fps = max(ends.values()) - start, graph.output_fps(media)
    count = len(ends)
    pads = "".join(f"[s{i}]" for i in range(count))
    chains = [f"[0:v]setpts=PTS-STARTPTS,fps={fps},split={count}{pads}"]
    for index, aspect in enumerate(ends):
        width, height = ASPECTS[aspect]
        chains.append(
            f"[s{index}]scale={width}:{height}:force_original_aspect_ratio=increase,"
            f"crop={width}:{height},setsar=1[v{index}]"
        )
    if media.has_audio:
        outs = "".join(f"[a{i}]" for i in range(count))
        chains.append(f"[0:a:0]{loudness.AUDIO_BASE},asplit={count}{outs}")
    args: list[str | Path] = ["-ss", f"{start:.3f}", "-t", f"{duration:.3f}", "-i", media.path]
    args += ["-filter_complex", ";".join(chains)]
    for index, (aspect, end) in enumerate(ends.items()):
        args += ["-map", f"[v{index}]", *graph.video_args(settings, fps)]
        if media.has_audio:
            args += ["-map", f"[a{index}]", *graph.audio_args()]
        tag = aspect.replace(":", "x")
        args += ["-t", f"{end - start:.3f}", *graph.mp4_args(title)]
        args += [outdir / f"{name}_{tag}.mp4"]
    run_ffmpeg(args, duration=duration)
    return duration


def bench_render(
    media: Media, plan: Plan, transcript: Transcript, style: Style, work: Path, quick: bool
) -> dict[str, Any]:
    """Our render stage and the floor, segment by segment; then compare clips and stills."""
    settings = Settings(output_root=work)
    ours_dir, floor_dir = work / "ours", work / "floor"
    shutil.rmtree(ours_dir, ignore_errors=True)
    floor_dir.mkdir(parents=True, exist_ok=True)
    segments = [s for s in plan.segments if not quick or s.id in MOVIEPY_SEGMENTS]
    # Measured apart (the run's pose and faults stages): the bodies and marked moments.
    poses = demo_poses(media, plan)
    marks = mark_faults(media, plan, poses)
    ours, floor, seconds = Timing(), Timing(), 0.0
    memory = TreeMemory()
    rows = []
    for segment in segments:
        # Floor first, then ours, segment by segment, so a burst of load elsewhere on the
        # machine hits both about equally.
        mark = marks.get(segment.id)
        insert = plan_insert(media, segment, style, mark)
        extra = insert.length if insert is not None else 0.0
        bodies = [poses[key] for key in poses if key[0] == segment.id]
        with timed() as plain:
            duration = floor_clip(media, segment, transcript, settings, floor_dir, extra)
        with memory.measuring(), timed() as rendered:
            render_segment(media, segment, transcript, style, settings, ours_dir, None, bodies,
                           mark)  # fmt: skip
        floor += plain
        ours += rendered
        seconds += duration
        row = {"segment": segment.id, "seconds": round(duration, 2)}
        rows.append({**row, "ours": _round(rendered), "floor": _round(plain)})
        ratio = rendered.wall / plain.wall
        print(f"  {segment.id:12s} {duration:5.1f} s  ours {rendered.wall:6.1f} s  "
              f"floor {plain.wall:6.1f} s  ratio {ratio:4.2f}", flush=True)  # fmt: skip
    compares, compare_seconds = Timing(), 0.0
    for segment in segments:
        if segment.demo("bad") and segment.demo("good"):
            with memory.measuring(), timed() as one:
                outputs = render_compare(media, segment, transcript, style, settings, ours_dir)
            compares += one
            if outputs:  # a compare clip lasts as long as the shorter demo
                compare_seconds += min(d.end - d.start for d in segment.demos)
    with memory.measuring(), timed() as stills:
        make_stills(media, plan, style, ours_dir, marks)
    memory.stop()
    return {
        "formats": list(settings.formats),
        "preset": settings.preset,
        "crf": settings.crf,
        "segments": rows,
        "output_seconds": round(seconds, 2),
        "ours": _round(ours),
        "floor": _round(floor),
        "ratio_wall": round(ours.wall / floor.wall, 3),
        "ratio_cpu": round(ours.cpu / floor.cpu, 3),
        "compare": {**_round(compares), "output_seconds": round(compare_seconds, 2)},
        "stills": _round(stills),
        "peak_mb": round(memory.peak / 2**20),
    }


# ---------------------------------------------------------------------------- whole job


def bare_transcription(source: Path) -> Timing:
    """The transcription floor: faster-whisper alone, same model and options, no cache."""
    from faster_whisper import WhisperModel

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with timed() as clock:
        model = WhisperModel(
            str(resolve_model(None)), device="cpu", compute_type="int8",
            cpu_threads=os.cpu_count() or 2,
        )  # fmt: skip
        pieces, _ = model.transcribe(str(source), **WHISPER_OPTIONS)  # type: ignore[arg-type]
        for _ in pieces:  # the model works lazily
            pass
    return clock


def bench_e2e(source: Path, work: Path, with_floor: bool = True) -> dict[str, Any]:
    """`make-clips` end to end (cold transcript cache) against bare whisper + plain clips.

    Without `with_floor`, only our side is run (the long take: its cost per source minute).
    """
    name = source.stem
    cache = work / f"e2e-cache-{name}"
    shutil.rmtree(cache, ignore_errors=True)
    settings = Settings(output_root=work / "e2e", cache_dir=cache, force=True)
    memory = TreeMemory()
    with memory.measuring(), timed() as ours:
        result = make_clips(source, settings)
    memory.stop()
    media = probe(source)
    row = {
        "source": source.name,
        "source_seconds": round(media.duration, 2),
        "size": f"{media.width}x{media.height}",
        "formats": list(settings.formats),
        "segments": len(result.plan.segments),
        "ours": _round(ours),
        "stages": {s.stage: {"wall": round(s.wall, 2), "cpu": round(s.cpu, 2),
                             **({"beside": True} if s.beside else {})}
                   for s in result.timings},
        "real_time": round(ours.wall / media.duration, 3),
        "seconds_per_source_minute": round(ours.wall / media.duration * 60, 2),
        "cpu_seconds_per_source_minute": round(ours.cpu / media.duration * 60, 2),
        "load": round(memory.load, 1),
        "peak_mb": round(memory.peak / 2**20),
    }  # fmt: skip
    print(f"  {source.name}: ours {ours.wall:.1f} s, {row['real_time']:.2f}x real time, "
          f"peak {row['peak_mb']} MB", flush=True)  # fmt: skip
    if not with_floor:
        return row
    transcript = read_transcript(result.folder / "transcript.json", media.duration)
    whisper = bare_transcription(source)
    floor_dir = work / f"e2e-floor-{name}"
    floor_dir.mkdir(parents=True, exist_ok=True)
    clips, plain = Timing(), {}
    for segment in result.plan.segments:
        with timed() as one:
            floor_clip(media, segment, transcript, settings, floor_dir)
        clips += one
        plain[segment.id] = one
    floor = Timing(whisper.wall + clips.wall, whisper.cpu + clips.cpu)
    row["floor"] = {**_round(floor), "transcribe": _round(whisper), "clips": _round(clips)}
    row["ratio_wall"] = round(ours.wall / floor.wall, 3)
    row["ratio_cpu"] = round(ours.cpu / floor.cpu, 3)
    row["floor_same_output"] = same_output_floor(
        media, result, transcript, settings, floor_dir, whisper, plain, ours
    )
    # The render stage as a run does it (each encode prepared during the previous one): the
    # segments' clips, against the plain clips of the same segments.
    rendered = row["stages"]["clips"]
    row["render_vs_floor"] = {
        "wall": round(rendered["wall"] / clips.wall, 3),
        "cpu": round(rendered["cpu"] / clips.cpu, 3),
    }
    print(f"    floor {floor.wall:.1f} s (whisper {whisper.wall:.1f} + clips {clips.wall:.1f}), "
          f"ratio {row['ratio_wall']:.2f}", flush=True)  # fmt: skip
    return row


def same_output_floor(
    media: Media,
    result: Result,
    transcript: Transcript,
    settings: Settings,
    folder: Path,
    whisper: Timing,
    plain: dict[str, Timing],
    ours: Timing,
) -> dict[str, Any]:
    """The floor encoding as many seconds as the run did: its plain clips as long as ours with
    the mistakes' inserts, plus plain clips as long as the compare clips (the issue's floor
    has neither, about 0.4 of its work on the sample), so the overhead shows apart from the
    extra outputs. Clips without an insert reuse their plain clip's time.
    """
    inserts: dict[tuple[str | None, str | None], float] = {}
    compares: dict[str, dict[str, float]] = {}
    for output in result.outputs:
        insert = output.extra.get("insert")
        if output.type == "clip" and isinstance(insert, dict):
            inserts[(output.segment, output.aspect)] = float(insert["length"])
        if output.type == "compare" and output.segment and output.aspect:
            compares.setdefault(output.segment, {})[output.aspect] = float(
                str(output.extra["duration"])
            )
    clips, seconds = Timing(), {"inserts": 0.0, "compare": 0.0}
    for segment in result.plan.segments:
        extra = {a: inserts.get((segment.id, a), 0.0) for a in settings.formats}
        if not any(extra.values()):
            clips += plain[segment.id]
            continue
        with timed() as one:
            floor_clip(media, segment, transcript, settings, folder, extra)
        clips += one
        seconds["inserts"] += max(extra.values())
    compare = Timing()
    for segment in result.plan.segments:
        good = segment.demo("good")
        if segment.id not in compares or good is None:
            continue
        ends = {aspect: good.start + length for aspect, length in compares[segment.id].items()}
        with timed() as one:
            plain_clips(media, good.start, ends, settings, folder, f"{segment.id}-compare",
                        segment.heading)  # fmt: skip
        compare += one
        seconds["compare"] += max(compares[segment.id].values())
    floor = Timing(whisper.wall + clips.wall + compare.wall, whisper.cpu + clips.cpu + compare.cpu)
    return {
        **_round(floor),
        "clips": _round(clips),
        "compare": _round(compare),
        "extra_seconds": {name: round(value, 2) for name, value in seconds.items()},
        "ratio_wall": round(ours.wall / floor.wall, 3),
        "ratio_cpu": round(ours.cpu / floor.cpu, 3),
    }


def long_takes(source: Path, work: Path) -> tuple[Path, Path]:
    """A 20-minute 1080p take (the sample looped) and its first 80 s, made once and kept."""
    short, long = work / "take-1080p-80s.mp4", work / "take-1080p-20min.mp4"
    scale = ["-vf", "scale=1920:1080:flags=bicubic", "-c:v", "libx264", "-preset", "veryfast",
             "-crf", "20", "-c:a", "aac", "-b:a", "160k"]  # fmt: skip
    if not long.exists():
        run_ffmpeg(["-stream_loop", "-1", "-i", source, "-t", "1200", *scale, long])
    if not short.exists():
        run_ffmpeg(["-i", long, "-t", "80", "-c", "copy", short])
    return short, long


def bench_long(source: Path, work: Path) -> dict[str, Any]:
    """Does the cost grow linearly with length, with flat memory? A 20-min take vs 80 s."""
    short_take, long_take = long_takes(source, work)
    rows = {"short": bench_e2e(short_take, work, False), "long": bench_e2e(long_take, work, False)}
    long, short = rows["long"], rows["short"]
    per_minute = long["seconds_per_source_minute"] / short["seconds_per_source_minute"]
    # CPU beside wall: on a shared machine the wall ratio is mostly the other work's.
    cpu = long["cpu_seconds_per_source_minute"] / short["cpu_seconds_per_source_minute"]
    return {
        **rows,
        "per_minute_long_vs_short": round(per_minute, 3),
        "cpu_per_minute_long_vs_short": round(cpu, 3),
    }


# ---------------------------------------------------------------------------------- moviepy


def moviepy_clip(
    media: Media, segment: Segment, transcript: Transcript, style: Style, settings: Settings,
    out: Path, work: Path,
) -> float:  # fmt: skip
    """The 9:16 clip as a user might write it with moviepy 2: crop around the athlete, resize,
    header and form-label images, one caption per sentence, libx264 with our settings.

    The label PNGs and the crop position are prepared before the clock starts (a user would
    have them at hand), so the timing is moviepy's own. Returns the clip duration.
    """
    from moviepy import CompositeVideoClip, ImageClip, TextClip, VideoFileClip

    start, end, _ = clip_span(segment, transcript, settings.duration_limit("9:16"))
    duration, fps = end - start, graph.output_fps(media)
    width, height = ASPECTS["9:16"]
    region = motion_region(media, start, end)
    header = work / f"{segment.id}-header.png"
    header_image(segment.heading, style, 69, 900).save(header)
    labels = {}
    for form, text, colour in (
        ("bad", style.bad_label, style.bad),
        ("good", style.good_label, style.good),
    ):
        labels[form] = work / f"{form}.png"
        pill_image(text, colour, style, 54, 900).save(labels[form])
    with timed() as clock:
        source = VideoFileClip(str(media.path)).subclipped(start, end)
        crop_w = round(media.height * width / height) // 2 * 2
        centre = (region.left + region.right) / 2 * media.width
        x1 = round(min(max(0.0, centre - crop_w / 2), media.width - crop_w))
        video = source.cropped(x1=x1, y1=0, width=crop_w, height=media.height)
        layers = [video.resized((width, height))]
        layers.append(ImageClip(str(header)).with_duration(duration).with_position(("center", 154)))
        for demo in segment.demos:
            if demo.form in labels:
                label = ImageClip(str(labels[demo.form])).with_position(("center", 300))
                layers.append(label.with_start(demo.start - start).with_end(demo.end - start))
        for sentence in transcript.sentences:
            if sentence.end <= start or sentence.start >= end:
                continue
            caption = TextClip(
                font=str(style.caption_font), text=sentence.text.strip(), font_size=64,
                color="white", stroke_color="black", stroke_width=4, method="caption",
                size=(900, None), text_align="center",
            )  # fmt: skip
            caption = caption.with_start(max(0.0, sentence.start - start))
            caption = caption.with_end(min(duration, sentence.end - start))
            layers.append(caption.with_position(("center", 1300)))
        CompositeVideoClip(layers, size=(width, height)).with_duration(duration).write_videofile(
            str(out), fps=fps, codec="libx264", preset=settings.preset, audio_codec="aac",
            audio_bitrate="160k", audio_fps=48000, pixel_format="yuv420p", logger=None,
            ffmpeg_params=["-crf", str(settings.crf), "-profile:v", "high", "-g", str(fps * 2),
                           "-movflags", "+faststart"],
        )  # fmt: skip
        source.close()
    return clock.wall


def bench_moviepy(
    media: Media, plan: Plan, transcript: Transcript, style: Style, work: Path, quick: bool
) -> dict[str, Any]:
    """moviepy against our render of the same 9:16 clips, per second of output."""
    # moviepy reads its ffmpeg from the environment when imported: give it ours, so both
    # sides use the same x264.
    os.environ.setdefault("FFMPEG_BINARY", ffmpeg_exe())
    settings = Settings(output_root=work, formats=("9:16",))
    chosen = MOVIEPY_SEGMENTS[1:] if quick else MOVIEPY_SEGMENTS
    segments = [s for s in plan.segments if s.id in chosen]
    folder = work / "moviepy"
    folder.mkdir(parents=True, exist_ok=True)
    ours, theirs, seconds, rows = 0.0, 0.0, 0.0, []
    for segment in segments:
        start, end, _ = clip_span(segment, transcript, settings.duration_limit("9:16"))
        with timed() as rendered:
            render_segment(media, segment, transcript, style, settings, work / "ours-9x16")
        moviepy_wall = moviepy_clip(
            media, segment, transcript, style, settings, folder / f"{segment.id}.mp4", folder
        )
        ours, theirs, seconds = ours + rendered.wall, theirs + moviepy_wall, seconds + end - start
        row = {"segment": segment.id, "seconds": round(end - start, 2)}
        rows.append({**row, "ours": round(rendered.wall, 2), "moviepy": round(moviepy_wall, 2)})
        print(f"  {segment.id:12s} {end - start:5.1f} s  ours {rendered.wall:6.1f} s  "
              f"moviepy {moviepy_wall:6.1f} s", flush=True)  # fmt: skip
    return {
        "segments": rows,
        "output_seconds": round(seconds, 2),
        "ours_per_output_second": round(ours / seconds, 3),
        "moviepy_per_output_second": round(theirs / seconds, 3),
        "speedup": round(theirs / ours, 2),
    }


# ------------------------------------------------------------------------------------ batch


def make_pieces(source: Path, work: Path, count: int, seconds: float) -> list[Path]:
    """Cut `source` into `count` distinct pieces, so each has its own transcript and plan."""
    work.mkdir(parents=True, exist_ok=True)
    pieces = []
    for index in range(count):
        piece = work / f"piece-{index + 1}-{seconds:.0f}s.mp4"
        if not piece.exists():
            run_ffmpeg(["-ss", f"{index * seconds:.3f}", "-t", f"{seconds:.3f}", "-i", source,
                        "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-c:a", "aac",
                        "-b:a", "160k", piece])  # fmt: skip
        pieces.append(piece)
    return pieces


def bench_batch(source: Path, work: Path, quick: bool) -> dict[str, Any]:
    """4 sources: sequentially, with 2 local jobs, and as Ray tasks on a local instance."""
    from pipeline.run.batch import run_batch

    seconds = 8.0 if quick else 19.5
    formats = ("9:16",) if quick else Settings().formats
    pieces = make_pieces(source, work / "pieces", 4, seconds)
    for piece in pieces:  # transcribe once, untimed: every mode then reads the cache
        analyze(piece, Settings(), folder=work / "warm" / piece.stem)
    modes = {"sequential": (1, "local"), "jobs 2": (2, "local"), "ray (local, 2 CPUs)": (2, "ray")}
    rows: dict[str, dict[str, Any]] = {}
    for name, (jobs, engine) in modes.items():
        root = work / f"batch-{name.split()[0]}"
        shutil.rmtree(root, ignore_errors=True)
        settings = Settings(output_root=root, formats=formats, force=True)
        with timed() as clock:
            results = run_batch(pieces, settings, jobs=jobs, engine=engine)  # type: ignore[arg-type]
        failed = [f"{r.source.name}: {r.error}" for r in results if r.status != "done"]
        rows[name] = {"wall": round(clock.wall, 2), "failed": failed}
        print(f"  {name:20s} {clock.wall:6.1f} s" + (f"  FAILED {failed}" if failed else ""),
              flush=True)  # fmt: skip
    sequential = rows["sequential"]["wall"]
    for row in rows.values():
        row["speedup"] = round(sequential / row["wall"], 2)
    return {
        "sources": [p.name for p in pieces],
        "piece_seconds": seconds,
        "formats": list(formats),
        "modes": rows,
        "transcripts": "distinct pieces, transcribed before timing (cached by content hash)",
    }


# ------------------------------------------------------------------------------------- main


def _round(timing: Timing) -> dict[str, float]:
    return {"wall": round(timing.wall, 2), "cpu": round(timing.cpu, 2)}


def e2e_lines(row: dict[str, Any]) -> list[str]:
    ours = row["ours"]
    limit, real_limit = TARGETS["e2e_vs_floor"], TARGETS["e2e_vs_real_time"]
    # Stages run on a thread beside the encodes (starred) overlap the others.
    stages = ", ".join(
        f"{name}{'*' if t.get('beside') else ''} {t['wall']:.1f}"
        for name, t in row["stages"].items()
    )
    lines = [
        f"  whole job: {row['source']} ({row['source_seconds']} s, {row['size']}, "
        f"{len(row['formats'])} formats, {row['segments']} segments)",
        f"    make-clips          {ours['wall']:7.1f} s wall {ours['cpu']:7.1f} s CPU",
    ]
    if "floor" in row:
        floor, ratio = row["floor"], row["ratio_wall"]
        whisper, plain = floor["transcribe"]["wall"], floor["clips"]["wall"]
        lines += [
            f"    floor               {floor['wall']:7.1f} s wall {floor['cpu']:7.1f} s CPU"
            f"   (whisper {whisper:.1f} + plain clips {plain:.1f})",
            f"    ours / floor        {ratio:7.2f}x wall {row['ratio_cpu']:6.2f}x CPU"
            f"   target <= {limit}: {_verdict(ratio <= limit)}",
        ]
        if "floor_same_output" in row:
            same = row["floor_same_output"]
            extra = same["extra_seconds"]
            lines += [
                f"    floor, same output  {same['wall']:7.1f} s wall {same['cpu']:7.1f} s CPU"
                f"   (+ inserts {extra['inserts']:.1f} s, compare clips {extra['compare']:.1f} s,"
                f" of output in each format)",
                f"    ours / that floor   {same['ratio_wall']:7.2f}x wall "
                f"{same['ratio_cpu']:6.2f}x CPU   (the overhead apart from the extra outputs)",
            ]
        lines += [
            f"    clips stage / plain {row['render_vs_floor']['wall']:7.2f}x wall "
            f"{row['render_vs_floor']['cpu']:6.2f}x CPU   target <= {TARGETS['render_vs_floor']}: "
            f"{_verdict(row['render_vs_floor']['wall'] <= TARGETS['render_vs_floor'])}",
        ]
    return lines + [
        f"    of real time        {row['real_time']:7.2f}x"
        f"   target <= {real_limit}: {_verdict(row['real_time'] <= real_limit)}",
        f"    peak memory         {row['peak_mb']:7d} MB",
        f"    stages (wall s; * beside the encodes) {stages}",
    ]


def print_table(report: Report) -> None:
    lines = ["", f"make-clips bench  ({report.machine['cores']} cores)"]
    render, movie, batch = report.render, report.moviepy, report.batch
    if report.e2e:
        lines += e2e_lines(report.e2e)
    if report.long:
        long, limit = report.long, TARGETS["long_per_minute_vs_short"]
        peak_limit = TARGETS["long_peak_mb"]
        lines += e2e_lines(long["short"]) + e2e_lines(long["long"])
        short_row, long_row, ratio = long["short"], long["long"], long["per_minute_long_vs_short"]
        lines += [
            "  per source minute    80 s: "
            f"{short_row['seconds_per_source_minute']:6.1f} s wall "
            f"{short_row['cpu_seconds_per_source_minute']:6.1f} s CPU (load {short_row['load']})",
            "                     20 min: "
            f"{long_row['seconds_per_source_minute']:6.1f} s wall "
            f"{long_row['cpu_seconds_per_source_minute']:6.1f} s CPU (load {long_row['load']})",
            f"  20 min vs 80 s, s per source minute: {ratio:.2f}x wall "
            f"{long['cpu_per_minute_long_vs_short']:.2f}x CPU"
            f"   target <= {limit}: {_verdict(ratio <= limit)}",
            f"  20 min peak memory {long['long']['peak_mb']} MB"
            f"   target <= {peak_limit}: {_verdict(long['long']['peak_mb'] <= peak_limit)}",
        ]
    if render:
        ours, floor, ratio = render["ours"], render["floor"], render["ratio_wall"]
        limit = TARGETS["render_vs_floor"]
        clips = f"{render['output_seconds']} s of clips x {len(render['formats'])} formats"
        lines += [
            f"  render stage ({clips})",
            f"    ours                {ours['wall']:7.1f} s wall {ours['cpu']:7.1f} s CPU",
            f"    plain-ffmpeg floor  {floor['wall']:7.1f} s wall {floor['cpu']:7.1f} s CPU",
            f"    ours / floor        {ratio:7.2f}x wall {render['ratio_cpu']:6.2f}x CPU"
            f"   target <= {limit}: {_verdict(ratio <= limit)}",
            f"    peak memory         {render['peak_mb']:7d} MB"
            f"   target < {TARGETS['peak_mb']}: {_verdict(render['peak_mb'] < TARGETS['peak_mb'])}",
            f"  compare clips         {render['compare']['wall']:7.1f} s wall for "
            f"{render['compare']['output_seconds']} s of clips",
            f"  stills                {render['stills']['wall']:7.1f} s wall",
        ]
    if movie:
        speedup, limit = movie["speedup"], TARGETS["moviepy_vs_render"]
        lines += [
            f"  9:16 clip, s per output s: moviepy {movie['moviepy_per_output_second']:.2f},"
            f" ours {movie['ours_per_output_second']:.2f}",
            f"    moviepy / ours      {speedup:7.1f}x   target >= {limit}: "
            f"{_verdict(speedup >= limit)}",
        ]
    if batch:
        formats = ",".join(batch["formats"])
        lines.append(f"  batch of 4 x {batch['piece_seconds']} s sources ({formats})")
        for name, row in batch["modes"].items():
            lines.append(
                f"    {name:20s}{row['wall']:7.1f} s wall   speed-up {row['speedup']:.2f}x"
            )
    print("\n".join(lines))


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    limit_arenas()  # as the make-clips command does, so peak memory is what a user sees
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", action="append", choices=("e2e", "render", "moviepy", "batch"),
                        help="run only these parts (repeatable; default: all)")  # fmt: skip
    parser.add_argument(
        "--long",
        action="store_true",
        help="20-min 1080p take vs its first 80 s (only that, unless --only)",
    )
    parser.add_argument("--quick", action="store_true",
                        help="2 segments, 1 moviepy clip, short batch sources")  # fmt: skip
    parser.add_argument("--source", type=Path, default=SAMPLE)
    parser.add_argument("--work", type=Path, default=ROOT / "output" / "bench-work")
    parser.add_argument("--json", type=Path, default=ROOT / "output" / "bench.json")
    options = parser.parse_args()
    # --long alone runs only the long comparison; with --only, those parts too.
    parts = options.only or ([] if options.long else ["e2e", "render", "moviepy", "batch"])
    work = options.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    machine = {"cores": os.cpu_count(), "ffmpeg": ffmpeg_exe(), "quick": options.quick}
    report = Report(machine={**machine, "load_before": os.getloadavg()[0]})
    if "e2e" in parts:
        print("whole job vs bare whisper + plain ffmpeg clips", flush=True)
        report.e2e = bench_e2e(options.source.resolve(), work)
    if options.long:
        print("20-minute 1080p take vs its first 80 s", flush=True)
        report.long = bench_long(options.source.resolve(), work)
    if {"render", "moviepy"} & set(parts):
        media, plan, transcript, _ = analyze(options.source, Settings(), folder=work / "plan")
        style = load_style()
    if "render" in parts:
        print("render stage vs plain-ffmpeg floor", flush=True)
        report.render = bench_render(media, plan, transcript, style, work, options.quick)
    if "moviepy" in parts:
        print("moviepy vs our 9:16 render", flush=True)
        report.moviepy = bench_moviepy(media, plan, transcript, style, work, options.quick)
    if "batch" in parts:
        print("batch of 4 sources", flush=True)
        report.batch = bench_batch(options.source, work, options.quick)
    report.machine["load_after"] = os.getloadavg()[0]
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(report.__dict__, indent=2), encoding="utf-8")
    print_table(report)
    print(f"\nwritten to {options.json}")


if __name__ == "__main__":
    main()
