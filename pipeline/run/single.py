"""The pipeline, top to bottom: probe, transcribe, segment, render, stills, write-ups, manifest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.core import transcript_io
from pipeline.core.errors import InputError
from pipeline.core.files import ensure_writable_dir, start_over
from pipeline.core.model import Media, Output, Plan, Transcript
from pipeline.core.plan_io import load_plan, save_plan
from pipeline.core.settings import Settings
from pipeline.hear.probe import probe
from pipeline.hear.transcribe import require_speech, transcribe
from pipeline.publish.manifest import write_manifest
from pipeline.run.inputs import folder_name
from pipeline.run.resume import fingerprint
from pipeline.understand import vocabulary
from pipeline.understand.segment import segment

# Called with a stage name and the fraction of that stage done, for progress bars.
Progress = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class Result:
    """What one run made: where, from which plan, and every output written."""

    folder: Path
    plan: Plan
    outputs: tuple[Output, ...]

    @property
    def manifest(self) -> Path:
        return self.folder / "manifest.json"


def make_clips(
    source: Path, settings: Settings, progress: Progress | None = None, folder: Path | None = None
) -> Result:
    """Turn one source video into clips, images, an article and a review page.

    Outputs go to `folder`, by default `<output root>/<source name>`.
    """
    media, plan, transcript, folder = analyze(source, settings, progress, folder)
    return render(media, plan, transcript, folder, settings, progress)


def analyze(
    source: Path, settings: Settings, progress: Progress | None = None, folder: Path | None = None
) -> tuple[Media, Plan, Transcript, Path]:
    """Probe, transcribe and segment `source`; write the transcripts and plan.json."""
    report = progress or _quiet
    media = probe(Path(source))
    folder = ensure_writable_dir(folder or output_folder(settings, media.path))
    start_over(folder)
    report("transcribe", 0.0)
    transcript = _transcript(media, settings, lambda done: report("transcribe", 0.95 * done))
    transcript = require_speech(transcript, media.path)
    outline = _read_outline(settings.outline)
    if outline is not None:  # the writer's own terms fix what the small model misheard
        transcript = vocabulary.correct(transcript, outline)
    transcript_io.write_transcripts(transcript, folder)
    report("transcribe", 1.0)
    plan = segment(transcript, source=str(media.path.resolve()), outline=outline)
    save_plan(plan, folder / "plan.json")
    report("segment", 1.0)
    return media, plan, transcript, folder


def render_plan_file(
    plan_file: Path, settings: Settings, progress: Progress | None = None
) -> Result:
    """Render exactly the (possibly hand-edited) plan in `plan_file`, without transcribing again."""
    plan_file = Path(plan_file)
    preliminary = load_plan(plan_file)
    media = probe(Path(preliminary.source))
    plan = load_plan(plan_file, duration=media.duration)
    folder = ensure_writable_dir(plan_file.parent)
    start_over(folder)
    saved = folder / "transcript.json"
    if saved.exists():
        transcript = transcript_io.read_transcript(saved, media.duration)
    else:
        transcript = require_speech(_transcript(media, settings), media.path)
    return render(media, plan, transcript, folder, settings, progress)


def render(
    media: Media,
    plan: Plan,
    transcript: Transcript,
    folder: Path,
    settings: Settings,
    progress: Progress | None = None,
) -> Result:
    """Render clips, compare clips, stills, the article, the page and the timeline of `plan`."""
    from pipeline.core.style import load_style
    from pipeline.publish.article import write_article
    from pipeline.publish.page import write_page
    from pipeline.publish.stills import make_stills
    from pipeline.publish.timeline import write_timeline
    from pipeline.render.clips import render_compare, render_segment

    report = progress or _quiet
    style = load_style(settings.style)
    outputs: list[Output] = [
        Output(folder / name, "transcript")
        for name in ("transcript.json", "transcript.srt", "transcript.vtt")
        if (folder / name).exists()
    ]
    outputs.append(Output(folder / "plan.json", "plan"))
    total = len(plan.segments)
    for done, seg in enumerate(plan.segments):

        def step(fraction: float, done: int = done) -> None:
            report("render", (done + fraction) / total)

        outputs += render_segment(media, seg, transcript, style, settings, folder, step)
        if seg.kind == "mistake" and seg.demo("bad") and seg.demo("good"):
            outputs += render_compare(media, seg, transcript, style, settings, folder)
    report("render", 1.0)
    outputs += make_stills(media, plan, style, folder)
    report("stills", 1.0)
    outputs.append(write_article(plan, outputs, folder))
    outputs.append(write_timeline(media, plan, folder))
    outputs.append(write_page(plan, outputs, folder))
    write_manifest(folder, plan, outputs, fingerprint(media.path, settings))
    report("manifest", 1.0)
    return Result(folder, plan, tuple(outputs))


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


def _transcript(
    media: Media, settings: Settings, on_progress: Callable[[float], None] | None = None
) -> Transcript:
    if settings.transcript is not None:
        return transcript_io.read_transcript(settings.transcript, media.duration)
    return transcribe(media, settings, on_progress)


def _quiet(stage: str, fraction: float) -> None:
    pass
