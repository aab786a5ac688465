"""Where a run's time goes: wall-clock and CPU seconds per stage.

CPU time counts this process (all its threads) and the child processes it has waited for,
which is every ffmpeg the run started, so a stage that mostly waits on ffmpeg still shows
the CPU it cost. Written to `timings.json` beside the manifest and shown by `--timings`.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class StageTime:
    """How long one stage took, in seconds, summed over every time it ran."""

    stage: str
    wall: float
    cpu: float


class Stopwatch:
    """Times the named stages of one run; a stage timed more than once adds up."""

    def __init__(self) -> None:
        self._totals: dict[str, tuple[float, float]] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as (part of) stage `name`."""
        cpu, wall = cpu_seconds(), time.perf_counter()
        try:
            yield
        finally:
            spent_wall, spent_cpu = self._totals.get(name, (0.0, 0.0))
            self._totals[name] = (
                spent_wall + time.perf_counter() - wall,
                spent_cpu + cpu_seconds() - cpu,
            )

    @property
    def stages(self) -> tuple[StageTime, ...]:
        """Every stage timed so far, in the order each first ran."""
        return tuple(StageTime(name, wall, cpu) for name, (wall, cpu) in self._totals.items())

    def to_dict(self) -> dict[str, Any]:
        """The stages and their total, rounded to milliseconds, for timings.json."""
        stages = self.stages
        return {
            "stages": [
                {"stage": s.stage, "wall": round(s.wall, 3), "cpu": round(s.cpu, 3)} for s in stages
            ],
            "total": {
                "wall": round(sum(s.wall for s in stages), 3),
                "cpu": round(sum(s.cpu for s in stages), 3),
            },
        }


def cpu_seconds() -> float:
    """User and system CPU of this process and of its finished, waited-for children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total
