"""Exercise names the speech model wrote with a modifier inflected: "inclined push-up",
"single arms swing", "hips thrust".

A name's modifiers are said in their base form ("incline push-up", "single arm swing", "hip
thrust"), but the model's English prior likes "inclined" and "arms", and under noise or a fast
voice it writes them so. A run of heard words that is no exercise name, but becomes one when
one of its words before the last loses an "s", "es", "d" or "ed", is put back as that name.
The run's last word is left as heard: a name's head is rightly said in the plural ("three
knee raises", "arm circles"), and "paused squat" is a name as much as "pause squat", so a
run that already says a name is never changed. Word timings and the model's confidence are
kept; the word is only respelled.

A name's word the model wrote closed up ("pushup", "midfoot", "situps") is spelled with the
hyphen the exercise names give it ("push-up", "mid-foot", "sit-ups"), so titles and captions
spell a name one way.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace

from pipeline.core.model import Sentence, Transcript, Word
from pipeline.understand.lexicon import NAME_WORDS, Lexicon, each_sentence, load_lexicon
from pipeline.understand.speech import normalise
from pipeline.understand.vocabulary import respell, with_words, word_clauses

SUFFIXES = ("es", "ed", "s", "d")  # inflections a modifier may have been written with
PUNCTUATION = " .,;:!?\"'"


def name_forms(transcript: Transcript, lexicon: Lexicon | None = None) -> Transcript:
    """`transcript` with the inflected modifiers of exercise names put in their base form."""
    lexicon = lexicon or load_lexicon()
    return each_sentence(transcript, lambda sentence: _base_forms(sentence, lexicon))


def _base_forms(sentence: Sentence, lexicon: Lexicon) -> Sentence:
    words = sentence.words
    tokens = [normalise(w.text).replace("-", "") for w in words]
    names = lexicon.name_spellings
    bases: dict[int, str] = {}  # word index -> the suffix it loses
    for begin, end in word_clauses(words):
        for first in range(begin, end):
            for stop in range(first + 2, min(end, first + NAME_WORDS) + 1):
                run = tokens[first:stop]
                if "".join(run) in names:
                    continue
                for at in range(first, stop - 1):
                    suffix = _named_without(run, at - first, names)
                    if suffix and at not in bases:
                        bases[at] = suffix
    hyphens = _hyphened(lexicon.names)
    closed = {
        i: hyphens[t] for i, t in enumerate(tokens) if t in hyphens and "-" not in words[i].text
    }
    if not bases and not closed:
        return sentence
    respelled = [
        _without(w, bases[i]) if i in bases else respell([w], [closed[i]])[0] if i in closed else w
        for i, w in enumerate(words)
    ]
    return with_words(sentence, respelled)


@functools.lru_cache(maxsize=4)
def _hyphened(names: tuple[str, ...]) -> dict[str, str]:
    """The hyphened words of exercise names by their letters: "pushup" -> "push-up"."""
    found: dict[str, str] = {}
    for name in names:
        for word in name.split():
            if "-" in word and word.replace("-", "").isalpha():
                found.setdefault(word.replace("-", ""), word)
    return found


def _named_without(run: Sequence[str], at: int, names: frozenset[str]) -> str | None:
    """The suffix whose loss from run[at] makes `run` an exercise name, if one does."""
    for suffix in SUFFIXES:
        base = run[at][: -len(suffix)]
        named = "".join([*run[:at], base, *run[at + 1 :]]) in names
        if run[at].endswith(suffix) and len(base) >= 3 and named:
            return suffix
    return None


def _without(word: Word, suffix: str) -> Word:
    """`word` with `suffix` dropped from the end of its letters, spacing and punctuation kept."""
    text = word.text.rstrip(PUNCTUATION)
    trailing = word.text[len(text) :]
    if not text.lower().endswith(suffix):
        return word
    return replace(word, text=text[: -len(suffix)] + trailing)
