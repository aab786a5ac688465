"""What each stretch of a coaching take does: open an item, announce a list, head a group,
step aside or sign off.

A take is read in units: sentences cut again at commas, since a small speech model often runs
sentences together with commas when the coach talks fast. Every unit gets its evidence here
(pure, from normalised words); `pipeline.understand.reading` then finds the best-scoring
reading of the whole take from it.

The phrasing families (each a table below) are the ways coaches talk, not sentences of any
one take: items opened by the kind noun and a number ("mistake number two"), by ordinals and
sequencers alone ("the first thing I always see is", "number two is", "next one is", "first
up", "and finally", "or you can try"), group headers ("on to the variations", "here are two
harder versions"), asides ("by the way", "quick side note") and sign-offs ("that's it for
today", "see you next week").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.understand.cues import (
    HOMOPHONES,
    ORDINALS,
    WORD_NUMBERS,
    Cue,
    CueKind,
    announced_kind,
    noun_kind,
    parse_number,
)
from pipeline.understand.demos import VERBS, is_order
from pipeline.understand.speech import FILLERS, Span, has_phrase, phrase_at

# Words a unit may start with before what it does: "Okay, so, um, the first thing ...".
LEAD_IN = frozenset(
    {"and", "so", "ok", "okay", "alright", "all", "right", "now", "then", "well", "like",
     "you", "know", "oh", "yeah", "but", "moving", "on", "to", "onto"}
)  # fmt: skip
MAX_LEAD_IN = 4
ADJECTIVES = frozenset(
    {"big", "biggest", "common", "main", "major", "huge", "typical", "other", "key", "most",
     "important", "really", "classic", "very"}
)  # fmt: skip
SEQUENCERS = {"next": "next", "another": "next", "last": "last", "final": "last"}
# What follows an ordinal or sequencer when it opens an item: "the second big one".
HEADS = frozenset(
    {"one", "thing", "things", "up", "mistake", "error", "problem", "fault", "variation",
     "version", "option", "progression", "variant", "issue", "way",
     "won", "word"}  # how a small model often hears "one"
)  # fmt: skip
# What a small model writes for the number right after a kind noun ("Mistake once, ...").
MISHEARD_NUMBERS = {"once": 1, "when": 1, "won": 1, "want": 1, "to": 2, "too": 2, "tu": 2,
                    "free": 3, "tree": 3, "for": 4, "fore": 4}  # fmt: skip
SOFT_FILLERS = FILLERS | {"like"}  # "the first big, like, one"
# Phrases that name an item even when its ordinal was misheard: "... I see all the time is".
NAMING_PHRASES = ("i see all the time is", "i always see is", "people get wrong is",
                  "people always get wrong is", "i see people make is", "people do is",
                  "i see a lot is", "i see most is")  # fmt: skip
MAX_NAMING_AT = 4  # words before a naming phrase ("And on the run, what ...")
COUNTING_VERBS = VERBS | {"do", "repeat", "rest", "add", "about", "for", "maybe", "like"}
NOT_NAMES = frozenset({"instead", "rather", "else", "not", "so"})  # "Or, instead, keep ..."
LAST_WORDS = ("and finally", "finally", "and lastly", "lastly", "last but not least")
VARIATION_SEQUENCERS = ("or you can try", "or try", "or you could try", "or last one",
                        "or the last one", "or finally", "or")  # fmt: skip
# Plural nouns that announce a kind when a count or "a few" comes before them.
ANNOUNCED_NOUNS: dict[str, CueKind] = {
    "mistakes": "mistake", "errors": "mistake", "problems": "mistake", "faults": "mistake",
    "issues": "mistake", "variations": "variation", "versions": "variation",
    "variants": "variation", "progressions": "variation", "regressions": "variation",
    "options": "variation", "alternatives": "variation", "ways": "variation",
}  # fmt: skip
COUNT_WORDS = {"a": None, "few": None, "couple": 2, "some": None, "several": None}
# Phrases that head the variations even without a count.
VARIATION_HEADERS = ("on to the variations", "onto the variations", "to the variations",
                     "change it up", "make it harder", "make this harder", "harder versions",
                     "mix it up", "switch it up", "progress this", "level this up")  # fmt: skip
ASIDE_OPENERS = ("by the way", "side note", "quick side note", "real quick", "oh and",
                 "fun fact", "quick note", "just a note", "before i forget",
                 "if you're new here")  # fmt: skip
ASIDE_ANYWHERE = ("linked below", "link below", "in the description", "link in",
                  "you asked about", "asked about my", "my program", "my shoes")  # fmt: skip
SIGN_OFF_OPENERS = ("that's it", "that is it", "that's all", "that is all", "there you have it",
                    "there you go", "to recap", "to sum up", "hope this helps",
                    "i hope this helps", "that's a wrap", "and that's it",
                    "now you know")  # fmt: skip
SIGN_OFF_ANYWHERE = ("subscribe", "see you next", "see you in the next", "see you next time",
                     "thanks for watching", "thank you for watching", "until next time",
                     "give these a try", "give them a try", "try these", "let me know how",
                     "comment below", "follow for more", "that's a wrap", "that's all i've got",
                     "for today", "for watching", "see you", "wrap", "wrap it up")  # fmt: skip
# Where a run-on sentence of more than RUN_ON_WORDS words is cut even without a comma.
RUN_ON_WORDS = 14
TURNS = ("and finally", "next one", "the last one", "the next one", "number two", "number three",
         "number four", "see you", "thanks for watching", "that's it", "that's all",
         "give these a try", "here are", "on to the", "by the way", "side note",
         "or you can try")  # fmt: skip
# Moving on to another exercise of a whole session.
PART_OPENERS = ("next exercise", "next movement", "next lift", "next up is the",
                "second exercise", "third exercise", "last exercise", "final exercise",
                "another exercise", "our next exercise", "the next exercise")  # fmt: skip
PART_ANYWHERE = ("move on to the", "moving on to the", "switch to the", "switching to the",
                 "on to the next exercise", "next exercise")  # fmt: skip
FIRST_TRY_HEAD = 5  # words before a retaken heading in its clause that may be its lead-in
# A retake: "again" or "over" with one of these ("wait, let me say that again").
RETAKE_WORDS = ("let me", "wait", "sorry", "scratch that", "one more time")

STRONG = 6.0  # the kind noun with a number: "mistake number two"
ORDINAL = 4.0  # "the second big one", "number two is"
SEQUENCE = 3.0  # "next one is", "and finally", "first up"
LOOSE = 2.0  # "or you can try the ..."


@dataclass(frozen=True, slots=True)
class Opener:
    """A phrase that opens an item; `kind` None when only the context can tell."""

    kind: CueKind | None
    number: int | None  # said number or ordinal; None for "next one", "and finally"
    last: bool  # "the last one", "finally"
    first: int  # word index where the phrase starts
    after: int  # word index where the item's name starts
    strength: float
    loose: bool = False  # the number is a sound-alike ("free", "to"): it may be another


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of the take (a sentence, or a clause of a long run-on one) and its evidence."""

    span: Span
    opener: Opener | None = None
    announced: CueKind | None = None  # "three mistakes", "a few ways to change it up"
    count: int | None = None  # how many were announced
    header: float = 0.0  # how much it sounds like a group header of variations
    aside: float = 0.0
    sign_off: float = 0.0
    retake: bool = False  # "wait, let me say that again"
    sentence: int = 0  # index of the first word of its sentence
    part: float = 0.0  # how much it sounds like moving on to another exercise
    names_thing: bool = False  # only a name after its lead-in: "All right, the bent-over row,"
    order: bool = False  # a correction or instruction in the imperative: "Tuck your elbows in"
    roles: tuple[float, ...] = ()  # the chance of each of roles.ROLES, from its meaning


