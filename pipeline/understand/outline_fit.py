"""The writer's outline as a hard constraint: every heading placed once, in order.

With `--outline`, the plan's items are the outline's headings (kind, number, title) in the
outline's order, each used exactly once. Where each one starts is found by a monotonic
alignment of headings to units (dynamic programming over unit starts): a heading is worth
placing where its title's words are said, where a phrase opens an item of its kind and
number, where a group header announces its group, and where the sentence's meaning says an
item opens. A heading with none of that evidence is still placed between its neighbours,
and named in the plan's `unmatched_headings` so the user is warned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.understand.discourse import Unit
from pipeline.understand.outline import Heading, title_coverage

WINDOW = 3  # units read together for a heading's words (a name said after a comma goes on)
LATER = 0.6  # ... each unit later counting this much less: the heading is said where it opens
WORDS = 2.0  # weight of the share of a heading's words said in the window
OPENER = 1.0  # a phrase that opens an item ("the second thing", "variation two")
OPENER_STRENGTH = 1.0  # ... more for a stronger phrase, up to this
WRONG_KIND = 1.5  # the phrase names the other kind
SAME_NUMBER = 0.5  # the phrase says the heading's number
HEADER = 1.0  # a group header or announcement right before its group's first item
MEANING = 1.5  # weight of the sentence's meaning (the chance it opens an item)
MID_SENTENCE = 0.5  # a start inside a sentence, after a comma
ONE_UNIT = 0.7  # an item of a single unit (a mistake needs its heading and its demos)
EVIDENCE = 0.34  # share of a heading's words that counts as hearing it


@dataclass(frozen=True, slots=True)
class Placement:
    """Where each heading's item starts (unit indices, increasing) and which headings were
    placed without any evidence."""

    starts: tuple[int, ...]
    unsupported: tuple[int, ...]  # indices into the headings


def place_headings(
    units: Sequence[Unit],
    said: Sequence[Sequence[str]],
    headings: Sequence[Heading],
    opens: Sequence[float] | None = None,
    limit: int | None = None,
    topic: str = "",
) -> Placement | None:
    """The best monotonic placement of `headings` on `units`; None when there are more
    headings than units or no heading is heard anywhere (the take is not the outline's).

    Args:
        units: the take's units.
        said: every unit's normalised words.
        headings: the outline's mistake and variation headings, in order.
        opens: for every unit, the chance (0..1) its meaning opens an item.
        limit: units from here on (the sign-off) take no heading, when there is room before.
        topic: the outline's exercise, whose words say nothing about which heading is meant.
    """
    count = len(units) if limit is None or limit < len(headings) else limit
    if not headings or len(headings) > count:
        return None
    scores = [[_score(units, said, headings, h, u, opens, topic) for u in range(count)]
              for h in range(len(headings))]  # fmt: skip
    evidence = [[_heard(units, said, headings, h, u, topic) for u in range(count)]
                for h in range(len(headings))]  # fmt: skip
    if not any(any(row) for row in evidence):
        return None
    best: list[list[float]] = []
    back: list[list[int]] = []
    for h in range(len(headings)):
        row, links = [float("-inf")] * count, [-1] * count
        if h == 0:
            row = list(scores[0])
        else:
            single = ONE_UNIT if headings[h - 1].kind == "mistake" else 0.0
            running, running_at = float("-inf"), -1  # best of best[h-1][:u-1]
            for u in range(h, count):
                if u - 2 >= 0 and best[h - 1][u - 2] > running:
                    running, running_at = best[h - 1][u - 2], u - 2
                previous = best[h - 1][u - 1] - single
                if previous >= running:
                    row[u], links[u] = scores[h][u] + previous, u - 1
                else:
                    row[u], links[u] = scores[h][u] + running, running_at
        best.append(row)
        back.append(links)
    tail = len(headings) - 1
    last = max(range(count), key=lambda u: best[tail][u])
    starts = [last]
    for h in range(tail, 0, -1):
        starts.append(back[h][starts[-1]])
    starts.reverse()
    unsupported = tuple(h for h, u in enumerate(starts) if not evidence[h][u])
    return Placement(tuple(starts), unsupported)


def _window(said: Sequence[Sequence[str]], u: int, size: int = WINDOW) -> list[str]:
    return [w for words in said[u : u + size] for w in words]


def _said_here(heading: Heading, said: Sequence[Sequence[str]], u: int, topic: str) -> float:
    """How much of the heading is said from unit u on: the share of its words in the next
    1..WINDOW units, less for each unit it takes to say them."""
    return max(
        LATER**extra * title_coverage(heading, _window(said, u, extra + 1), topic)
        for extra in range(WINDOW)
    )


def _score(
    units: Sequence[Unit],
    said: Sequence[Sequence[str]],
    headings: Sequence[Heading],
    h: int,
    u: int,
    opens: Sequence[float] | None,
    topic: str,
) -> float:
    heading, unit = headings[h], units[u]
    score = WORDS * _said_here(heading, said, u, topic)
    opener = unit.opener
    if opener is not None:
        score += OPENER + OPENER_STRENGTH * min(opener.strength, 6.0) / 6.0
        if opener.kind is not None and opener.kind != heading.kind:
            score -= WRONG_KIND
        elif opener.number == heading.number:
            score += SAME_NUMBER
        elif opener.number is not None:
            score -= SAME_NUMBER
    if _heads_group(unit, headings, h):
        score += HEADER
    if opens is not None:
        score += MEANING * opens[u]
    if unit.span[0] != unit.sentence:
        score -= MID_SENTENCE
    return score


def _heads_group(unit: Unit, headings: Sequence[Heading], h: int) -> bool:
    """A header or announcement of the heading's kind before the first item of its group."""
    first = h == 0 or headings[h - 1].kind != headings[h].kind
    announced = unit.announced == headings[h].kind
    return first and (announced or (unit.header > 0 and headings[h].kind == "variation"))


def _heard(
    units: Sequence[Unit],
    said: Sequence[Sequence[str]],
    headings: Sequence[Heading],
    h: int,
    u: int,
    topic: str,
) -> bool:
    """Whether anything at unit u says heading h is here: its words, or a phrase that opens
    an item of its kind and does not say another number."""
    heading, opener = headings[h], units[u].opener
    if _said_here(heading, said, u, topic) >= EVIDENCE:
        return True
    if opener is None:
        return _heads_group(units[u], headings, h)
    return opener.kind in (None, heading.kind) and opener.number in (None, heading.number)
