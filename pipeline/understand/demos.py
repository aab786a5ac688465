"""Find where a mistake is shown the wrong way and then the right way.

A mistake's content (what follows its heading sentence) is cut once: everything before the
cut is the bad-form demonstration, everything after it the good-form one. The cut is put
where what is said changes from describing the fault ("If I round my back like this", "See
how...", "Watch...", "don't") to correcting it: "instead", "make sure", or simply a
correction in the imperative ("Tuck your elbows in", "Keep the bar close"). When nothing
gives it away, the cut falls in the middle (first half bad, second half good).
A mistake that is only named (nothing said after its heading sentence) shows nothing, so it
gets no demos: labelling the coach's announcement "BAD FORM" would mislead the viewer.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.core.model import Demo, Word
from pipeline.understand.speech import Span, has_phrase, normalise

# phrase -> weight; phrases are matched on normalised words.
BAD_PHRASES: dict[str, float] = {
    "don't": 2, "do not": 2, "never": 2, "like this": 1, "see how": 2, "if you": 1,
    "bad form": 4, "bad": 2, "watch what happens": 3, "see what happens": 3,
    "look what happens": 3, "wrong": 3, "what not to do": 4, "notice how": 2, "look at": 1,
    "avoid": 1, "here i'm": 2, "now i'm": 1, "this is what": 1, "mistake": 1, "problem": 1,
    "can't": 1, "won't": 1, "too much": 1, "doesn't": 1, "not": 1, "harder": 1,
    "not a good": 4, "not good": 4, "you'll see people": 3, "you see people": 3,
    "what you don't want": 3, "look what": 2, "watch": 1,
}  # fmt: skip
GOOD_PHRASES: dict[str, float] = {
    "instead": 5, "make sure": 3, "keep": 1.5, "drive through": 1, "the right way": 4,
    "right way": 3, "good form": 5, "correct": 3, "correctly": 3, "properly": 2,
    "better": 1, "you want to": 2, "should": 1.5, "try": 1, "focus on": 2, "the fix": 3,
    "to fix": 3, "fix this": 3, "rather": 2, "this time": 1, "much better": 3, "perfect": 2,
    "squeeze": 1, "bring": 0.5, "good": 2, "nice and": 1, "that's it": 1,
    "what you want to do": 3, "you want": 1,
}  # fmt: skip
IMPERATIVE = 3.0  # a correction said as an order: "Tuck your elbows in."
FIRST_PERSON = 1.5  # the coach showing the fault: "If I ...", "Watch, I ...", "my back ..."
# Verbs a coach gives as corrections; a clause that starts with one is in the imperative.
VERBS = frozenset(
    {"keep", "push", "pull", "tuck", "bring", "sit", "squeeze", "drive", "brace", "lower",
     "move", "start", "press", "hinge", "let", "put", "take", "stay", "finish", "breathe",
     "stand", "hold", "drag", "lock", "screw", "reach", "step", "drop", "think", "try",
     "focus", "aim", "control", "engage", "grip", "plant", "point", "rotate", "shift", "sink",
     "slow", "stack", "set", "lift", "raise", "extend", "straighten", "open", "pause", "tap",
     "kneel", "balance", "fight", "dip", "imagine", "make", "use", "relax", "lean", "turn",
     "land", "walk", "tighten", "pin", "pack", "spread", "reset", "tilt", "draw", "look",
     "sweep", "row", "swing", "go", "come", "get", "stop", "avoid", "bend", "lead",
     "hug", "load", "snap", "exhale", "inhale", "float", "ease", "touch"}
)  # fmt: skip
# Words that, first in a clause, mean it is not an order: subjects, articles, questions.
NOT_ORDERS = frozenset(
    {"i", "i'm", "my", "you", "you're", "you'll", "your", "the", "a", "an", "it", "it's",
     "that", "that's", "this", "these", "those", "we", "he", "she", "they", "there", "here",
     "what", "how", "if", "when", "see", "watch", "people", "is", "are", "not", "don't",
     "never", "much", "really", "so", "and", "but", "now", "then", "just", "instead"}
)  # fmt: skip
SOFT_LEAD = frozenset({"so", "and", "now", "then", "just", "instead", "okay", "ok", "um", "uh",
                       "like", "but", "also", "rather"})  # fmt: skip
PAUSE = 0.3  # seconds of silence inside a run-on sentence that cut it ("don't want. Pull")
SPLIT_WORDS = frozenset({"instead", "but", "rather"})  # may start the good part mid-sentence


def mistake_demos(words: Sequence[Word], content: Sequence[Span]) -> tuple[Demo, ...]:
    """The bad and the good demonstration of one mistake, or none when it is only named.

    Args:
        words: every word of the transcript.
        content: the sentences after the mistake's heading, in order (may be empty).
    """
    units = _units(words, content)
    if not units:
        return ()
    if len(units) < 2:
        units = _halves(words, units[0])
    bad_score = [_score(words, unit, BAD_PHRASES) for unit in units]
    good_score = [_score(words, unit, GOOD_PHRASES) for unit in units]
    cut = _best_cut(words, units, bad_score, good_score)
    bad = _demo("bad", words, units[0][0], units[cut - 1][1])
    good = _demo("good", words, units[cut][0], units[-1][1])
    return bad, good


def variation_demo(words: Sequence[Word], content: Sequence[Span], segment: Span) -> Demo:
    """The demonstration of a variation: what follows its heading, else the whole segment."""
    first, stop = (content[0][0], content[-1][1]) if content else segment
    return _demo("demo", words, first, stop)


def sounds_like_demo(normalised: Sequence[str]) -> bool:
    """Whether words say how to do it or not ("don't", "instead"), as a demo does."""
    return any(has_phrase(normalised, p) for p in (*BAD_PHRASES, *GOOD_PHRASES))


def _units(words: Sequence[Word], content: Sequence[Span]) -> list[Span]:
    """Clauses: the content cut after commas, at pauses and before "instead"/"but" (not at
    the end)."""
    units = []
    for first, stop in content:
        begin = first
        for index in range(first + 1, stop):
            after_comma = words[index - 1].text.rstrip().endswith((",", ";", ":"))
            turn = normalise(words[index].text) in SPLIT_WORDS and index < stop - 2
            paused = words[index].start - words[index - 1].end >= PAUSE and stop - index >= 2
            if after_comma or turn or paused:
                units.append((begin, index))
                begin = index
        if stop > begin:
            units.append((begin, stop))
    return units


def _halves(words: Sequence[Word], span: Span) -> list[Span]:
    """Split a span at the word nearest its middle in time (at least one word each side)."""
    first, stop = span
    if stop - first < 2:
        return [span, span]
    middle = (words[first].start + words[stop - 1].end) / 2
    cut = min(range(first + 1, stop), key=lambda i: abs(words[i].start - middle))
    return [(first, cut), (cut, stop)]


def _score(words: Sequence[Word], span: Span, phrases: dict[str, float]) -> float:
    normalised = [normalise(w.text) for w in words[span[0] : span[1]]]
    score = sum(weight for phrase, weight in phrases.items() if has_phrase(normalised, phrase))
    if phrases is GOOD_PHRASES and is_order(normalised):
        score += IMPERATIVE
    if phrases is BAD_PHRASES and ("i" in normalised or "my" in normalised):
        score += FIRST_PERSON
    return score


def is_order(normalised: Sequence[str]) -> bool:
    """Whether a clause is an order: "Tuck your elbows in", "So keep the bar close".

    The first word after "so", "and", "instead" is a coaching verb, or any word that is not a
    subject or article followed by "your" ("Top your elbows", as a small model hears it).
    "Look what happens" and "Watch, I..." show the fault instead.
    """
    said = [t for t in normalised if t]
    index = 0
    while index < len(said) - 1 and said[index] in SOFT_LEAD:
        index += 1
    if index >= len(said):
        return False
    verb = said[index]
    following = said[index + 1] if index + 1 < len(said) else ""
    if verb in ("look", "watch", "see") and following in ("what", "how", "i", "at", "this", ""):
        return verb == "look" and following == "at" and "happens" not in said
    if verb in VERBS:
        return following not in ("me", "i")
    return verb not in NOT_ORDERS and following in ("your", "the") and index + 2 < len(said)


def _best_cut(words: Sequence[Word], units: Sequence[Span], bad: Sequence[float],
              good: Sequence[float]) -> int:  # fmt: skip
    """Index k (1..n-1) where units before k read most like bad form and the rest like good.

    Among equally good cuts the latest wins (talk before "instead" still explains the fault);
    with no evidence at all the cut nearest the middle in time wins.
    """
    evidence = any(bad) or any(good)
    middle = (words[units[0][0]].start + words[units[-1][1] - 1].end) / 2

    def fit(cut: int) -> tuple[float, float]:
        before = sum(bad[:cut]) - sum(good[:cut])
        after = sum(good[cut:]) - sum(bad[cut:])
        tie = cut if evidence else -abs(words[units[cut][0]].start - middle)
        return before + after, tie

    return max(range(1, len(units)), key=fit)


def _demo(form: str, words: Sequence[Word], first: int, stop: int) -> Demo:
    start = words[first].start
    end = max(words[stop - 1].end, start)
    return Demo(form=form, start=start, end=end)  # type: ignore[arg-type]
