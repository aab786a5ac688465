"""The pipeline, top to bottom: probe, transcribe, segment, render, stills, write-ups, manifest."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Mapping, Set
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from pipeline.core import transcript_io
from pipeline.core.device import resolve_device
from pipeline.core.errors import InputError
from pipeline.core.files import ensure_writable_dir, start_over, write_json
from pipeline.core.memory import release_memory
from pipeline.core.model import Media, Output, Plan, Segment, Transcript
from pipeline.core.plan_io import load_plan, save_plan
from pipeline.core.settings import Settings
from pipeline.core.style import Style, load_style
from pipeline.core.timings import StageTime, Stopwatch
from pipeline.hear import motion
from pipeline.hear.pose import LazyPoseModel, Poses, PoseTrack, demo_poses
from pipeline.hear.probe import probe
from pipeline.hear.transcribe import require_speech
from pipeline.publish.manifest import write_manifest
from pipeline.render.encode import Encode, discard, run_encode
from pipeline.run.fresh import (
    drop_kept_manifest,
    in_order,
    input_digests,
    keep_manifest,
    previous_outputs,
    remove_unlisted,
    still_current,
    with_digests,
)
from pipeline.run.inputs import folder_name
from pipeline.run.resume import fingerprint
from pipeline.run.turns import Turns
from pipeline.run.words import timed_transcript, words_apart
from pipeline.understand.confidence import mark_unsure
from pipeline.understand.faults import FaultMark
from pipeline.understand.reps import with_reps
from pipeline.understand.segment import segment

if TYPE_CHECKING:
    from pipeline.publish.stills import Drawn

# Called with a stage name and the fraction of that stage done, for progress bars.
Progress = Callable[[str, float], None]
Prepared = TypeVar("Prepared", Encode, Encode | None)


@dataclass(frozen=True, slots=True)
class Result:
    """What one run made: where, from which plan, and every output written."""

    folder: Path
    plan: Plan
    outputs: tuple[Output, ...]
    timings: tuple[StageTime, ...] = ()

    @property
    def manifest(self) -> Path:
        return self.folder / "manifest.json"


def make_clips(
    source: Path, settings: Settings, progress: Progress | None = None, folder: Path | None = None
) -> Result:
    """Turn one source video into clips, images, an article and a review page.

    Outputs go to `folder`, by default `<output root>/<source name>`.
    """
    stopwatch = Stopwatch()
    media, plan, transcript, folder = analyze(source, settings, progress, folder, stopwatch)
    return render(media, plan, transcript, folder, settings, progress, stopwatch)


def analyze(
    source: Path,
    settings: Settings,
    progress: Progress | None = None,
    folder: Path | None = None,
    stopwatch: Stopwatch | None = None,
) -> tuple[Media, Plan, Transcript, Path]:
    """Probe, transcribe and segment `source`; write the transcripts and plan.json."""
    report = progress or _quiet
    clock = stopwatch or Stopwatch()
    resolve_device(settings.device)  # a missing GPU is said before any work is done
    with clock.stage("probe"):
        media = probe(Path(source))
        folder = ensure_writable_dir(folder or output_folder(settings, media.path))
        start_over(folder)
    report("transcribe", 0.0)
    with clock.stage("transcribe"):
        # in a child process: what transcribing leaves behind goes with it (pipeline.run.words)
        outline = _read_outline(settings.outline)
        transcript = words_apart(
            media, settings, outline, lambda done: report("transcribe", 0.95 * done)
        )
        transcript_io.write_transcripts(transcript, folder)
    report("transcribe", 1.0)
    with clock.stage("segment"):
        plan = segment(transcript, source=str(media.path.resolve()), outline=outline)
        plan = mark_unsure(plan, transcript)
    with clock.stage("reps"):
        if load_style(settings.style).count_reps:
            plan = with_reps(plan, _demo_movements(media, plan), motion.RATE)
        save_plan(plan, folder / "plan.json")
    # The demos' decoded frames are gone, but their heap stays with the process unless handed
    # back, under every encode that follows (pipeline.core.memory).
    release_memory()
    for heading in plan.unmatched_headings:
        warnings.warn(
            f"the outline heading {heading!r} was not found in the speech, so it has no "
            "segment: check the take, or add it to plan.json by hand",
            stacklevel=2,
        )
    report("segment", 1.0)
    return media, plan, transcript, folder


def _demo_movements(media: Media, plan: Plan) -> dict[tuple[str, int], np.ndarray]:
    """Each demo's movement signal, keyed by (segment id, demo index)."""
    return {
        (segment.id, index): motion.movement(media, demo.start, demo.end)
        for segment in plan.segments
        for index, demo in enumerate(segment.demos)
    }


