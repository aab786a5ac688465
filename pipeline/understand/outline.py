"""The user's own article or outline: its headings name the segments.

Headings are found in Markdown (`## Mistake 2: ...`) and in plain text
("Single-Leg Hip Thrust Mistake #1: Pushing Off Your Elbows", or "1) Single-Leg Hip Thrust
with Iso Hold" under a line that announces variations). They are matched to spoken segments
by word overlap and number; headings the speech never covers are reported, never invented.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.core.model import Segment
from pipeline.understand.cues import CueKind, announced_kind, find_cues, noun_kind, parse_number
from pipeline.understand.speech import normalise, sentence_case

MAX_HEADING_WORDS = 16
MATCH_THRESHOLD = 0.5
NUMBER_BONUS = 0.5

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED_ITEM = re.compile(r"^(\d{1,2})\s*[).:]\s+(\S.*)$")
_DECORATION = re.compile(r"^\s*(?:[-*+>]\s+)?|\*\*|__|`")
_TITLE_SEPARATOR = re.compile(r"\s*(?::|\s[-–—|]\s)\s*")
_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "but", "by", "do", "does", "for", "from", "how",
     "i", "in", "is", "it", "its", "me", "my", "of", "off", "on", "or", "so", "that", "the",
     "their", "them", "then", "there", "this", "to", "up", "we", "what", "when", "with", "you",
     "your", "youre"}
)  # fmt: skip
LEADING_WORDS = frozenset(
    {"the", "a", "an", "my", "your", "how", "to", "do", "doing", "fix", "fixing", "improve",
     "perfect", "master", "better", "proper"}
)  # fmt: skip
TOPIC_ENDS = frozenset({"when", "while", "if", "because", "so", "that", "which", "for", "in", "on"})


@dataclass(frozen=True, slots=True)
class Heading:
    """One mistake or variation heading of the outline."""

    text: str  # the heading as written, without Markdown marks
    kind: CueKind
    number: int
    title: str  # what follows the cue, e.g. "Pushing Off Your Elbows"; "" when nothing does
    part: int = 1  # which exercise of a whole session: numbering that starts again is a new one


@dataclass(frozen=True, slots=True)
class Outline:
    """The outline's title and its mistake/variation headings in order."""

    title: str
    headings: tuple[Heading, ...]


def parse_outline(text: str) -> Outline:
    """Read the title and the mistake/variation headings of an article or outline."""
    lines = [" ".join(_DECORATION.sub("", line).split()) for line in text.splitlines()]
    title = ""
    headings: list[Heading] = []
    context: tuple[CueKind, int] | None = None  # announced kind and its heading level
    counters: dict[CueKind, int] = {"mistake": 0, "variation": 0}
    part = 1
    for raw in lines:
        markdown = _MARKDOWN_HEADING.match(raw)
        level = len(markdown.group(1)) if markdown else 7
        line = markdown.group(2).strip() if markdown else raw
        if not line:
            continue
        if not title and (level == 1 or not markdown):
            title = line
            continue
        words = line.split()
        if len(words) > MAX_HEADING_WORDS:
            continue
        heading = _cue_heading(line) or _item_heading(line, markdown is not None, level, context)
        if heading is not None:
            if heading.number <= 0:
                heading = _renumber(heading, counters[heading.kind] + 1)
            if heading.number <= counters[heading.kind]:  # "Mistake 1" again: the next exercise
                part += 1
                counters = {"mistake": 0, "variation": 0}
            counters[heading.kind] = heading.number
            headings.append(replace(heading, part=part))
            if markdown and _cue_heading(line):
                context = None  # sub-headings of a mistake are not mistakes
            continue
        announced = announced_kind([normalise(w) for w in words])
        if announced:
            context = (announced, level)
        elif markdown and context and level <= context[1]:
            context = None  # a new section of the same rank ends the list
    return Outline(title=title, headings=tuple(headings))


def outline_topic(outline: Outline) -> str:
    """What the article is about, from its title: "The Single-Leg Hip Thrust: 3 ..." ->
    "Single-leg hip thrust"."""
    return topic_phrase(_TITLE_SEPARATOR.split(outline.title, maxsplit=1)[0])