def units_of(
    words_text: Sequence[str], normalised: Sequence[str], sentences: Sequence[Span], cues: list[Cue]
) -> list[Unit]:
    """Cut the sentences into units and weigh what each one does.

    Args:
        words_text: every word as the model wrote it (with punctuation).
        normalised: every word normalised (see `speech.normalise`).
        sentences: the sentence spans.
        cues: the cue phrases found by `cues.find_cues` (kind noun and number).
    """
    units = []
    for first, stop, sentence_first, sentence_stop in _merged(
        _clauses(words_text, normalised, sentences), normalised
    ):
        said = list(normalised[first:stop])
        start = _skip_lead_in(said)
        opener = _cue_opener(
            normalised, cues, (first, stop, sentence_stop), start
        ) or _natural_opener(list(normalised[first:sentence_stop]), start, first, stop - first)
        announced, count = announcement(said)
        sign_off = sign_off_score(said, start)
        if opener is not None and opener.strength <= LOOSE and sign_off > 0:
            opener = None  # "Or, right, that's a wrap."
        units.append(
            Unit(
                span=(first, stop),
                opener=opener,
                announced=announced,
                count=count,
                header=header_score(said, announced),
                aside=aside_score(said, start),
                sign_off=sign_off,
                retake=is_retake(said),
                sentence=sentence_first,
                part=part_score(said, start, announced),
                names_thing=_names_thing(said[start:]),
                order=is_order(said),
            )
        )
    return units


