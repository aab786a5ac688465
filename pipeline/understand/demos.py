"""Find where a mistake is shown the wrong way and then the right way.

A mistake's content (what follows its heading sentence) is cut once: everything before the
cut is the bad-form demonstration, everything after it the good-form one. The cut is put
where the words change from "don't / like this / see how" to "instead / make sure / keep".
When no word gives it away, the cut falls in the middle (first half bad, second half good).
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
}  # fmt: skip
GOOD_PHRASES: dict[str, float] = {
    "instead": 5, "make sure": 3, "keep": 1.5, "drive through": 1, "the right way": 4,
    "right way": 3, "good form": 5, "correct": 3, "correctly": 3, "properly": 2,
    "better": 1, "you want to": 2, "should": 1.5, "try": 1, "focus on": 2, "the fix": 3,
    "to fix": 3, "fix this": 3, "rather": 2, "this time": 1, "much better": 3, "perfect": 2,
    "squeeze": 1, "bring": 0.5, "good": 2, "nice and": 1, "that's it": 1,
}  # fmt: skip
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
    """Clauses: the content cut after commas and before "instead"/"but" (not at the end)."""
    units = []
    for first, stop in content:
        begin = first
        for index in range(first + 1, stop):
            after_comma = words[index - 1].text.rstrip().endswith((",", ";", ":"))
            turn = normalise(words[index].text) in SPLIT_WORDS and index < stop - 2
            if after_comma or turn:
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
    return sum(weight for phrase, weight in phrases.items() if has_phrase(normalised, phrase))


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