def render_plan_file(
    plan_file: Path,
    settings: Settings,
    progress: Progress | None = None,
    *,
    only_changed: bool = False,
) -> Result:
    """Render exactly the (possibly hand-edited) plan in `plan_file`, without transcribing again.

    With `only_changed`, the outputs of the last render whose inputs are unchanged are kept as
    they are and only the others are made again (`render`'s `previous`).
    """
    plan_file = Path(plan_file)
    stopwatch = Stopwatch()
    resolve_device(settings.device)
    with stopwatch.stage("probe"):
        preliminary = load_plan(plan_file)
        media = probe(Path(preliminary.source))
        plan = load_plan(plan_file, duration=media.duration)
        folder = ensure_writable_dir(plan_file.parent)
        previous = None
        if only_changed:
            previous = previous_outputs(folder)
            keep_manifest(folder)
        start_over(folder)
    with stopwatch.stage("transcribe"):
        saved = folder / "transcript.json"
        if saved.exists():
            transcript = transcript_io.read_transcript(saved, media.duration)
        else:
            transcript = require_speech(timed_transcript(media, settings), media.path)
    return render(media, plan, transcript, folder, settings, progress, stopwatch, previous)


def render(
    media: Media,
    plan: Plan,
    transcript: Transcript,
    folder: Path,
    settings: Settings,
    progress: Progress | None = None,
    stopwatch: Stopwatch | None = None,
    previous: list[Output] | None = None,
) -> Result:
    """Render clips, compare clips, stills, the article, the page and the timeline of `plan`.

    Each stage's time goes to `stopwatch` and, with the stages timed before, to timings.json.
    Poses, fault marks and stills are worked out on a thread beside the encodes (timed as
    stages beside the others): the segments without demos encode meanwhile.
    Every clip, compare clip and image carries the digest of its inputs in the manifest
    (`pipeline.run.fresh`). Given the `previous` render's outputs, only those whose inputs
    changed are made again; the others are kept untouched (bytes and times), and files of the
    previous render that this plan no longer makes (a renamed or deleted segment's) are removed.
    """
    from pipeline.publish.article import write_article
    from pipeline.publish.page import write_page
    from pipeline.publish.stills import draw_stills, write_drawn
    from pipeline.publish.timeline import write_timeline
    from pipeline.render.compare import prepare_compare

    report = progress or _quiet
    clock = stopwatch or Stopwatch()
    style = load_style(settings.style)
    outputs: list[Output] = [
        Output(folder / name, "transcript")
        for name in ("transcript.json", "transcript.srt", "transcript.vtt")
        if (folder / name).exists()
    ]
    outputs.append(Output(folder / "plan.json", "plan"))
    digests = input_digests(media.path, plan, transcript, settings)
    kept = still_current(previous or [], digests)
    to_make = digests.keys() - kept.keys()
    # Poses and fault marks feed a segment's clips, split images and freeze frame: only the
    # segments with one of those to make again need them.
    marked_roles = {"clip", "split", "fault"}
    needed = {seg for seg, role, _ in to_make if role in marked_roles}
    styles = {seg.id: style.for_segment(seg.annotations) for seg in plan.segments}
    posed = {s.id for s in plan.segments if s.id in needed and styles[s.id].pose}
    marked = {
        s.id
        for s in plan.segments
        if s.id in needed and (styles[s.id].mark_fault or styles[s.id].freeze_frame)
    }
    with (
        ThreadPoolExecutor(1, thread_name_prefix="prepare") as helper,
        ThreadPoolExecutor(1, thread_name_prefix="analyse") as analysis,
    ):
        # Poses, fault marks and then the stills are worked out on a thread of their own, beside
        # the first encodes (a segment without demos needs none of them), rather than before
        # every encode with one core idle: segment by segment in plan order, so a segment's
        # clips wait for their own demos only. The stills are drawn there but written only
        # after every clip: a run that fails while encoding leaves no finished-looking picture.
        # Beside an encode, the two threads take turns (`pipeline.run.turns`): their memory
        # peaks one at a time instead of adding up beside a mistake's three encoders.
        turns = Turns()
        # The three stages take their places in this order, even with no demo to pose.
        clock.beside("pose")
        clock.beside("faults")
        stills_timer = clock.beside("stills")
        analysed = _analyse_each(analysis, media, plan, posed, marked, settings, clock, turns)

        def drawn() -> list[Drawn]:
            with stills_timer:
                marks = _marks(analysed)
                images = draw_stills(media, plan, style, folder, marks, kept, turns.turn)
            release_memory()  # the pose model's and the full-size frames' heap, under the encodes
            return images

        pictures = analysis.submit(drawn)
        steps: list[tuple[str, Callable[[], Encode | None]]] = []
        for seg in plan.segments:
            own = styles[seg.id]
            clips = tuple(a for a in settings.formats if (seg.id, "clip", a) in to_make)
            if clips:
                chosen = replace(settings, formats=clips)
                prepare = partial(_prepare_clips, media, seg, transcript, own, chosen, folder,
                                  analysed, turns)  # fmt: skip
                steps.append(("clips", prepare))
            compares = tuple(a for a in settings.formats if (seg.id, "compare", a) in to_make)
            if compares:
                chosen = replace(settings, formats=compares)
                compare = partial(prepare_compare, media, seg, own, chosen, folder)
                steps.append(("compare", partial(_prepared, compare, turns)))
        try:
            outputs += _encode_in_turn(steps, helper, clock, report)
        except BaseException:
            for waiting in analysed.values():
                waiting.cancel()  # no use for the later segments' poses now
            pictures.cancel()
            pictures.add_done_callback(_discard_pictures)  # drawn meanwhile, never named
            raise
        report("render", 1.0)
        with clock.stage("write-stills"):
            outputs += write_drawn(pictures.result())
    report("stills", 1.0)
    reused = [output for group in kept.values() for output in group]
    outputs = with_digests(in_order(plan, outputs + reused, settings.formats), digests)
    if previous is not None:
        remove_unlisted(previous, outputs, folder)
    with clock.stage("write-ups"):
        outputs.append(write_article(plan, outputs, folder))
        outputs.append(write_timeline(media, plan, folder))
        outputs.append(write_page(plan, outputs, folder))
    outputs.append(Output(write_json(folder / "timings.json", clock.to_dict()), "timings"))
    write_manifest(folder, plan, outputs, fingerprint(media.path, settings))
    if previous is not None:
        drop_kept_manifest(folder)
    report("manifest", 1.0)
    return Result(folder, plan, tuple(outputs), clock.stages)