def _clauses(
    words_text: Sequence[str], normalised: Sequence[str], sentences: Sequence[Span]
) -> list[tuple[int, int, int, int]]:
    """Sentences cut again after a comma, semicolon or colon, as (first, stop, sentence first,
    sentence stop); a clause of lead-in words only ("So, um,") and a last word alone stay with
    their neighbours. A run-on sentence with no commas at all is also cut before a phrase that
    opens or closes something ("... down to the floor and finally the front foot ..."), and
    any clause right after a retake ("... say that again and finally looking up ...").
    """
    clauses: list[tuple[int, int, int, int]] = []
    for first, stop in sentences:
        begin = first
        for index in range(first + 1, stop):
            comma = words_text[index - 1].rstrip().endswith((",", ";", ":"))
            said = [t for t in normalised[begin:index] if t and t not in FILLERS]
            content = any(t not in LEAD_IN for t in said)
            clause_end = next(
                (
                    i + 1
                    for i in range(begin, stop)
                    if words_text[i].rstrip().endswith((",", ";", ":"))
                ),
                stop,
            )
            long_clause = clause_end - begin > RUN_ON_WORDS
            run_on = long_clause and index - begin >= 4 and clause_end - index >= 2
            if run_on and (
                any(phrase_at(normalised[index:stop], p) == 0 for p in TURNS)
                or _names_an_item(normalised[index:stop])
            ):
                comma = True
            if _retake_ends(normalised, begin, index):
                comma = True  # "wait, let me say that again and finally looking up at ..."
            if comma and content and index - begin >= 2 and stop - index >= 2:
                clauses.append((begin, index, first, stop))
                begin = index
        clauses.append((begin, stop, first, stop))
    return _first_tries(clauses, normalised)


