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
fixer alone, 2 broken, titles 165 -> 170 of 211), or less likely by an allowance where
fitness text shows the model's own language prior misled it: words fitness text and a coach's
talk never use ("the mark", "the male"), and the clause a coach names a variation in ("the
deficit then lift"): see pipeline.understand.priors.

The judge reads pieces of whole clauses of at most PIECE_SECONDS on their own seconds of
audio, all the rewrites of a piece in one batch; pieces with nothing to ask are never read.
Word timings are kept (the new words share the time of the words they replace), and so is the
model's confidence: a rewritten word is still shown as one to check when it was unsure.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
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
    each_sentence,
    load_lexicon,
    phonetic,
    sound_pairs,
    sound_similarity,
    spoken,
)
from pipeline.understand.name_forms import name_forms
from pipeline.understand.outline import STOPWORDS
from pipeline.understand.plurals import paired_plurals, resplit_plurals
from pipeline.understand.priors import (
    FOREIGN_SOUND_ALIKE,
    NAMED_SOUND_ALIKE,
    allowance,
    foreign_talk,
    naming_clauses,
    said_names,
)
from pipeline.understand.speech import normalise
from pipeline.understand.vocabulary import respell, with_words, word_clauses

# (start, end, texts) -> the model's log probability of each text on start..end seconds
Judge = Callable[[float, float, Sequence[str]], list[float]]

LOOSE_SOUND_ALIKE = 0.7  # heard words vs an exercise word or pair: looser than the fixer's 0.8
# Words sharing no two sounds in a row are never LOOSE_SOUND_ALIKE, but for the shortest,
# where one near sound and one vowel are the whole word: "mal" / "bel" (male / bell) 0.73.
SHORT_SOUNDS = 3
# A rewrite sharing a word with what was heard sounds alike for that word alone ("upper back"
# / "upper leg" 0.7): the words it changes must then sound at least half alike ("back" /
# "leg" 0.4 is no mishearing; "rex" / "reps" 0.55 is).
CHANGED_ALIKE = 0.5
PER_SPAN = 2  # best-sounding rewrites proposed per run of heard words
MAX_SPAN = 2  # heard words one rewrite may replace
PIECE_SECONDS = 5.0  # clauses read together on their own audio
JUDGES = 2  # pieces read at once (each reading uses one core: the 2-core machine's two)
MARGIN = 0.0  # natural log: how much likelier than what was heard a rewrite must be
# A run of up to NAME_SPAN heard words against a run of an exercise name's words
# ("deficit then lift" / "deficit deadlift"): alike as a whole, and in the words that change
# alone, since the words both share make any two runs sound alike ("rope" / "row": 0.67).
NAME_SPAN = 4
NAME_SOUND_ALIKE = 0.8
NAME_CORE_ALIKE = 0.6
FOREIGN_NAME_ALIKE = 0.85  # a name sounded out in words fitness text never uses: put back
NAME_TIE = 0.02  # ... unless another name sounds about as alike


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
    """What the model heard with fitness words (pipeline.understand.lexicon), counted
    numbers (pipeline.understand.counts), names' modifiers (pipeline.understand.name_forms)
    and paired body parts' plurals (pipeline.understand.plurals) put back, then,
    given a `judge` that scores texts on the audio, the rewrites the model itself prefers,
    then the outline's own terms (the strongest vocabulary) when there is an outline: the
    words every later stage uses."""
    fixed = correct_counts(correct(transcript))
    if judge is not None:
        fixed = rescore(fixed, judge, settled=_changed_words(transcript, fixed))
    # after the rescoring and the names: they put back the "single leg" of a one-sided take
    transcript = paired_plurals(name_forms(sounded_out_names(fixed)))
    if judge is not None:
        transcript = rescore(transcript, judge, propose=plural_resplits)
    return vocabulary.correct(transcript, outline_text) if outline_text else transcript