def _encode_in_turn(
    steps: list[tuple[str, Callable[[], Encode | None]]],
    helper: Executor,
    clock: Stopwatch,
    report: Progress,
) -> list[Output]:
    """Run each step's encode while `helper` prepares the next one.

    Each stage's wall time is the time spent encoding or waiting for it.
    """
    outputs: list[Output] = []
    pending: Future[Encode | None] | None = helper.submit(steps[0][1]) if steps else None
    try:
        for index, (stage, _) in enumerate(steps):
            with clock.stage(stage):
                assert pending is not None
                encode = pending.result()
                following = index + 1 < len(steps)
                pending = helper.submit(steps[index + 1][1]) if following else None
                if encode is not None:

                    def step(fraction: float, index: int = index) -> None:
                        report("render", (index + fraction) / len(steps))

                    outputs += run_encode(encode, step)
    except BaseException:
        if pending is not None and not pending.cancel():
            with contextlib.suppress(Exception):
                leftover = pending.result()
                if leftover is not None:
                    discard(leftover)
        raise
    return outputs


def _discard_pictures(pictures: Future[list[Drawn]]) -> None:
    """Remove the images a failed run drew under their partial names."""
    from pipeline.publish.stills import discard_drawn

    if not pictures.cancelled() and pictures.exception() is None:
        discard_drawn(pictures.result())


