"""The phrasing families of a coaching take, one by one, and whole takes spoken naturally.

Each family is tested on its own words (what a unit does) and inside a hand-written take
(which segments come out), the way a user would notice: ids, titles, kinds and edges.
"""

from __future__ import annotations

import pytest

from pipeline.core.model import Plan, Sentence, Transcript, Word
from pipeline.understand.cues import find_cues
from pipeline.understand.demos import is_order
from pipeline.understand.discourse import (
    announcement,
    aside_score,
    is_retake,
    sign_off_score,
    units_of,
)
from pipeline.understand.segment import segment
from pipeline.understand.speech import normalise, split_sentences, tokens


def take(text: str) -> Transcript:
    """A transcript of `text`: a word every 0.4 s, a longer pause after each sentence, all in
    one 30-second-style chunk (as a small model returns it)."""
    words, now = [], 0.5
    for token in text.split():
        words.append(Word(" " + token, round(now, 3), round(now + 0.3, 3)))
        now += 1.0 if token.endswith((".", "?", "!")) else 0.4
    chunk = Sentence(text, words[0].start, words[-1].end, tuple(words))
    return Transcript("en", now + 1.0, (chunk,))


def units(text: str) -> list:
    words = take(text).words
    normalised = tokens(words)
    sentences = split_sentences(words)
    cues = find_cues(normalised, sentences)
    return units_of([w.text for w in words], normalised, sentences, cues)


def said(text: str) -> list[str]:
    return [normalise(t) for t in text.split()]


def shape(plan: Plan) -> list[tuple[str, str]]:
    return [(s.id, s.title) for s in plan.segments]


@pytest.mark.parametrize(
    ("text", "number", "last"),
    [
        ("So the first thing I always see is rounding your back.", 1, False),
        ("The second big one is letting your knees cave in.", 2, False),
        ("And the last one, honestly the worst, is bouncing.", None, True),
        ("Number two is flaring your elbows.", 2, False),
        ("Okay, number three, half reps.", 3, False),
        ("First up, the tempo squat.", 1, False),
        ("Next one is the box squat.", None, False),
        ("And finally, the pause squat.", None, True),
        ("2. Letting your hips sag.", 2, False),
        ("The first, like, one is squatting the swing.", 1, False),
        ("So you note the first thing I always see is rounding.", 1, False),  # "you know"
        ("The, like, second thing people get wrong is pressing.", 2, False),
        ("Next at one is jerking the bar.", None, False),
        ("Number, like, three, and this is a big one, half reps.", 3, False),
    ],
)
def test_ordinals_and_sequencers_open_items_without_the_kind_noun(
    text: str, number: int | None, last: bool
) -> None:
    opener = next((u.opener for u in units(text) if u.opener is not None), None)
    assert opener is not None and opener.kind is None
    assert (opener.number, opener.last) == (number, last)


@pytest.mark.parametrize(
    "text",
    [
        "Today we're looking at the first exercise of the day.",
        "I always keep my back flat.",
        "Push your hips back.",
        "Or, right.",
    ],
)
def test_plain_sentences_open_nothing(text: str) -> None:
    assert all(u.opener is None for u in units(text))


def test_a_kind_noun_opens_even_when_its_number_was_misheard() -> None:
    opener = units("Mistake once, squatting the swing.")[0].opener
    assert opener is not None and (opener.kind, opener.number) == ("mistake", 1)


@pytest.mark.parametrize(
    ("text", "kind", "count"),
    [
        ("People make these three mistakes over and over.", "mistake", 3),
        ("Let's fix the free mistakes that hold people back.", "mistake", 3),
        ("Here are two harder versions.", "variation", 2),
        ("Let me give you a couple of ways to change it up.", "variation", 2),
        ("Now let's look at a few ways to change it up.", "variation", None),
        ("Today we're looking at the goblet squat.", None, None),
    ],
)
def test_announcements_set_kind_and_count(text: str, kind: str | None, count: int | None) -> None:
    assert announcement(said(text)) == (kind, count)


