"""How much less likely than what was heard the speech model may find a rewrite, and have it
taken (pipeline.understand.rewrites): where fitness text shows the model's English prior at work.

The judge (pipeline.hear.listen) is the model itself, and its language prior likes the common
words it wrote. Two places say it is wrong more often than it thinks:

- heard words that neither fitness text nor a coach's own talk (the words of the segmenter's
  cue phrases: "watch", "see how", "instead") ever uses: "the mark", "the male", "knees came
  in", "the net lift". A sound-alike exercise word ("the bar", "the bell", "cave") may be
  FOREIGN_SLACK less likely (December 3, 42 takes: 21 words more put right, none broken,
  titles 177 -> 180);
- the clause a coach names a variation in (the one the segmenter takes its title from): an
  exercise name is what is said there, so a rewrite that makes the clause say a whole one, in
  place of words in no name heard that fitness text never puts beside their neighbours, may
  be NAMED_PRIOR less likely ("the deficit then lift": -5.3 nats under "deficit deadlift";
  titles 182 -> 191 of 211, no word more broken).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from typing import Protocol

from pipeline.core.model import Sentence, Transcript
from pipeline.understand.demos import BAD_PHRASES, GOOD_PHRASES, NOT_ORDERS, VERBS
from pipeline.understand.lexicon import NAME_WORDS, Lexicon
from pipeline.understand.segment import variation_names
from pipeline.understand.speech import normalise
from pipeline.understand.vocabulary import word_clauses


class Rewrite(Protocol):
    """Words `first`..`stop` of sentence `sentence` said as `words` instead (as
    pipeline.understand.rewrites.Rewrite, which this module cannot import: it imports this)."""

    @property
    def sentence(self) -> int: ...
    @property
    def first(self) -> int: ...
    @property
    def stop(self) -> int: ...
    @property
    def words(self) -> tuple[str, ...]: ...


# Heard words that neither fitness text nor a coach's own talk uses ("the mark", "the male")
# are the model's English prior at work: an exercise word that sounds like them ("the bar",
# "the bell") need be only FOREIGN_SLACK less likely, and may sound a little less alike.
FOREIGN_SLACK = 3.0
FOREIGN_SOUND_ALIKE = 0.65
TALK_WORDS = (
    frozenset(w for phrase in (*BAD_PHRASES, *GOOD_PHRASES) for w in normalise(phrase).split())
    | VERBS
    | NOT_ORDERS
)
# Where a coach names a variation ("the second variation is the deficit then lift,"), an
# exercise name is what is said: a rewrite that makes that clause say one, in place of heard
# words fitness text never puts beside their neighbours, needs NAMED_PRIOR less from the
# judge, whose own language prior likes the common words it wrote ("then lift": -5.3 nats).
NAMED_PRIOR = 6.0
NAMED_SOUND_ALIKE = 0.75  # ... and there a heard run is compared with names more loosely


def allowance(
    rewrite: Rewrite,
    sentences: Sequence[Sentence],
    naming: Collection[tuple[int, int, int]],
    lexicon: Lexicon,
) -> float:
    """How much less likely than what was heard the judge may find `rewrite` and have it
    taken: NAMED_PRIOR where it names a variation with an exercise name, FOREIGN_SLACK
    where it replaces words foreign to fitness text and talk, else nothing."""
    if _names_variation(rewrite, sentences[rewrite.sentence], naming, lexicon):
        return NAMED_PRIOR
    return FOREIGN_SLACK if _foreign_heard(sentences, rewrite, lexicon) else 0.0


def _foreign_heard(sentences: Sequence[Sentence], rewrite: Rewrite, lexicon: Lexicon) -> bool:
    """Some of the words `rewrite` replaces are foreign to fitness text and talk ("net" in
    "the net lift", "ed" in "post-ed lift")."""
    heard = sentences[rewrite.sentence].words[rewrite.first : rewrite.stop]
    return any(foreign_talk([normalise(w.text).replace("-", "")], lexicon) for w in heard)


def foreign_talk(said: Sequence[str], lexicon: Lexicon) -> bool:
    """The heard words `said` are all words neither fitness text nor a coach's own talk
    (the phrases the segmenter reads: "watch", "see how", "instead") ever uses: "the mark",
    "the male", "knees came in". The model's English prior put them there; a sound-alike
    exercise word ("bar", "bell", "cave") is then more likely than the model alone says."""
    return all(t.isalpha() and lexicon.count(t) == 0 and t not in TALK_WORDS for t in said)


def naming_clauses(transcript: Transcript) -> set[tuple[int, int, int]]:
    """(sentence, first, stop) of each clause the segmenter takes a variation's title from
    (pipeline.understand.segment.variation_names): "Variation 2, the deficit bandwidth,"
    or "First up, the chest supported roll." where a coach names the variation."""
    places = [
        (s, w)
        for s, sentence in enumerate(transcript.sentences)
        for w in range(len(sentence.words))
    ]
    clauses = [word_clauses(sentence.words) for sentence in transcript.sentences]
    found: set[tuple[int, int, int]] = set()
    for first, stop in variation_names(transcript):
        for index, word in places[first:stop]:
            found.update((index, b, e) for b, e in clauses[index] if b <= word < e)
    return found


def _names_variation(
    rewrite: Rewrite, sentence: Sentence, naming: Collection[tuple[int, int, int]], lexicon: Lexicon
) -> bool:
    """`rewrite` makes a clause that names a variation (`naming`) say a whole exercise name
    ("deficit deadlift", "plank shoulder tap") in place of words in no name run heard that
    fitness text never puts beside the words kept either side ("deficit then", "pause
    quad"; never "single leg", heard right, for "single arm")."""
    clause = _clause_of(rewrite, naming)
    if clause is None:
        return False
    begin, end = clause
    said = [normalise(w.text).replace("-", "") for w in sentence.words]
    heard_names = said_names(said, begin, end, lexicon)
    if not _strangers(said, rewrite, clause, lexicon) or heard_names.intersection(
        range(rewrite.first, rewrite.stop)
    ):
        return False
    new = [*said[begin : rewrite.first], *(w.replace("-", "") for w in rewrite.words)]
    at = len(new) - len(rewrite.words)
    new += said[rewrite.stop : end]
    names = _whole_names(lexicon.names)
    return any(  # a run of the clause holding the new words spells a whole name
        "".join(new[first:stop]) in names
        for first in range(at + 1)
        for stop in range(at + len(rewrite.words), len(new) + 1)
    )


def _strangers(
    said: Sequence[str], rewrite: Rewrite, clause: tuple[int, int], lexicon: Lexicon
) -> bool:
    """The heard words `rewrite` replaces make no pair fitness text says with the words kept
    either side of them inside `clause` (first, stop)."""
    begin, end = clause
    before = said[rewrite.first - 1] if rewrite.first > begin else ""
    after = said[rewrite.stop] if rewrite.stop < end else ""
    return not lexicon.pair(before, said[rewrite.first]) and not lexicon.pair(
        said[rewrite.stop - 1], after
    )


def _clause_of(
    rewrite: Rewrite, clauses: Collection[tuple[int, int, int]]
) -> tuple[int, int] | None:
    """The (first, stop) of the clause among `clauses` that holds all of `rewrite`."""
    return next(
        (
            (b, e)
            for s, b, e in clauses
            if s == rewrite.sentence and b <= rewrite.first and rewrite.stop <= e
        ),
        None,
    )


@functools.lru_cache(maxsize=4)
def _whole_names(names: tuple[str, ...]) -> frozenset[str]:
    """The exercise names in letters alone ("singlelegdeadlift" for "single-leg deadlift")."""
    return frozenset(name.replace(" ", "").replace("-", "") for name in names)


def said_names(said: Sequence[str], begin: int, end: int, lexicon: Lexicon) -> set[int]:
    """Indices of the words in said[begin:end] that, with their neighbours, say a run of
    an exercise name's words ("single leg", "chest supported row")."""
    grams = lexicon.name_spellings
    return {
        i
        for first in range(begin, end)
        for stop in range(first + 2, min(end, first + NAME_WORDS) + 1)
        if "".join(said[first:stop]) in grams
        for i in range(first, stop)
    }