def _first_tries(
    clauses: list[tuple[int, int, int, int]], normalised: Sequence[str]
) -> list[tuple[int, int, int, int]]:
    """A clause right before a retake is cut again before a phrase that opens an item in it
    ("push the floor away and finally looking, | wait, let me say that again"): that try is
    the heading the retake takes back, so it is a unit of its own. A few words before it that
    are no order ("Okay, you know, number two,") are the try's own lead-in and stay with it."""
    cut: list[tuple[int, int, int, int]] = []
    for index, (first, stop, sentence_first, sentence_stop) in enumerate(clauses):
        following = clauses[index + 1] if index + 1 < len(clauses) else None
        if following is None or not is_retake(list(normalised[following[0] : following[1]])):
            cut.append((first, stop, sentence_first, sentence_stop))
            continue
        turn = next(
            (
                at
                for at in range(first + 2, stop)
                if any(phrase_at(normalised[at:stop], p) == 0 for p in (*TURNS, *LAST_WORDS))
                or _names_an_item(normalised[at:stop])
            ),
            None,
        )
        head = list(normalised[first:turn]) if turn is not None else []
        if turn is None or (len(head) <= FIRST_TRY_HEAD and not is_order(head)):
            cut.append((first, stop, sentence_first, sentence_stop))
            continue
        cut.append((first, turn, sentence_first, sentence_stop))
        cut.append((turn, stop, sentence_first, sentence_stop))
    return cut


def _retake_ends(normalised: Sequence[str], begin: int, index: int) -> bool:
    """Whether a retake ("wait, let me say that again") ends right before word `index` of
    the clause starting at `begin`: the coach's second try runs on after it without a comma,
    and opens its item from there."""
    said = list(normalised[begin:index])
    return is_retake(said) and not is_retake(said[:-1])


def _names_an_item(tokens: Sequence[str]) -> bool:
    """Whether `tokens` start with a kind noun and its number ("variation one", "mistake number
    three") or an ordinal and a kind noun ("the third variation"): an item's opening, where a
    sentence the speech model ran on without punctuation is cut."""
    head = tokens[1:] if tokens[:1] == ["the"] else tokens
    if len(head) >= 2 and head[0] in ORDINALS and noun_kind(head[1]):
        return True
    kind = noun_kind(tokens[0]) if len(tokens) >= 2 else None
    if kind is None or kind[2]:  # no kind noun, or a plural: "three variations" announces
        return False
    number = tokens[2] if tokens[1] == "number" and len(tokens) > 2 else tokens[1]
    return parse_number(number) is not None


def _merged(
    clauses: list[tuple[int, int, int, int]], normalised: Sequence[str]
) -> list[tuple[int, int, int, int]]:
    """A unit of lead-in words only ("All right.", "Or, right,") joins the unit after it."""
    merged: list[tuple[int, int, int, int]] = []
    carry: tuple[int, int] | None = None  # (first word, its sentence's first word)
    for first, stop, sentence_first, sentence_stop in clauses:
        said = [t for t in normalised[first:stop] if t and t not in FILLERS]
        if all(t in LEAD_IN or t == "or" for t in said) and stop < len(normalised):
            carry = (first, sentence_first) if carry is None else carry
            continue
        begin, sentence = carry if carry is not None else (first, sentence_first)
        merged.append((begin, stop, sentence, sentence_stop))
        carry = None
    if carry is not None:
        merged.append((carry[0], len(normalised), carry[1], len(normalised)))
    return merged


def _skip_lead_in(said: Sequence[str]) -> int:
    index = 0
    while index < len(said) and index < MAX_LEAD_IN + 2:
        token = said[index]
        if not token or token in FILLERS or token in LEAD_IN:
            index += 1
            continue
        break
    return index


def _cue_opener(
    normalised: Sequence[str], cues: list[Cue], span: tuple[int, int, int], start: int
) -> Opener | None:
    """A cue phrase with its kind noun ("mistake number two") at the start of the unit.

    Cues without the noun ("the next one") are left to `_natural_opener`, which lets the
    reading decide their kind from the whole take.
    """
    first, stop, sentence_stop = span
    for cue in cues:
        named = any(noun_kind(t) for t in normalised[cue.first : cue.after])
        inside = first <= cue.first < stop and cue.after <= sentence_stop
        if named and inside and cue.first - first <= start + 2:
            said = normalised[cue.after - 1]
            loose = said in HOMOPHONES or said in MISHEARD_NUMBERS
            return Opener(cue.kind, cue.number, False, cue.first, cue.after, STRONG, loose)
    return None


