#!/usr/bin/env python3
"""Measure the segmenter on real speech: narrate scripted takes, transcribe, segment, score.

The evaluation set is tests/eval_takes/*.json (written by scripts/make_eval_takes.py: takes in
named categories, spoken by espeak-ng and flite voices, with noise, music or reverb, and
their exact truth); each take is segmented without and with the writer's outline. Besides,
every case in tests/transcripts/ is spoken with espeak-ng (one wav per sentence, so each
sentence's true time is known), put under a black lavfi picture with ffmpeg, transcribed by
the real model (`pipeline.hear.transcribe`) and split by `pipeline.understand.segment`. The
committed sample takes (assets/samples/single-leg-hip-thrust.mp4, tests/data/mini.mp4) are
scored against their truth files too, the sample once more with its article as the outline.

Reported per take and per category: segment F1 (same kind and number, IoU >= 0.5), mean
boundary error in seconds, mean demo IoU, title similarity, how many mistakes got both demos,
and with the outline: F1 and whether every outline heading was placed, in order.
Targets (issue 12): F1 >= 0.95 in every category (>= 0.98 scripted), boundary error <= 0.5 s,
demo IoU >= 0.8; with the outline F1 = 1.0 and every heading in order.

Needs espeak-ng, flite, sox and ffmpeg at run time. Usage::

    python scripts/eval_segments.py                # everything
    python scripts/eval_segments.py --set takes    # only the evaluation takes
    python scripts/eval_segments.py --only natural-03 --verbose
    python scripts/eval_segments.py --set holdout --holdout 16 --seed 1   # unseen takes
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.core.ffmpeg import ffmpeg_exe
from pipeline.core.model import Media, Plan, Transcript
from pipeline.core.plan_io import load_plan, plan_from_dict
from pipeline.core.settings import Settings
from pipeline.hear.probe import probe
from pipeline.understand.plan_score import PlanScore, iou, score_plan
from pipeline.understand.segment import segment

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "transcripts"
ARTICLE = ROOT / "assets" / "samples" / "single-leg-hip-thrust-outline.md"
SEED_ARTICLE = ROOT.parent / "shared" / "seed" / "single-leg-hip-thrust-article.txt"
SAMPLES = [
    (ROOT / "assets" / "samples" / "single-leg-hip-thrust.mp4", "single-leg-hip-thrust"),
    (ROOT / "tests" / "data" / "mini.mp4", "mini"),
]
VOICE, WPM = "en-us", 160


TAKES = ROOT / "tests" / "eval_takes"
DEFAULT_WORK = Path("/tmp/make-clips-eval")


@dataclass(frozen=True)
class Take:
    name: str
    video: Path
    truth: Plan
    outline: str | None = None
    category: str = "cases"
    headings: tuple[str, ...] = ()  # the outline's item titles, in order


@dataclass(frozen=True)
class Result:
    take: Take
    score: PlanScore
    outline_score: PlanScore | None = None
    headings_in_order: bool | None = None
    failure: str = ""  # a one-line class of what went wrong, naming no words of the take


def failure_class(plan: Plan, truth: Plan, score: PlanScore) -> str:
    """What went wrong, in a few words: each true segment that found no match is called
    'kind' (found as the other kind), 'number' (the same kind, another number), 'merged'
    (inside a longer segment) or 'lost'; then 'extra' segments, 'late'/'early' boundaries."""
    counts: dict[str, int] = {}
    by_id = {s.id: s for s in truth.segments}
    for ident in score.missed:
        want = by_id[ident]
        overlaps = [(iou(p.start, p.end, want.start, want.end), p) for p in plan.segments]
        best, got = max(overlaps, key=lambda pair: pair[0], default=(0.0, None))
        if got is not None and best >= 0.5:
            label = "kind" if got.kind != want.kind else "number"
        elif any(p.start <= want.start + 0.5 and p.end >= want.end - 0.5 for p in plan.segments):
            label = "merged"
        else:
            label = "lost"
        counts[f"{want.kind} {label}"] = counts.get(f"{want.kind} {label}", 0) + 1
    extra = len(score.extra) - sum(1 for k in counts if k.endswith(("kind", "number")))
    if extra > 0:
        counts["extra"] = extra
    if not counts and score.boundary_error > 0.5:
        counts["boundaries"] = 1
    if not counts:
        return "ok"
    return ", ".join(f"{label} x{n}" if n > 1 else label for label, n in counts.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    parser.add_argument("--verbose", action="store_true", help="print every segment")
    parser.add_argument(
        "--work",
        type=Path,
        default=DEFAULT_WORK,
        help="narrated takes and transcripts are kept here",
    )
    parser.add_argument(
        "--set",
        choices=["all", "takes", "cases", "holdout"],
        default="all",
        help="takes: tests/eval_takes; cases: samples and tests/transcripts; "
        "holdout: fresh takes drawn from the same phrasing families",
    )
    parser.add_argument(
        "--batch",
        type=Path,
        action="append",
        default=[],
        help="a blind batch folder (scripts/voice_takes.py): scored without printing its text",
    )
    parser.add_argument(
        "--reuse-fixed",
        type=Path,
        help="keep the fixed transcripts here and reuse them (segmenter work only)",
    )
    parser.add_argument("--holdout", type=int, default=16, help="how many fresh takes")
    parser.add_argument("--seed", type=int, default=1, help="which fresh takes")
    parser.add_argument("--cache", type=Path, help="transcript cache (default: WORK/cache)")
    parser.add_argument(
        "--dereverb",
        choices=["never", "always", "auto"],
        help="when to take the room's echo out (pipeline.hear.dereverb; default the pipeline's)",
    )
    args = parser.parse_args()
    if args.dereverb:
        from pipeline.hear import transcribe as transcribe_module

        transcribe_module.DEREVERB = "" if args.dereverb == "never" else args.dereverb
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    if espeak is None:
        sys.exit("espeak-ng not found: install it (apt-get install espeak-ng flite sox)")
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    takes: list[Take] = []
    if args.set in ("all", "cases"):
        takes += [*sample_takes(), *narrated_takes(espeak, work / "cases")]
    if args.set in ("all", "takes"):
        takes += eval_takes(work, args.only)
    if args.set == "holdout":
        takes += holdout_takes(work / "holdout", args.holdout, args.seed)
    if args.batch:
        takes = [t for batch in args.batch for t in batch_takes(batch)]
        args.verbose = False  # a blind batch's text stays private
    if args.only:
        takes = [t for t in takes if t.name in args.only or t.category in args.only]
    settings = Settings(cache_dir=args.cache or work / "cache")
    results = [run(take, settings, args.verbose, args.reuse_fixed) for take in takes]
    return report(results)


def holdout_takes(work: Path, count: int, seed: int) -> list[Take]:
    """Fresh takes from the same phrasing families with other draws; truth kept in `work`."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_eval_takes

    takes = []
    for plan in make_eval_takes.holdout_plans(count, seed):
        record = make_eval_takes.holdout_take(plan, work)
        video = make_eval_takes.media_path(work, plan.name)
        truth = plan_from_dict(record["truth"])
        headings = tuple(record["outline_headings"])
        takes.append(Take(plan.name, video, truth, record["outline"], plan.category, headings))
    return takes