@pytest.mark.parametrize(
    ("text", "aside"),
    [
        ("By the way, my full program is linked below.", True),
        ("Quick side note, grab a mat if the floor is hard.", True),
        ("Keep your chest tall.", False),
    ],
)
def test_asides(text: str, aside: bool) -> None:
    assert (aside_score(said(text), 0) > 0) == aside


@pytest.mark.parametrize(
    ("text", "sign_off"),
    [
        ("That's it for today, see you next week.", True),
        ("Alright, that's a wrap.", True),
        ("All right, let's wrap.", True),
        ("Give these a try and let me know how it goes.", True),
        ("That's exactly what you don't want.", False),
    ],
)
def test_sign_offs(text: str, sign_off: bool) -> None:
    tokens_said = said(text)
    start = 1 if tokens_said[0] == "alright" else 0
    assert (sign_off_score(tokens_said, start) > 0) == sign_off


def test_retakes() -> None:
    assert is_retake(said("The first one, wait, let me say that again."))
    assert is_retake(said("Sorry, let me start that one again."))
    assert not is_retake(said("Do it again for ten reps."))


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("Tuck your elbows in.", True),
        ("So keep the bar close.", True),
        ("Top your elbows to about 45 degrees.", True),  # a misheard verb before "your"
        ("Look at the floor a few feet ahead.", True),
        ("Look what happens when I round my back.", False),
        ("Watch, I flare my elbows.", False),
        ("My lower back takes the load.", False),
        ("If I set up like this the bar swings away.", False),
    ],
)
def test_corrections_in_the_imperative(text: str, order: bool) -> None:
    assert is_order(said(text)) == order


NATURAL = (
    "Hey, coach Sam here. Today we're looking at the goblet squat. "
    "People make these three mistakes all the time. "
    "So the first thing I always see is letting your knees cave in. "
    "See how my knees collapse when I come up? "
    "Push your knees out over your toes. "
    "By the way, my full program is linked below. "
    "The second big one is rounding your upper back. "
    "If I let the weight pull me forward, my back rounds. "
    "Keep your chest tall and hold the bell close. "
    "And the last one, honestly the worst, is rising onto your toes. "
    "Watch, I come up onto my toes and lose my balance. "
    "Sit back between your heels. "
    "OK, on to the variations. "
    "First up, the tempo squat. Take three seconds on the way down. "
    "Next one is the pause squat. Hold the bottom for two seconds. "
    "That's it for today, see you next week."
)


def test_a_naturally_spoken_take_is_read_whole() -> None:
    plan = segment(take(NATURAL), source="take.mp4")
    assert shape(plan) == [
        ("intro", "Intro"),
        ("mistake-1", "Letting your knees cave in"),
        ("talk", "Talk"),
        ("mistake-2", "Rounding your upper back"),
        ("mistake-3", "Rising onto your toes"),
        ("variation-1", "Tempo squat"),
        ("variation-2", "Pause squat"),
        ("outro", "Outro"),
    ]
    assert plan.topic == "Goblet squat"


def test_the_group_header_opens_the_first_variation_not_the_last_mistake() -> None:
    plan = segment(take(NATURAL), source="take.mp4")
    variation, mistake = plan.segment("variation-1"), plan.segment("mistake-3")
    assert variation.text.startswith("OK, on to the variations.")
    assert "variations" not in mistake.text


def test_an_aside_is_its_own_talk_segment_outside_the_mistakes() -> None:
    plan = segment(take(NATURAL), source="take.mp4")
    assert plan.segment("talk").text == "By the way, my full program is linked below."
    assert all("linked below" not in s.text for s in plan.segments if s.kind == "mistake")


def test_the_sign_off_is_the_outro() -> None:
    plan = segment(take(NATURAL), source="take.mp4")
    assert plan.segments[-1].text == "That's it for today, see you next week."


def test_good_form_starts_at_the_correction_in_the_imperative() -> None:
    transcript = take(NATURAL)
    plan = segment(transcript, source="take.mp4")
    words = transcript.words
    mistake = plan.segment("mistake-1")
    bad, good = mistake.demo("bad"), mistake.demo("good")
    push = next(w for w in words if w.text == " Push")
    assert bad is not None and good is not None
    assert good.start == push.start and bad.end < push.start


