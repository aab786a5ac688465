"""Put the outline's own terms back where Whisper misheard them.

tiny.en writes "the single egg dip thrust" for "the single-leg hip thrust" and "hyper extending"
for "hyperextending", while the writer's outline already spells these terms. Prompting Whisper
with the outline was measured to make tiny.en skip whole passages, so the fix runs after
transcription, on the words: it rewrites a few of them, never drops speech, keeps the timings.

The method:
- Terms: runs of 2-6 words of the outline's title and headings that begin and end with a content
  word (cue nouns, numbers and punctuation break the runs), plus single long words. All lower
  case; hyphens are kept for writing but ignored when comparing.
- Within each clause (never across . , ; : ! ? or a long pause) every run of words is compared
  to every term with up to two words more or fewer, by letters alone: "singleeggdipthrust" vs
  "singleleghipthrust", Levenshtein similarity 0.83 >= THRESHOLD.
- Guards against false positives: first and last letters agree; the words that actually change
  (after equal words at either end are set aside) look alike too (CORE_THRESHOLD), are not only
  different endings of the same words ("push off" / "pushing off") and are not part of a place
  where the transcript already says a term exactly.
- Longer terms win, then better scores; matches never overlap. The changed words share the time
  of the words they replace in proportion to their length.
- Counts: when the outline's title or headings say "3 Mistakes", a sound-alike of that number
  right before the same plural noun ("free mistakes", "for variations") is put back as the
  number word ("three mistakes"). Only the outline's own counts are used, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.core.model import Sentence, Transcript, Word
from pipeline.understand.cues import HOMOPHONES, SPELLED_NUMBERS, noun_kind, parse_number
from pipeline.understand.outline import STOPWORDS, parse_outline
from pipeline.understand.speech import SENTENCE_PAUSE, normalise

THRESHOLD = 0.8  # letters of the transcript's words vs the term's (1 - edits / length)
CORE_THRESHOLD = 0.5  # the same, for only the words that change
MAX_TERM_WORDS = 6
MIN_PHRASE_LETTERS = 10  # shorter phrases are one letter away from other real ones: now/not using
MIN_WORD_LETTERS = 8  # single words shorter than this are too often ordinary English
WORD_SLACK = 2  # a misheard run may have this many words more or fewer than the term
# Words allowed between a count and its noun: "3 Brutal Single-Leg Hip Thrust Variations" in a
# heading; "three big mistakes" in speech.
OUTLINE_COUNT_GAP, SPOKEN_COUNT_GAP = 4, 2

# Frequent long words that make no phrase distinctive: "never want to make" is not a term.
COMMON = frozenset(
    {"always", "around", "before", "better", "biggest", "common", "critical", "different",
     "during", "essential", "getting", "important", "little", "making", "never", "people",
     "perfect", "pretty", "really", "should", "simple", "something", "through", "without",
     "because", "between", "another", "ultimate", "complete", "actually", "thinking", "things",
     "moving", "started", "working", "looking", "trying", "keeping", "coming", "whether"}
)  # fmt: skip

_CLAUSE_END = re.compile(r"[.,;:!?…][\"')\]]*$")
_BREAK = re.compile(r"[:;,.!?()\[\]\"“”|/–—]+(?=\s|$)|\s[-–—]\s|[()\[\]\"“”]")
_NOT_LETTERS = re.compile(r"[^a-z0-9]")
_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)

Change = tuple[int, float, int, int, tuple[str, ...]]  # term length, score, first, stop, words


@dataclass(frozen=True, slots=True)
class Term:
    """A phrase or word of the outline as it should be written."""

    words: tuple[str, ...]  # ("single-leg", "hip", "thrust")
    letters: str  # "singleleghipthrust"


def correct(transcript: Transcript, outline_text: str) -> Transcript:
    """Replace misheard runs of words with the title's and headings' terms of `outline_text`."""
    terms, counts = vocabulary(outline_text), outline_counts(outline_text)
    if not terms and not counts:
        return transcript
    sentences = tuple(
        _correct_counts(_correct_sentence(s, terms), counts) for s in transcript.sentences
    )
    return replace(transcript, sentences=sentences)


def outline_counts(outline_text: str) -> dict[str, int]:
    """Plural cue nouns the outline counts, e.g. {"mistakes": 3, "variations": 3}."""
    outline = parse_outline(outline_text)
    # Group headings ("## 3 Brutal Variations") name no segment but count them.
    group_headings = re.findall(r"^#{1,6}\s+(.+)$", outline_text, flags=re.MULTILINE)
    counts: dict[str, int] = {}
    for line in (outline.title, *(h.text for h in outline.headings), *group_headings):
        tokens = [normalise(raw) for raw in line.split()]
        for index, token in enumerate(tokens):
            value, noun = parse_number(token), _counted_noun(tokens, index, OUTLINE_COUNT_GAP)
            if value and value > 1 and noun:
                counts.setdefault(noun, value)
    return counts


def _counted_noun(tokens: Sequence[str], index: int, gap: int) -> str | None:
    """The plural cue noun counted by tokens[index]: next, or after up to `gap` words
    ("3 critical mistakes"), else None."""
    for token in tokens[index + 1 : index + 2 + gap]:
        kind = noun_kind(token)
        if kind:
            return token if kind[2] else None
    return None


def _correct_counts(sentence: Sentence, counts: dict[str, int]) -> Sentence:
    """ "free mistakes" -> "three mistakes" where the outline counts three mistakes."""
    words = list(sentence.words)
    tokens = [normalise(w.text) for w in words]
    changed = False
    for index, token in enumerate(tokens):
        noun = _counted_noun(tokens, index, SPOKEN_COUNT_GAP)
        value = counts.get(noun) if noun else None
        if value and HOMOPHONES.get(token) == value and value in SPELLED_NUMBERS:
            words[index : index + 1] = respell(words[index : index + 1], [SPELLED_NUMBERS[value]])
            changed = True
    return with_words(sentence, words) if changed else sentence


def vocabulary(outline_text: str) -> tuple[Term, ...]:
    """The terms of the outline's title and headings, longest first."""
    outline = parse_outline(outline_text)
    terms: dict[str, Term] = {}
    for line in (outline.title, *(h.text for h in outline.headings)):
        for run in _runs(line):
            for size in range(1, MAX_TERM_WORDS + 1):
                for first in range(len(run) - size + 1):
                    words = tuple(run[first : first + size])
                    if _is_term(words):
                        terms.setdefault(" ".join(words), Term(words, _letters(words)))
    return tuple(sorted(terms.values(), key=lambda t: -len(t.letters)))