def batch_takes(batch: Path) -> list[Take]:
    """A blind batch: take scripts written by someone who never read the segmenter,
    voiced into batch/media the first time (scripts/voice_takes.py)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import voice_takes

    takes = []
    for path in sorted((batch / "scripts").glob("*.json")):
        record = voice_takes.ensure(path, batch / "media")
        video = batch / "media" / record["name"] / "take.mp4"
        truth = plan_from_dict(record["truth"])
        headings = tuple(record["outline_headings"])
        takes.append(
            Take(record["name"], video, truth, record["outline"], record["category"], headings)
        )
    return takes


def eval_takes(work: Path, only: list[str] | None) -> list[Take]:
    """The evaluation set, its media rebuilt when missing."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_eval_takes

    takes = []
    for path in sorted(TAKES.glob("*.json")):
        record = json.loads(path.read_text("utf-8"))
        if only and record["name"] not in only and record["category"] not in only:
            continue
        video = make_eval_takes.ensure_media(record, work)
        takes.append(
            Take(
                record["name"],
                video,
                plan_from_dict(record["truth"]),
                record["outline"],
                record["category"],
                tuple(record["outline_headings"]),
            )
        )
    return takes


def sample_takes() -> list[Take]:
    takes = []
    article = next((p for p in (ARTICLE, SEED_ARTICLE) if p.exists()), None)
    for video, name in SAMPLES:
        truth_path = video.with_name(f"{video.stem}.truth.json")
        if not video.exists() or not truth_path.exists():
            print(f"skipping {name}: {video} or its truth file is missing")
            continue
        truth = load_plan(truth_path)
        outline = None
        if name == "single-leg-hip-thrust" and article:
            outline = article.read_text("utf-8")
        takes.append(Take(name, video, truth, outline, "sample"))
    return takes


