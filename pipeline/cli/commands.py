"""The command line: parses, calls the library, reports. The only place that prints or exits."""

from __future__ import annotations

import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import click

from pipeline import __version__
from pipeline.core.errors import MakeClipsError
from pipeline.core.memory import limit_arenas
from pipeline.core.model import Plan
from pipeline.core.settings import ASPECTS, DEFAULT_FORMATS, DEFAULT_MAX_DURATION, Settings

# How much of a run each stage takes, for one smooth progress bar.
STAGE_WEIGHTS = {
    "transcribe": 0.15,
    "segment": 0.02,
    "render": 0.70,
    "stills": 0.10,
    "manifest": 0.03,
}


class DefaultGroup(click.Group):
    """A group whose default command is `run`, so `make-clips raw.mp4` just works."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args:
            click.echo(ctx.get_help())
            ctx.exit(0)
        if args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [f for f in chosen if f not in ASPECTS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(ASPECTS)} (comma-separated)")
    return chosen


def _max_duration(
    ctx: click.Context, param: click.Parameter, value: str
) -> tuple[tuple[str, float], ...]:
    """`90` (every format), `9:16=60,16:9=off` (per format, over the defaults) or `off`."""
    limits = dict(DEFAULT_MAX_DURATION)
    for part in (p.strip() for p in value.split(",") if p.strip()):
        aspect, _, seconds = part.rpartition("=")
        if aspect and aspect not in ASPECTS:
            raise click.BadParameter(f"{aspect!r}: not a format; use {', '.join(ASPECTS)}")
        for target in [aspect] if aspect else list(ASPECTS):
            if seconds.lower() in ("off", "none"):
                limits.pop(target, None)
                continue
            try:
                limit = float(seconds)
            except ValueError:
                raise click.BadParameter(
                    f"{part!r}: give seconds, e.g. 60 or 9:16=60,16:9=off"
                ) from None
            if limit < 5:
                raise click.BadParameter(f"{part!r}: a clip limit under 5 s leaves no clip")
            limits[target] = limit
    return tuple(sorted(limits.items()))


def timings_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--timings`: show where the time went (every run writes timings.json anyway)."""
    return click.option(
        "--timings",
        is_flag=True,
        help="Show each stage's wall and CPU seconds (also written to timings.json).",
    )(command)