def sounded_out_names(transcript: Transcript, lexicon: Lexicon | None = None) -> Transcript:
    """`transcript` with exercise names put back where the model sounded out words it could
    not place: "the half-leeling press" -> "half-kneeling press", "the push-dress" and "the
    push dress" -> "push press", "front foot animated lunge" -> "front foot elevated lunge".

    Words fitness text never uses ("leeling", "dress", "animated") where a name's words
    belong, either as a piece after a hyphen or beside the rest of the name heard right, are
    the model writing sounds; the judge (see `rescore`) scores the name far below them (-4 to
    -9 nats), since it wrote them. So no judge is asked: a run of up to NAME_SPAN heard words
    is rewritten when it sounds like one name run at least FOREIGN_NAME_ALIKE and like no
    other within NAME_TIE ("feel-melimated squat": "feet elevated squat" 0.82, "heels
    elevated squat" 0.81: left), the words that change are all foreign to fitness text
    (a fitness word, "roll", "plant", is left to the judge), and the name ends where
    fitness text would let it: before a word it pairs with, or at a clause's end if names
    end on it ("the deficit man lift" is not "the deficit bench lift"). Timings are kept."""
    lexicon = lexicon or load_lexicon()
    return each_sentence(transcript, lambda s: _sounded_out(s, lexicon))


def _sounded_out(sentence: Sentence, lexicon: Lexicon) -> Sentence:
    words = sentence.words
    tokens = [normalise(w.text).replace("-", "") for w in words]
    found: list[tuple[int, Rewrite]] = []  # (heard words it was matched on, rewrite)
    for begin, end in word_clauses(words):
        for first in range(begin, end):
            for stop in range(first + 1, min(end, first + NAME_SPAN) + 1):
                said = tokens[first:stop]
                name = _only_name(spoken(said), lexicon) if _name_askable(said) else None
                core = _core(said, name) if name else None
                if core is None or name is None:
                    continue
                head, tail, new = core
                changed = words[first + head : stop - tail]
                pieces = any("-" in w.text.strip(" .,;:!?") for w in changed)
                after = tokens[stop] if stop < end else CLAUSE_END
                ends = lexicon.pair(name[-1].split("-")[-1], after) > 0
                if ends and (pieces or head + tail) and _foreign(changed, new, lexicon):
                    found.append((stop - first, Rewrite(0, first + head, stop - tail, new)))
    kept = _kept(found, margin=0)  # the most heard words first, none overlapping
    if not kept:
        return sentence
    kept_words = {i for r in kept for i in range(r.first, r.stop)}
    unhyphened = [  # "heel -melimated" -> "heels elevated": no hyphen before the new words
        replace(w, text=" " + w.text.strip()[1:])
        if i in kept_words and w.text.strip().startswith("-")
        else w
        for i, w in enumerate(words)
    ]
    return with_words(sentence, _spliced(unhyphened, kept))


def _foreign(words: Sequence[Word], new: Sequence[str], lexicon: Lexicon) -> bool:
    """The heard `words` that `new` replaces are words, or pieces after a hyphen, fitness
    text never uses, but for those the new words begin or end with ("heel" in "heels",
    "lift" in "deadlift"); at least one is foreign."""
    texts = [normalise(w.text).strip("-") for w in words]
    pieces = [p for text in texts for p in (text.replace("-", ""), text.rsplit("-", 1)[-1])]
    spelled = [w.replace("-", "") for w in new]
    kept = [p for p in pieces if any(w.startswith(p) or w.endswith(p) for w in spelled)]
    foreign = [p for p in pieces if p not in kept]
    return bool(foreign) and all(p.isalpha() and lexicon.count(p) == 0 for p in foreign)


