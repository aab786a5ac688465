"""Turn a transcript into a plan: intro, mistakes, variations, asides and outro, with demos.

`segment()` is pure: it reads the words and their times, never a file. The take is cut into
units (sentences, and clauses of run-on ones), each unit's evidence is weighed
(`discourse`), and the best-scoring reading of the whole take (`reading`) says which unit
opens which segment. A segment starts at most PADDING seconds before its first word and ends
TAIL seconds after its last one (never inside the next segment's words); the silence between
segments belongs to neither. The intro starts at 0. Footage without items becomes one "talk"
segment.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.core.errors import ModelMissingError, NoSpeechError
from pipeline.core.model import Demo, Plan, Segment, SegmentKind, Transcript, Word
from pipeline.understand.cues import Cue, CueKind, announced_kind, find_cues
from pipeline.understand.demos import VERBS, mistake_demos, sounds_like_demo, variation_demo
from pipeline.understand.discourse import NAMING_PHRASES, Opener, Unit, is_retake, units_of
from pipeline.understand.outline import Heading, Outline, outline_topic, parse_outline, topic_phrase
from pipeline.understand.outline_fit import place_headings
from pipeline.understand.reading import Reading, read_take
from pipeline.understand.roles import opens_chances, with_meaning
from pipeline.understand.speech import (
    Span,
    join,
    normalise,
    sentence_case,
    shorten,
    skip_phrases,
    split_sentences,
    tokens,
)

PADDING = 0.25  # seconds a segment may start before its first word
TAIL = 0.3  # seconds a segment runs on after its last word (the issue allows up to 0.4)
MAX_TITLE = 60
MAX_TITLE_SENTENCE_WORDS = 6  # "Mistake number two. Arching your back." names it in sentence 2
MAX_FAULT_WORDS = 10  # ... or more words, when they say what the lifter does ("Starting with ...")

TITLE_LEAD_IN = (
    "is", "are", "was", "so", "okay", "ok", "alright", "all right", "well", "and",
    "basically", "that", "when", "i see", "that i see", "that i see is", "i see is",
    "people make", "people make is", "that people make", "that people make is",
    "i see people make", "i see people make is", "is called", "called", "is that", "which is",
    "is when", "is going to be", "is gonna be", "will be", "here is", "here's", "this is",
    "i always see is", "i always see", "people get wrong is", "i see all the time is",
    "you can try", "try", "up", "one is", "big one is", "thing is",
    "this one is", "we have", "we've got", "i want to show you", "i want to show you is",
    "let's talk about", "let's look at", "the", "a", "an",
    *(phrase.removesuffix(" is") for phrase in NAMING_PHRASES),  # "... people get wrong." ends
)  # fmt: skip
# Words of a clause that only says how much an item matters: "Number three, and this is a big
# one, doing half reps." The name comes after it.
EMPHASIS = frozenset(
    {"this", "is", "a", "big", "one", "biggest", "huge", "really", "important", "honestly",
     "worst", "common", "probably", "most", "key", "main", "classic", "the", "it's", "that's",
     "and", "so", "very"}
)  # fmt: skip
FIRST_PERSON = frozenset({"i", "i'm", "my", "me", "i'll", "i've", "we"})  # the coach showing it
# Orders that also name a lift ("clean and press", "squat and row"): no sign a sentence began.
LIFT_VERBS = frozenset({"press", "row", "swing", "lift", "dip", "pull", "push", "step", "raise",
                        "tap", "walk", "lunge", "hinge", "get"})  # fmt: skip
TITLE_TAIL = frozenset({"so", "okay", "ok", "and", "like", "um", "uh", "right", "now"})
_TOPIC_PATTERNS = [
    re.compile(p)
    for p in (
        r"\btoday'?s? (?:video|topic|lesson|exercise) is (?P<x>[^.!?;]+)",
        r"\b(?:today|this video|in this video|this lesson)\b[^.!?]*?\b(?:looking at|look at|"
        r"talking about|talk about|covering|cover|"
        r"show you|showing you|teach you|teaching you|going over|go over|working on|work on|"
        r"breaking down|break down|fixing)\s+(?P<x>[^.!?;]+)",
        r"\b(?:this video|in this video|this lesson)\b[^.!?]*?\b(?:about|on|covers)\s+"
        r"(?P<x>[^.!?;]+)",
        r"\blet'?s talk about\s+(?P<x>[^.!?;]+)",
        r"\btoday\s*[:,\-–]\s*(?P<x>[^.!?;]+)",
    )
]
_PART_TOPIC = re.compile(
    r"\b(?:next exercise(?: is)?|(?:move|moving|switch|switching) on to|on to|"
    r"(?:second|third|last|final|another) exercise(?: is)?)[\s,:]+(?P<x>[^.!?;,]+)"
    r"|^(?:all right|alright|ok|okay|now|so|and)?[\s,]*(?P<y>the [^.!?;,]+)"
)
_SPOKEN_FILLERS = re.compile(r",?\s*\byou know\b,?|\blike,", re.IGNORECASE)
_AND_MORE = re.compile(r"\s+(?:and|with|plus)\s+(?=(?:\d+|one|two|three|four|five|six|some|a few|"
                       r"the|my|how|why|what)\b)")  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Part:
    """A segment in word indices, before times, ids and the outline are applied."""

    kind: SegmentKind
    number: int | None
    first: int
    stop: int
    title: str = ""
    content: tuple[Span, ...] = ()  # sentences after the heading, for demos
    body: Span = (0, 0)  # words after the cue phrase
    part: int = 1  # which exercise of a whole session
    named: Span = (0, 0)  # the words the title is taken from


def segment(transcript: Transcript, *, source: str, outline: str | None = None) -> Plan:
    """Split a transcript into the segments of a plan.

    Args:
        transcript: the words with their times.
        source: the source video's file name, recorded in the plan.
        outline: the user's article or outline text; its headings name and number the
            segments they match, and headings never spoken are listed in
            `Plan.unmatched_headings`.

    Raises:
        NoSpeechError: the transcript has no words.
    """
    words = transcript.words
    if not words:
        raise NoSpeechError(
            f"{source}: no speech was found, so there is nothing to split into segments; "
            "check that the video has a voice track, or give a transcript with --transcript"
        )
    duration = max(transcript.duration, words[-1].end)
    normalised = tokens(words)
    sentences = split_sentences(words)
    written = parse_outline(outline) if outline is not None else None
    headings = written.headings if written is not None else ()
    units = units_of([w.text for w in words], normalised, sentences,
                     find_cues(normalised, sentences))  # fmt: skip
    units = _with_meaning(units, words)
    readings = read_take(units, len(words), _outline_counts(headings))
    placed: list[Heading | None] = [None] * len(readings)
    unmatched = tuple(h.text for h in headings)
    fitted = fit_outline(units, normalised, readings, written) if headings else None
    if fitted is not None:
        readings, placed, unmatched = fitted
    parts = [_part(words, normalised, sentences, units, r) for r in readings]
    segments = _segments(parts, words, duration)
    if max(p.part for p in parts) > 1:
        segments = _session(segments, [p.part for p in parts])
    intro = next((s for s in segments if s.kind in ("intro", "talk")), None)
    topic = _spoken_topic(intro.text) if intro else ""
    if written is not None:
        segments = _titled(segments, placed, written.title)
        topic = outline_topic(written) or topic
    return Plan(
        source=source,
        duration=duration,
        segments=tuple(_unique_ids(segments)),
        topic=topic,
        unmatched_headings=unmatched,
    )


def variation_names(transcript: Transcript) -> list[Span]:
    """The spans of `transcript.words` each variation's title is taken from: where the coach
    names it ("the second variation is the deficit deadlift,", "First up, the chest
    supported row."), without an outline."""
    words = transcript.words
    if not words:
        return []
    normalised = tokens(words)
    sentences = split_sentences(words)
    parts = _parts(words, normalised, sentences, find_cues(normalised, sentences))
    return [p.named for p in parts if p.kind == "variation" and p.named[0] < p.named[1]]


def _parts(
    words: Sequence[Word], normalised: list[str], sentences: list[Span], cues: list[Cue]
) -> list[_Part]:
    units = units_of([w.text for w in words], normalised, sentences, cues)
    return [_part(words, normalised, sentences, units, r) for r in read_take(units, len(words))]


def _with_meaning(units: list[Unit], words: Sequence[Word]) -> list[Unit]:
    """The units with what their meaning says they do (`roles`); as they are, with a
    warning, where the sentence model is not installed."""
    try:
        return with_meaning(units, [join(words[u.span[0] : u.span[1]]) for u in units])
    except ModelMissingError as error:
        warnings.warn(f"{error}; segmenting from cue phrases alone", stacklevel=3)
        return units


def _outline_counts(headings: Sequence[Heading]) -> dict[int, dict[CueKind, int]] | None:
    """How many items of each kind the outline lists, by part: these replace the counts
    the coach announces."""
    if not headings:
        return None
    counts: dict[int, dict[CueKind, int]] = {}
    for heading in headings:
        part = counts.setdefault(heading.part, {})
        part[heading.kind] = max(part.get(heading.kind, 0), heading.number)
    return counts


def fit_outline(
    units: Sequence[Unit],
    normalised: Sequence[str],
    readings: Sequence[Reading],
    written: Outline,
) -> tuple[list[Reading], list[Heading | None], tuple[str, ...]] | None:
    """The readings with the outline's headings as the items, each placed once, in order
    (`outline_fit.place_headings`); the asides and sign-off of the take's own reading stay
    where they do not cut an item's start. Returns the readings, the heading of each, and
    the headings placed without evidence; None when the outline does not fit the take."""
    said = [normalised[u.span[0] : u.span[1]] for u in units]
    outro = next((r.first for r in readings if r.kind == "outro"), None)
    headings = written.headings
    opens = opens_chances(units)
    topic = outline_topic(written)
    placement = place_headings(units, said, headings, opens, limit=outro, topic=topic)
    if placement is None:
        return None
    starts = placement.starts
    events: list[tuple[int, Reading | Heading]] = list(zip(starts, headings))
    for reading in readings:
        between = [h.part for s, h in zip(starts, headings) if s < reading.first][-1:]
        after = [h.part for s, h in zip(starts, headings) if s > reading.first][:1]
        if reading.first <= starts[0] or reading.first in starts:
            continue
        if reading.kind in ("talk", "outro") or (reading.kind == "intro" and between != after):
            events.append((reading.first, reading))
    events.sort(key=lambda event: event[0])
    fitted: list[Reading] = []
    placed: list[Heading | None] = []
    if starts[0] > 0:
        fitted.append(Reading("intro", None, 0, starts[0], part=headings[0].part))
        placed.append(None)
    part = headings[0].part
    for index, (first, what) in enumerate(events):
        stop = events[index + 1][0] if index + 1 < len(events) else len(units)
        if isinstance(what, Heading):
            part = what.part
            opener = next((u.opener for u in units[first : min(first + 2, stop)] if u.opener),
                          None) or Opener(what.kind, what.number, False, units[first].span[0],
                                          units[first].span[0], 0.0)  # fmt: skip
            fitted.append(Reading(what.kind, what.number, first, stop, opener, part))
            placed.append(what)
        else:
            later = next((h.part for s, h in zip(starts, headings) if s > first), part)
            own = later if what.kind == "intro" else part
            fitted.append(Reading(what.kind, None, first, stop, part=own))
            placed.append(None)
    unsupported = tuple(headings[h].text for h in placement.unsupported)
    return fitted, placed, unsupported


def _part(
    words: Sequence[Word],
    normalised: Sequence[str],
    sentences: Sequence[Span],
    units: Sequence[Unit],
    reading: Reading,
) -> _Part:
    """A reading in word indices, with its spoken title and the sentences of its demos."""
    first, stop = units[reading.first].span[0], units[reading.stop - 1].span[1]
    opener = reading.opener
    if reading.kind not in ("mistake", "variation") or opener is None:
        return _Part(reading.kind, reading.number, first, stop, part=reading.part)
    number = reading.number or 1
    cue = Cue(reading.kind, number, opener.first, min(opener.after, stop))
    named, content = _title_and_content(words, normalised, sentences, cue, stop)
    body = (cue.after, stop) if cue.after < stop else (first, stop)
    title = _title_text(words[named[0] : named[1]])
    return _Part(reading.kind, number, first, stop, title, content, body, reading.part, named)


def _title_and_content(
    words: Sequence[Word],
    normalised: Sequence[str],
    sentences: Sequence[Span],
    cue: Cue,
    stop: int,
) -> tuple[Span, tuple[Span, ...]]:
    """The words of the title the coach says after the cue, and the stretches of speech
    after it.

    The title runs from the cue to the first comma or the sentence end; what follows it in
    the same sentence is content too (a small model often runs sentences together).
    """
    heading = next(span for span in sentences if span[0] <= cue.first < span[1])
    heading_stop = min(heading[1], stop)
    following = [(a, min(b, stop)) for a, b in sentences if heading[0] < a < stop]
    first, last = _title_words(words, normalised, cue.after, heading_stop)
    content = [(last, heading_stop)] if last < heading_stop else []
    if first == last and following:
        named = _named_after(words, normalised, following[0], heading_stop)
        if named is not None:
            first, last = named
            name_stop = following[0][1]
            content = [(last, name_stop)] if last < name_stop else []
            following = following[1:]
    content += following
    while content and announced_kind(normalised[content[-1][0] : content[-1][1]]):
        content.pop()  # "Now here are three variations." belongs to no demo
    return (first, last), tuple(content)


def _named_after(
    words: Sequence[Word], normalised: Sequence[str], sentence: Span, heading_stop: int
) -> Span | None:
    """The title said in the sentence after a heading that named nothing ("Variation number
    one." / "Mistake number 1."), else None.

    The title is that sentence's first clause when it reads like a name, not like the demo:
    the whole sentence when it has at most MAX_TITLE_SENTENCE_WORDS words, else its first
    clause of that many words ("The pause deadlift, pause just below the knee"), or of up to
    MAX_FAULT_WORDS when it says what the lifter does ("Starting with the bar too far away.");
    never a retake, never the coach showing it ("Watch, I flare my elbows"), never "don't"
    or "instead". Words the model wrote twice across the break ("people get wrong. |
    wrong is rounding") are skipped.
    """
    begin, stop = sentence
    said = normalised[begin:stop]
    if is_retake(said):
        return None
    for size in (3, 2, 1):  # the heading's last words heard again
        if size < stop - begin and said[:size] == normalised[heading_stop - size : heading_stop]:
            begin += size
            break
    first, last = _title_words(words, normalised, begin, stop)
    name = normalised[first:last]
    if not name or sounds_like_demo(name):
        return None
    if stop - begin <= MAX_TITLE_SENTENCE_WORDS:  # a short sentence of its own names it
        return first, last
    cut = last < stop and not words[last - 1].text.rstrip().endswith((",", ";", ":"))
    fault = name[0].endswith("ing") and len(name) <= MAX_FAULT_WORDS and not cut
    short = len(name) <= MAX_TITLE_SENTENCE_WORDS or fault
    return (first, last) if short and not FIRST_PERSON.intersection(name) else None


def _title_words(words: Sequence[Word], normalised: Sequence[str], begin: int, stop: int) -> Span:
    """Word span of a spoken title: after "is", "um", "that I see is", up to a comma that
    does not just set off a filler."""
    first = skip_phrases(normalised, begin, stop, TITLE_LEAD_IN)
    first = _after_emphasis(words, normalised, first, stop)
    last = first
    while last < stop:
        last += 1
        comma = words[last - 1].text.rstrip().endswith((",", ";", ":"))
        filler = normalised[last - 1] in ("like", "know") or (
            list(normalised[last : last + 2]) == ["you", "know"]
        )  # "flaring, you know, the elbows": a filler, not the end of the title
        if comma and not filler and last - first >= 2:
            break
    if last - first > MAX_TITLE_SENTENCE_WORDS:
        last = _run_on_end(words, normalised, first, last)
    while last - first > 1 and len(join(words[first:last])) > MAX_TITLE:
        last -= 1
    return first, last


def _run_on_end(words: Sequence[Word], normalised: Sequence[str], first: int, last: int) -> int:
    """Where a long title the model ran into the next sentence ends: before an order written
    with a capital, as a sentence starts ("with a high Hold on at the top"; a capital that is
    no order may be a name's: "single arm American swing"), or before "and"/"then" and an
    order that goes on ("the eccentric driver and take two to three seconds"); an order that
    names a lift too (LIFT_VERBS) is no sign. Else `last`."""
    orders = VERBS - LIFT_VERBS
    for index in range(first + 2, last):
        capital = words[index].text.strip()[:1].isupper() and normalised[index] in orders
        if capital and not words[index - 1].text.strip()[:1].isupper():
            return index
        order = normalised[index] in ("and", "then") and index + 3 < last
        if order and normalised[index + 1] in orders:
            return index
    return last


def _after_emphasis(words: Sequence[Word], normalised: Sequence[str], first: int, stop: int) -> int:
    """Where the name starts after a clause that only stresses the item ("a big one, doing
    half reps" -> "doing"); `first` when there is no such clause or nothing follows it."""
    for index in range(first, stop - 1):
        if normalised[index] and normalised[index] not in EMPHASIS:
            return first
        if words[index].text.rstrip().endswith((",", ";", ":")):
            return skip_phrases(normalised, index + 1, stop, TITLE_LEAD_IN)
    return first


def _title_text(words: Sequence[Word]) -> str:
    """ "pushing off your elbows, so" -> "Pushing off your elbows"; "flaring, you know, the
    elbows" -> "Flaring the elbows"."""
    said = _SPOKEN_FILLERS.sub(" ", join(words)).split(" ")
    while said and normalise(said[-1]) in TITLE_TAIL | {""}:
        said = said[:-1]
    return shorten(sentence_case(" ".join(said)), MAX_TITLE)


def _segments(parts: Sequence[_Part], words: Sequence[Word], duration: float) -> list[Segment]:
    """Segments with times: each from just before its first word to just after its last."""
    starts = [
        0.0 if i == 0 and p.kind == "intro" else _start_time(words, p.first)
        for i, p in enumerate(parts)
    ]
    segments = []
    for index, part in enumerate(parts):
        start = starts[index]
        end = min(words[part.stop - 1].end + TAIL, duration)
        if index + 1 < len(parts):
            end = min(end, starts[index + 1])
        segments.append(_segment(part, words, start, max(end, words[part.stop - 1].end)))
    return segments


def _segment(part: _Part, words: Sequence[Word], start: float, end: float) -> Segment:
    text = join(words[part.first : part.stop])
    demos: tuple[Demo, ...] = ()
    if part.kind == "mistake":
        demos = mistake_demos(words, part.content)
    elif part.kind == "variation":
        demos = (variation_demo(words, part.content, part.body),)
    return Segment(
        id=_base_id(part.kind, part.number),
        kind=part.kind,
        number=part.number,
        title=part.title or _fallback_title(part.kind, part.number),
        start=start,
        end=end,
        demos=tuple(_clamp(demo, start, end) for demo in demos),
        text=text,
    )


def _start_time(words: Sequence[Word], index: int) -> float:
    """A boundary before word `index`: up to PADDING early, never inside the word before."""
    word = words[index]
    if index == 0:
        return max(0.0, word.start - PADDING)
    previous_end = min(words[index - 1].end, word.start)
    return max(word.start - PADDING, previous_end)


def _clamp(demo: Demo, start: float, end: float) -> Demo:
    """Keep a demo inside its segment and at least a moment long."""
    clamped = replace(demo, start=max(demo.start, start), end=min(demo.end, end))
    if clamped.end > clamped.start:
        return clamped
    return replace(demo, start=start, end=end)


def _fallback_title(kind: SegmentKind, number: int | None) -> str:
    label = {"intro": "Intro", "outro": "Outro", "talk": "Talk"}.get(kind, kind.capitalize())
    return f"{label} {number}" if number is not None else label


def _base_id(kind: SegmentKind, number: int | None) -> str:
    return f"{kind}-{number}" if number is not None else kind


def _session(segments: Sequence[Segment], parts: Sequence[int]) -> list[Segment]:
    """Segments of a whole session with their part, its exercise (said in the part's intro,
    else "Part 2") and ids that say it: "goblet-squat_mistake-1"."""
    topics: dict[int, str] = {}
    for seg, part in zip(segments, parts):
        if seg.kind == "intro" and part not in topics:
            topics[part] = _spoken_topic(seg.text) or _part_topic(seg.text)
    named = []
    for seg, part in zip(segments, parts):
        topic = topics.get(part) or f"Part {part}"
        named.append(replace(seg, part=part, topic=topic))
    return named


def _part_topic(text: str) -> str:
    """ "Next exercise, the push-up." / "Now let's move on to the row." -> the exercise."""
    lowered = text.lower().replace("’", "'")
    match = _PART_TOPIC.search(lowered)
    return topic_phrase(match.group("x") or match.group("y")) if match else ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:30].strip("-")