def _runs(line: str) -> list[list[str]]:
    """Words of a heading in runs broken by punctuation, numbers and cue nouns."""
    runs: list[list[str]] = []
    for piece in _BREAK.split(line):
        run: list[str] = []
        for raw in piece.split():
            token = normalise(raw)
            if not token or parse_number(token) or noun_kind(token) or not token[0].isalpha():
                runs.append(run)
                run = []
            else:
                run.append(raw if len(raw) > 1 and raw.isupper() else token)  # keeps "RDL"
        runs.append(run)
    return [run for run in runs if run]


def _is_term(words: tuple[str, ...]) -> bool:
    lowered = [w.lower() for w in words]
    if {lowered[0], lowered[-1]} & STOPWORDS:
        return False
    if not any(("-" in w or len(w) >= 6) and w not in COMMON for w in lowered):
        return False  # a phrase of everyday words ("want to make") is one letter from another
    letters = _letters(words)
    return len(letters) >= (MIN_PHRASE_LETTERS if len(words) > 1 else MIN_WORD_LETTERS)


def _correct_sentence(sentence: Sentence, terms: Sequence[Term]) -> Sentence:
    words = list(sentence.words)
    tokens = [normalise(w.text) for w in words]
    spans = [
        (start, stop)
        for begin, end in word_clauses(words)
        for start in range(begin, end)
        for stop in range(start + 1, min(end, start + MAX_TERM_WORDS + WORD_SLACK) + 1)
        if _letters(tokens[start : start + 1]) and _letters(tokens[stop - 1 : stop])
    ]
    keys = {_key(t.words) for t in terms}  # words already saying a term are never rewritten
    exact = {
        i for start, stop in spans if _key(tokens[start:stop]) in keys for i in range(start, stop)
    }
    found: list[Change] = []
    for start, stop in spans:
        letters = _letters(tokens[start:stop])
        found.extend(c for t in terms if (c := _match(tokens, start, stop, letters, t, exact)))
    taken: set[int] = set()
    changes = []
    for _size, _score, first, stop, new in sorted(found, key=lambda c: (-c[0], -c[1], c[2])):
        if taken.isdisjoint(range(first, stop)):
            taken.update(range(first, stop))
            changes.append((first, stop, new))
    if not changes:
        return sentence
    for first, stop, new in sorted(changes, reverse=True):  # from the end: indices stay valid
        words[first:stop] = respell(words[first:stop], new)
    return with_words(sentence, words)