def topic_phrase(text: str) -> str:
    """The subject of a phrase: "the single-leg hip thrust" -> "Single-leg hip thrust",
    "three hip thrust mistakes" -> "Hip thrust"."""
    words = text.replace(",", " ").split()
    while words and (normalise(words[0]) in LEADING_WORDS or parse_number(normalise(words[0]))):
        words = words[1:]
    for index, word in enumerate(words):
        if noun_kind(normalise(word)) or (index and normalise(word) in TOPIC_ENDS):
            words = words[:index]
            break
    while words and normalise(words[-1]) in STOPWORDS | {"common", "critical", "biggest"}:
        words = words[:-1]
    return sentence_case(" ".join(words)) if 0 < len(words) <= 8 else ""


def match_headings(
    headings: Sequence[Heading], segments: Sequence[Segment], topic: str = ""
) -> dict[int, Heading]:
    """Pair headings with the spoken segments they describe: segment index -> heading.

    A pair needs the same kind and enough evidence: words of the heading said in the
    segment, a similar title, or the same number. Best pairs are taken first.
    """
    ignore = _stems(topic)
    pairs: list[tuple[float, int, int]] = []
    for h_index, heading in enumerate(headings):
        for s_index, segment in enumerate(segments):
            if segment.kind != heading.kind:
                continue
            score = _similarity(heading, segment, ignore)
            if score >= MATCH_THRESHOLD:
                pairs.append((score, -h_index, -s_index))
    matched: dict[int, Heading] = {}
    used: set[int] = set()
    for _score, h_neg, s_neg in sorted(pairs, reverse=True):
        if -s_neg in matched or -h_neg in used:
            continue
        matched[-s_neg] = headings[-h_neg]
        used.add(-h_neg)
    return matched


def heading_coverage(
    headings: Sequence[Heading], said: Sequence[str], topic: str = ""
) -> dict[tuple[CueKind, int], float]:
    """How much of each heading's title the words `said` cover, 0..1, by (kind, number).

    Words of the topic ("hip thrust") say nothing about which heading is meant.
    """
    ignore = _stems(topic)
    spoken = _stems(" ".join(said))
    coverage: dict[tuple[CueKind, int], float] = {}
    for heading in headings:
        wanted = _stems(heading.title or heading.text) - ignore
        if wanted:
            key = (heading.kind, heading.number)  # in a session, the best of the parts
            coverage[key] = max(coverage.get(key, 0.0), len(wanted & spoken) / len(wanted))
    return coverage


def title_coverage(heading: Heading, said: Sequence[str], topic: str = "") -> float:
    """The share, 0..1, of the heading title's words (stemmed, without stopwords and the
    topic's words, which every heading shares) that the normalised words `said` contain."""
    wanted = _stems(heading.title or heading.text) - _stems(topic)
    return len(wanted & _stems(" ".join(said))) / len(wanted) if wanted else 0.0


def _similarity(heading: Heading, segment: Segment, ignore: set[str]) -> float:
    wanted = _stems(heading.title or heading.text) - ignore
    said = _stems(segment.text or segment.title)
    coverage = len(wanted & said) / len(wanted) if wanted else 0.0
    ratio = difflib.SequenceMatcher(None, heading.title.lower(), segment.title.lower()).ratio()
    bonus = NUMBER_BONUS if heading.number == segment.number else 0.0
    return coverage + 0.5 * ratio + bonus


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _cue_heading(line: str) -> Heading | None:
    """ "Single-Leg Hip Thrust Mistake #1: Pushing Off Your Elbows" -> mistake 1."""
    words = line.split()
    normalised = [normalise(w) for w in words]
    cues = find_cues(normalised, [(0, len(words))])
    if not cues:
        return None
    cue = cues[0]
    title = " ".join(words[cue.after :]).lstrip(":-–—.) ").strip()
    return Heading(text=line, kind=cue.kind, number=cue.number, title=title)


def _item_heading(
    line: str, is_markdown: bool, level: int, context: tuple[CueKind, int] | None
) -> Heading | None:
    """A numbered item ("1) Iso hold") or a sub-heading under an announced list."""
    if context is None:
        return None
    kind, context_level = context
    item = _NUMBERED_ITEM.match(line)
    if item:
        return Heading(text=line, kind=kind, number=int(item.group(1)), title=item.group(2))
    if is_markdown and level > context_level:
        return Heading(text=line, kind=kind, number=0, title=line)
    return None


def _renumber(heading: Heading, number: int) -> Heading:
    return Heading(text=heading.text, kind=heading.kind, number=number, title=heading.title)
