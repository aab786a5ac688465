"""A hand-made take for the review tests: a mistake and a variation, and what was said in them."""

from __future__ import annotations

from pipeline.core.model import Sentence, Transcript, Word

SAID = [
    (" Mistake", 0.5, 0.9),
    (" one:", 0.9, 1.2),
    (" pushing", 1.3, 1.7),
    (" of", 1.7, 1.8, 0.3),
    (" your", 1.8, 2.0),
    (" elbows.", 2.0, 2.6),
    (" Variation", 6.2, 6.8),
    (" one:", 6.8, 7.1),
    (" the", 7.2, 7.3),
    (" hold.", 7.3, 7.9),
]
TRANSCRIPT = Transcript(
    "en",
    12.0,
    (
        Sentence(
            "Mistake one: pushing of your elbows.",
            0.5,
            2.6,
            tuple(Word(*w) for w in SAID[:6]),  # type: ignore[arg-type]
        ),
        Sentence(
            "Variation one: the hold.",
            6.2,
            7.9,
            tuple(Word(*w) for w in SAID[6:]),  # type: ignore[arg-type]
        ),
    ),
)


def plan() -> dict:
    return {
        "source": "take.mp4",
        "duration": 12.0,
        "topic": "Hip thrust",
        "segments": [
            {
                "id": "mistake-1",
                "kind": "mistake",
                "number": 1,
                "title": "Pushing of your elbows",
                "start": 0.3,
                "end": 5.0,
                "demos": [
                    {"form": "bad", "start": 3.0, "end": 3.9, "reps": 2},
                    {"form": "good", "start": 4.0, "end": 5.0, "reps": 2},
                ],
                "text": "Mistake one: pushing of your elbows.",
                "unsure": ["of"],
            },
            {
                "id": "variation-1",
                "kind": "variation",
                "number": 1,
                "title": "The hold",
                "start": 6.0,
                "end": 12.0,
                "demos": [{"form": "demo", "start": 8.0, "end": 11.0}],
                "text": "Variation one: the hold.",
            },
        ],
    }
