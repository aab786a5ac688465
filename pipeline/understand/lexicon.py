"""Put fitness words back where the speech model misheard them, from what sounds alike.

tiny.en writes "the mar" for "the bar", "lower Mac" for "lower back", "tempo squad", "the
inline push-up", "paused bedlift", "the deficit men lift". Without an outline nothing else knows
these words, so this pass uses a fitness lexicon built from the public-domain free-exercise-db
(assets/vocabulary/lexicon.json, made by scripts/make_lexicon.py): how often each word and each
pair of words appears in 873 exercise names, muscles, equipment and instructions.

A heard word is replaced by a lexicon word when all of these hold, so a correct rare word is
left alone:
- they sound alike: a phonetic spelling of both ("k" for "c", "f" for "ph", vowels alike) is
  compared with an edit distance where near sounds (b/p, d/t, m/n, s/z, vowels) cost less;
- the lexicon word is a real fitness word (seen at least MIN_COUNT times);
- the words around it say so: the pairs it makes with its neighbours appear in the lexicon far
  more often than the heard word's, and make up at least 1% of what the neighbour pairs with
  (so "a" or "the" alone, which come before everything, never decide);
- the model was unsure of the heard word; or it was sure, but fitness text never uses the
  word and uses the term with these very neighbours all the time ("the mar" -> "the bar":
  "the bar" appears hundreds of times; a confident "mark" is left, since "mark" is too far).
- a clause's end is a neighbour too, for the words exercise names mostly end on ("the paused
  bedlift," -> "deadlift"); when nothing else speaks for the term, the clause must open like a
  name ("the", "a", or a name's word right before) and the term sound closer, so "that's a
  wrap." and "people get wrong," stay as said;
- a neighbour that all but names the term ("lower" -> "back") lets it sound further off
  ("lower mag" -> "lower back"); a piece the model wrote after a hyphen that sounds just like
  a term is that term ("half-neeling" -> "half-kneeling").
Word timings are kept (the new word takes the time of the words it replaces); confidence is
kept too, so a corrected word is still shown as one to check.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.core.model import UNSURE_BELOW, Sentence, Transcript, Word
from pipeline.core.settings import ASSETS
from pipeline.understand.speech import normalise
from pipeline.understand.vocabulary import respell, with_words, word_clauses

LEXICON = ASSETS / "vocabulary" / "lexicon.json"

MIN_COUNT = 20  # a term seen fewer times is too rare to put into anyone's mouth
SOUND_ALIKE = 0.8  # phonetic similarity of a heard word and the term that replaces it
# ... or this, when a neighbour is followed (or preceded) by the term in at least CALLED_SHARE of
# its uses: "lower" is followed by "back" 66% of the time, so "lower mag" is "lower back"
CALLED_SOUND_ALIKE, CALLED_SHARE = 0.65, 0.5
PIECE_SOUND_ALIKE = 0.95  # a piece after a hyphen ("half-neeling") that sounds just like a term
MIN_PAIRED = 2  # times the term must follow or precede its neighbours in fitness text
MIN_SHARE = 0.01  # ... and as a share of the neighbour's own count, so "the"/"a" say little
SURE_PAIRED = 50  # ... when the model was sure of a word fitness text never uses ("the mar")
MIN_GAIN = 2.0  # natural-log support the term must add over the heard word
FOREIGN_BELOW = 5  # a heard word seen this often in fitness text is a fitness word: kept
MIN_LETTERS = 3  # "a", "to", "is": too short to tell by sound
CLAUSE_END = "</>"  # the neighbour after a clause's last word: names end there
# A clause's end speaks for a term that names mostly end on ("row": 78% of its uses end a
# name; "rope" 4%, "foot" 9%: nothing). When it is all that speaks for it, the words before
# must open a name (a name's word, or "the"/"a" up to three words before: "the goblet
# squad.", "the paused bedlift,") and the term must sound closer.
END_SOUND_ALIKE = 0.85
END_SHARE = 0.2

_DIGRAPHS = (("tch", "c"), ("ch", "c"), ("sh", "x"), ("ph", "f"), ("th", "0"), ("ck", "k"),
             ("gh", ""), ("wr", "r"), ("kn", "n"), ("qu", "kw"), ("dg", "j"))  # fmt: skip
_NEAR = [set("bpm"), set("dt"), set("gk"), set("fv"), set("sz"), set("mn"), set("lr"), set("cjx")]
_VOWELS = set("aeiouy")
_DETERMINERS = frozenset({"the", "a", "an"})


# (words, phonetic spelling, its pairs of sounds) of what a looser rewrite may say
Targets = tuple[tuple[tuple[str, ...], str, frozenset[str]], ...]
TARGET_COUNT = 10  # an exercise word seen fewer times is not proposed by the rescoring
TARGET_PAIR_COUNT = 5  # ... nor a pair of them ("incline bench", "push press")
NAME_WORDS = 4  # longest run of a name's words a run of heard words is compared with


@dataclass(frozen=True)
class Lexicon:
    """Counts of words and neighbouring word pairs in fitness text."""

    words: dict[str, int]
    pairs: dict[str, int]
    sounds: tuple[tuple[str, str], ...] = ()  # (term, phonetic spelling): what may be put in
    endings: dict[str, int] = field(default_factory=dict)  # names ending on each word
    terms: frozenset[str] = frozenset()  # words of exercise names and coaching terms
    names: tuple[str, ...] = ()  # exercise names as coaches say them ("incline push-up")

    @classmethod
    def from_counts(
        cls,
        words: dict[str, int],
        pairs: dict[str, int],
        terms: list[str],
        endings: dict[str, int] | None = None,
        names: Sequence[str] = (),
    ) -> Lexicon:
        sounds = tuple(
            (term, phonetic(term))
            for term in terms
            if words.get(term, 0) >= MIN_COUNT and term.isalpha() and len(term) >= MIN_LETTERS
        )
        return cls(words, pairs, sounds, endings or {}, frozenset(terms), tuple(names))

    def count(self, word: str) -> int:
        return self.words.get(word, 0)

    def pair(self, first: str, second: str) -> int:
        """How often fitness text says `second` right after `first`; with `second` the end of
        a clause (CLAUSE_END), how often a name ends on `first`, if names mostly end on it
        (a clause's end says nothing for "rope", which ends 4% of the times it is used)."""
        if second == CLAUSE_END:
            ending = self.endings.get(first, 0)
            return ending if ending >= END_SHARE * (self.count(first) + 1) else 0
        return self.pairs.get(f"{first} {second}", 0)

    @functools.cached_property
    def spelled_targets(self) -> Targets:
        """The exercise words and pairs of them ending a name that the acoustic rescoring
        (pipeline.understand.rewrites) may propose, with their phonetic spellings."""
        singles = [
            (term,)
            for term in sorted(self.terms)
            if term.isalpha() and len(term) >= MIN_LETTERS and self.count(term) >= TARGET_COUNT
        ]
        pairs = [
            tuple(pair.split())
            for pair, count in sorted(self.pairs.items())
            if count >= TARGET_PAIR_COUNT
            and all(w in self.terms and w.isalpha() for w in pair.split())
            and pair.split()[1] in self.endings
        ]
        spelled = [(words, phonetic("".join(words))) for words in [*singles, *pairs]]
        return tuple((words, key, sound_pairs(key)) for words, key in spelled)

    @functools.cached_property
    def name_targets(self) -> Targets:
        """Runs of 2 to NAME_WORDS words of exercise names ("deficit deadlift", "supported
        row", "incline push-up") that begin and end on a name's own word (never "with",
        "to", a number), with their phonetic spellings: what a run of heard words that
        sounds like one may be rewritten as (pipeline.understand.rewrites)."""
        grams: set[tuple[str, ...]] = set()
        for name in self.names:
            words = name.split()
            for size in range(2, NAME_WORDS + 1):
                for first in range(len(words) - size + 1):
                    gram = tuple(words[first : first + size])
                    if self._name_word(gram[0]) and self._name_word(gram[-1]):
                        grams.add(gram)
        spelled = [(gram, spoken(gram)) for gram in sorted(grams)]
        return tuple((gram, key, sound_pairs(key)) for gram, key in spelled)

    @functools.cached_property
    def name_spellings(self) -> frozenset[str]:
        """The runs of `name_targets` in letters alone ("chestsupportedrow"), so a run of heard
        words says one whether the model wrote "chest supported" or "chest-supported"."""
        return frozenset("".join(words).replace("-", "") for words, _, _ in self.name_targets)

    def _name_word(self, word: str) -> bool:
        """A word a name may begin or end on: one of the terms, or a hyphened word one of
        whose pieces is ("push-up", "half-kneeling")."""
        return any(piece in self.terms for piece in word.split("-"))


@functools.lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON) -> Lexicon:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Lexicon.from_counts(
        data["unigrams"], data["bigrams"], data["terms"], data.get("endings", {}),
        data.get("names", ()),
    )  # fmt: skip