def _only_name(key: str, lexicon: Lexicon) -> tuple[str, ...] | None:
    """The name run that sounds like `key` at least FOREIGN_NAME_ALIKE with no other run of
    another sound within NAME_TIE (runs spelled alike: the one fitness text says most)."""
    alike = _name_alikes(key, lexicon.name_targets, PER_SPAN + 2)
    spelled = ((words, spoken(words)) for words in alike)
    scored = sorted(
        ((sound_similarity(key, its_key), its_key, words) for words, its_key in spelled),
        reverse=True,
    )
    if not scored or scored[0][0] < FOREIGN_NAME_ALIKE:
        return None
    best, best_key, _ = scored[0]
    if any(its_key != best_key and sound >= best - NAME_TIE for sound, its_key, _ in scored):
        return None
    same = [words for _sound, its_key, words in scored if its_key == best_key]
    return max(same, key=lambda words: sum(lexicon.count(w) for w in words))


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
    propose: Callable[[Transcript, Lexicon], list[Rewrite]] | None = None,
) -> Transcript:
    """`transcript` with the rewrites (`propose`d: by default `proposals`) the model scores
    at least `margin` (MARGIN) above what it heard, or less where fitness text says the
    model's prior misled it (pipeline.understand.priors); the words at `settled` (sentence,
    word) are not asked about (the lexicon's own corrections: "lower mag" -> "lower back" is
    not read again as "lower leg")."""
    lexicon = lexicon or load_lexicon()
    margin = MARGIN if margin is None else margin
    naming = naming_clauses(transcript)
    propose = propose or functools.partial(proposals, naming=naming)
    proposed = [
        r
        for r in propose(transcript, lexicon)
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
        taken = [
            (gain, r)
            for gain, r in found
            if gain >= margin - allowance(r, sentences, naming, lexicon)
        ]
        kept = _kept(taken, -math.inf)
        if kept:
            sentences[index] = with_words(sentences[index], _spliced(sentences[index].words, kept))
    return replace(transcript, sentences=tuple(sentences))


def proposals(
    transcript: Transcript, lexicon: Lexicon, naming: Collection[tuple[int, int, int]] = ()
) -> list[Rewrite]:
    """Every rewrite worth asking the model about, sentence by sentence; in the clauses
    `naming` a variation (see `naming_clauses`), names that sound a little less alike too."""
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
                        for new in _sound_alikes(said, targets, _loose(said, lexicon))
                        if lexicon.pair(before, new[0]) or lexicon.pair(new[-1], after)
                    )
            alike = NAMED_SOUND_ALIKE if (index, begin, end) in naming else NAME_SOUND_ALIKE
            found.extend(_name_rewrites(index, tokens, begin, end, lexicon, alike))
    return list(dict.fromkeys(found))


def plural_resplits(transcript: Transcript, lexicon: Lexicon) -> list[Rewrite]:
    """The words after a paired part's plural that may have had its "s" heard on them too
    ("hips smack" -> "hips back": pipeline.understand.plurals.resplit_plurals)."""
    found = []
    for index, sentence in enumerate(transcript.sentences):
        tokens = [normalise(w.text).replace("-", "") for w in sentence.words]
        for begin, end in word_clauses(sentence.words):
            found += [
                Rewrite(index, at, at + 1, (word,))
                for at, word in resplit_plurals(tokens, begin, end, lexicon)
            ]
    return found


def _name_rewrites(
    sentence: int,
    tokens: Sequence[str],
    begin: int,
    end: int,
    lexicon: Lexicon,
    alike: float = NAME_SOUND_ALIKE,
) -> list[Rewrite]:
    """Rewrites of runs of heard words in the clause tokens[begin:end] that sound like a
    run of an exercise name's words: a compound heard as words ("deficit then lift" ->
    "deficit deadlift"), a modifier misheard ("knitting line push-up" -> "incline push-up",
    "push-dress" -> "push press"), the head misheard inside a known name ("chest supported
    roll" -> "chest supported row"). Only the words that change are rewritten; words inside
    a run that already says a name's words are never changed (a correct rare word stays)."""
    heard_names = said_names(tokens, begin, end, lexicon)
    found = []
    for first in range(begin, end):
        for stop in range(first + 1, min(end, first + NAME_SPAN) + 1):
            said = tokens[first:stop]
            if not _name_askable(said):
                continue
            for new in _name_alikes(spoken(said), lexicon.name_targets, least=alike):
                core = _core(said, new)
                if core is None:
                    continue
                head, tail, words = core
                changed = range(first + head, stop - tail)
                if heard_names.isdisjoint(changed):
                    found.append(Rewrite(sentence, changed.start, changed.stop, words))
    return found


def _name_askable(said: Sequence[str]) -> bool:
    """A run of heard words that may be a name misheard: real words, beginning and ending on
    one that is not a small word (a small word inside is fine: "death is sick")."""
    return (
        all(t.isalpha() for t in said)
        and said[0] not in STOPWORDS
        and said[-1] not in STOPWORDS
        and len("".join(said)) >= MIN_LETTERS
    )


def _core(said: Sequence[str], name: Sequence[str]) -> tuple[int, int, tuple[str, ...]] | None:
    """(heard words kept at the start, at the end, the new words between) for saying `name`
    instead of `said`, or None when the words that change do not sound alike on their own,
    or the change only drops or adds words, or puts a singular for a plural. A heard word
    is kept when the name says it, hyphened or not ("single leg" for "single-leg")."""
    head, first = _same_words(said, name)
    tail, last = _same_words(said[head:][::-1], name[first:][::-1], backwards=True)
    old = said[head : len(said) - tail]
    words = tuple(name[first : len(name) - last])
    if not old or not words or "".join(old) == "".join(words).replace("-", ""):
        return None  # only words dropped or added, or the same letters: nothing misheard
    if _kept_words(words, old) or _singular_of(words, old):
        return None
    alike = sound_similarity(spoken(old), spoken(words))
    return (head, tail, words) if alike >= NAME_CORE_ALIKE else None