def _natural_opener(said: Sequence[str], start: int, offset: int, length: int) -> Opener | None:
    """An item opened by an ordinal or sequencer alone, at the start of the unit.

    `said` runs from the unit's first word to its sentence's end (a name may follow a
    comma); the phrase must start within the unit's `length` words.

    "So the first thing I always see is ...", "The second big one is ...", "Number two is
    ...", "Next one is ...", "First up, ...", "And finally, ...", "Or you can try the ...".
    """
    rest = list(said[start:])
    if not rest:
        return None
    position = 0
    inside = length - start  # words of the unit itself
    lead_word = rest[0] not in ORDINALS and rest[0] not in SEQUENCERS and rest[0] != "the"
    after_lead = rest[1:3]
    ordinal_next = bool(after_lead) and (
        after_lead[0] in ORDINALS or (after_lead[0] == "the" and after_lead[-1] in ORDINALS)
    )
    if lead_word and inside >= 3 and ordinal_next:
        position = 1  # "So you note the first thing": one misheard lead-in word
    if rest[position] == "the" and position + 1 < len(rest):
        position += 1
    while rest[position] in SOFT_FILLERS and position + 1 < min(len(rest), inside):
        position += 1  # "the, like, second"
    if rest[position] in ADJECTIVES and position + 1 < len(rest):
        position += 1  # "the other second thing", "the very first"
    if position > 0 and rest[position] not in ORDINALS and rest[position] not in SEQUENCERS:
        position = 1 if rest[0] == "the" and len(rest) > 1 else 0  # none of those after all
    misheard_lead = rest[position] not in ("number", "no", "num")
    if misheard_lead and rest[position + 1 : position + 2] == ["number"]:
        if start + position + 1 >= length:
            return None  # "like this, | number three" starts the next unit
        position += 1  # "You note, number two": a misheard lead-in before the number
    word = rest[position]
    # "number two", "#2", "2." (a digit alone starting the unit)
    if word in ("number", "no", "num") and position + 1 < len(rest):
        spoken = position + 1
        while spoken + 1 < len(rest) and rest[spoken] in SOFT_FILLERS:
            spoken += 1  # "number, like, three"
        number = parse_number(rest[spoken], loose=True)
        if number is not None:
            after = _after_is(rest, spoken + 1)
            kind = _kind_after(rest, spoken + 1)
            return Opener(kind, number, False, offset + start, offset + start + after, ORDINAL)
    if word[:1].isdigit() or word.startswith("#"):
        number = parse_number(word)
        if number is not None and position == 0:  # "2. Letting your hips sag", "3." alone
            after = _after_is(rest, 1)
            return Opener(_kind_after(rest, 1), number, False, offset + start,
                          offset + start + after, ORDINAL)  # fmt: skip
    for index in range(position + 1, min(position + 3, len(rest) - 2)):
        # "Come in mistake number three": a misheard "common" before the cue
        noun = noun_kind(rest[index])
        if noun and noun[1] and rest[index + 1] in ("number", "no", "#"):
            number = parse_number(rest[index + 2], loose=True)
            if number is not None:
                after = _after_is(rest, index + 3)
                return Opener(noun[0], number, False, offset + start, offset + start + after,
                              ORDINAL)  # fmt: skip
    if length - start == 2 and position == 0 and rest[1][:1].isdigit():
        number = parse_number(rest[1])
        if number is not None and not noun_kind(word) and word not in COUNTING_VERBS:
            # "Valation 3," "Prevention 4.": a two-word clause ending in a number is a
            # kind noun a small model did not know
            return Opener(None, number, False, offset + start, offset + start + position + 2,
                          SEQUENCE)  # fmt: skip
    noun = noun_kind(word)
    if noun is not None and noun[1] and not noun[2] and position + 1 < len(rest):
        # "Mistake once, squatting the swing": the noun opens, whatever the number became
        said = rest[position + 1]
        number = parse_number(said) or MISHEARD_NUMBERS.get(said)
        after = position + 2 if number is not None else position + 1
        loose = said in MISHEARD_NUMBERS
        return Opener(noun[0], number, False, offset + start, offset + start + after, ORDINAL,
                      loose)  # fmt: skip
    ordinal = ORDINALS.get(word)
    sequencer = SEQUENCERS.get(word)
    if ordinal is not None or sequencer is not None:
        head = position + 1
        while head < len(rest) and (rest[head] in ADJECTIVES or rest[head] in SOFT_FILLERS):
            if head - position > 3:
                break
            head += 1
        short_junk = head == position + 1 and head + 1 < len(rest) and len(rest[head]) <= 3
        if short_junk and rest[head] not in HEADS and rest[head + 1] in ("one", "thing"):
            head += 1  # "Next at one is": a small word the model put in
        if head < len(rest) and (rest[head] in HEADS or noun_kind(rest[head])):
            if rest[head] == "up" and word not in ("first", "next"):
                return None
            kind = noun_kind(rest[head])[0] if noun_kind(rest[head]) else None  # type: ignore[index]
            after = _after_is(rest, head + 1)
            strength = ORDINAL if ordinal is not None else SEQUENCE
            if rest[head] in ("thing", "things", "one") and position == 0 and word == "first":
                strength = SEQUENCE  # "first thing, ..." is also a plain "first"
            return Opener(kind, ordinal, sequencer == "last", offset + start,
                          offset + start + after, strength)  # fmt: skip
        if head == len(rest) and head - position >= 2:  # "the second big one," cut at a comma
            return Opener(None, ordinal, sequencer == "last", offset + start,
                          offset + start + head, SEQUENCE)  # fmt: skip
    for phrase in LAST_WORDS:
        if phrase_at(rest, phrase) == 0:
            after = len(phrase.split())
            return Opener(None, None, True, offset + start, offset + start + after, SEQUENCE)
    joined = list(said)
    for phrase in sorted(VARIATION_SEQUENCERS, key=len, reverse=True):
        named = [t for t in joined[len(phrase.split()) :] if t not in LEAD_IN | NOT_NAMES]
        if phrase_at(joined, phrase) == 0 and named:
            after = len(phrase.split())
            return Opener("variation", None, False, offset, offset + after, LOOSE)
    number_at = _clause_final_number(rest, length - start)
    if number_at is not None:
        # "..., grab a mat. Number, like, 3, rising onto your toes" run together by the model
        at, number = number_at
        return Opener(None, number, False, offset + start + at, offset + length, ORDINAL)
    for phrase in NAMING_PHRASES:
        at = phrase_at(rest[: MAX_NAMING_AT + len(phrase.split())], phrase)
        if at >= 0 and start + at < length:
            after = start + at + len(phrase.split())
            return Opener(None, None, False, offset + start, offset + after, LOOSE)
    return None


