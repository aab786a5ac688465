"""Where a person should look: the words the speech model was unsure of, per segment.

Captions and titles are published text. The model's own word probability is a weak but free
signal (scripts/eval_transcript.py measures how many flagged words are really wrong), so the
plan lists each segment's doubtful words, the title's among them, and the review page marks
them, so a coach checks those lines first instead of reading every caption.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.model import Plan, Transcript, word_key


def mark_unsure(plan: Plan, transcript: Transcript) -> Plan:
    """`plan` with each segment's `unsure` words: said inside it, below the model's threshold.

    Each word is listed once, as it was heard (without surrounding punctuation), in the order
    it was first said.
    """
    segments = []
    for segment in plan.segments:
        doubtful: dict[str, str] = {}
        for word in transcript.words:
            inside = segment.start <= (word.start + word.end) / 2 < segment.end
            if inside and word.unsure and word_key(word.text):
                doubtful.setdefault(word_key(word.text), word.text.strip(" ,.;:!?\"'"))
        segments.append(replace(segment, unsure=tuple(doubtful.values())))
    return replace(plan, segments=tuple(segments))