def common_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command that renders or transcribes takes."""
    options = [
        click.option(
            "-o",
            "--output",
            "output_root",
            type=click.Path(path_type=Path),
            default=Path("output"),
            show_default=True,
            help="Output root; each input goes to OUTPUT/<input name>/.",
        ),
        click.option(
            "--formats",
            default=",".join(DEFAULT_FORMATS),
            show_default=True,
            callback=_formats,
            help="Clip aspect ratios: 9:16, 1:1, 4:5, 16:9.",
        ),
        click.option(
            "--style",
            type=click.Path(path_type=Path, exists=True, dir_okay=False),
            help="A brand style.toml laid over the default look.",
        ),
        click.option(
            "--model",
            metavar="NAME|FOLDER",
            help="Speech model: a name (tiny.en, base) or a local CTranslate2 Whisper folder "
            "(default: the bundled tiny.en).",
        ),
        click.option(
            "--transcript",
            type=click.Path(path_type=Path, exists=True, dir_okay=False),
            help="Use this .srt, .vtt or transcript.json instead of transcribing.",
        ),
        click.option(
            "--outline",
            type=click.Path(path_type=Path, exists=True, dir_okay=False),
            help="Your article or outline (Markdown/text): its headings name the segments.",
        ),
        click.option(
            "--max-duration",
            default="9:16=90",
            show_default=True,
            callback=_max_duration,
            help="Longest clip in seconds, for every format (60) or per format "
            "(9:16=60,16:9=off); a longer segment is cut at a sentence end.",
        ),
        click.option(
            "--device",
            type=click.Choice(["cpu", "auto", "cuda"]),
            default="cpu",
            show_default=True,
            help="Where the speech model and the encoder run: the CPU, an NVIDIA GPU (cuda), "
            "or the GPU when there is one (auto).",
        ),
        click.option("--force", is_flag=True, help="Redo everything, ignoring caches."),
        click.option("--debug", is_flag=True, help="Show full tracebacks on errors."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _settings(**options: Any) -> Settings:
    return Settings(
        output_root=options["output_root"],
        model=options["model"],
        formats=options["formats"],
        style=options["style"],
        outline=options["outline"],
        transcript=options["transcript"],
        max_duration=options["max_duration"],
        force=options["force"],
        device=options["device"],
    )


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="make-clips")
def main() -> None:
    """Turn one take of coaching footage into finished content.

    \b
      make-clips raw.mp4               clips, split images, article, review page
      make-clips analyze raw.mp4       write plan.json only, to edit by hand
      make-clips render out/raw/plan.json   render an edited plan
      make-clips review out/raw        fix it in the browser, render what changed

    Outputs go to output/<input name>/ (change with -o); manifest.json lists them all.
    """
    limit_arenas()  # flat memory over long takes (pipeline.core.memory)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@common_options
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Sources processed at once (default: the number of cores).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where batch work runs: local processes, or Ray tasks.",
)
@click.option("--ray-address", metavar="ADDR", help="An existing Ray cluster (default: start one).")
@timings_option
@click.option(
    "--review",
    "review_after",
    is_flag=True,
    help="Then open the outputs in the review app (see make-clips review).",
)
def run(
    sources: tuple[str, ...],
    debug: bool,
    jobs: int | None,
    engine: str,
    ray_address: str | None,
    timings: bool,
    review_after: bool,
    **options: Any,
) -> None:
    """Make everything from SOURCES: video files, folders or glob patterns (the default command).

    Each source's outputs go to OUTPUT/<name>/. Sources already done with the same settings are
    skipped (use --force to redo them).
    """
    from pipeline.run.inputs import collect_inputs
    from pipeline.run.resume import is_complete
    from pipeline.run.single import make_clips, output_folder

    settings = _settings(**options)
    single = len(sources) == 1 and Path(sources[0]).is_file() and engine == "local"
    if review_after and not single:
        raise click.UsageError("--review works with one source file (run locally)")
    if not single:
        with _reported(debug):
            paths = collect_inputs(sources)
        from pipeline.cli.batch_table import run_batch_with_progress

        sys.exit(run_batch_with_progress(paths, settings, jobs, engine, ray_address))
    source = Path(sources[0])
    folder = output_folder(settings, source)
    if not settings.force and is_complete(folder, source, settings):
        click.echo(f"up to date: {folder}/ (use --force to redo)")
    else:
        with _reported(debug), _progress(source.name) as progress:
            started = time.monotonic()
            result = make_clips(source, settings, progress)
        _summary(result, time.monotonic() - started, timings)
        folder = result.folder
    if review_after:
        _serve_review(folder, settings, debug, port=0, browser=True)


@main.command()
@click.argument("folder", metavar="OUTPUT_DIR", type=click.Path(path_type=Path))
@click.option(
    "--formats",
    default=",".join(DEFAULT_FORMATS),
    callback=_formats,
    help="Clip aspect ratios to render (default: those the folder already has).",
)
@click.option(
    "--style",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="The brand style.toml the outputs were made with.",
)
@click.option(
    "--max-duration",
    default="9:16=90",
    show_default=True,
    callback=_max_duration,
    help="Longest clip in seconds, as for a run.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one)."
)
@click.option("--no-browser", is_flag=True, help="Print the address only; open nothing.")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
def review(
    folder: Path,
    formats: tuple[str, ...],
    style: Path | None,
    max_duration: tuple[tuple[str, float], ...],
    port: int,
    no_browser: bool,
    debug: bool,
) -> None:
    """Review OUTPUT_DIR (e.g. output/raw) in the browser: fix segments, titles and words there,
    then render only what changed. Serves 127.0.0.1 only; Ctrl-C stops it."""
    settings = Settings(formats=formats, style=style, max_duration=max_duration)
    _serve_review(folder, settings, debug, port=port, browser=not no_browser)


def _serve_review(
    folder: Path, settings: Settings, debug: bool, *, port: int, browser: bool
) -> None:
    """Print the review's address (with its token), open it, serve until Ctrl-C."""
    import webbrowser

    from pipeline.review.server import open_review

    with _reported(debug):
        session = open_review(folder, settings, port)
        click.echo(f"reviewing {session.folder}/ at\n  {session.url}\n(Ctrl-C stops it)")
        if browser:
            webbrowser.open(session.url)  # honours BROWSER
        # uvicorn shuts down cleanly on Ctrl-C, then raises it again for us: done.
        with suppress(KeyboardInterrupt):
            session.run()
        if session.rendering:  # stopping mid-render would leave the folder looking unfinished
            click.echo("finishing the render in progress (Ctrl-C again to stop at once)...")
            session.finish_render()
            if session.render_state == "failed":  # Ctrl-C in a terminal reaches ffmpeg too
                click.echo(
                    "the render stopped with the review; what it finished is kept: run make-clips "
                    "review again and press Render to make the rest"
                )
    click.echo("review stopped")


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@common_options
def analyze(source: Path, debug: bool, **options: Any) -> None:
    """Transcribe and segment SOURCE; write plan.json to edit, render nothing."""
    from pipeline.run.single import analyze as analyze_source

    settings = _settings(**options)
    with _reported(debug), _progress(source.name) as progress:
        _, plan, _, folder = analyze_source(source, settings, progress)
    _echo_segments(plan)
    click.echo(
        f"plan: {folder / 'plan.json'}\nedit it, then: make-clips render {folder / 'plan.json'}"
    )