def _clause_final_number(rest: Sequence[str], inside: int) -> tuple[int, int] | None:
    """ "number (like) 3" ending the unit's own words, after others: (where, number)."""
    for at in range(1, max(1, inside - 1)):
        if rest[at] not in ("number", "no"):
            continue
        tail = [t for t in rest[at + 1 : inside] if t not in SOFT_FILLERS]
        if len(tail) == 1 and (tail[0][:1].isdigit() or tail[0] in WORD_NUMBERS):
            number = parse_number(tail[0])
            if number is not None:
                return at, number
    return None


def _after_is(rest: Sequence[str], begin: int) -> int:
    """Where the item's name starts: after "is" when it comes soon ("... I always see is"),
    and after a remark such as "and this is a big one"."""
    after = begin
    for index in range(begin, min(len(rest), begin + 7)):
        if rest[index] in ("is", "are", "was"):
            after = index + 1
            break
    remark = rest[after : after + 4]
    if "one" in remark and not any(parse_number(t) for t in remark[remark.index("one") + 1 :]):
        after += remark.index("one") + 1  # "a big one, doing half reps"
    return after


def _kind_after(rest: Sequence[str], begin: int) -> CueKind | None:
    for token in rest[begin : begin + 2]:
        noun = noun_kind(token)
        if noun:
            return noun[0]
    return None


