"""The command line's view of a batch: one overall bar, a line per running source, a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.core.settings import Settings
from pipeline.run.batch import run_batch
from pipeline.run.jobs import JobResult

_STYLE = {"done": "green", "skipped": "cyan", "failed": "red"}


def run_batch_with_progress(
    sources: list[Path], settings: Settings, jobs: int | None, engine: Any, ray_address: str | None
) -> int:
    """Run the batch with live progress, print the summary table; return the exit status."""
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
    )
    overall = bar.add_task(f"[bold]{len(sources)} sources", total=len(sources))
    running: dict[int, TaskID] = {}

    def on_stage(index: int, stage: str, fraction: float) -> None:
        if index not in running:
            running[index] = bar.add_task(f"  {sources[index].name}", total=1.0)
        bar.update(
            running[index],
            description=f"  {sources[index].name}: {stage}",
            completed=fraction if stage == "render" else 0.0,
        )

    def on_done(index: int, result: JobResult) -> None:
        if index in running:
            bar.remove_task(running.pop(index))
        bar.advance(overall)

    with bar:
        results = run_batch(
            sources,
            settings,
            jobs=jobs,
            engine=engine,
            ray_address=ray_address,
            on_stage=on_stage,
            on_done=on_done,
        )
    Console().print(summary_table(results))
    return 1 if any(r.status == "failed" for r in results) else 0


def summary_table(results: list[JobResult]) -> Table:
    """One row per source: input, segments, clips, time, status, error."""
    table = Table(title="make-clips batch")
    for column in ("input", "segments", "clips", "time", "status", "error"):
        table.add_column(
            column, justify="right" if column in ("segments", "clips", "time") else "left"
        )
    for r in results:
        table.add_row(
            str(r.source.name),
            str(r.segments),
            str(r.clips),
            f"{r.seconds:.1f} s",
            f"[{_STYLE[r.status]}]{r.status}[/]",
            r.error,
        )
    return table