def correct(transcript: Transcript, lexicon: Lexicon | None = None) -> Transcript:
    """`transcript` with misheard fitness words replaced; everything else as it was."""
    lexicon = lexicon or load_lexicon()
    return each_sentence(transcript, lambda s: _correct_sentence(s, lexicon))


def each_sentence(transcript: Transcript, fix: Callable[[Sentence], Sentence]) -> Transcript:
    """`transcript` with `fix` applied to every sentence; the same object when none changed."""
    sentences = tuple(fix(s) for s in transcript.sentences)
    if sentences == transcript.sentences:
        return transcript
    return replace(transcript, sentences=sentences)


def _correct_sentence(sentence: Sentence, lexicon: Lexicon) -> Sentence:
    words = list(sentence.words)
    changes: list[tuple[int, str]] = []
    for begin, end in word_clauses(words):
        tokens = [normalise(w.text).replace("-", "") for w in words[begin:end]]
        for index in range(len(tokens)):
            new = _best_change(tokens, words[begin:end], index, lexicon)
            if new is not None:
                changes.append((begin + index, new))
                tokens[index] = new  # the next word's neighbour is the corrected one
    if not changes:
        return sentence
    for index, new in changes:
        words[index : index + 1] = respell(words[index : index + 1], [new])
    return with_words(sentence, words)


