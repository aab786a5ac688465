#!/usr/bin/env python3
"""Build assets/vocabulary/lexicon.json: the fitness words the speech-model fixer knows.

From the public-domain free-exercise-db (873 exercises; ../shared/data/free-exercise-db, or
--db FILE): word and word-pair counts over the exercise names, equipment, muscles and
instructions, with names counted NAME_WEIGHT times (they are the words titles need), plus a
short hand-written list of coaching terms the database does not spell ("tempo", "RDL", "iso").
Only pairs seen at least twice are kept, so the file stays small. `endings` counts the word
each name and coaching term ends on ("row", "deadlift", "press"): a word a coach says at the
end of a clause ("the chest supported roll.") is most often a name's last word.

    python scripts/make_lexicon.py [--db exercises.json] [--out assets/vocabulary/lexicon.json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT.parent / "shared" / "data" / "free-exercise-db" / "exercises.json"
OUT = ROOT / "assets" / "vocabulary" / "lexicon.json"
NAME_WEIGHT = 5
MIN_PAIR = 2
MIN_TERM = 2  # a name word must name two exercises (or be a coaching term)

# Coaching words a coach says that exercise names and instructions rarely spell.
COACHING_TERMS = (
    "tempo", "eccentric", "concentric", "isometric", "iso hold", "pause squat", "paused",
    "lockout", "hinge", "hip hinge", "brace", "bracing", "glutes", "glute", "hamstrings",
    "quads", "lats", "traps", "delts", "core", "midline", "range of motion", "full range",
    "half reps", "partial reps", "reps", "sets", "rdl", "deficit", "tempo squat", "box squat",
    "heels elevated", "knees cave", "knee valgus", "butt wink", "lower back", "upper back",
    "neutral spine", "bar path", "mid foot", "mid-foot", "drive through", "hip thrust",
    "single-leg", "single arm", "split squat", "goblet squat", "deadlift", "romanian deadlift",
    "kettlebell swing", "push press", "landmine", "farmer carry", "suitcase carry", "plank",
    "elbows flare", "ribs flare", "flaring", "hips", "hips back", "the bell",
)  # fmt: skip

# How coaches name exercises the database does not spell: a modifier before a head
# ("deficit deadlift", "half-kneeling press", "chest-supported row"). Only the names'
# n-grams are written out (`names`), for the sound-alike matching of heard word runs
# (pipeline.understand.rewrites); nothing here is counted into the words or pairs above.
NAME_MODIFIERS = (
    "paused", "pause", "tempo", "deficit", "incline", "decline", "half-kneeling",
    "tall-kneeling", "kneeling", "heels elevated", "front foot elevated", "rear foot elevated",
    "feet elevated", "chest-supported", "single-arm", "single-leg", "one-arm", "one-leg",
    "split-stance", "staggered-stance", "close-grip", "wide-grip", "neutral-grip", "banded",
    "goblet", "sumo", "romanian", "b-stance", "kickstand", "landmine", "suitcase", "offset",
    "standing", "seated", "bent-over", "isometric", "eccentric", "box", "pin", "safety bar",
    "trap bar", "dumbbell", "kettlebell", "barbell", "cable",
)  # fmt: skip
NAME_HEADS = (
    "deadlift", "squat", "split squat", "press", "push press", "bench press", "overhead press",
    "row", "lunge", "reverse lunge", "walking lunge", "push-up", "pull-up", "chin-up", "plank",
    "shoulder tap", "plank shoulder tap", "hip thrust", "glute bridge", "curl", "raise",
    "carry", "swing", "step-up", "fly", "pulldown", "good morning", "hinge", "dip",
)  # fmt: skip

# Name words that are everyday English, never worth putting into a coach's mouth.
GENERIC = frozenset(
    [
        "and",
        "the",
        "with",
        "your",
        "from",
        "only",
        "one",
        "two",
        "other",
        "get",
        "off",
        "through",
        "against",
        "below",
        "down",
        "over",
        "position",
        "exercise",
        "close",
        "good",
        "open",
        "body",
        "car",
        "quick",
        "response",
        "multiple",
        "style",
        "version",
        "alternate",
        "alternating",
        "behind",
        "backward",
        "stationary",
        "speed",
        "external",
        "internal",
        "medium",
        "intermediate",
        "double",
        "linear",
        "cross",
    ]
)

_NAME_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """Lower-case words; hyphens and slashes split words ("push-up" -> "push", "up")."""
    return _WORD.findall(text.lower().replace("’", "'"))


def names(exercises: list[dict]) -> list[str]:
    """Exercise names as a coach may say them, lower case, hyphens kept ("incline push-up"):
    the database's, the coaching terms, and every modifier before every head."""
    said = [e["name"] for e in exercises] + list(COACHING_TERMS)
    said += [f"{modifier} {head}" for modifier in NAME_MODIFIERS for head in NAME_HEADS]
    return sorted({" ".join(_NAME_WORD.findall(name.lower())) for name in said} - {""})


def build(exercises: list[dict]) -> dict[str, object]:
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    terms: Counter[str] = Counter()  # words of names, muscles, equipment and coaching terms
    endings: Counter[str] = Counter()  # the last word of each name and coaching term

    def count(text: str, weight: int = 1, name: bool = False) -> None:
        tokens = words(text)
        if name and tokens:
            endings[tokens[-1]] += weight
        for token in tokens:
            unigrams[token] += weight
            if weight == NAME_WEIGHT:
                terms[token] += 1
        for pair in zip(tokens, tokens[1:]):
            bigrams[" ".join(pair)] += weight

    for exercise in exercises:
        count(exercise["name"], NAME_WEIGHT, name=True)
        for field in ("equipment", "category"):
            if exercise.get(field):
                count(str(exercise[field]), NAME_WEIGHT)
        for muscle in (*exercise.get("primaryMuscles", ()), *exercise.get("secondaryMuscles", ())):
            count(muscle, NAME_WEIGHT)
        for sentence in exercise.get("instructions", ()):
            count(sentence)
    for term in COACHING_TERMS:
        count(term, NAME_WEIGHT, name=True)
        count(term, NAME_WEIGHT, name=True)
    return {
        "source": "free-exercise-db (public domain, Unlicense) and make-clips coaching terms",
        "unigrams": dict(sorted(unigrams.items())),
        "terms": sorted(
            t for t, n in terms.items() if n >= MIN_TERM and len(t) >= 3 and t not in GENERIC
        ),
        "bigrams": {pair: n for pair, n in sorted(bigrams.items()) if n >= MIN_PAIR},
        "endings": {word: n for word, n in sorted(endings.items()) if n >= MIN_PAIR},
        "names": names(exercises),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=DB)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    exercises = json.loads(args.db.read_text(encoding="utf-8"))
    lexicon = build(exercises)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(lexicon, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{args.out}: {len(lexicon['unigrams'])} words, {len(lexicon['bigrams'])} pairs, "
        f"{len(lexicon['terms'])} terms "
        f"from {len(exercises)} exercises"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