def narrated_takes(espeak: str, work: Path) -> list[Take]:
    builder = _load_case_builder()
    takes = []
    for path in sorted(CASES.glob("*.json")):
        case = json.loads(path.read_text("utf-8"))
        script = [tuple(line) for line in case["script"]]
        timed, duration, video = narrate(espeak, builder, script, work / case["name"])
        titles = {s["id"]: s["title"] for s in case["expected"]["segments"]}
        truth = builder.truth(timed, duration, titles)
        truth["source"] = video.name
        takes.append(Take(case["name"], video, plan_from_dict(truth), category="cases"))
    return takes


def narrate(espeak: str, builder: object, script: list, folder: Path) -> tuple[list, float, Path]:
    """Speak a script into folder/take.mp4; return the lines with true word-less times."""
    folder.mkdir(parents=True, exist_ok=True)
    rate = 22050
    clips = []
    for index, (_section, text, _role) in enumerate(script):
        wav = folder / f"line-{index:02d}.wav"
        subprocess.run([espeak, "-v", VOICE, "-s", str(WPM), "-w", str(wav), text], check=True)
        samples, rate = _trimmed(wav)
        clips.append(samples)
    now = builder.LEAD_IN  # type: ignore[attr-defined]
    timed, pieces, previous = [], [], None
    for line, samples in zip(script, clips):
        if previous is not None:
            new_section = line[0] != previous[0] or line[2] == "transition"
            gap = builder.SECTION_GAP if new_section else builder.SENTENCE_GAP  # type: ignore[attr-defined]
            now += gap
        start, now = now, now + len(samples) / rate
        # builder.truth only reads each line's first word start and last word end
        timed.append((line, [("", round(start, 3), round(now, 3))]))
        pieces.append((start, samples))
        previous = line
    duration = round(now + builder.TAIL, 3)  # type: ignore[attr-defined]
    mix = np.zeros(int(duration * rate) + 1, dtype=np.int16)
    for start, samples in pieces:
        first = int(round(start * rate))
        mix[first : first + len(samples)] = samples
    audio = folder / "take.wav"
    with wave.open(str(audio), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(mix.astype("<i2").tobytes())
    video = folder / "take.mp4"
    picture = f"color=c=black:s=320x180:r=15:d={duration}"
    command = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    command += ["-f", "lavfi", "-i", picture, "-i", str(audio), "-c:v", "libx264"]
    command += ["-tune", "stillimage", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
    subprocess.run([*command, str(video)], check=True)
    return timed, duration, video


def run(take: Take, settings: Settings, verbose: bool, reuse: Path | None = None) -> Result:
    media = probe(take.video)
    heard = _fixed(take, media, settings, None, reuse)  # as a run does
    plan = segment(heard, source=take.video.name)
    score = score_plan(plan, take.truth)
    outline_score, in_order = None, None
    shown = [("got", plan)]
    if take.outline is not None:
        with_outline = _fixed(take, media, settings, take.outline, reuse)
        outlined = segment(with_outline, source=take.video.name, outline=take.outline)
        outline_score = score_plan(outlined, take.truth)
        if take.headings:
            placed = [s.title for s in outlined.segments if s.title in take.headings]
            in_order = placed == list(take.headings)
        else:
            in_order = not outlined.unmatched_headings
        shown.append(("+out", outlined))
    if verbose:
        print(f"\n== {take.name} ({take.category}): {heard.text}")
        for label, each in [*shown, ("want", take.truth)]:
            for seg in each.segments:
                demos = " ".join(f"{d.form}:{d.start:.1f}-{d.end:.1f}" for d in seg.demos)
                print(f"  {label:4} {seg.id:22} {seg.start:6.2f}-{seg.end:6.2f} "
                      f"{seg.title[:40]!r} {demos}")  # fmt: skip
    return Result(take, score, outline_score, in_order, failure_class(plan, take.truth, score))


def _fixed(
    take: Take, media: Media, settings: Settings, outline: str | None, reuse: Path | None
) -> Transcript:
    """The transcript as a run hears and fixes it; with `reuse`, the fixed transcript saved
    there by an earlier evaluation (for work on the segmenter alone: the hearing must not
    have changed since)."""
    from pipeline.core.transcript_io import from_dict, to_dict
    from pipeline.hear.listen import Listener
    from pipeline.hear.transcribe import hearing, transcribe
    from pipeline.understand.rewrites import fix_heard

    key = hashlib.sha256(f"{take.video.stat().st_size}:{take.name}:{outline}".encode())
    saved = reuse / f"{key.hexdigest()[:24]}.json" if reuse else None
    if saved is not None and saved.exists():
        return from_dict(json.loads(saved.read_text("utf-8")))
    loaded = hearing(media, settings)
    heard = transcribe(media, settings, heard=loaded)
    fixed = fix_heard(heard, outline, Listener(loaded).log_likelihoods)
    if saved is not None:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(to_dict(fixed)), encoding="utf-8")
    return fixed


def report(results: list[Result]) -> int:
    """Print every take, then every category against the issue's targets."""
    print(f"\n{'take':24} {'cat':9} {'F1':>5} {'bound':>6} {'demo':>5} {'title':>5} "
          f"{'demos':>5} {'oF1':>5} {'order':>5}  failure class: missed / extra")  # fmt: skip
    for r in results:
        s = r.score
        problems = " ".join([*(f"-{m}" for m in s.missed), *(f"+{e}" for e in s.extra)])
        of1 = f"{r.outline_score.f1:5.2f}" if r.outline_score else "    -"
        order = {None: "-", True: "yes", False: "NO"}[r.headings_in_order]
        print(f"{r.take.name:24} {r.take.category:9} {s.f1:5.2f} {s.boundary_error:6.2f} "
              f"{s.demo_iou:5.2f} {s.title_similarity:5.2f} "
              f"{s.mistakes_with_demos:>2}/{s.mistakes:<2} "
              f"{of1} {order:>5}  {r.failure}: {problems}")  # fmt: skip
    if not results:
        print("no takes were run")
        return 1
    categories = list(dict.fromkeys(r.take.category for r in results))
    print(f"\n{'category':10} {'takes':>5} {'segs':>5} {'F1':>5} {'bound s':>7} {'demoIoU':>7} "
          f"{'title':>5} {'demos':>7} {'outF1':>5} {'in order':>8}  targets")  # fmt: skip
    passed = True
    for category in [*categories, "ALL"]:
        group = [r for r in results if category in ("ALL", r.take.category)]
        f1, boundary, demo_iou, title, with_demos, mistakes = _pooled([r.score for r in group])
        outlined = [r.outline_score for r in group if r.outline_score is not None]
        outline_f1 = _pooled(outlined)[0] if outlined else None
        ordered = [r.headings_in_order for r in group if r.headings_in_order is not None]
        want_f1 = 0.98 if category == "scripted" else 0.95
        met = f1 >= want_f1 and boundary <= 0.5 and demo_iou >= 0.8
        met = met and (outline_f1 is None or outline_f1 == 1.0) and all(ordered)
        passed = passed and (met or category in ("ALL", "cases"))
        print(f"{category:10} {len(group):5d} {sum(r.score.true_segments for r in group):5d} "
              f"{f1:5.2f} {boundary:7.2f} {demo_iou:7.2f} {title:5.2f} "
              f"{with_demos:>3}/{mistakes:<3} "
              f"{(f'{outline_f1:5.2f}' if outline_f1 is not None else '    -')} "
              f"{(f'{sum(ordered)}/{len(ordered)}' if ordered else '-'):>8}  "
              f"{'met' if met else 'NOT met'}")  # fmt: skip
    print("targets: F1 >= 0.95 (scripted 0.98), boundary <= 0.5 s, demo IoU >= 0.8, "
          "outline F1 = 1.0 with every heading in order")  # fmt: skip
    return 0 if passed else 1


def _pooled(scores: list[PlanScore]) -> tuple[float, float, float, float, int, int]:
    """F1 over all segments of the group; boundary and demo IoU weighted by matches."""
    matched = sum(s.matched for s in scores)
    predicted = sum(s.predicted_segments for s in scores)
    true = sum(s.true_segments for s in scores)
    f1 = 2 * matched / (predicted + true) if predicted + true else 0.0
    boundary = sum(s.boundary_error * s.matched for s in scores) / max(matched, 1)
    demo_iou = sum(s.demo_iou * s.matched for s in scores) / max(matched, 1)
    title = sum(s.title_similarity for s in scores) / max(len(scores), 1)
    return (f1, boundary, demo_iou, title, sum(s.mistakes_with_demos for s in scores),
            sum(s.mistakes for s in scores))  # fmt: skip


def _trimmed(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as source:
        rate = source.getframerate()
        data = np.frombuffer(source.readframes(source.getnframes()), dtype=np.int16)
    loud = np.flatnonzero(np.abs(data.astype(np.int32)) > 300)
    if loud.size:
        margin = int(0.02 * rate)
        data = data[max(0, loud[0] - margin) : loud[-1] + margin + 1]
    return data.copy(), rate


def _load_case_builder() -> object:
    spec = importlib.util.spec_from_file_location("make_cases", CASES / "make_cases.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main())
