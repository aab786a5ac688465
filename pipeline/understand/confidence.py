"""Where a person should look: the words the speech model was unsure of, per segment.

Captions and titles are published text. The model's own word probability is a weak but free
signal (scripts/eval_transcript.py measures how many flagged words are really wrong), so the
plan lists each segment's doubtful words, the title's among them, and the review page marks
them, so a coach checks those lines first instead of reading every caption.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pipeline.core.model import Plan, Transcript, Word, word_key


def mark_unsure(plan: Plan, transcript: Transcript) -> Plan:
    """`plan` with each segment's `unsure` words: said inside it, below the model's threshold.

    Each word is listed once, as it was heard (without surrounding punctuation), in the order
    it was first said.
    """
    segments = []
    for segment in plan.segments:
        inside = [
            word
            for word in transcript.words
            if segment.start <= (word.start + word.end) / 2 < segment.end
        ]
        segments.append(replace(segment, unsure=doubtful_words(inside)))
    return replace(plan, segments=tuple(segments))


def doubtful_words(words: Iterable[Word]) -> tuple[str, ...]:
    """The words of `words` the model was unsure of, each once, as heard, in order."""
    doubtful: dict[str, str] = {}
    for word in words:
        if word.unsure and word_key(word.text):
            doubtful.setdefault(word_key(word.text), word.text.strip(" ,.;:!?\"'"))
    return tuple(doubtful.values())