def _same_words(
    said: Sequence[str], name: Sequence[str], backwards: bool = False
) -> tuple[int, int]:
    """How many heard words and name words at the start (of both read `backwards`: at the
    end) say the same words."""
    heard = named = 0
    while heard < len(said) and named < len(name):
        pieces = name[named].split("-")[:: -1 if backwards else 1]
        if said[heard] == name[named].replace("-", ""):
            heard, named = heard + 1, named + 1
        elif list(said[heard : heard + len(pieces)]) == pieces:
            heard, named = heard + len(pieces), named + 1
        else:
            break
    return heard, named


@functools.lru_cache(maxsize=16384)
def _name_alikes(
    key: str, targets: Targets, best: int = PER_SPAN, least: float = NAME_SOUND_ALIKE
) -> tuple[tuple[str, ...], ...]:
    """The `best` name runs that sound most like `key`, at least `least`. Only runs of
    about its length sharing three in ten of its pairs of sounds are compared (at 0.75
    they share more), found through an index of the pairs: there are 3,000 runs."""
    grams, index = sound_pairs(key), _pair_index(targets)
    shared = Counter(i for pair in grams for i in index.get(pair, ()))
    slack = max(2, len(key) // 4)
    scored = []
    for i, count in shared.items():
        words, sound_key, _pairs = targets[i]
        if 10 * count >= 3 * len(grams) and abs(len(sound_key) - len(key)) <= slack:
            sound = sound_similarity(key, sound_key)
            if sound >= least:
                scored.append((sound, words))
    return tuple(words for _sound, words in sorted(scored, key=lambda p: -p[0])[:best])


@functools.lru_cache(maxsize=4)
def _pair_index(targets: Targets) -> dict[str, tuple[int, ...]]:
    """The targets holding each pair of sounds, by their place in `targets`."""
    index: dict[str, list[int]] = {}
    for i, (_words, _key, pairs) in enumerate(targets):
        for pair in pairs:
            index.setdefault(pair, []).append(i)
    return {pair: tuple(found) for pair, found in index.items()}


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


def _loose(said: Sequence[str], lexicon: Lexicon) -> float:
    """How alike a rewrite of the heard words `said` must sound: FOREIGN_SOUND_ALIKE for
    words fitness text never uses, LOOSE_SOUND_ALIKE otherwise."""
    return FOREIGN_SOUND_ALIKE if foreign_talk(said, lexicon) else LOOSE_SOUND_ALIKE


def _sound_alikes(said: Sequence[str], targets: Targets, loose: float) -> list[tuple[str, ...]]:
    alike = _alike(phonetic("".join(said)), targets, loose)
    return [
        w
        for w in alike
        if not _kept_words(w, said) and not _singular_of(w, said) and _changes_alike(w, said)
    ][:PER_SPAN]


def _changes_alike(new: Sequence[str], said: Sequence[str]) -> bool:
    """The words `new` changes in `said` sound alike on their own, when both share a word at
    the start or the end: "upper back" / "upper leg" sound 0.7 alike for their "upper" alone."""
    head, first = _same_words(said, new)
    tail, last = _same_words(said[head:][::-1], new[first:][::-1], backwards=True)
    if not head and not tail:
        return True
    heard, changed = said[head : len(said) - tail], new[first : len(new) - last]
    return sound_similarity(spoken(heard), spoken(changed)) >= CHANGED_ALIKE


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
def _alike(key: str, targets: Targets, loose: float) -> tuple[tuple[str, ...], ...]:
    """The targets that sound like `key`, closest first (one more than PER_SPAN, since
    the heard words themselves may be among them)."""
    grams = sound_pairs(key)
    scored = [
        (sound, words)
        for words, sound_key, its_grams in targets
        if abs(len(sound_key) - len(key)) <= 2
        and (grams & its_grams or len(key) <= SHORT_SOUNDS)
        and (sound := sound_similarity(key, sound_key)) >= loose
    ]
    return tuple(words for _sound, words in sorted(scored, key=lambda p: -p[0])[: PER_SPAN + 1])
