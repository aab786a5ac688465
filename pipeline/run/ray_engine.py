"""Running a batch as Ray tasks: transcription and rendering as separate tasks per source.

Transcription (probe, speech model, segmentation) and rendering (ffmpeg, stills, write-ups) ask
for resources separately, so a cluster can place them on different nodes. They hand over
through the output folder (plan.json and transcript.json), which on a cluster must be shared
storage that every node sees at the same path; the outputs are the same as the local engine's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.core.errors import MakeClipsError
from pipeline.core.settings import Settings
from pipeline.run.jobs import JobResult, StageCallback, failed, skipped
from pipeline.run.resume import is_complete

# Resource hints per task kind; a GPU node can take transcription by adding "num_gpus".
TRANSCRIBE_RESOURCES: dict[str, Any] = {"num_cpus": 1}
RENDER_RESOURCES: dict[str, Any] = {"num_cpus": 1}


def run_on_ray(
    sources: list[Path],
    folders: dict[Path, Path],
    settings: Settings,
    jobs: int,
    address: str | None,
    on_stage: StageCallback | None,
    on_done: Callable[[int, JobResult], None] | None,
) -> list[JobResult]:
    """Run every source on Ray (a local instance with `jobs` CPUs, or the cluster at `address`).

    Raises:
        MakeClipsError: Ray is not installed or the cluster cannot be reached.
    """
    try:
        import ray
    except ImportError as exc:
        raise MakeClipsError("--engine ray needs Ray: pip install 'make-clips[ray]'") from exc
    started_here = not ray.is_initialized()
    if started_here:
        try:
            ray.init(
                address=address,
                num_cpus=None if address else jobs,
                include_dashboard=False,
                log_to_driver=False,
            )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise MakeClipsError(
                f"cannot start or reach Ray at {address or 'local'}: {exc}"
            ) from exc
    try:
        return _run(ray, sources, folders, settings, on_stage, on_done)
    finally:
        if started_here:
            ray.shutdown()


def _run(
    ray: Any,
    sources: list[Path],
    folders: dict[Path, Path],
    settings: Settings,
    on_stage: StageCallback | None,
    on_done: Callable[[int, JobResult], None] | None,
) -> list[JobResult]:
    analyze = ray.remote(max_retries=0, **TRANSCRIBE_RESOURCES)(_analyze_task)
    render = ray.remote(max_retries=0, **RENDER_RESOURCES)(_render_task)
    report = on_stage or (lambda index, stage, fraction: None)
    results: dict[int, JobResult] = {}
    analyzing: dict[Any, int] = {}
    rendering: dict[Any, int] = {}
    for index, source in enumerate(sources):
        folder = folders[source]
        if not settings.force and is_complete(folder, source, settings):
            results[index] = skipped(source, folder)
            if on_done:
                on_done(index, results[index])
            continue
        transcribed = analyze.remote(source, folder, settings, time.time())
        analyzing[transcribed] = index
        rendering[render.remote(transcribed, source, folder, settings)] = index
        report(index, "transcribe", 0.0)
    while rendering:
        ready, _ = ray.wait(list(rendering) + list(analyzing), num_returns=1, timeout=0.5)
        for ref in ready:
            if ref in analyzing:
                report(analyzing.pop(ref), "render", 0.0)
            elif ref in rendering:
                index = rendering.pop(ref)
                results[index] = ray.get(ref)
                if on_done:
                    on_done(index, results[index])
    return [results[i] for i in range(len(sources))]


def _analyze_task(
    source: Path, folder: Path, settings: Settings, started: float
) -> JobResult | float:
    """Probe, transcribe and segment; return the start time, or the failure."""
    from pipeline.run.single import analyze

    try:
        analyze(source, settings, None, folder)
    except MakeClipsError as exc:
        return failed(source, folder, exc, time.time() - started)
    except Exception as exc:  # noqa: BLE001 - one broken input must not stop the batch
        return failed(source, folder, exc, time.time() - started, unexpected=True)
    return started


def _render_task(
    transcribed: JobResult | float, source: Path, folder: Path, settings: Settings
) -> JobResult:
    """Render the plan the transcription task wrote (or pass its failure on)."""
    from pipeline.run.single import render_plan_file

    if isinstance(transcribed, JobResult):
        return transcribed
    try:
        result = render_plan_file(folder / "plan.json", settings)
    except MakeClipsError as exc:
        return failed(source, folder, exc, time.time() - transcribed)
    except Exception as exc:  # noqa: BLE001
        return failed(source, folder, exc, time.time() - transcribed, unexpected=True)
    clips = sum(1 for o in result.outputs if o.type in ("clip", "compare"))
    # Wall-clock time, since the two tasks may run on different machines.
    seconds = max(0.0, time.time() - transcribed)
    return JobResult(source, folder, "done", len(result.plan.segments), clips, seconds)
