"""Paired body parts put back in the plural the speech model dropped.

Coaches cue both sides at once: "push your hips back", "squeeze your glutes", "put your
heels on a plate", "flaring the elbows". The plural's final "s" is a weak sound (under
noise, music or echo, or said fast), so the model often writes the singular ("push your
hip back"), or hangs the "s" on the words around it ("the elbow's early", "hip smack").
Asked which it prefers (pipeline.hear.listen), it scores what it wrote 1.5 to 6 nats
above the plural whether the coach said the plural or, rightly, the singular ("drive
through your heel" on a single-leg hip thrust, "pause just below the knee"): on the 42
evaluation takes the two spans overlap, so its score cannot decide. Fitness text can: a
heard singular (or the singular with an "'s": "the elbow's early") becomes its plural when

- a possessive ("your", "my", ...) or "the" says it, right before it, and "the" does not
  follow a preposition ("below the knee", "at the hip": a place on the body, said in the
  singular as often as not);
- fitness text says the plural, next to those two neighbours, at least PLURAL_ODDS as often
  as the singular (counts of "your hips" against "your hip", and of "hips back" against
  "hip back": naive Bayes over the two pairs; "the hip thrust" and "my shoulder blades"
  stay, since the singular names a thing there);
- nothing in the sentence or the one before says one side ("put one hand on the bench.
  Pull the weight to your hip.", "your front heel"), and the take is not about one leg or
  one arm on that side of the body (the single-leg hip thrust's "squeeze your glute").

A word fitness text never uses where a part belongs ("squeeze your lute's hard") counts as
the part it sounds like, if one part sounds like it at least FOREIGN_PART_ALIKE with its
"s". A plural whose "s" the model also heard on the next word ("push your hips smack") is
for the judge to weigh: see `resplit_plurals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pipeline.core.model import Sentence, Transcript
from pipeline.understand.lexicon import Lexicon, load_lexicon, phonetic, sound_similarity
from pipeline.understand.speech import normalise
from pipeline.understand.vocabulary import respell, with_words, word_clauses

PLURAL_ODDS = 1.5  # how much more often fitness text must say the plural in the same place
FOREIGN_PART_ALIKE = 0.85  # "lutes" / "glutes" 0.87; "firms" / "forearms" 0.77
RESPLIT_ALIKE = 0.8  # "smack" against "s" + "back": the plural's "s" heard on the next word
RESPLITS = 2  # words proposed for the judge per word after a plural

LOWER = "lower"  # the side of the body a part is on: one leg's cues do not touch the arms
UPPER = "upper"
# Paired body parts (singular -> plural, side of the body).
PAIRED: dict[str, tuple[str, str]] = {
    "ankle": ("ankles", LOWER), "calf": ("calves", LOWER), "foot": ("feet", LOWER),
    "glute": ("glutes", LOWER), "hamstring": ("hamstrings", LOWER), "heel": ("heels", LOWER),
    "hip": ("hips", LOWER), "knee": ("knees", LOWER), "leg": ("legs", LOWER),
    "quad": ("quads", LOWER), "shin": ("shins", LOWER), "thigh": ("thighs", LOWER),
    "toe": ("toes", LOWER), "arm": ("arms", UPPER), "elbow": ("elbows", UPPER),
    "forearm": ("forearms", UPPER), "hand": ("hands", UPPER), "shoulder": ("shoulders", UPPER),
    "wrist": ("wrists", UPPER),
}  # fmt: skip
PLURALS = frozenset(plural for plural, _side in PAIRED.values())
LIMBS = {"leg": LOWER, "arm": UPPER}  # "single-leg", "single arm": the take works one side
# Words that say the one-side use of the part they come before: "one hand", "each leg",
# "your front heel", "the working hip", "the opposite shoulder".
ONE_SIDE = frozenset(
    {"1", "one", "single", "each", "either", "other", "opposite", "left", "right", "front",
     "working", "alternate", "alternating", "inside", "outside"}
)  # fmt: skip
POSSESSIVES = frozenset({"your", "my", "his", "her", "their"})  # counted as "your"
PREPOSITIONS = frozenset(
    {"above", "across", "against", "along", "around", "at", "behind", "below", "beneath",
     "beside", "between", "by", "from", "in", "into", "near", "of", "off", "on", "onto",
     "over", "past", "through", "to", "toward", "towards", "under", "with"}
)  # fmt: skip


def paired_plurals(transcript: Transcript, lexicon: Lexicon | None = None) -> Transcript:
    """`transcript` with each paired body part heard in the singular where fitness text
    would say both (see the module's rules) put in the plural, over the singular's time."""
    lexicon = lexicon or load_lexicon()
    one_sided = one_sided_takes(transcript)
    sentences = transcript.sentences
    said_before = [False] + [_one_side_said(_tokens(s.text.split())) for s in sentences[:-1]]
    pluralised = tuple(
        s if before else _pluralised(s, lexicon, one_sided)
        for s, before in zip(sentences, said_before, strict=True)
    )
    return transcript if pluralised == sentences else replace(transcript, sentences=pluralised)


def one_sided_takes(transcript: Transcript) -> frozenset[str]:
    """The sides of the body (LOWER, UPPER) the take works one at a time: it names a
    "single-leg" or "single arm" exercise."""
    tokens = _tokens(transcript.text.split())
    return frozenset(
        LIMBS[limb] for word, limb in zip(tokens, tokens[1:]) if word == "single" and limb in LIMBS
    )


def plural_due(
    tokens: Sequence[str], index: int, begin: int, end: int, lexicon: Lexicon
) -> str | None:
    """The plural of the part tokens[index] says, when the module's rules put it there
    (tokens: the sentence's words; tokens[begin:end] the clause), else None."""
    singular = _part(tokens[index], lexicon) if index > begin else None
    if singular is None:
        return None
    plural = PAIRED[singular][0]
    before = tokens[index - 1]
    if before not in POSSESSIVES and before != "the":
        return None
    if before == "the" and index - 1 > begin and tokens[index - 2] in PREPOSITIONS:
        return None
    if _one_side_said(tokens):
        return None
    said = "your" if before in POSSESSIVES else before  # fitness text says "your" for all
    odds = _odds(lexicon.pair(said, plural), lexicon.pair(said, singular))
    if index + 1 < end:
        after = tokens[index + 1]
        odds *= _odds(lexicon.pair(plural, after), lexicon.pair(singular, after))
    return plural if odds >= PLURAL_ODDS else None


def resplit_plurals(
    tokens: Sequence[str], begin: int, end: int, lexicon: Lexicon
) -> list[tuple[int, str]]:
    """(index, word) for the words in the clause tokens[begin:end] that may be a word
    fitness text says after a paired part's plural, with the plural's "s" heard on it too:
    "your hips smack" -> "back". The heard word begins with "s", fitness text never says it
    there, and it sounds like "s" and the word at least RESPLIT_ALIKE (the RESPLITS closest);
    the judge weighs them (pipeline.understand.rewrites.plural_resplits)."""
    found = []
    for index in range(max(begin, 1), end):
        plural, heard = tokens[index - 1], tokens[index]
        if plural not in PLURALS or not heard.startswith("s") or lexicon.pair(plural, heard):
            continue
        sound = phonetic(heard)
        alike = sorted(
            (sound_similarity(sound, phonetic("s" + word)), word)
            for word in _said_after(plural, lexicon)
        )
        found += [(index, w) for score, w in alike[::-1][:RESPLITS] if score >= RESPLIT_ALIKE]
    return found


def _part(token: str, lexicon: Lexicon) -> str | None:
    """The paired part (singular) a heard word says: itself, itself with an "'s" ("the
    elbow's early"), or, for a word fitness text never uses, the one part that sounds like
    it at least FOREIGN_PART_ALIKE, "s" and all ("lute's" -> "glute")."""
    word = token.removesuffix("'s")
    if word in PAIRED:
        return word
    if not word.isalpha() or lexicon.count(word):
        return None
    sound = phonetic(word + "s")
    alike = [s for s, (plural, _) in PAIRED.items() if _alike(sound, phonetic(plural))]
    return alike[0] if len(alike) == 1 else None


def _alike(a: str, b: str) -> bool:
    return sound_similarity(a, b) >= FOREIGN_PART_ALIKE


def _pluralised(sentence: Sentence, lexicon: Lexicon, one_sided: frozenset[str]) -> Sentence:
    words = sentence.words
    tokens = [normalise(w.text) for w in words]
    due = [
        (index, plural)
        for begin, end in word_clauses(words)
        for index in range(begin, end)
        if (plural := plural_due(tokens, index, begin, end, lexicon))
        and _side(plural) not in one_sided
    ]
    if not due:
        return sentence
    spliced = list(words)
    for index, plural in due:
        spliced[index : index + 1] = respell(words[index : index + 1], [plural])
    return with_words(sentence, spliced)


def _side(plural: str) -> str:
    return next(side for p, side in PAIRED.values() if p == plural)


def _one_side_said(tokens: Sequence[str]) -> bool:
    """The sentence says the one-side use of a part or a side: "one hand", "front heel"."""
    split = _tokens(tokens)
    return any(
        word in ONE_SIDE and (part in PAIRED or part in ("side", "sides"))
        for word, part in zip(split, split[1:])
    )


def _said_after(word: str, lexicon: Lexicon) -> list[str]:
    """The words fitness text says right after `word`."""
    lead = word + " "
    return [pair[len(lead) :] for pair in lexicon.pairs if pair.startswith(lead)]


def _tokens(words: Sequence[str]) -> list[str]:
    """Words as the cue tables spell them, hyphened words split: "single-leg" -> two."""
    return [piece for w in words for piece in normalise(w).split("-") if piece]


def _odds(plural: int, singular: int) -> float:
    return (plural + 1) / (singular + 1)
