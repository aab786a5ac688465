"""Numbers put back where a coach counts: "free mistakes" -> "three mistakes".

tiny.en writes a spoken number as the word that sounds like it ("free" for "three", "to" for
"two") nine times on the fifteen clean evaluation takes, in two places where no other word
would make sense, so they are put back without an outline (with one, pipeline.understand.
vocabulary does the same from the outline's own counts):

- a cue noun's number: "Mistake to, jerking the bar", "Variation free: the tempo squat",
  "number to": the sound-alike right after "number", or after a mistake or variation noun
  that opens its clause bare (no "a" or "the": "a mistake to avoid" stays as it is);
- a count before a cue noun: "free mistakes", "free common mistakes", "free variations".
  Only "free" and "tree" ("look for variations", "lead to mistakes" are English).

The other way round, "too" is written as the number ("the bar two far away": five times on the
42 evaluation takes, every "too far" the model heard) where no number can stand: right before
a word of degree (TOO_BEFORE), unless a determiner before it makes "far", "early" or "late" an
adjective of a counted noun: "the two far cones", "your last two late sets" stay numbers.

The segmentation reads these sound-alikes as numbers already (pipeline.understand.cues); this
puts them right in the words every caption, title and page shows. Timings are kept.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.model import Sentence, Transcript
from pipeline.understand.cues import ADJECTIVES, HOMOPHONES, SPELLED_NUMBERS, noun_kind
from pipeline.understand.speech import normalise
from pipeline.understand.vocabulary import respell, with_words, word_clauses

LEAD = frozenset({"and", "so", "now", "ok", "okay", "alright", "then", "next"})
COUNT_HOMOPHONES = frozenset({"free", "tree"})  # as a count before a noun: nothing else
TWO = frozenset({"two", "2"})
TOO_BEFORE = frozenset({"far", "much", "early", "soon", "often", "late"})  # "two far": "too"
# Words that stand before a number in a noun phrase: "the two far cones" counts cones.
COUNTED_AFTER = frozenset({"the", "these", "those", "my", "your", "our", "their", "his", "her",
                           "its", "first", "last", "next", "other", "final"})  # fmt: skip


def correct_counts(transcript: Transcript) -> Transcript:
    """`transcript` with numbers heard as their sound-alikes put back where a coach counts."""
    sentences = tuple(_corrected(s) for s in transcript.sentences)
    if sentences == transcript.sentences:
        return transcript
    return replace(transcript, sentences=sentences)


def _corrected(sentence: Sentence) -> Sentence:
    words = list(sentence.words)
    tokens = [normalise(w.text) for w in words]
    changed = False
    for begin, end in word_clauses(words):
        for index in range(begin, end):
            if _numbered(tokens, begin, end, index):
                spelled = SPELLED_NUMBERS[HOMOPHONES[tokens[index]]]
            elif _too(tokens, begin, end, index):
                spelled = "too"
            else:
                continue
            words[index : index + 1] = respell(words[index : index + 1], [spelled])
            changed = True
    return with_words(sentence, words) if changed else sentence


def _numbered(tokens: list[str], begin: int, end: int, index: int) -> bool:
    """Whether tokens[index] is a sound-alike said as a number in clause begin..end."""
    token = tokens[index]
    if token not in HOMOPHONES:
        return False
    if index > begin and tokens[index - 1] == "number":
        return True
    if index > begin and _opens_clause_bare(tokens, begin, index - 1):
        return True
    if token in COUNT_HOMOPHONES:
        after = tokens[index + 1 : end]
        while after and after[0] in ADJECTIVES:  # "free common mistakes"
            after = after[1:]
        return bool(after) and noun_kind(after[0]) is not None
    return False


def _too(tokens: list[str], begin: int, end: int, index: int) -> bool:
    """Whether tokens[index] is "too" heard as the number: "the bar two far away"."""
    if tokens[index] not in TWO or index + 1 >= end or tokens[index + 1] not in TOO_BEFORE:
        return False
    return index == begin or tokens[index - 1] not in COUNTED_AFTER


def _opens_clause_bare(tokens: list[str], begin: int, at: int) -> bool:
    """tokens[at] is a strong singular cue noun ("mistake", "variation") with only lead
    words ("and", "now") before it in its clause."""
    kind = noun_kind(tokens[at])
    return kind is not None and kind[1] and not kind[2] and all(t in LEAD for t in tokens[begin:at])
