"""Where a run's time goes: wall-clock and CPU seconds per stage.

CPU time counts this process (all its threads) and the child processes it has waited for,
which is every ffmpeg the run started, so a stage that mostly waits on ffmpeg still shows
the CPU it cost. Work done on another thread beside the stages (`Stopwatch.beside`) is timed
apart: its wall time overlaps theirs and its CPU is inside theirs, so it is not in the total.
Written to `timings.json` beside the manifest and shown by `--timings`.
"""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class StageTime:
    """How long one stage took, in seconds, summed over every time it ran."""

    stage: str
    wall: float
    cpu: float
    beside: bool = False  # ran on another thread beside the other stages: not in the total


class Stopwatch:
    """Times the named stages of one run; a stage timed more than once adds up."""

    def __init__(self) -> None:
        self._totals: dict[str, tuple[float, float]] = {}
        self._beside: set[str] = set()
        self._lock = threading.Lock()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as (part of) stage `name`."""
        cpu, wall = cpu_seconds(), time.perf_counter()
        try:
            yield
        finally:
            self._add(name, time.perf_counter() - wall, cpu_seconds() - cpu)

    def beside(self, name: str) -> AbstractContextManager[None]:
        """A timer for stage `name` run on another thread while the others go on: its wall
        time and that thread's own CPU (not its decoder threads'). The stage takes its place
        in the order now, when the work is handed over, not when the thread gets to it."""
        with self._lock:
            self._totals.setdefault(name, (0.0, 0.0))
            self._beside.add(name)

        @contextmanager
        def timing() -> Iterator[None]:
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                yield
            finally:
                self._add(name, time.perf_counter() - wall, time.thread_time() - cpu)

        return timing()

    def _add(self, name: str, wall: float, cpu: float) -> None:
        with self._lock:
            spent_wall, spent_cpu = self._totals.get(name, (0.0, 0.0))
            self._totals[name] = (spent_wall + wall, spent_cpu + cpu)

    @property
    def stages(self) -> tuple[StageTime, ...]:
        """Every stage timed so far, in the order each first ran (or was handed over)."""
        with self._lock:
            return tuple(
                StageTime(name, wall, cpu, name in self._beside)
                for name, (wall, cpu) in self._totals.items()
            )

    def to_dict(self) -> dict[str, Any]:
        """The stages and their total, rounded to milliseconds, for timings.json."""
        stages = self.stages
        counted = [s for s in stages if not s.beside]
        return {
            "stages": [
                {
                    "stage": s.stage,
                    "wall": round(s.wall, 3),
                    "cpu": round(s.cpu, 3),
                    **({"beside": True} if s.beside else {}),
                }
                for s in stages
            ],  # fmt: skip
            "total": {
                "wall": round(sum(s.wall for s in counted), 3),
                "cpu": round(sum(s.cpu for s in counted), 3),
            },
        }


def cpu_seconds() -> float:
    """User and system CPU of this process and of its finished, waited-for children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total