def with_words(sentence: Sentence, words: Sequence[Word]) -> Sentence:
    """`sentence` saying `words`, its text rebuilt from them."""
    separator = "" if words[0].text[:1].isspace() else " "  # Whisper's words bring their space
    text = separator.join(w.text for w in words).strip()
    return replace(sentence, text=text, words=tuple(words))


def word_clauses(words: Sequence[Word]) -> list[tuple[int, int]]:
    """Runs of words between end or clause punctuation and long pauses: [first, stop)."""
    ends = {
        i + 1
        for i, word in enumerate(words)
        if _CLAUSE_END.search(word.text.strip())
        or (i + 1 < len(words) and words[i + 1].start - word.end >= SENTENCE_PAUSE)
    }
    bounds = sorted({0, len(words), *ends})
    return list(zip(bounds, bounds[1:], strict=False))


def _match(
    tokens: Sequence[str], start: int, stop: int, letters: str, term: Term, exact: set[int]
) -> Change | None:
    """The change saying `term` instead of tokens[start:stop], if it passes every guard."""
    said = tokens[start:stop]
    if abs(len(said) - len(term.words)) > WORD_SLACK:
        return None
    if letters[0] != term.letters[0] or letters[-1] != term.letters[-1]:
        return None
    if abs(len(letters) - len(term.letters)) > (1 - THRESHOLD) * len(term.letters):
        return None
    score = similarity(letters, term.letters)
    if score < THRESHOLD or _same(said, term.words):
        return None
    old, new = list(said), list(term.words)  # equal words at either end keep their timings
    head = 0
    while old and new and _same(old[:1], new[:1]):
        old, new, head = old[1:], new[1:], head + 1
    while old and new and _same(old[-1:], new[-1:]):
        old, new = old[:-1], new[:-1]
    if not old or not new:
        return None  # only words added or dropped: not a mishearing
    if len(old) == len(new) and all(_same_stem(a, b) for a, b in zip(old, new, strict=True)):
        return None  # "push off" for "pushing off": the coach may well have said it that way
    if similarity(_letters(old), _letters(new)) < CORE_THRESHOLD:
        return None
    first = start + head
    if exact & set(range(first, first + len(old))):
        return None
    return (len(term.letters), score, first, first + len(old), tuple(new))


def respell(old: Sequence[Word], new: Sequence[str]) -> list[Word]:
    """`new` words over the time of `old`, with its outer punctuation, space and capital."""
    lead, first_text, _ = _EDGES.match(old[0].text).groups()  # type: ignore[union-attr]
    trail = _EDGES.match(old[-1].text).groups()[2]  # type: ignore[union-attr]
    texts = list(new)
    if first_text[:1].isupper():
        texts[0] = texts[0][:1].upper() + texts[0][1:]
    start, end = old[0].start, old[-1].end
    total = sum(len(t) for t in texts)
    space = " " if old[0].text[:1].isspace() else ""
    probability = min(w.probability for w in old)
    words, used = [], 0
    for index, text in enumerate(texts):
        begin = start + (end - start) * used / total
        used += len(text)
        finish = end if index + 1 == len(texts) else start + (end - start) * used / total
        shown = (lead if index == 0 else space) + text + (trail if index + 1 == len(texts) else "")
        words.append(Word(shown, round(begin, 3), round(finish, 3), probability))
    words[0] = replace(words[0], start=start)
    return words


def similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / longer length: "singleeggdip" vs "singleleghip" -> 0.75."""
    if not a or not b:
        return float(a == b)
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        previous = current
    return 1 - previous[-1] / max(len(a), len(b))


def _letters(words: Sequence[str]) -> str:
    return _NOT_LETTERS.sub("", "".join(words).lower())


def _same(said: Sequence[str], term: Sequence[str]) -> bool:
    return _key(said) == _key(term)


def _key(words: Sequence[str]) -> tuple[str, ...]:
    """Words whatever their case and whether "single-leg" is written "single leg"."""
    return tuple(" ".join(words).replace("-", " ").lower().split())


def _same_stem(a: str, b: str) -> bool:
    """ "push" / "pushing", "emphasizes" / "emphasized": one word with different endings."""
    a, b = _letters([a]), _letters([b])
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    return common >= 4 and len(a) - common <= 3 and len(b) - common <= 3