def _unique_ids(segments: Sequence[Segment]) -> list[Segment]:
    """Give repeated ids a suffix in order: a second "mistake-2" becomes "mistake-2-2"; in a
    whole session every id starts with its exercise ("push-up_mistake-2")."""
    seen: dict[str, int] = {}
    unique = []
    for seg in segments:
        base = _base_id(seg.kind, seg.number)
        if seg.part is not None:
            base = f"{_slug(seg.topic) or f'part-{seg.part}'}_{base}"
        seen[base] = seen.get(base, 0) + 1
        unique.append(replace(seg, id=base if seen[base] == 1 else f"{base}-{seen[base]}"))
    return unique


def _spoken_topic(text: str) -> str:
    """ "Today we're looking at the single-leg hip thrust." -> "Single-leg hip thrust"."""
    lowered = text.lower().replace("’", "'")
    for pattern in _TOPIC_PATTERNS:
        match = pattern.search(lowered)
        if match:
            phrase = _AND_MORE.split(match.group("x").split(",")[0])[0]
            topic = topic_phrase(phrase)
            if topic:
                return topic
    return ""


def _titled(segments: list[Segment], placed: Sequence[Heading | None], title: str) -> list[Segment]:
    """Segments named after the outline: each item its heading's kind, number and title,
    the intro the outline's title."""
    named = []
    for seg, heading in zip(segments, placed):
        if heading is not None:
            text = shorten(heading.title, MAX_TITLE) or seg.title
            seg = replace(seg, kind=heading.kind, number=heading.number, title=text)
        elif seg.kind == "intro" and title and seg.part in (None, 1):
            seg = replace(seg, title=shorten(title, MAX_TITLE))
        named.append(seg)
    return named