def test_segments_end_with_their_speech_and_leave_the_silence_between() -> None:
    transcript = take(NATURAL)
    plan = segment(transcript, source="take.mp4")
    words = transcript.words
    for before, after in zip(plan.segments, plan.segments[1:]):
        last = max(w.end for w in words if w.start < after.start)
        assert 0 < before.end - last <= 0.4
        assert before.end <= after.start


def test_numbers_alone_after_an_announcement() -> None:
    plan = segment(
        take(
            "People make these three mistakes. Number one, flaring your elbows. "
            "Don't let them flare. Tuck them in. 2. Letting your hips sag. "
            "My hips drop here. Squeeze your glutes. Number 3, half reps. "
            "I only go halfway. Touch your chest to the floor."
        ),
        source="take.mp4",
    )
    assert shape(plan) == [
        ("intro", "Intro"),
        ("mistake-1", "Flaring your elbows"),
        ("mistake-2", "Letting your hips sag"),
        ("mistake-3", "Half reps"),
    ]


def test_a_retake_keeps_one_item_named_by_the_second_try() -> None:
    plan = segment(
        take(
            "Here are the three biggest mistakes I see. "
            "The first one, wait, let me say that again. "
            "The first one is squatting the swing. See how I bend my knees? Push your hips back. "
            "The second one is lifting with your arms. Watch, I raise the bell. "
            "Let the hips float the bell. "
            "And finally, leaning back at the top. I lean way back. Finish standing tall."
        ),
        source="take.mp4",
    )
    assert shape(plan)[1:] == [
        ("mistake-1", "Squatting the swing"),
        ("mistake-2", "Lifting with your arms"),
        ("mistake-3", "Leaning back at the top"),
    ]


@pytest.mark.parametrize(
    "false_start",
    [
        "Okay, so the first big, wait, let me say that again.",  # opens the item itself
        "Okay, so the first leg, wait, let me say that again.",  # "big" misheard: it does not
        "So the, sorry, let me start that one again.",  # too few words to open anything
    ],
)
def test_a_false_start_belongs_to_the_item_said_again_after_it(false_start: str) -> None:
    text = (
        "Hey, coach Casey here. Today we're looking at the bent-over row. "
        "I'm going to show you two common mistakes. "
        f"{false_start} "
        "Okay, so the first big one is using too much momentum. I swing my whole body. "
        "Keep your chest still. "
        "Next one is shrugging your shoulders. I shrug up to my ears. Pull your elbows back."
    )
    transcript = take(text)
    plan = segment(transcript, source="take.mp4")
    said_at = next(w.start for w in transcript.words if w.start > 5 and w.text.strip() in
                   ("Okay,", "So"))  # fmt: skip
    intro, first = plan.segments[0], plan.segments[1]
    assert shape(plan)[1:] == [
        ("mistake-1", "Using too much momentum"),
        ("mistake-2", "Shrugging your shoulders"),
    ]
    assert first.start <= said_at < intro.end + 1.0  # the false start is the mistake's


def test_variations_opened_by_or_after_a_header() -> None:
    plan = segment(
        take(
            "Mistake number one: rounding your back. Don't round it. Keep it flat. "
            "Here are two harder versions. The first one is the paused deadlift. "
            "Pause below the knee. Or you can try the deficit deadlift. Stand on a plate."
        ),
        source="take.mp4",
    )
    assert shape(plan)[1:] == [
        ("variation-1", "Paused deadlift"),
        ("variation-2", "Deficit deadlift"),
    ]


def test_one_misheard_number_does_not_drop_or_reorder_the_others() -> None:
    plan = segment(
        take(
            "There are three mistakes I see. Mistake number one: elbows out. Don't flare. "
            "Tuck them. Mistake number free: hips low. My hips sag. Squeeze your glutes. "
            "Mistake number three: half reps. I go halfway. Go all the way down."
        ),
        source="take.mp4",
    )
    assert [s.id for s in plan.segments] == ["intro", "mistake-1", "mistake-2", "mistake-3"]


def test_a_two_word_clause_ending_in_a_digit_is_a_misheard_heading() -> None:
    opener = units("Valation 3, the push press.")[0].opener
    assert opener is not None and (opener.kind, opener.number) == (None, 3)
    assert all(u.opener is None for u in units("Then do 3. Hold 2."))


