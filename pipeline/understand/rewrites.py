"""Fitness words the speech model itself prefers, once it is asked: acoustic rescoring.

The fitness-word fixer (pipeline.understand.lexicon) refuses many corrections because sound
alone cannot tell "the deficit men lift" from "the deficit deadlift", or "the elbow" from "the
elbows". The speech model can: a judge (pipeline.hear.listen.Listener) gives the model's log
probability of a text on a stretch of the audio. So this pass proposes looser rewrites than the
fixer dares — any run of one or two heard words that sounds like an exercise word or a pair of
them (compounds: "men lift" -> "deadlift"; pairs: "pulse squad" -> "pause squat"; a
singular as its plural: "the elbow" -> "the elbows", never the other way) whose neighbours
fitness text pairs it with at least once — and has the judge read the heard words and each
rewrite on the same audio. A rewrite is kept only when the model finds it at least MARGIN more
likely than what it wrote (on the 42 evaluation takes: 12 words more put right than by the
fixer alone, 2 broken, titles 165 -> 170 of 211).

The judge reads pieces of whole clauses of at most PIECE_SECONDS on their own seconds of
audio, all the rewrites of a piece in one batch; pieces with nothing to ask are never read.
Word timings are kept (the new words share the time of the words they replace), and so is the
model's confidence: a rewritten word is still shown as one to check when it was unsure.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from pipeline.core.model import Sentence, Transcript, Word
from pipeline.understand import vocabulary
from pipeline.understand.counts import correct_counts
from pipeline.understand.lexicon import (
    CLAUSE_END,
    MIN_LETTERS,
    Lexicon,
    Targets,
    correct,
    load_lexicon,
    phonetic,
    sound_pairs,
    sound_similarity,
)
from pipeline.understand.outline import STOPWORDS
from pipeline.understand.speech import normalise
from pipeline.understand.vocabulary import respell, with_words, word_clauses

# (start, end, texts) -> the model's log probability of each text on start..end seconds
Judge = Callable[[float, float, Sequence[str]], list[float]]

LOOSE_SOUND_ALIKE = 0.7  # heard words vs an exercise word or pair: looser than the fixer's 0.8
PER_SPAN = 2  # best-sounding rewrites proposed per run of heard words
MAX_SPAN = 2  # heard words one rewrite may replace
PIECE_SECONDS = 5.0  # clauses read together on their own audio
JUDGES = 2  # pieces read at once (each reading uses one core: the 2-core machine's two)
MARGIN = 0.0  # natural log: how much likelier than what was heard a rewrite must be


@dataclass(frozen=True, slots=True)
class Rewrite:
    """Words `first`..`stop` of sentence `sentence` said as `words` instead."""

    sentence: int
    first: int
    stop: int
    words: tuple[str, ...]


def fix_heard(
    transcript: Transcript, outline_text: str | None = None, judge: Judge | None = None
) -> Transcript:
    """What the model heard with fitness words (pipeline.understand.lexicon) and counted
    numbers (pipeline.understand.counts) put back, then,
    given a `judge` that scores texts on the audio, the rewrites the model itself prefers,
    then the outline's own terms (the strongest vocabulary) when there is an outline: the
    words every later stage uses."""
    fixed = correct_counts(correct(transcript))
    if judge is not None:
        fixed = rescore(fixed, judge, settled=_changed_words(transcript, fixed))
    transcript = fixed
    return vocabulary.correct(transcript, outline_text) if outline_text else transcript


def _changed_words(heard: Transcript, fixed: Transcript) -> set[tuple[int, int]]:
    """(sentence, word) indices the lexicon rewrote (it puts one word for one)."""
    return {
        (s, w)
        for s, (was, now) in enumerate(zip(heard.sentences, fixed.sentences, strict=True))
        if was is not now
        for w, (a, b) in enumerate(zip(was.words, now.words, strict=True))
        if a != b
    }


def rescore(
    transcript: Transcript,
    judge: Judge,
    lexicon: Lexicon | None = None,
    margin: float | None = None,
    settled: Collection[tuple[int, int]] = (),
) -> Transcript:
    """`transcript` with the rewrites the model scores at least `margin` (MARGIN) above
    what it heard; the words at `settled` (sentence, word) are not asked about (the lexicon's
    own corrections: "lower mag" -> "lower back" is not read again as "lower leg")."""
    lexicon = lexicon or load_lexicon()
    margin = MARGIN if margin is None else margin
    proposed = [
        r
        for r in proposals(transcript, lexicon)
        if not any((r.sentence, w) in settled for w in range(r.first, r.stop))
    ]
    if not proposed:
        return transcript
    sentences = list(transcript.sentences)
    asked = [
        question
        for index in sorted({r.sentence for r in proposed})
        for question in _questions(sentences[index], [r for r in proposed if r.sentence == index])
    ]
    with ThreadPoolExecutor(max_workers=JUDGES) as pool:  # the model reads pieces side by side
        answers = list(pool.map(lambda q: judge(q.start, q.end, q.texts), asked))
    gains: dict[int, list[tuple[float, Rewrite]]] = {}
    for question, scores in zip(asked, answers, strict=True):
        for score, rewrite in zip(scores[1:], question.rewrites, strict=True):
            gains.setdefault(rewrite.sentence, []).append((score - scores[0], rewrite))
    for index, found in gains.items():
        kept = _kept(found, margin)
        if kept:
            sentences[index] = with_words(sentences[index], _spliced(sentences[index].words, kept))
    return replace(transcript, sentences=tuple(sentences))


def proposals(transcript: Transcript, lexicon: Lexicon) -> list[Rewrite]:
    """Every rewrite worth asking the model about, sentence by sentence."""
    targets = lexicon.spelled_targets
    found: list[Rewrite] = []
    for index, sentence in enumerate(transcript.sentences):
        words = sentence.words
        tokens = [normalise(w.text).replace("-", "") for w in words]
        for begin, end in word_clauses(words):
            for first in range(begin, end):
                for stop in range(first + 1, min(end, first + MAX_SPAN) + 1):
                    said = tokens[first:stop]
                    if not _askable(said):
                        continue
                    before = tokens[first - 1] if first > begin else ""
                    after = tokens[stop] if stop < end else CLAUSE_END
                    found.extend(
                        Rewrite(index, first, stop, new)
                        for new in _sound_alikes(said, targets)
                        if lexicon.pair(before, new[0]) or lexicon.pair(new[-1], after)
                    )
    return found


@dataclass(frozen=True, slots=True)
class Question:
    """Texts for the judge to score on `start`..`end` s: the heard words, then each rewrite."""

    start: float
    end: float
    texts: tuple[str, ...]
    rewrites: tuple[Rewrite, ...]


def _questions(sentence: Sentence, inside: Sequence[Rewrite]) -> list[Question]:
    """One question per piece of `sentence` that holds rewrites."""
    asked = []
    for first, stop in _pieces(sentence.words):
        here = tuple(r for r in inside if first <= r.first and r.stop <= stop)
        if not here:
            continue
        words = sentence.words[first:stop]
        texts = [_said(words), *(_said(_spliced(words, [r], first)) for r in here)]
        asked.append(Question(words[0].start, words[-1].end, tuple(texts), here))
    return asked


def _kept(gains: Sequence[tuple[float, Rewrite]], margin: float) -> list[Rewrite]:
    """The rewrites scored at least `margin` above what was heard, best first, none
    overlapping."""
    kept: list[Rewrite] = []
    for gain, rewrite in sorted(gains, key=lambda pair: -pair[0]):
        if gain < margin:
            break
        if not any(_overlap(rewrite, other) for other in kept):
            kept.append(rewrite)
    return kept


def _pieces(words: Sequence[Word]) -> list[tuple[int, int]]:
    """Runs of whole clauses of at most PIECE_SECONDS (a longer clause alone): [first, stop).

    The model reads each piece on its own seconds; a long sentence read whole for every
    rewrite costs seconds (a 29-s sentence: 0.18 s a text, against 0.01 s for 2 s).
    """
    pieces: list[tuple[int, int]] = []
    for begin, end in word_clauses(words):
        if pieces and words[end - 1].end - words[pieces[-1][0]].start <= PIECE_SECONDS:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((begin, end))
    return pieces


def _said(words: Sequence[Word]) -> str:
    return "".join(w.text for w in words).strip()


def _spliced(words: Sequence[Word], rewrites: Sequence[Rewrite], offset: int = 0) -> list[Word]:
    """`words` (the sentence's from word `offset` on) with `rewrites` respelled in, keeping
    the timings and confidence of the words they replace."""
    spliced = list(words)
    for rewrite in sorted(rewrites, key=lambda r: -r.first):  # from the end: indices hold
        first, stop = rewrite.first - offset, rewrite.stop - offset
        spliced[first:stop] = respell(spliced[first:stop], rewrite.words)
    return spliced


def _overlap(a: Rewrite, b: Rewrite) -> bool:
    return a.sentence == b.sentence and a.first < b.stop and b.first < a.stop


def _askable(said: Sequence[str]) -> bool:
    """A run of heard words worth a rewrite: real words, none of them a small word."""
    return (
        all(t.isalpha() and t not in STOPWORDS for t in said) and len("".join(said)) >= MIN_LETTERS
    )


def _sound_alikes(said: Sequence[str], targets: Targets) -> list[tuple[str, ...]]:
    alike = _alike(phonetic("".join(said)), targets)
    return [w for w in alike if not _kept_words(w, said) and not _singular_of(w, said)][:PER_SPAN]


def _kept_words(new: Sequence[str], said: Sequence[str]) -> bool:
    """The rewrite only keeps some of the heard words ("chest tall" -> "chest"), or all of
    them: words dropped or added are not a mishearing (as in pipeline.understand.vocabulary)."""
    short, long = sorted((tuple(new), tuple(said)), key=len)
    return long[: len(short)] == short or long[len(long) - len(short) :] == short


def _singular_of(new: Sequence[str], said: Sequence[str]) -> bool:
    """ "hip" for a heard "hips": the model loses a final "s" (a weak sound under noise or
    echo) far more often than it adds one. On the evaluation takes the model preferred the
    singular seven times, wrongly every time; it preferred the plural three times, rightly."""
    return "".join(new) + "s" == "".join(said) or "".join(new) + "es" == "".join(said)


@functools.lru_cache(maxsize=4096)
def _alike(key: str, targets: Targets) -> tuple[tuple[str, ...], ...]:
    """The targets that sound like `key`, closest first (one more than PER_SPAN, since
    the heard words themselves may be among them)."""
    grams = sound_pairs(key)
    scored = [
        (sound, words)
        for words, sound_key, its_grams in targets
        if abs(len(sound_key) - len(key)) <= 2
        and grams & its_grams  # words sharing no two sounds in a row are never this alike
        and (sound := sound_similarity(key, sound_key)) >= LOOSE_SOUND_ALIKE
    ]
    return tuple(words for _sound, words in sorted(scored, key=lambda p: -p[0])[: PER_SPAN + 1])
