"""Many sources at once: a local process pool by default, Ray tasks with `engine="ray"`.

One failing source never stops the others; each gets a `JobResult`. Sources whose outputs are
finished and current are skipped unless `settings.force` is set.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Literal

from pipeline.core.errors import MakeClipsError
from pipeline.core.settings import Settings
from pipeline.run.inputs import assign_folders
from pipeline.run.jobs import JobResult, StageCallback, failed, skipped
from pipeline.run.resume import is_complete


def run_batch(
    sources: Sequence[Path],
    settings: Settings,
    *,
    jobs: int | None = None,
    engine: Literal["local", "ray"] = "local",
    ray_address: str | None = None,
    on_stage: StageCallback | None = None,
    on_done: Callable[[int, JobResult], None] | None = None,
) -> list[JobResult]:
    """Make everything for every source; return one result per source, in the given order."""
    folders = assign_folders(sources, settings.output_root)
    jobs = max(1, jobs or os.cpu_count() or 1)
    run = _run_ray if engine == "ray" else _run_local
    return run(list(sources), folders, settings, jobs, ray_address, on_stage, on_done)


def run_one(
    source: Path,
    folder: Path,
    settings: Settings,
    report: Callable[[str, float], None] | None = None,
) -> JobResult:
    """Make everything for one source, turning its errors into a failed result."""
    from pipeline.run.single import make_clips

    started = time.monotonic()
    if not settings.force and is_complete(folder, source, settings):
        return skipped(source, folder)
    try:
        result = make_clips(source, settings, report, folder)
    except MakeClipsError as exc:
        return failed(source, folder, exc, time.monotonic() - started)
    except Exception as exc:  # noqa: BLE001 - one broken input must not stop the batch
        return failed(source, folder, exc, time.monotonic() - started, unexpected=True)
    clips = sum(1 for o in result.outputs if o.type in ("clip", "compare"))
    return JobResult(
        source, folder, "done", len(result.plan.segments), clips, time.monotonic() - started
    )


def _run_local(
    sources: list[Path],
    folders: dict[Path, Path],
    settings: Settings,
    jobs: int,
    ray_address: str | None,
    on_stage: StageCallback | None,
    on_done: Callable[[int, JobResult], None] | None,
) -> list[JobResult]:
    results: dict[int, JobResult] = {}
    # spawn: the parent holds threads (progress display), which fork would copy half-alive.
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(jobs, mp_context=context) as pool:
        updates = manager.Queue()
        pending: dict[Future[JobResult], int] = {
            pool.submit(_local_worker, i, s, folders[s], settings, updates): i
            for i, s in enumerate(sources)
        }
        while pending:
            finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            _drain(updates, on_stage)
            for future in finished:
                index = pending.pop(future)
                try:
                    results[index] = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker that died (e.g. out of memory)
                    source = sources[index]
                    results[index] = failed(source, folders[source], exc, 0.0, unexpected=True)
                if on_done:
                    on_done(index, results[index])
        _drain(updates, on_stage)
    return [results[i] for i in range(len(sources))]


def _local_worker(
    index: int, source: Path, folder: Path, settings: Settings, updates: Any
) -> JobResult:
    return run_one(source, folder, settings, lambda stage, f: updates.put((index, stage, f)))


def _drain(updates: Any, on_stage: StageCallback | None) -> None:
    while True:
        try:
            index, stage, fraction = updates.get_nowait()
        except (queue.Empty, EOFError, OSError):
            return
        if on_stage:
            on_stage(index, stage, fraction)


def _run_ray(
    sources: list[Path],
    folders: dict[Path, Path],
    settings: Settings,
    jobs: int,
    ray_address: str | None,
    on_stage: StageCallback | None,
    on_done: Callable[[int, JobResult], None] | None,
) -> list[JobResult]:
    from pipeline.run.ray_engine import run_on_ray

    return run_on_ray(sources, folders, settings, jobs, ray_address, on_stage, on_done)
