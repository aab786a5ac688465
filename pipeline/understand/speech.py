"""Spoken words as text the segmenter can read: normalised tokens, sentences, clean phrases.

Whisper's own "sentences" are chunks of audio, not always sentences, so the segmenter
splits the word stream again on end punctuation and long pauses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.model import Word

Span = tuple[int, int]  # word indices [first, stop) of a run of words

SENTENCE_PAUSE = 1.2  # seconds of silence that end a sentence even without punctuation
CAPITAL_PAUSE = 0.5  # a shorter silence ends one when a capital follows it
FILLERS = frozenset({"um", "uh", "erm", "er", "hmm", "mm", "ah"})

_EDGE_PUNCTUATION = re.compile(r"^[^\w#']+|[^\w']+$")
_SENTENCE_END = re.compile(r"(?:[.!?]|\.\.\.|…)[\"')\]]*$")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")


def normalise(text: str) -> str:
    """A word as the cue tables spell it: lower case, straight apostrophes, no edge punctuation.

    `" Mistake"` -> `"mistake"`, `" #2:"` -> `"#2"`, `" Don’t,"` -> `"don't"`.
    """
    text = text.strip().lower().replace("’", "'").replace("‘", "'")
    return _EDGE_PUNCTUATION.sub("", text).strip("'")


def tokens(words: Sequence[Word]) -> list[str]:
    """The normalised form of every word, index for index."""
    return [normalise(word.text) for word in words]


def split_sentences(words: Sequence[Word]) -> list[Span]:
    """Split words into sentences at end punctuation, at a pause of SENTENCE_PAUSE seconds, or
    at a pause of CAPITAL_PAUSE before a capital letter."""
    spans: list[Span] = []
    first = 0
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        ends = bool(_SENTENCE_END.search(word.text.strip()))
        gap = following.start - word.end if following is not None else 0.0
        paused = following is not None and gap >= SENTENCE_PAUSE
        if following is not None and gap >= CAPITAL_PAUSE and not ends:
            paused = paused or _starts_sentence(following.text, word.text)
        if ends or paused or following is None:
            spans.append((first, index + 1))
            first = index + 1
    return spans


def _starts_sentence(text: str, before: str) -> bool:
    """A capital after a pause, where a comma did not just ask for more ("Keep it flat
    Now the next one"): not "I", and not a name running on from a capital before it."""
    word = text.strip()
    if not word[:1].isupper() or normalise(word) in ("i", "i'm", "i've", "i'll", "i'd"):
        return False
    return not before.rstrip().endswith((",", ";", ":")) and not before.strip()[:1].isupper()


def sentence_of(sentences: Sequence[Span], index: int) -> Span:
    """The sentence holding word `index`."""
    for span in sentences:
        if span[0] <= index < span[1]:
            return span
    raise IndexError(index)


def join(words: Sequence[Word]) -> str:
    """Spoken words as one clean line: single spaces, no filler sounds ("um", "uh")."""
    kept = [w.text for w in words if normalise(w.text) not in FILLERS]
    whisper_spacing = any(t[:1].isspace() for t in kept)  # a leading space starts a word
    text = _SPACES.sub(" ", ("" if whisper_spacing else " ").join(kept)).strip()
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)


def has_phrase(normalised: Sequence[str], phrase: str) -> bool:
    """Whether the words `phrase` occur in a row in `normalised`."""
    return phrase_at(normalised, phrase) >= 0


def phrase_at(normalised: Sequence[str], phrase: str) -> int:
    """Index where the words `phrase` first occur in a row in `normalised`, else -1."""
    wanted = phrase.split()
    for start in range(len(normalised) - len(wanted) + 1):
        if list(normalised[start : start + len(wanted)]) == wanted:
            return start
    return -1


def skip_phrases(normalised: Sequence[str], begin: int, stop: int, phrases: Sequence[str]) -> int:
    """Index of the first word at or after `begin` that does not start one of `phrases`.

    Fillers ("um") and bare punctuation are skipped too; `phrases` are normalised words
    separated by spaces, the longest tried first.
    """
    ordered = sorted((p.split() for p in phrases), key=len, reverse=True)
    index = begin
    while index < stop:
        if not normalised[index] or normalised[index] in FILLERS:
            index += 1
            continue
        phrase = next((p for p in ordered if list(normalised[index : index + len(p)]) == p), None)
        if phrase is None or index + len(phrase) > stop:
            return index
        index += len(phrase)
    return index


def sentence_case(text: str) -> str:
    """`"pushing Off your elbows."` -> `"Pushing off your elbows"` (no end punctuation).

    Words are lowered only when most of them are Capitalised (a Title Case transcript or
    heading); "I", "I'm" and acronyms such as "RDL" keep their capitals.
    """
    text = _SPACES.sub(" ", text).strip().rstrip(".,;:!?-–— ").strip()
    if not text:
        return ""
    words = text.split(" ")
    capitalised = [w for w in words if w[:1].isupper()]
    if len(words) > 1 and len(capitalised) > len(words) / 2:
        head, *rest = words[0].split("-")
        first_word = "-".join([head, *(_lower_title_word(part) for part in rest)])
        words = [first_word, *(_lower_title_word(w) for w in words[1:])]
    first = words[0]
    if not (len(first) > 1 and first.isupper()):
        first = first[:1].upper() + first[1:]
    return " ".join([first, *words[1:]])


def _lower_title_word(word: str) -> str:
    bare = normalise(word)
    if bare in {"i", "i'm", "i've", "i'll", "i'd"} or (len(word) > 1 and word.isupper()):
        return word
    return "-".join(part[:1].lower() + part[1:] for part in word.split("-"))


def shorten(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters: at a clause mark if one leaves a real title
    ("The Single-Leg Hip Thrust: 3 Critical Mistakes…" -> "The Single-Leg Hip Thrust"),
    else at a word boundary."""
    if len(text) <= limit:
        return text
    for mark in (": ", " – ", " — ", " - ", "; ", ", "):
        head = text.split(mark, 1)[0].strip()
        if mark in text and len(head.split()) >= 2 and len(head) <= limit:
            return head
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    return (cut if cut != text[: limit + 1] else text[:limit]).rstrip(" ,;:-–—")