def test_the_outline_places_every_spoken_heading_in_order() -> None:
    spoken_take = take(
        "Today we're looking at the overhead press. Mistake number one: arching your back. "
        "I lean back and arch. Squeeze your glutes. The second mistake is pressing forward. "
        "The bar drifts away from me. Press straight up. Now here are two variations. "
        "Variation number one, the seated press. Sit on a bench. "
        "Valation 2, the push press. Dip your knees and drive."
    )
    outline = (
        "# Overhead press\n\n## Mistake 1: Arching Your Back\n## Mistake 2: Pressing Forward\n"
        "## Variation 1: Seated Press\n## Variation 2: Push Press\n## Variation 3: Z Press\n"
    )
    plan = segment(spoken_take, source="take.mp4", outline=outline)
    items = [s for s in plan.segments if s.kind in ("mistake", "variation")]
    assert [s.title for s in items] == [
        "Arching Your Back",
        "Pressing Forward",
        "Seated Press",
        "Push Press",
        "Z Press",
    ]
    assert items[3].text.startswith("Valation 2, the push press.")
    # never said: placed after its neighbour all the same, and named for a warning
    assert plan.unmatched_headings == ("Variation 3: Z Press",)


def test_a_misheard_aside_opener_stays_with_its_aside() -> None:
    plan = segment(
        take(
            "Mistake number one: rounding your back. I round it here. Keep it flat. "
            "I'm a way, my full program is linked below. "
            "Mistake number two: half reps. I go halfway. Go all the way down."
        ),
        source="take.mp4",
    )
    assert plan.segment("talk").text == "I'm a way, my full program is linked below."


SESSION = (
    "Hey, coach Sam here. Today we're looking at the goblet squat. "
    "People make these two mistakes. The first one is letting your knees cave in. "
    "See how my knees collapse? Push your knees out. "
    "The second one is rounding your back. My back rounds here. Keep your chest tall. "
    "Here are two variations. First up, the tempo squat. Take three seconds down. "
    "Next one is the pause squat. Hold the bottom. "
    "Next exercise, the push-up. There are two mistakes I see all the time. "
    "The first one is flaring your elbows. Watch, I flare them. Tuck your elbows in. "
    "The second one is sagging hips. My hips drop. Squeeze your glutes. "
    "Alright, the reverse lunge. People make these two mistakes too. "
    "Number one, short steps. I take a tiny step. Take a long step back. "
    "Number two, leaning forward. I fold over. Stay tall. "
    "That's it for today, see you next week."
)


def test_a_whole_session_is_split_into_parts_with_their_exercise() -> None:
    plan = segment(take(SESSION), source="session.mp4")
    assert [(s.id, s.part, s.topic) for s in plan.segments] == [
        ("goblet-squat_intro", 1, "Goblet squat"),
        ("goblet-squat_mistake-1", 1, "Goblet squat"),
        ("goblet-squat_mistake-2", 1, "Goblet squat"),
        ("goblet-squat_variation-1", 1, "Goblet squat"),
        ("goblet-squat_variation-2", 1, "Goblet squat"),
        ("push-up_intro", 2, "Push-up"),
        ("push-up_mistake-1", 2, "Push-up"),
        ("push-up_mistake-2", 2, "Push-up"),
        ("reverse-lunge_intro", 3, "Reverse lunge"),
        ("reverse-lunge_mistake-1", 3, "Reverse lunge"),
        ("reverse-lunge_mistake-2", 3, "Reverse lunge"),
        ("reverse-lunge_outro", 3, "Reverse lunge"),
    ]
    assert plan.segment("push-up_intro").text.startswith("Next exercise, the push-up.")
    assert plan.segment("reverse-lunge_intro").text.startswith("Alright, the reverse lunge.")


def test_a_single_exercise_take_has_no_parts() -> None:
    plan = segment(take(NATURAL), source="take.mp4")
    assert all(s.part is None and s.topic == "" for s in plan.segments)


