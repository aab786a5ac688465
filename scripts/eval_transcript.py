#!/usr/bin/env python3
"""Measure what the speech model hears: word error, exercise names in titles, and confidence.

Runs on the evaluation takes of the segmentation work (tests/eval_takes/*.json, narrated by
scripts/make_eval_takes.py with espeak-ng and flite, with noise, music, reverb, fast talkers)
and on the committed sample. Per category it reports:

- word error rate (WER) against the true sentences, as heard and after the fitness-word fixer
  and the acoustic rescoring (pipeline.understand.rewrites.fix_heard, as a run applies it),
  after normalising case, punctuation, hyphens ("push-up" = "push up"), numbers
  ("ninety" = "90", "three" = "3"), and, as Whisper's English normaliser does, contractions
  ("they're" = "they are") and hesitations ("um", "uh": dropped);
- exercise names in titles: each true segment title's exercise words (words of the
  free-exercise-db names, e.g. "goblet", "squat", "thrust") that the title of the segment
  found at the same time also has, without an outline;
- how well the model's word probability flags its own errors: for thresholds 0.3..0.8, the
  share of flagged words that are wrong (precision) and of wrong words that are flagged (recall).

Transcripts come from `pipeline.hear.transcribe` (cached by content hash in the work folder).

    python scripts/eval_transcript.py [--only NAME ...] [--model NAME|DIR] [--work DIR]
    python scripts/eval_transcript.py --holdout 16 --seed 3     # takes never seen
    python scripts/eval_transcript.py --option beam_size=8 --cache DIR   # a decoding option
    python scripts/eval_transcript.py --misses --verbose        # titles missing their names
    python scripts/eval_transcript.py --errors --only natural-01  # every run of words heard wrong
    python scripts/eval_transcript.py --changes [--no-listen]   # words the fixer put right/broke
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import resource
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.model import Transcript
from pipeline.core.settings import Settings
from pipeline.hear import transcribe as transcribe_module
from pipeline.hear.frontend import FRONT_ENDS
from pipeline.hear.listen import Listener
from pipeline.hear.probe import probe
from pipeline.hear.transcribe import hearing, transcribe
from pipeline.understand import rewrites
from pipeline.understand.rewrites import Judge
from pipeline.understand.segment import segment

ROOT = Path(__file__).resolve().parent.parent
TAKES = ROOT / "tests" / "eval_takes"
EXERCISES = ROOT.parent / "shared" / "data" / "free-exercise-db" / "exercises.json"
SAMPLE = ROOT / "assets" / "samples" / "single-leg-hip-thrust"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)

_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBERS = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
GENERIC = {"with", "and", "the", "a", "on", "to", "of", "in", "your", "up", "for", "one", "two"}


# What Whisper's English text normaliser (openai/whisper, whisper/normalizers/english.py, used
# for its published word error rates) also does to both the truth and the hearing: contractions
# spelled out ("they're" = "they are", "it's" = "it is") and hesitations dropped ("um", "uh").
# Nothing more: "okay"/"ok" and "alright"/"all right" stay different, as they do there.
CONTRACTIONS = (
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\blet's\b", "let us"),
    (r"\bain't\b", "aint"), (r"'s been\b", " has been"), (r"'d been\b", " had been"),
    (r"'s got\b", " has got"), (r"n't\b", " not"), (r"'re\b", " are"), (r"'s\b", " is"),
    (r"'d\b", " would"), (r"'ll\b", " will"), (r"'ve\b", " have"), (r"'m\b", " am"),
)  # fmt: skip
HESITATIONS = {"hmm", "mm", "mhm", "mmm", "uh", "um"}


def normalise_words(text: str) -> list[str]:
    """Lower case, no punctuation, hyphens as spaces, number words as digits, contractions
    spelled out and hesitations dropped (see CONTRACTIONS)."""
    text = text.lower().replace("’", "'").replace("-", " ").replace("/", " ")
    for pattern, spelled in CONTRACTIONS:
        text = re.sub(pattern, spelled, text)
    words = [w.strip("'") for w in re.sub(r"[^\w\s']", " ", text).split()]
    out: list[str] = []
    for word in (w for w in words if w and w not in HESITATIONS):
        if word in NUMBERS:
            value = NUMBERS[word]
            tens = int(out[-1]) if out and out[-1].isdigit() else 0
            if value < 10 and tens % 10 == 0 and 20 <= tens < 100:  # "twenty five" -> 25
                out[-1] = str(tens + value)
                continue
            out.append(str(value))
        else:
            out.append(word)
    return out


def word_errors(truth: list[str], heard: list[str]) -> int:
    """Substitutions + deletions + insertions (Levenshtein distance over words)."""
    previous = list(range(len(heard) + 1))
    for i, word in enumerate(truth, 1):
        current = [i]
        for j, other in enumerate(heard, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (word != other)))  # fmt: skip
        previous = current
    return previous[-1]


def exercise_words() -> set[str]:
    names = [e["name"] for e in json.loads(EXERCISES.read_text(encoding="utf-8"))]
    return {w for name in names for w in normalise_words(name) if len(w) > 2} - GENERIC


@dataclass
class Tally:
    takes: int = 0
    words: int = 0
    errors: int = 0
    raw_errors: int = 0  # before the fitness-word fixer
    titles: int = 0
    titles_right: int = 0
    flagged: dict[float, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    wrong: int = 0
    misses: list[str] = field(default_factory=list)  # "true title -> title found"
    word_misses: list[str] = field(default_factory=list)  # "context [truth -> heard]"
    changes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, other: Tally) -> None:
        self.takes += other.takes
        self.words += other.words
        self.errors += other.errors
        self.raw_errors += other.raw_errors
        self.titles += other.titles
        self.titles_right += other.titles_right
        self.wrong += other.wrong
        self.misses += other.misses
        self.word_misses += other.word_misses
        for kind, found in other.changes.items():
            self.changes[kind] += found
        for threshold, (count, bad) in other.flagged.items():
            self.flagged[threshold][0] += count
            self.flagged[threshold][1] += bad


def score(
    heard_raw: Transcript,
    truth: dict,
    vocabulary: set[str],
    fix: bool = True,
    judge: Judge | None = None,
) -> Tally:
    """Scores of the transcript as the pipeline uses it: fitness words fixed (unless `fix`),
    rewritten where the model prefers it when there is a `judge`."""
    tally = Tally(takes=1)
    truth_words = normalise_words(" ".join(s["text"] for s in truth["sentences"]))
    raw_flat = normalise_words(" ".join(w.text for w in heard_raw.words))
    tally.raw_errors = word_errors(truth_words, raw_flat)
    transcript = rewrites.fix_heard(heard_raw, judge=judge) if fix else heard_raw
    tally.changes = changes(
        raw_flat, normalise_words(" ".join(w.text for w in transcript.words)), truth_words
    )
    heard = [w for w in transcript.words if normalise_words(w.text)]
    heard_norm = [" ".join(normalise_words(w.text)) for w in heard]
    heard_flat = normalise_words(" ".join(w.text for w in heard))
    tally.words, tally.errors = len(truth_words), word_errors(truth_words, heard_flat)
    tally.word_misses = word_misses(truth_words, heard_flat)
    # Which heard words are wrong: those outside the blocks that match the truth.
    matcher = difflib.SequenceMatcher(None, heard_norm, truth_words, autojunk=False)
    right = set()
    for block in matcher.get_matching_blocks():
        right.update(range(block.a, block.a + block.size))
    tally.wrong = len(heard) - len(right)
    for threshold in THRESHOLDS:
        flagged = [i for i, w in enumerate(heard) if w.probability < threshold]
        tally.flagged[threshold][0] += len(flagged)
        tally.flagged[threshold][1] += sum(1 for i in flagged if i not in right)
    plan = segment(transcript, source="eval")
    for seg in truth["plan"]["segments"]:
        names = [w for w in normalise_words(seg["title"]) if w in vocabulary]
        if not names or seg["kind"] in ("intro", "outro", "talk"):
            continue
        tally.titles += 1
        overlap = [(min(seg["end"], p.end) - max(seg["start"], p.start), p) for p in plan.segments]
        best = max(overlap, key=lambda pair: pair[0], default=(0.0, None))[1]
        found = set(normalise_words(best.title)) if best is not None else set()
        right_title = all(name in found for name in names)
        tally.titles_right += right_title
        if not right_title:
            tally.misses.append(f"{seg['title']!r} -> {best.title if best else None!r}")
    return tally


def word_misses(truth: list[str], heard: list[str]) -> list[str]:
    """Each run of words heard wrong, in its context: "said [truth -> heard]"."""
    matcher = difflib.SequenceMatcher(None, truth, heard, autojunk=False)
    return [
        f"{' '.join(truth[max(0, t1 - 2) : t1])} [{' '.join(truth[t1:t2])} -> "
        f"{' '.join(heard[h1:h2])}]"
        for op, t1, t2, h1, h2 in matcher.get_opcodes()
        if op != "equal"
    ]


def changes(before: list[str], after: list[str], truth: list[str]) -> dict[str, list[str]]:
    """The fixer's changes (`before` -> `after` words) by what they did against `truth`:
    "put right", "broken", "wrong for wrong" (and "right for right", e.g. a respelling)."""

    def right(words: list[str]) -> set[int]:
        matcher = difflib.SequenceMatcher(None, words, truth, autojunk=False)
        return {i for b in matcher.get_matching_blocks() for i in range(b.a, b.a + b.size)}

    right_before, right_after = right(before), right(after)
    found: dict[str, list[str]] = defaultdict(list)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, b1, b2, a1, a2 in matcher.get_opcodes():
        if op == "equal":
            continue
        was = all(i in right_before for i in range(b1, b2)) and b1 < b2
        now = all(i in right_after for i in range(a1, a2)) and a1 < a2
        kind = {(False, True): "put right", (True, False): "broken"}.get((was, now))
        kind = kind or ("right for right" if was else "wrong for wrong")
        context = " ".join(before[max(0, b1 - 2) : b1])
        found[kind].append(f"{context} [{' '.join(before[b1:b2])} -> {' '.join(after[a1:a2])}]")
    return found


def takes(
    only: list[str] | None, work: Path, folder: Path = TAKES, holdout: int = 0, seed: int = 1
) -> list[tuple[str, str, Path, dict]]:
    """(name, category, video, truth) for every evaluation take and the sample, or for
    `holdout` fresh takes drawn with `seed` instead."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_eval_takes  # the generator rebuilds a take's media when it is missing

    found = []
    for path in sorted(folder.glob("*.json")) if not holdout else ():
        record = json.loads(path.read_text(encoding="utf-8"))
        if only and record["name"] not in only:
            continue
        video = make_eval_takes.ensure_media(record, work)
        truth = {"sentences": record["sentences"], "plan": record["truth"]}
        found.append((record["name"], record["category"], video, truth))
    if holdout:  # fresh takes from the same phrasing families, never looked at before
        for plan in make_eval_takes.holdout_plans(holdout, seed):
            record = make_eval_takes.holdout_take(plan, work / "holdout")
            truth = {"sentences": record["sentences"], "plan": record["truth"]}
            video = make_eval_takes.media_path(work / "holdout", plan.name)
            found.append((plan.name, plan.category, video, truth))
        return found
    sample = json.loads(SAMPLE.with_suffix(".truth.json").read_text(encoding="utf-8"))
    if not only or "sample" in only:
        truth = {"sentences": sample["sentences"], "plan": sample}
        found.append(("sample", "sample", SAMPLE.with_suffix(".mp4"), truth))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="take names (default: all)")
    parser.add_argument("--model", type=Path, help="a local CTranslate2 Whisper model folder")
    parser.add_argument("--work", type=Path, default=Path("/tmp/make-clips-eval"))
    parser.add_argument("--holdout", type=int, default=0, help="score N fresh takes instead")
    parser.add_argument("--seed", type=int, default=3, help="draw of the fresh takes")
    parser.add_argument("--cache", type=Path, help="transcript cache (default: WORK/cache)")
    parser.add_argument("--front-end", choices=sorted(FRONT_ENDS), help="audio chain to try")
    parser.add_argument(
        "--dereverb",
        choices=["never", "always", "auto"],
        help="when to take the room's echo out (pipeline.hear.dereverb; default the pipeline's)",
    )
    parser.add_argument("--prompt", help="initial prompt to try instead of the pipeline's")
    parser.add_argument("--hotwords", help="faster-whisper hotwords to try")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="a faster-whisper transcribe option to try, e.g. beam_size=1 or "
        "vad_parameters='{\"threshold\": 0.3}' (repeatable; null removes one)",
    )
    parser.add_argument("--no-fix", action="store_true", help="score the model's words as heard")
    parser.add_argument(
        "--no-listen", action="store_true", help="no acoustic rescoring of fitness words"
    )
    parser.add_argument("--margin", type=float, help="rescoring margin to try (natural log)")
    parser.add_argument("--changes", action="store_true", help="list the fixer's changes")
    parser.add_argument("--verbose", action="store_true", help="a line per take")
    parser.add_argument("--misses", action="store_true", help="list titles missing names")
    parser.add_argument("--errors", action="store_true", help="list the words heard wrong")
    parser.add_argument("--takes", type=Path, default=TAKES, help="folder of take records")
    args = parser.parse_args()
    if args.front_end:
        transcribe_module.FRONT_END = args.front_end
    if args.dereverb:
        transcribe_module.DEREVERB = "" if args.dereverb == "never" else args.dereverb
    if args.prompt is not None:
        transcribe_module.WHISPER_OPTIONS["initial_prompt"] = args.prompt or None
    if args.hotwords:
        transcribe_module.WHISPER_OPTIONS["hotwords"] = args.hotwords
    for option in args.option:
        key, _, value = option.partition("=")
        if json.loads(value) is None:  # back to faster-whisper's own default
            transcribe_module.WHISPER_OPTIONS.pop(key, None)
        else:
            transcribe_module.WHISPER_OPTIONS[key] = json.loads(value)
    settings = Settings(model=args.model, cache_dir=args.cache or args.work / "cache")
    vocabulary = exercise_words()
    by_category: dict[str, Tally] = defaultdict(Tally)
    heard_seconds = heard_cpu = audio_seconds = listen_cpu = 0.0
    windows = 0
    if args.margin is not None:
        rewrites.MARGIN = args.margin
    chosen = takes(args.only, args.work, args.takes, args.holdout, args.seed)
    for name, category, video, truth in chosen:
        media = probe(video)
        started, started_cpu = time.perf_counter(), time.process_time()
        loaded = hearing(media, settings)  # as a run does: the listener reads on the same
        transcript = transcribe(media, settings, heard=loaded)
        heard_seconds += time.perf_counter() - started
        heard_cpu += time.process_time() - started_cpu
        audio_seconds += media.duration
        listener = None if args.no_listen else Listener(loaded)
        started = time.process_time()
        tally = score(
            transcript, truth, vocabulary, not args.no_fix,
            listener.log_likelihoods if listener else None,
        )  # fmt: skip
        listen_cpu += time.process_time() - started
        windows += listener.windows if listener else 0
        by_category[category].add(tally)
        if args.verbose:
            print(f"{name:14s} WER {tally.raw_errors / max(1, tally.words):6.1%} -> "
                  f"{tally.errors / max(1, tally.words):6.1%}  titles "
                  f"{tally.titles_right}/{tally.titles}", flush=True)  # fmt: skip
        if args.misses:
            for miss in tally.misses:
                print(f"  title {name}: {miss}", flush=True)
        if args.errors:
            for miss in tally.word_misses:
                print(f"  words {name}: {miss}", flush=True)
        if args.changes:
            for kind, found in sorted(tally.changes.items()):
                for change in found:
                    print(f"  {kind} {name}: {change}", flush=True)
    total = Tally()
    for tally in by_category.values():
        total.add(tally)
    print(f"{'category':10s} {'takes':>5s} {'words':>6s} {'heard':>6s} {'WER':>6s} {'titles':>9s}  "
          "flagged when p < t, t: precision/recall")  # fmt: skip
    for category, tally in [*sorted(by_category.items()), ("ALL", total)]:
        flags = "  ".join(
            f"{t:.1f}:{bad / max(1, count):.2f}/{bad / max(1, tally.wrong):.2f}"
            for t, (count, bad) in sorted(tally.flagged.items())
        )
        print(f"{category:10s} {tally.takes:5d} {tally.words:6d} "
              f"{tally.raw_errors / max(1, tally.words):6.1%} "
              f"{tally.errors / max(1, tally.words):6.1%} "
              f"{tally.titles_right:4d}/{tally.titles:<4d}  {flags}")  # fmt: skip
    counts = ", ".join(f"{len(found)} {kind}" for kind, found in sorted(total.changes.items()))
    print(f"fixer's changes: {counts or 'none'}")
    print(f"fixing and scoring took {listen_cpu:.1f} CPU s ({windows} windows rescored)")
    speed = audio_seconds / max(heard_seconds, 0.001)
    print(f"transcribed {audio_seconds:.0f} s of audio in {heard_seconds:.1f} s "
          f"({speed:.1f}x real time; cached takes cost 0), {heard_cpu:.1f} CPU s "
          f"({60 * heard_cpu / max(audio_seconds, 0.001):.2f} a minute of audio); peak "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
