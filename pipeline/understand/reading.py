"""The best-scoring reading of a whole take: which unit opens which item.

Every unit (see `pipeline.understand.discourse`) either continues what came before or opens
something: an item (a mistake or a variation, numbered), a group header (which belongs to
the first item of its group), an aside (a `talk` segment) or the outro. Each choice carries
a score from the unit's evidence and from how well it fits the story so far (numbers in
order, the kind announced, the count announced), and dynamic programming over the units
finds the reading with the highest total. So one misheard word lowers one score; it cannot
drop or reorder the items around it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.core.model import SegmentKind
from pipeline.understand.cues import CueKind
from pipeline.understand.discourse import LOOSE, ORDINAL, STRONG, Opener, Unit

# "intro", "opened" (an item's first unit), "item", "header", "aside" (its first unit),
# "aside+", "outro"
Mode = str
State = tuple[Mode, CueKind | None, int]  # (mode, kind of the current group, its last number)
Step = tuple[State, str, int]  # the state after a unit, what the unit did, the part it is in

GUESSED_KIND = 2.5  # cost of an opener whose kind neither it nor the context says
SKIPPED_NUMBER = 1.0  # cost per number skipped ("number three" right after number one)
IN_ORDER = 1.0  # reward for the number that comes next
RENUMBERED = 2.0  # cost of a number said lower than the one before it
MISNUMBERED = 1.5  # cost of an ordinal heard lower than the count so far
SWITCH = 0.5  # cost of a new group that no header announced
BACK_TO_MISTAKES = 3.0  # cost of mistakes again after variations
WRONG_COUNT = 0.75  # cost per item more or fewer than announced
REPEAT = 3.0  # an opener right after "let me say that again" repeats the heading
RETAKE_REACH = 2  # units after a retake that still say its item again
LONG_ASIDE = 1.5  # cost per extra unit of an aside
SIGN_OFF_GOES_ON = 0.5  # "Thanks for watching, see you next week": one outro from its start
EARLY_OUTRO = 3.0  # cost of a sign-off before the last LATE share of the take
LATE = 0.7
SENTENCE_HEAD_WORDS = 5  # words of its sentence an aside or outro takes back
MEANING = 1.0  # weight of the log-chance of a state's roles (roles.py), per unit
UNLIKELY = 0.05  # chance floor, so one misread sentence costs at most log(0.05) = -3
# The roles (indices into roles.ROLES) each state allows its unit.
_ALLOWED: dict[tuple[Mode, CueKind | None], tuple[int, ...]] = {
    ("opened", "mistake"): (1, 3),
    ("opened", "variation"): (2, 3),
    ("item", "mistake"): (1, 4, 5),
    ("item", "variation"): (2, 6),
}
_ALLOWED_MODES: dict[Mode, tuple[int, ...]] = {
    "intro": (0, 7), "header": (3,), "aside": (7,), "aside+": (7,), "outro": (8,)
}  # fmt: skip


Counts = dict[int, dict[CueKind, int]]  # how many items of each kind, by part


@dataclass(frozen=True, slots=True)
class Reading:
    """One segment of the best reading, in unit indices [first, stop)."""

    kind: SegmentKind
    number: int | None
    first: int
    stop: int
    opener: Opener | None = None  # the phrase that named it (for its title)
    part: int = 1  # which exercise of a whole session


def read_take(
    units: Sequence[Unit], total_words: int, expected: Counts | None = None
) -> list[Reading]:
    """The best-scoring reading of the take; one `talk` reading when no item is found.

    With `expected` counts (the outline's), they replace the announced ones.
    A unit that moves on to another exercise ("Next exercise, the push-up") starts a new
    part of a whole session, with its own intro and numbering.
    """
    if not units:
        return []
    counts_at = _announced_counts(units)
    context = _context_kinds(units)
    repeat = _repeats(units)
    intro: State = ("intro", None, 0)
    # best[(state, part)] = (score, path of (state, label, part) per unit)
    best: dict[tuple[State, int], tuple[float, list[Step]]] = {
        (intro, 1): (_emission(units[0], intro), [(intro, "intro", 1)])
    }
    first_counts = _counts(counts_at, 0, expected, 1)
    for kind, number, score in _opens(units[0], intro, context[0], first_counts, False):
        state: State = ("opened", kind, number)
        best[(state, 1)] = (score + _emission(units[0], state), [(state, "open", 1)])
    for index in range(1, len(units)):
        unit = units[index]
        late = unit.span[0] >= LATE * total_words
        following: dict[tuple[State, int], tuple[float, list[Step]]] = {}
        for (state, part), (score, path) in best.items():
            counts = _counts(counts_at, index, expected, part)
            moves = _moves(unit, state, context[index], counts, repeat[index], late)
            for new_state, gain, label in moves:
                gain += _emission(unit, new_state)
                _offer(following, (new_state, part), score + gain, path, label)
            if unit.part > 0 and state[1] is not None and state[0] not in ("header", "outro"):
                gain = unit.part - 1.0 - _count_cost(state[1], state[2], counts)
                gain += _emission(unit, intro)
                _offer(following, (intro, part + 1), score + gain, path, "part")
        best = following
    final = {}
    for (state, part), (score, _) in best.items():
        counts = _counts(counts_at, len(units) - 1, expected, part)
        final[(state, part)] = score - _count_cost(state[1], state[2], counts)
    winner = max(final, key=lambda k: final[k])
    return _readings(units, best[winner][1], repeat)


def _emission(unit: Unit, state: State) -> float:
    """How well the unit's meaning fits the state: MEANING times the log-chance of the
    roles the state allows (0 for a unit read without meaning)."""
    if not unit.roles:
        return 0.0
    mode, kind, _number = state
    allowed = _ALLOWED.get((mode, kind)) or _ALLOWED_MODES.get(mode, ())
    return MEANING * math.log(UNLIKELY + sum(unit.roles[i] for i in allowed))


def _repeats(units: Sequence[Unit]) -> list[bool]:
    """For every unit, whether it may say again a heading a retake took back: a retake is in
    reach before it, and a heading was being said just before that retake (or in it: "The
    first one, wait, let me say that again"). A retake of other talk takes back no heading."""
    heading_retaken = [
        unit.retake and any(u.opener for u in units[max(0, i - RETAKE_REACH) : i + 1])
        for i, unit in enumerate(units)
    ]
    return [any(heading_retaken[max(0, i - RETAKE_REACH) : i]) for i in range(len(units))]


def _offer(
    following: dict[tuple[State, int], tuple[float, list[Step]]],
    key: tuple[State, int],
    total: float,
    path: list[Step],
    label: str,
) -> None:
    """Keep the best way into each (state, part) after a unit."""
    if key not in following or following[key][0] < total:
        following[key] = (total, [*path, (key[0], label, key[1])])


def _counts(
    counts_at: Sequence[dict[CueKind, int]], index: int, expected: Counts | None, part: int
) -> dict[CueKind, int]:
    """The counts to expect at a unit: announced so far, the outline's part winning."""
    return {**counts_at[index], **(expected.get(part, {}) if expected else {})}


def _moves(
    unit: Unit,
    state: State,
    context: CueKind | None,
    counts: dict[CueKind, int],
    repeat: bool,
    late: bool,
) -> list[tuple[State, float, str]]:
    mode, group, number = state
    moves: list[tuple[State, float, str]] = []
    opener = unit.opener
    # continue what is going on
    kept, keep = state, 0.0
    if mode == "aside":  # an aside's second sentence is free, a third costs
        kept = ("aside+", group, number)
    elif mode == "aside+":
        keep = 0.0 if unit.aside > 0 else -LONG_ASIDE
    elif mode == "header":
        keep = -0.5 + 0.5 * unit.header
    elif mode == "outro" and opener is not None and opener.strength >= ORDINAL:
        keep = -opener.strength
    elif mode == "outro":
        keep = SIGN_OFF_GOES_ON if unit.sign_off > 0 else 0.0
    if mode == "opened":
        kept = ("item", group, number)
    if repeat and opener is not None and mode in ("item", "opened"):
        keep += REPEAT
    moves.append((kept, keep, "cont"))
    if mode == "outro":
        return moves
    for kind, said, score in _opens(unit, state, context, counts, repeat):
        moves.append((("opened", kind, said), score, "open"))
    if mode == "header":
        return moves
    if unit.header > 0 and group is not None:
        gain = unit.header - 1.0
        moves.append((("header", group, number), gain, "header"))
    if unit.aside > 0 and mode not in ("intro", "aside", "aside+"):
        moves.append((("aside", group, number), unit.aside - 1.0, "aside"))
    if unit.sign_off > 0 and group is not None:
        gain = unit.sign_off - 1.0 - (0.0 if late else EARLY_OUTRO)
        moves.append((("outro", group, number), gain, "outro"))
    return moves


def _opens(
    unit: Unit,
    state: State,
    context: CueKind | None,
    counts: dict[CueKind, int],
    repeat: bool,
) -> list[tuple[CueKind, int, float]]:
    """The items this unit may open from `state`: (kind, number, score).

    A number that is only a sound-alike ("mistake number free") may also be the next one.
    """
    opener = unit.opener
    if opener is None:
        return []
    options = _open(opener, state, context, counts, repeat, None)
    if opener.loose and opener.number is not None:
        options += _open(opener, state, context, counts, repeat, MISNUMBERED)
    return options


def _open(
    opener: Opener,
    state: State,
    context: CueKind | None,
    counts: dict[CueKind, int],
    repeat: bool,
    heard_as_next: float | None,
) -> list[tuple[CueKind, int, float]]:
    mode, group, number = state
    score = opener.strength
    kind = opener.kind
    if kind is None:
        if mode == "header":
            kind = "variation"
        elif group is not None:
            kind = group
        elif context is not None:
            kind = context
        else:
            kind, score = "mistake", score - GUESSED_KIND
    if mode == "header" and kind != "variation":
        return []
    if opener.strength <= LOOSE and kind != group and mode != "header":
        return []  # "or ..." goes on a list of variations; it does not start one
    expected = number + 1 if kind == group else 1
    said = opener.number if opener.number is not None else expected
    if heard_as_next is not None:
        said, score = expected, score - heard_as_next
    if opener.last and opener.number is None and counts.get(kind, 0) > expected:
        said = counts[kind]  # "and the last one" of three, after a number was missed
    if mode == "opened" and kind == group and said <= number:
        return []  # "Common mistake, | number three,": the heading goes on
    if kind == group and said == number and opener.strength >= STRONG:
        return []  # the same number again: the heading repeated, not a new item
    if kind == group and said <= number:
        if opener.strength < STRONG:
            said, score = expected, score - MISNUMBERED  # a misheard number
        else:
            score -= RENUMBERED  # "mistake number one" again, after two: the coach's own count
    elif said == expected or (opener.last and said == counts.get(kind)):
        score += IN_ORDER
    else:
        score -= SKIPPED_NUMBER * abs(said - expected)
    if group is not None and kind != group:
        score -= _count_cost(group, number, counts)
        if mode != "header":
            score -= SWITCH
        if group == "variation" and kind == "mistake":
            score -= BACK_TO_MISTAKES
    if opener.last and kind in counts and said != counts[kind]:
        score -= WRONG_COUNT * abs(said - counts[kind])  # "the last one" of two, as a third
    if repeat:
        score -= REPEAT
    return [(kind, said, score)]


def _count_cost(group: CueKind | None, number: int, counts: dict[CueKind, int]) -> float:
    if group is None or group not in counts:
        return 0.0
    return WRONG_COUNT * abs(counts[group] - number)


def _announced_counts(units: Sequence[Unit]) -> list[dict[CueKind, int]]:
    """For every unit, the count last announced for each kind up to it ("three mistakes" ->
    mistake: 3)."""
    counts_at: list[dict[CueKind, int]] = []
    current: dict[CueKind, int] = {}
    for unit in units:
        if unit.announced is not None and unit.count is not None:
            current = {**current, unit.announced: unit.count}
        counts_at.append(current)
    return counts_at


def _context_kinds(units: Sequence[Unit]) -> list[CueKind | None]:
    """For every unit, the kind announced most recently before it."""
    kinds: list[CueKind | None] = []
    current: CueKind | None = None
    for unit in units:
        kinds.append(current)
        if unit.announced is not None:
            current = unit.announced
    return kinds


def _readings(units: Sequence[Unit], path: list[Step], repeat: Sequence[bool]) -> list[Reading]:
    readings: list[Reading] = []
    pending_header: int | None = None
    for index, ((_mode, group, number), label, part) in enumerate(path):
        if label == "cont" and readings and pending_header is None:
            last = readings[-1]
            opener = last.opener
            if repeat[index] and units[index].opener is not None and last.kind != "intro":
                opener = units[index].opener  # the heading said again after a retake
            readings[-1] = replace(last, stop=index + 1, opener=opener)
            continue
        if label == "cont" and pending_header is not None:
            continue
        if label == "header":
            pending_header = index
            continue
        first = pending_header if pending_header is not None else index
        pending_header = None
        if label in ("intro", "part"):
            readings.append(Reading("intro", None, first, index + 1, part=part))
        elif label == "open":
            assert group is not None
            readings.append(Reading(group, number, first, index + 1, units[index].opener, part))
        elif label == "aside":
            readings.append(Reading("talk", None, first, index + 1, part=part))
        elif label == "outro":
            readings.append(Reading("outro", None, first, index + 1, part=part))
    if not any(r.kind in ("mistake", "variation") for r in readings):
        return [Reading("talk", None, 0, len(units))]
    return _with_false_starts(units, _from_sentence_start(units, readings))


def _with_false_starts(units: Sequence[Unit], readings: list[Reading]) -> list[Reading]:
    """An item opened right after a retake takes the retake's sentence from the segment
    before it: "Okay, so the first big, wait, let me say that again." is the item's own false
    start, even when its words were too few, or heard too badly ("the first leg"), to open it."""
    fixed = list(readings)
    for index in range(1, len(fixed)):
        reading, before = fixed[index], fixed[index - 1]
        if reading.kind not in ("mistake", "variation"):
            continue
        near = range(max(0, reading.first - RETAKE_REACH), reading.first)
        retakes = [i for i in near if units[i].retake]
        if not retakes or retakes[0] <= before.first:
            continue
        first = retakes[0]
        while first - 1 > before.first and units[first - 1].sentence == units[first].sentence:
            first -= 1
        fixed[index - 1] = replace(before, stop=first)
        fixed[index] = replace(reading, first=first)
    return fixed


def _from_sentence_start(units: Sequence[Unit], readings: list[Reading]) -> list[Reading]:
    """An aside or outro that begins mid-sentence after a few words ("I'm away, | my program
    is linked below": a misheard "by the way") takes them from the segment before it, and
    a part's intro takes the exercise named just before it."""
    fixed = list(readings)
    for index in range(1, len(fixed)):
        reading, before = fixed[index], fixed[index - 1]
        if reading.kind not in ("talk", "outro", "intro"):
            continue
        first = reading.first
        previous = units[first - 1] if first - 1 > before.first else None
        if previous is None or previous.opener is not None:
            continue
        same_sentence = previous.sentence == units[first].sentence
        short = previous.span[1] - previous.span[0] <= SENTENCE_HEAD_WORDS
        if reading.kind == "intro" and previous.names_thing:
            first -= 1  # "All right, the bent-over row. | People make these mistakes"
        elif reading.kind != "intro" and same_sentence and short and not previous.order:
            first -= 1
        if first != reading.first:
            fixed[index - 1] = replace(before, stop=first)
            fixed[index] = replace(reading, first=first)
    return fixed