def test_a_sign_off_takes_back_a_misheard_head_of_its_sentence_but_not_a_correction() -> None:
    misheard = segment(
        take(
            "Mistake number one: rounding your back. I round it. Keep it flat. "
            "Give me the tri hand, let me know how it goes."
        ),
        source="take.mp4",
    )
    assert misheard.segments[-1].text == "Give me the tri hand, let me know how it goes."
    correction = segment(
        take(
            "Mistake number one: rounding your back. I round it. Keep it flat, see you next week."
        ),
        source="take.mp4",
    )
    assert correction.segments[-1].text == "see you next week."


def test_titles_drop_spoken_fillers() -> None:
    plan = segment(
        take(
            "Mistake number one: flaring, you know, the elbows early. I flare them. "
            "Tuck them in. Mistake number two: starting with like, the bar too far away. "
            "The bar swings. Keep it close."
        ),
        source="take.mp4",
    )
    assert [s.title for s in plan.segments] == [
        "Flaring the elbows early",
        "Starting with the bar too far away",
    ]


def test_a_thirty_second_chunk_of_five_sentences_is_five_sentences() -> None:
    transcript = take(
        "Mistake number one: rounding your back. I round it here. Keep it flat. "
        "Mistake number two: half reps. Go all the way down."
    )
    assert len(transcript.sentences) == 1
    assert len(split_sentences(transcript.words)) == 5
    plan = segment(transcript, source="take.mp4")
    assert [s.id for s in plan.segments] == ["mistake-1", "mistake-2"]


def test_a_capital_after_a_pause_starts_a_sentence_without_punctuation() -> None:
    said = [("keep", 0.0), ("it", 0.3), ("flat", 0.6), ("Mistake", 1.6), ("two", 1.9), ("I", 3.0)]
    words = [Word(" " + token, start, start + 0.25) for token, start in said]
    assert split_sentences(words) == [(0, 3), (3, 6)]


def test_a_heading_cut_by_a_comma_is_one_item() -> None:
    plan = segment(
        take(
            "Mistake number one: rounding your back. I round it. Keep it flat. "
            "Mistake number two: half reps. I go halfway. Go all the way down. "
            "Common mistake, number three, holding your breath. I hold it. Breathe out."
        ),
        source="take.mp4",
    )
    assert [s.id for s in plan.segments] == ["mistake-1", "mistake-2", "mistake-3"]


def test_a_number_run_into_the_sentence_before_still_opens_its_item() -> None:
    plan = segment(
        take(
            "There are three mistakes I see. Number one, rounding your back. I round it. "
            "Keep it flat. Number two, half reps. I go halfway. Go all the way down, "
            "grab a mat, number like 3, rising onto your toes. I come up. Sit back."
        ),
        source="take.mp4",
    )
    assert [s.id for s in plan.segments] == ["intro", "mistake-1", "mistake-2", "mistake-3"]


def test_a_run_on_sentence_without_commas_is_cut_before_a_turn() -> None:
    plan = segment(
        take(
            "Mistake number one: rounding your back. I round it. Keep it flat. "
            "Here are two variations. First up, the tempo squat. Take three seconds down. "
            "Next one is the pause squat hold the bottom for two seconds and stay tight the "
            "whole time and then come up slowly thanks for watching see you next week."
        ),
        source="take.mp4",
    )
    assert [s.id for s in plan.segments][-1] == "outro"
    assert plan.segments[-1].text == "thanks for watching see you next week."


def test_a_run_on_sentence_is_cut_before_each_item_it_names() -> None:
    """A small model may give a whole stretch without one punctuation mark: every "variation
    one", "variation number two", "the third variation" in it still opens its item."""
    plan = segment(
        take(
            "Mistake number one: rounding your back. I round it. Keep it flat. "
            "now here are three variations variation one the side plank stack your feet "
            "variation number two the shoulder tap tap the opposite shoulder and keep your hips "
            "still the third variation is the long lever plank put your elbows out front."
        ),
        source="take.mp4",
    )
    ids = [s.id for s in plan.segments]
    assert ids[-3:] == ["variation-1", "variation-2", "variation-3"], ids
    titles = [s.title.lower() for s in plan.segments[-3:]]
    assert "side plank" in titles[0] and "shoulder tap" in titles[1] and "lever" in titles[2]