@main.command()
@click.argument("plan_file", metavar="PLAN", type=click.Path(path_type=Path))
@common_options
@timings_option
def render(plan_file: Path, debug: bool, timings: bool, **options: Any) -> None:
    """Render exactly the plan in PLAN (e.g. output/raw/plan.json) without transcribing again."""
    from pipeline.run.single import render_plan_file

    settings = _settings(**options)
    with _reported(debug), _progress(plan_file.name) as progress:
        started = time.monotonic()
        result = render_plan_file(plan_file, settings, progress)
    _summary(result, time.monotonic() - started, timings)


@contextmanager
def _reported(debug: bool) -> Iterator[None]:
    """Turn errors into one clear line on stderr and a non-zero exit (tracebacks with --debug),
    and the library's warnings into one line each."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # libraries' own deprecations are not the user's
            warnings.filterwarnings("always", category=UserWarning, module=r"pipeline\.")
            warnings.showwarning = _show_warning
            yield
    except MakeClipsError as exc:
        if debug:
            traceback.print_exc()
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        click.secho(f"error: {lines[0]}", fg="red", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.secho("interrupted: finished outputs are kept; run again to complete", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if debug:
            traceback.print_exc()
        click.secho(
            f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for details)",
            fg="red",
            err=True,
        )
        sys.exit(1)


def _echo_segments(plan: Plan) -> None:
    """A line per segment: id, times and title, the ids in one column."""
    width = max((len(seg.id) for seg in plan.segments), default=0)
    for seg in plan.segments:
        click.echo(f"  {seg.id:<{max(14, width)}} {seg.start:7.2f}-{seg.end:7.2f}  {seg.title}")


def _show_warning(message: Warning | str, *_args: object, **_kwargs: object) -> None:
    click.secho(f"warning: {message}", fg="yellow", err=True)


@contextmanager
def _progress(name: str) -> Iterator[Callable[[str, float], None]]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        transient=False,
    )
    task = bar.add_task(f"{name}: starting", total=1.0)
    offsets, total = {}, 0.0
    for stage, weight in STAGE_WEIGHTS.items():
        offsets[stage], total = total, total + weight

    def report(stage: str, fraction: float) -> None:
        done = offsets.get(stage, 0.0) + STAGE_WEIGHTS.get(stage, 0.0) * fraction
        bar.update(task, completed=min(done, 1.0), description=f"{name}: {stage}")

    with bar:
        yield report


def _summary(result: Any, seconds: float, timings: bool = False) -> None:
    kinds: dict[str, int] = {}
    for output in result.outputs:
        kinds[output.type] = kinds.get(output.type, 0) + 1
    nouns = {"compare": "compare clip", "subtitles": "subtitle file"}
    made = ", ".join(
        f"{count} {nouns.get(kind, kind)}{'s' if count > 1 else ''}"
        for kind, count in sorted(kinds.items())
    )
    click.echo(f"{len(result.plan.segments)} segments -> {made} in {seconds:.1f} s")
    _echo_segments(result.plan)
    if timings:
        click.echo(f"{'stage':<12} {'wall s':>8} {'CPU s':>8}")
        for stage in result.timings:
            note = "   (beside the encodes; not in the total)" if stage.beside else ""
            click.echo(f"{stage.stage:<12} {stage.wall:8.2f} {stage.cpu:8.2f}{note}")
        counted = [s for s in result.timings if not s.beside]
        wall, cpu = sum(s.wall for s in counted), sum(s.cpu for s in counted)
        click.echo(f"{'total':<12} {wall:8.2f} {cpu:8.2f}   (also in timings.json)")
    click.echo(f"outputs: {result.folder}/  (manifest: {result.manifest})")