def _best_change(
    tokens: Sequence[str], words: Sequence[Word], index: int, lexicon: Lexicon
) -> str | None:
    """The lexicon term to put in place of the word at `index`, or None."""
    heard = tokens[index]
    if not heard.isalpha() or len(heard) < MIN_LETTERS:
        return None  # too short to tell by sound
    if lexicon.count(heard) >= FOREIGN_BELOW:
        return None  # "traps", "foot", "number": words fitness text uses are taken as said
    sure = words[index].probability >= UNSURE_BELOW
    if sure and lexicon.count(heard) > 0:
        return None
    alike = _sound_alikes(heard, lexicon)
    if words[index].text.lstrip().startswith("-") and lexicon.count(heard) == 0:
        same = [term for term, sound in alike if sound >= PIECE_SOUND_ALIKE]
        if same:  # "half-neeling": the model spelled a piece of a word by its sound
            return max(same, key=lexicon.count)
    before = tokens[index - 1] if index > 0 else ""
    after = tokens[index + 1] if index + 1 < len(tokens) else CLAUSE_END
    was = _support(before, heard, after, lexicon)
    best: tuple[float, str] | None = None
    for candidate, sound in alike:
        paired = lexicon.pair(before, candidate) + lexicon.pair(candidate, after)
        gain = _support(before, candidate, after, lexicon) - was
        if paired < (SURE_PAIRED if sure else MIN_PAIRED) or gain < MIN_GAIN:
            continue
        share = _share(before, candidate, after, lexicon)
        if share < MIN_SHARE:
            continue  # "a lying": "a" comes before everything, so it says nothing
        if sound < SOUND_ALIKE and _share(before, candidate, "", lexicon) < CALLED_SHARE:
            continue  # only a neighbour that all but names the term lets it sound further off
        if after == CLAUSE_END and lexicon.pair(before, candidate) < MIN_PAIRED:
            named = before in lexicon.terms or _DETERMINERS & set(tokens[index - 3 : index])
            if not named or sound < END_SOUND_ALIKE:
                continue  # "that's a wrap.", "people get wrong,": ends of ordinary clauses
        if best is None or gain + 4 * sound > best[0]:
            best = (gain + 4 * sound, candidate)
    return None if best is None else best[1]