def _prepared(prepare: Callable[[], Prepared], turns: Turns) -> Prepared:
    """Prepare an encode in its turn, then hand back the heap the preparation freed before
    the turn passes.

    A preparation (frames decoded for the framing, labels drawn at full size) leaves about
    100 MB of freed heap with the process (a 1080p mistake: 277 -> 172 MB once handed
    back), which would otherwise sit beside the ffmpeg it runs next to until the next
    preparation reuses it.
    """
    with turns.turn():
        encode = prepare()
        release_memory()
    return encode


Analysis = tuple[Poses, dict[str, FaultMark]]  # one segment's: its demos' poses, its mark


def _analyse_each(
    analysis: Executor,
    media: Media,
    plan: Plan,
    posed: Set[str],
    marked: Set[str],
    settings: Settings,
    clock: Stopwatch,
    turns: Turns,
) -> dict[str, Future[Analysis]]:
    """The poses and fault mark of each segment in `posed` or `marked` (ids), one future a
    segment, handed to `analysis` in plan order.

    Each segment's clips wait for their own future only: with one future for the whole plan,
    the encodes of a 5-minute take stood still for 132 s while the poses of every demo were
    worked out. The segments share one pose model, loaded at the first demo not in the cache.
    """
    model = LazyPoseModel()
    return {
        segment.id: analysis.submit(
            _analyse,
            media,
            replace(plan, segments=(segment,)),
            segment.id in posed,
            segment.id in marked,
            settings,
            model,
            (clock.beside("pose"), clock.beside("faults")),
            turns,
        )
        for segment in plan.segments
        if segment.id in posed or segment.id in marked
    }


def _marks(analysed: Mapping[str, Future[Analysis]]) -> dict[str, FaultMark]:
    """Every segment's fault mark, waiting for all of them (the stills need each)."""
    return {key: mark for done in analysed.values() for key, mark in done.result()[1].items()}


def _analyse(
    media: Media,
    alone: Plan,
    posed: bool,
    marked: bool,
    settings: Settings,
    model: LazyPoseModel,
    timers: tuple[AbstractContextManager[None], AbstractContextManager[None]],
    turns: Turns,
) -> Analysis:
    """The poses (if `posed`) and fault mark (if `marked`) of the one segment of `alone`,
    in a turn of their own."""
    from pipeline.publish.faults import mark_faults

    poses: Poses = {}
    marks: dict[str, FaultMark] = {}
    with turns.turn():
        if posed:
            with timers[0]:
                poses = demo_poses(media, alone, settings.cache_dir, model)
        if marked:
            with timers[1]:
                marks = mark_faults(media, alone, poses)
        # The decoded pictures are gone: hand their heap back before the turn passes and
        # the stills are drawn (the sample: Python 449 -> 367 MB at the stills).
        release_memory()
    return poses, marks


def _prepare_clips(
    media: Media,
    segment: Segment,
    transcript: Transcript,
    style: Style,
    settings: Settings,
    folder: Path,
    analysed: Mapping[str, Future[Analysis]],
    turns: Turns,
) -> Encode:
    """The segment's clips, ready to encode; a segment with demos waits for their poses and
    fault mark, one without starts at once."""
    from pipeline.render.clips import prepare_segment

    bodies: list[PoseTrack] = []
    mark = None
    if segment.demos and segment.id in analysed:
        # Waited for outside the turn: the analysis needs turns of its own.
        poses, marks = analysed[segment.id].result()
        bodies = [
            poses[segment.id, i] for i in range(len(segment.demos)) if (segment.id, i) in poses
        ]
        mark = marks.get(segment.id)
    prepare = partial(prepare_segment, media, segment, transcript, style, settings, folder)
    return _prepared(partial(prepare, bodies, mark), turns)


def output_folder(settings: Settings, source: Path) -> Path:
    """Where one source's outputs go: `<output root>/<source file name without extension>`."""
    return settings.output_root / folder_name(source)


def _read_outline(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the outline as UTF-8 text") from exc


def _quiet(stage: str, fraction: float) -> None:
    pass
