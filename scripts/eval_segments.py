#!/usr/bin/env python3
"""Measure the segmenter on real speech: narrate scripted takes, transcribe, segment, score.

Every case in tests/transcripts/ is spoken with espeak-ng (one wav per sentence, so each
sentence's true time is known), put under a black lavfi picture with ffmpeg, transcribed by
the real model (`pipeline.hear.transcribe`) and split by `pipeline.understand.segment`. The
committed sample takes (assets/samples/single-leg-hip-thrust.mp4, tests/data/mini.mp4) are
scored against their truth files too, the sample once more with its article as the outline.

Reported per take and overall: segment F1 (same kind and number, IoU >= 0.5), mean boundary
error in seconds, title similarity, and how many mistakes got both demos.
Targets: F1 >= 0.95, boundary error <= 0.6 s, demos in every mistake.

Needs espeak-ng and ffmpeg at run time. Usage::

    python scripts/eval_segments.py                # everything
    python scripts/eval_segments.py --only misheard --verbose
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.core.ffmpeg import ffmpeg_exe
from pipeline.core.model import Plan
from pipeline.core.plan_io import load_plan, plan_from_dict
from pipeline.core.settings import Settings
from pipeline.hear.probe import probe
from pipeline.understand.plan_score import PlanScore, score_plan
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


@dataclass(frozen=True)
class Take:
    name: str
    video: Path
    truth: Plan
    outline: str | None = None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    parser.add_argument("--verbose", action="store_true", help="print every segment")
    parser.add_argument("--work", type=Path, help="keep narrated takes in this folder")
    args = parser.parse_args()
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    if espeak is None:
        sys.exit("espeak-ng not found: install it (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory(prefix="eval-segments-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        takes = [*sample_takes(), *narrated_takes(espeak, work)]
        if args.only:
            takes = [t for t in takes if t.name in args.only]
        settings = Settings(cache_dir=work / "cache")
        scores = [(take, run(take, settings, args.verbose)) for take in takes]
    return report(scores)


def sample_takes() -> list[Take]:
    takes = []
    article = next((p for p in (ARTICLE, SEED_ARTICLE) if p.exists()), None)
    for video, name in SAMPLES:
        truth_path = video.with_name(f"{video.stem}.truth.json")
        if not video.exists() or not truth_path.exists():
            print(f"skipping {name}: {video} or its truth file is missing")
            continue
        truth = load_plan(truth_path)
        takes.append(Take(name, video, truth))
        if name == "single-leg-hip-thrust" and article:
            takes.append(Take(f"{name}+outline", video, truth, article.read_text("utf-8")))
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
        takes.append(Take(case["name"], video, plan_from_dict(truth)))
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


def run(take: Take, settings: Settings, verbose: bool) -> PlanScore:
    from pipeline.hear.transcribe import transcribe

    transcript = transcribe(probe(take.video), settings)
    plan = segment(transcript, source=take.video.name, outline=take.outline)
    score = score_plan(plan, take.truth)
    if verbose:
        print(f"\n== {take.name}: {transcript.text}")
        for label, shown in (("got", plan), ("want", take.truth)):
            for seg in shown.segments:
                demos = " ".join(f"{d.form}:{d.start:.1f}-{d.end:.1f}" for d in seg.demos)
                print(
                    f"  {label:4} {seg.id:12} {seg.start:6.2f}-{seg.end:6.2f} {seg.title!r} {demos}"
                )
    return score


def report(scores: list[tuple[Take, PlanScore]]) -> int:
    print(f"\n{'take':28} {'F1':>5} {'bound s':>8} {'title':>6} {'demos':>6}  missed / extra")
    for take, s in scores:
        demos = f"{s.mistakes_with_demos}/{s.mistakes}"
        problems = " ".join([*(f"-{m}" for m in s.missed), *(f"+{e}" for e in s.extra)])
        print(f"{take.name:28} {s.f1:5.2f} {s.boundary_error:8.2f} {s.title_similarity:6.2f} "
              f"{demos:>6}  {problems}")  # fmt: skip
    if not scores:
        print("no takes were run")
        return 1
    matched = sum(s.matched for _, s in scores)
    predicted = sum(s.predicted_segments for _, s in scores)
    true = sum(s.true_segments for _, s in scores)
    f1 = 2 * matched / (predicted + true) if predicted + true else 0.0
    boundary = sum(s.boundary_error * s.matched for _, s in scores) / max(matched, 1)
    title = sum(s.title_similarity for _, s in scores) / len(scores)
    mistakes = sum(s.mistakes for _, s in scores)
    with_demos = sum(s.mistakes_with_demos for _, s in scores)
    print(f"{'ALL':28} {f1:5.2f} {boundary:8.2f} {title:6.2f} {with_demos:>3}/{mistakes}")
    passed = f1 >= 0.95 and boundary <= 0.6 and with_demos == mistakes
    print("targets (F1 >= 0.95, boundary <= 0.6 s, demos in every mistake):",
          "met" if passed else "NOT met")  # fmt: skip
    return 0 if passed else 1


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