def _share(before: str, word: str, after: str, lexicon: Lexicon) -> float:
    """How often fitness text has `word` right after `before` or right before `after`, as a
    share of all the times it has that neighbour ("lower" is followed by "back" 66% of the
    time, "a" by "lying" 0.1%)."""
    # at a clause's end: the share of the word's uses that end a name ("row" 79%, "bar" 0.4%)
    following = lexicon.count(word if after == CLAUSE_END else after)
    return max(
        lexicon.pair(before, word) / (lexicon.count(before) + 1),
        lexicon.pair(word, after) / (following + 1),
    )


def _support(before: str, word: str, after: str, lexicon: Lexicon) -> float:
    """How much fitness text backs `word` between its neighbours (natural log)."""
    return (
        math.log1p(lexicon.pair(before, word))
        + math.log1p(lexicon.pair(word, after))
        + 0.5 * math.log1p(lexicon.count(word))
    )


def _sound_alikes(heard: str, lexicon: Lexicon) -> list[tuple[str, float]]:
    key = phonetic(heard)
    return [
        (word, sound)
        for word, word_key in lexicon.sounds
        if abs(len(word_key) - len(key)) <= 2
        and (sound := sound_similarity(key, word_key)) >= CALLED_SOUND_ALIKE
    ]


def phonetic(word: str) -> str:
    """A spelling of how `word` sounds: "squad" -> "skwad", "physique" -> "fysike"."""
    text = "".join(ch for ch in word.lower() if ch.isalpha())
    for spelled, sound in _DIGRAPHS:
        text = text.replace(spelled, sound)
    out: list[str] = []
    for index, char in enumerate(text):
        following = text[index + 1 : index + 2]
        if char == "c":
            char = "s" if following in ("e", "i", "y") else "k"
        elif char == "q":
            char = "k"
        elif char == "x" and index == 0:
            char = "z"
        elif char == "e" and index == len(text) - 1 and len(text) > 3:
            continue  # silent final e: "rope" sounds like "rop"
        if out and (out[-1] == char or (char in _VOWELS and out[-1] in _VOWELS)):
            continue  # doubled letters and vowel runs are one sound
        out.append(char)
    return "".join(out)


def spoken(words: Sequence[str]) -> str:
    """The phonetic spellings of `words` one after another, each spelled alone: "kneeling
    hinge" is "nelinghing", where spelling "kneelinghinge" whole would read its "gh" as
    silent."""
    return "".join(phonetic(word) for word in words)


def sound_similarity(a: str, b: str) -> float:
    """1 - weighted edit distance / longer length, near sounds costing less."""
    if not a or not b:
        return float(a == b)
    gaps_b = [_gap(ch) for ch in b]
    previous = [0.0]
    for cost in gaps_b:
        previous.append(previous[-1] + cost)
    for char in a:
        gap, swaps = _gap(char), _swaps(char)
        current = [previous[0] + gap]
        for j, other in enumerate(b):
            current.append(
                min(previous[j + 1] + gap, current[j] + gaps_b[j], previous[j] + swaps(other))
            )
        previous = current
    return max(0.0, 1 - previous[-1] / max(len(a), len(b)))


def _gap(char: str) -> float:
    return 0.5 if char in _VOWELS else 0.8


@functools.lru_cache(maxsize=256)
def _swaps(a: str) -> Callable[[str], float]:
    """The cost of saying each sound in place of `a`, looked up (the edit distance's inner
    loop: the acoustic rescoring compares every heard word with every exercise word)."""
    table: dict[str, float] = {}

    def swap(b: str) -> float:
        if b not in table:
            table[b] = _swap(a, b)
        return table[b]

    return swap


def _swap(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a in _VOWELS and b in _VOWELS:
        return 0.3
    return 0.5 if any(a in near and b in near for near in _NEAR) else 1.0


def sound_pairs(key: str) -> frozenset[str]:
    """The pairs of sounds in a row of a phonetic spelling ("dedlift": "de", "ed", ...)."""
    return frozenset(key[i : i + 2] for i in range(len(key) - 1)) or frozenset({key})
