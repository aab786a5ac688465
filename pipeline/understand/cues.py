"""Find the phrases that open a mistake or a variation ("mistake number two", "the next one").

Works on normalised words (see `pipeline.understand.speech.normalise`) and survives what a small
speech model mishears: "mistake number to", "variation number won", "mistakes number three".
Cue words said in passing ("don't make this mistake again") and announcements ("three
mistakes you never want to make") are not cues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.understand.speech import Span

CueKind = Literal["mistake", "variation"]

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
SPELLED_NUMBERS = {value: word for word, value in WORD_NUMBERS.items()}  # 3 -> "three"
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
# What a small model writes for a number it misheard; trusted only right after "number".
HOMOPHONES = {"won": 1, "to": 2, "too": 2, "tu": 2, "tree": 3, "free": 3, "for": 4, "fore": 4,
              "ate": 8}  # fmt: skip

# noun -> (kind, strong). Weak nouns ("option", "error") open a segment only with a number.
NOUNS: dict[str, tuple[CueKind, bool]] = {
    "mistake": ("mistake", True),
    "error": ("mistake", False),
    "problem": ("mistake", False),
    "fault": ("mistake", False),
    "variation": ("variation", True),
    "variant": ("variation", True),
    "progression": ("variation", True),
    "regression": ("variation", True),
    "version": ("variation", False),
    "option": ("variation", False),
}
NUMBER_MARKERS = frozenset({"number", "no", "num", "nr", "#", "hash", "hashtag"})
ADJECTIVES = frozenset({"common", "big", "biggest", "major", "main", "typical", "huge", "most"})
SEQUENCERS = {"another": "next", "next": "next", "last": "last", "final": "last"}
# Words before "mistake one" that make it a mention, not a heading: "this mistake one time".
DETERMINERS = frozenset({"a", "an", "this", "that", "same", "every", "each", "any", "one", "the",
                         "my", "your", "another", "next", "last", "final"})  # fmt: skip
# Words before a numbered cue that make it a reference back: "like in mistake number one".
REFERENCES = frozenset({"in", "from", "like", "than", "as", "after", "before", "during"})
LEAD_IN = frozenset(
    {"and", "so", "ok", "okay", "alright", "all", "right", "now", "then", "um", "uh", "well",
     "moving", "on", "to", "onto", "let's", "go", "the"}
)  # fmt: skip
MAX_LEAD_IN = 4  # words a sequential cue ("the next mistake") may sit after a sentence start

_DIGITS = re.compile(r"#?(\d{1,3})(?:st|nd|rd|th)?")


@dataclass(frozen=True, slots=True)
class Cue:
    """A spoken phrase that opens a mistake or variation.

    `first` is the index of its first word, `after` the index of the first word after it
    (where the coach usually names the segment).
    """

    kind: CueKind
    number: int
    first: int
    after: int


def parse_number(token: str, *, loose: bool = False) -> int | None:
    """`"2"`, `"#2"`, `"two"`, `"second"`, `"2nd"` -> 2; with `loose`, also `"to"`, `"won"`."""
    token = token.split("-")[-1] if token.startswith("number-") else token
    match = _DIGITS.fullmatch(token)
    if match:
        return int(match.group(1)) or None
    value = WORD_NUMBERS.get(token) or ORDINALS.get(token)
    if value is None and (loose or token == "won"):
        value = HOMOPHONES.get(token)
    return value


def noun_kind(token: str) -> tuple[CueKind, bool, bool] | None:
    """(kind, strong, plural) of a cue noun such as "mistakes", else None."""
    if token in NOUNS:
        return (*NOUNS[token], False)
    if token.endswith("s") and token[:-1] in NOUNS:
        return (*NOUNS[token[:-1]], True)
    return None


def announced_kind(normalised: Sequence[str]) -> CueKind | None:
    """The kind a sentence announces ("here are three variations"), else None."""
    for index, token in enumerate(normalised):
        noun = noun_kind(token)
        following = normalised[index + 1] if index + 1 < len(normalised) else ""
        unnumbered = _number_after(normalised, index, 0)[0] is None
        if noun and noun[1] and noun[2] and unnumbered and following not in NUMBER_MARKERS:
            return noun[0]
    return None


def find_cues(normalised: Sequence[str], sentences: Sequence[Span]) -> list[Cue]:
    """Every cue in order, numbered: said numbers kept, "next"/"another" counted on.

    A cue that repeats the number of the one before it (the coach saying the heading
    again) is dropped.
    """
    sentence_start = _sentence_starts(sentences, len(normalised))
    last_number: dict[CueKind, int] = {"mistake": 0, "variation": 0}
    context: CueKind | None = None
    cues: list[Cue] = []
    index = 0
    while index < len(normalised):
        found = _cue_at(normalised, index, sentence_start[index], context, last_number)
        noun = noun_kind(normalised[index])
        if found is None:
            if noun and noun[1] and noun[2]:
                context = noun[0]  # "here are three variations": "the first one" is one
            index += 1
            continue
        previous = cues[-1] if cues else None
        if previous is None or (previous.kind, previous.number) != (found.kind, found.number):
            cues.append(found)
            last_number[found.kind] = found.number
        context = found.kind
        index = max(found.after, index + 1)
    return cues


def _cue_at(
    normalised: Sequence[str],
    index: int,
    sentence_start: int,
    context: CueKind | None,
    last_number: dict[CueKind, int],
) -> Cue | None:
    token = normalised[index]
    noun = noun_kind(token)
    if noun is None:
        return _context_cue(normalised, index, sentence_start, context, last_number)
    kind, strong, plural = noun
    first = _phrase_start(normalised, index)
    number, after = _number_after(normalised, index, last_number[kind] + 1)
    if number is not None:
        following = normalised[index + 1]
        bare = following not in NUMBER_MARKERS and not following.startswith("#")
        mention = bare and (plural or (first > 0 and normalised[first - 1] in DETERMINERS))
        reference = first > 0 and normalised[first - 1] in REFERENCES
        if not mention and not reference:
            return Cue(kind, number, _with_article(normalised, first), after)
    if plural:
        return None
    before = normalised[first - 1] if first > 0 else ""
    said = ORDINALS.get(before) or (parse_number(before) if before[:1].isdigit() else None)
    if said is not None:  # "the first mistake", "the 2nd variation"
        return Cue(kind, said, _with_article(normalised, first - 1), index + 1)
    sequencer = SEQUENCERS.get(before)
    if before == "more" and first >= 2 and normalised[first - 2] == "one":
        sequencer, first = "next", first - 1
    if sequencer and strong:
        start = _with_article(normalised, first - 1)
        if start - sentence_start <= MAX_LEAD_IN and _only_lead_in(
            normalised, sentence_start, start
        ):
            return Cue(kind, last_number[kind] + 1, start, index + 1)
    return None


def _context_cue(
    normalised: Sequence[str],
    index: int,
    sentence_start: int,
    context: CueKind | None,
    last_number: dict[CueKind, int],
) -> Cue | None:
    """ "the first one", "the next one", "number two" right after a list was announced."""
    if context is None or not _only_lead_in(normalised, sentence_start, index):
        return None
    token = normalised[index]
    following = normalised[index + 1] if index + 1 < len(normalised) else ""
    expected = last_number[context] + 1
    if token in NUMBER_MARKERS - {"no"} and following:
        number = parse_number(following, loose=True)
        if number == expected:
            return Cue(context, number, index, index + 2)
        return None
    if following != "one":
        return None
    said = ORDINALS.get(token) or (expected if token in SEQUENCERS else None)
    if said == expected:
        return Cue(context, said, _with_article(normalised, index), index + 2)
    return None


def _number_after(normalised: Sequence[str], index: int, expected: int) -> tuple[int | None, int]:
    """The number said after a cue noun and the index after it: (2, i) for "number two".

    A misheard number without "number" before it ("variation to") counts only when it is
    the one expected next.
    """
    following = normalised[index + 1] if index + 1 < len(normalised) else ""
    if following in NUMBER_MARKERS and index + 2 < len(normalised):
        return parse_number(normalised[index + 2], loose=True), index + 3
    if following.startswith("#"):
        return parse_number(following, loose=True), index + 2
    if following in ORDINALS:
        return None, index + 1
    number = parse_number(following)
    if number is None and parse_number(following, loose=True) == expected:
        number = expected
    return number, index + 2


def _phrase_start(normalised: Sequence[str], index: int) -> int:
    """Walk back over adjectives: "common mistake" starts at "common"."""
    first = index
    while first > 0 and normalised[first - 1] in ADJECTIVES:
        first -= 1
    return first


def _with_article(normalised: Sequence[str], first: int) -> int:
    return first - 1 if first > 0 and normalised[first - 1] == "the" else first


def _only_lead_in(normalised: Sequence[str], start: int, stop: int) -> bool:
    return stop - start <= MAX_LEAD_IN and all(t in LEAD_IN for t in normalised[start:stop])


def _sentence_starts(sentences: Sequence[Span], count: int) -> list[int]:
    starts = [0] * count
    for first, stop in sentences:
        for index in range(first, min(stop, count)):
            starts[index] = first
    return starts