def announcement(said: Sequence[str]) -> tuple[CueKind | None, int | None]:
    """The kind and count a unit announces: "three mistakes" -> (mistake, 3)."""
    for index, token in enumerate(said):
        kind = ANNOUNCED_NOUNS.get(token)
        if kind is None:
            continue
        before = said[max(0, index - 3) : index]
        counted = any(w in WORD_NUMBERS or w in COUNT_WORDS for w in before)
        if token == "ways" and not counted and not any(
            has_phrase(said[index:], p) for p in ("change it", "make it", "make this", "mix it",
                                                   "switch it", "progress", "harder", "easier")
        ):  # fmt: skip
            continue
        for word in before:
            count = WORD_NUMBERS.get(word) or (parse_number(word) if word[:1].isdigit() else None)
            if count is None and word in ("free", "tree"):
                count = 3  # a small model's "three"
            if count is not None:
                return kind, count
        counts = [COUNT_WORDS[w] for w in before if COUNT_WORDS.get(w)]
        if counts:
            return kind, counts[0]  # "a couple of ways"
        if any(w in COUNT_WORDS or w in ("these", "the") for w in before):
            return kind, None
        if kind != "variation" or token in ("variations", "versions", "progressions"):
            return kind, None
    strong = announced_kind(said)
    return (strong, None) if strong else (None, None)


def _names_thing(rest: Sequence[str]) -> bool:
    people = {"i", "i'm", "you", "your", "my", "me", "we", "it", "is", "are"}
    return 2 <= len(rest) <= 6 and rest[0] == "the" and not any(t in people for t in rest)


def part_score(said: Sequence[str], start: int, announced: CueKind | None) -> float:
    """How much a unit moves on to another exercise: "Next exercise, the push-up", "Now
    let's move on to the row"; a new list of mistakes after the variations says it too."""
    opening = list(said[start:])
    if any(phrase_at(opening, p) == 0 for p in PART_OPENERS):
        return 4.0
    if any(has_phrase(said, p) for p in PART_ANYWHERE) and not header_score(said, announced):
        return 3.0
    return 2.0 if announced == "mistake" else 0.0


def is_retake(said: Sequence[str]) -> bool:
    """ "Wait, let me say that again", "Sorry, let me start over"."""
    again = "again" in said or has_phrase(said, "start over") or has_phrase(said, "scratch that")
    return again and any(has_phrase(said, p) for p in RETAKE_WORDS)


def header_score(said: Sequence[str], announced: CueKind | None) -> float:
    """How much a unit sounds like the header of the variations."""
    score = 3.0 if announced == "variation" else 0.0
    if any(has_phrase(said, p) for p in VARIATION_HEADERS):
        score = max(score, 3.0)
    return score


def aside_score(said: Sequence[str], start: int) -> float:
    opening = list(said[start:])
    if any(phrase_at(opening, p) == 0 or phrase_at(said, p) == 0 for p in ASIDE_OPENERS):
        return 4.0
    if any(has_phrase(said, p) for p in ASIDE_ANYWHERE):
        return 2.0
    return 0.0


def sign_off_score(said: Sequence[str], start: int) -> float:
    opening = list(said[start:])
    if any(phrase_at(opening, p) == 0 for p in SIGN_OFF_OPENERS):
        return 4.0
    if any(has_phrase(said, p) for p in SIGN_OFF_ANYWHERE):
        return 3.0
    return 0.0
