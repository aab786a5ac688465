"""Build the labelled transcripts the segmenter is measured on (tests/transcripts/*.json).

Each case is a script of (section, sentence, role) lines. A small timing model gives every
word a plausible start and end (longer words take longer, pauses between sentences and
longer ones between sections), and the true plan follows from the roles: a segment starts at
its cue sentence (the intro at 0) and ends where its speech ends (issue 12: the silence
between segments belongs to neither); a "transition" line ("Now here are three
variations.") opens the next section; a demo spans its run of "bad", "good" or "demo"
sentences.

Rerun after editing a script: `python tests/transcripts/make_cases.py`.
"""

# ruff: noqa: E501  (the scripts are data: one spoken sentence a line)
from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORD_GAP = 0.05
SENTENCE_GAP = 0.35
SECTION_GAP = 0.8
LEAD_IN = 0.5
TAIL = 1.0
CHUNK_WORDS = 9  # "fixed" chunking: Whisper-like chunks that ignore sentence ends

Line = tuple[str, str, str]

# fmt: off
CASES: dict[str, dict] = {
    "numbered": {
        "about": "The plain form: 'Mistake number one: ...', a transition, three variations.",
        "topic": "Single-leg hip thrust",
        "titles": {
            "mistake-1": "Pushing off your elbows",
            "mistake-2": "Hyperextending your lower back",
            "mistake-3": "Not using your glutes",
            "variation-1": "Single-leg hip thrust with an iso hold",
            "variation-2": "Emphasized eccentric",
            "variation-3": "One and a half rep hip thrust",
        },
        "script": [
            ("intro", "Hey, coach Jordan here.", "talk"),
            ("intro", "Today we're looking at the single-leg hip thrust, three mistakes you never want to make, and three variations.", "talk"),
            ("mistake-1", "Mistake number one: pushing off your elbows.", "cue"),
            ("mistake-1", "Watch what happens when I push off my elbows like this.", "bad"),
            ("mistake-1", "Don't do this, the load moves away from your hips.", "bad"),
            ("mistake-1", "Instead, keep your arms relaxed and drive your weight into your upper back.", "good"),
            ("mistake-2", "Mistake number two: hyperextending your lower back.", "cue"),
            ("mistake-2", "Here I'm arching my lower back at the top, and my ribs flare up.", "bad"),
            ("mistake-2", "Instead, bring your ribs down and keep your back flat.", "good"),
            ("mistake-3", "Mistake number three: not using your glutes.", "cue"),
            ("mistake-3", "Now I'm driving through my toes, so I feel it in my knees.", "bad"),
            ("mistake-3", "Instead, drive through your heel and squeeze your glute.", "good"),
            ("mistake-3", "Now here are three variations.", "transition"),
            ("variation-1", "Variation one: single-leg hip thrust with an iso hold.", "cue"),
            ("variation-1", "Pause at the top of every rep and keep squeezing.", "demo"),
            ("variation-2", "Variation two: emphasized eccentric.", "cue"),
            ("variation-2", "Drive up, then take two to three seconds on the way down.", "demo"),
            ("variation-3", "Variation three: the one and a half rep hip thrust.", "cue"),
            ("variation-3", "Come all the way up, lower halfway, come back up, then all the way down.", "demo"),
            ("outro", "That's it.", "talk"),
            ("outro", "Try these in your next workout, and subscribe for more.", "talk"),
        ],
    },
    "ordinals": {
        "about": "'The first mistake', 'the second mistake', 'the last mistake'; sign-off.",
        "topic": "Goblet squat",
        "titles": {
            "mistake-1": "Letting your knees cave in",
            "mistake-2": "Rounding your upper back",
            "mistake-3": "Rising onto your toes",
        },
        "script": [
            ("intro", "What's up everyone.", "talk"),
            ("intro", "Today we're going to talk about the goblet squat.", "talk"),
            ("mistake-1", "The first mistake I see is letting your knees cave in.", "cue"),
            ("mistake-1", "See how my knees collapse when I come up like this?", "bad"),
            ("mistake-1", "Make sure you push your knees out over your toes.", "good"),
            ("mistake-2", "The second mistake is rounding your upper back.", "cue"),
            ("mistake-2", "If you let the weight pull you forward, your back rounds.", "bad"),
            ("mistake-2", "Keep your chest tall and hold the bell close.", "good"),
            ("mistake-3", "The last mistake is rising onto your toes.", "cue"),
            ("mistake-3", "Never let your heels come off the floor.", "bad"),
            ("mistake-3", "Instead, keep your whole foot planted and sit between your heels.", "good"),
            ("outro", "That's all for today.", "talk"),
            ("outro", "See you next time.", "talk"),
        ],
    },
    "hash-and-common": {
        "about": "'Common mistake #1', 'Mistake #2', 'common mistake number three'.",
        "topic": "Push-up",
        "titles": {
            "mistake-1": "Flaring your elbows",
            "mistake-2": "Sagging hips",
            "mistake-3": "Half reps",
        },
        "script": [
            ("intro", "Let's talk about the push-up.", "talk"),
            ("mistake-1", "Common mistake #1: flaring your elbows.", "cue"),
            ("mistake-1", "Watch what happens to my shoulders when the elbows flare out.", "bad"),
            ("mistake-1", "Instead, tuck your elbows to about forty-five degrees.", "good"),
            ("mistake-2", "Mistake #2: sagging hips.", "cue"),
            ("mistake-2", "My hips drop and my lower back takes the load, bad form.", "bad"),
            ("mistake-2", "Squeeze your glutes and brace so your body stays in one line.", "good"),
            ("mistake-3", "Common mistake number three: half reps.", "cue"),
            ("mistake-3", "I'm only going halfway down, don't do this.", "bad"),
            ("mistake-3", "The right way is to touch your chest to the floor every rep.", "good"),
            ("outro", "Thanks for watching.", "talk"),
        ],
    },
    "misheard": {
        "about": "ASR noise: 'number won', 'mistakes number to', 'Number Three:', '4.'; "
        "an announcement in the intro and a cue word in passing.",
        "topic": "Deadlift",
        "titles": {
            "mistake-1": "Starting with the bar too far away",
            "mistake-2": "Jerking the bar off the floor",
            "mistake-3": "Looking up at the ceiling",
            "mistake-4": "Letting the bar drift forward",
        },
        "script": [
            ("intro", "Today I want to show you the deadlift.", "talk"),
            ("intro", "There are four mistakes you never want to make.", "talk"),
            ("mistake-1", "Mistake number won, starting with the bar too far away.", "cue"),
            ("mistake-1", "If you set up like this, the bar swings out in front of you.", "bad"),
            ("mistake-1", "Instead, keep the bar over your mid foot before you pull.", "good"),
            ("mistake-2", "Mistakes number to: jerking the bar off the floor.", "cue"),
            ("mistake-2", "Don't make this mistake again, you lose your position right away.", "bad"),
            ("mistake-2", "Make sure you pull the slack out of the bar first.", "good"),
            ("mistake-3", "Mistake Number Three: Looking Up At The Ceiling.", "cue"),
            ("mistake-3", "See how my neck cranks back when I look up?", "bad"),
            ("mistake-3", "Keep your chin tucked and look at the floor a few feet ahead.", "good"),
            ("mistake-4", "Mistake number 4. Letting the bar drift forward.", "cue"),
            ("mistake-4", "The bar floats away from my legs, that's wrong.", "bad"),
            ("mistake-4", "Drag it up your shins and thighs the whole way.", "good"),
        ],
    },
    "sequential": {
        "about": "'The first mistake', then 'another mistake I see', 'the next mistake', "
        "'the final mistake': numbering by counting.",
        "topic": "Plank",
        "titles": {
            "mistake-1": "Holding your breath",
            "mistake-2": "Letting your hips sag",
            "mistake-3": "Piking your hips up",
            "mistake-4": "Looking straight ahead",
        },
        "script": [
            ("intro", "In this video I'm going to show you how to fix your plank.", "talk"),
            ("mistake-1", "The first mistake is holding your breath.", "cue"),
            ("mistake-1", "If you hold your breath like this, your face goes red.", "bad"),
            ("mistake-1", "Breathe slowly through your nose and keep your ribs down.", "good"),
            ("mistake-2", "Another mistake I see is letting your hips sag.", "cue"),
            ("mistake-2", "When the hips drop, your lower back takes over.", "bad"),
            ("mistake-2", "Squeeze your glutes and tuck your pelvis instead.", "good"),
            ("mistake-3", "Okay, so the next mistake is piking your hips up.", "cue"),
            ("mistake-3", "Don't stick your butt in the air like this.", "bad"),
            ("mistake-3", "Make sure your body makes a straight line from head to heels.", "good"),
            ("mistake-4", "And the final mistake is looking straight ahead.", "cue"),
            ("mistake-4", "Craning your neck up puts strain on it.", "bad"),
            ("mistake-4", "Keep your neck long and look at the floor.", "good"),
            ("outro", "Give these a try and let me know how it goes.", "talk"),
        ],
    },
    "announced-variations": {
        "about": "'Here are three variations... the first one is... the second one... "
        "the last one': cues from an announced list.",
        "topic": "Split squat",
        "titles": {
            "variation-1": "Front foot elevated split squat",
            "variation-2": "Rear foot elevated split squat",
            "variation-3": "Split squat with a pause at the bottom",
        },
        "script": [
            ("intro", "Today we're working on the split squat.", "talk"),
            ("intro", "Here are three variations to make it harder.", "talk"),
            ("variation-1", "The first one is the front foot elevated split squat.", "cue"),
            ("variation-1", "Put your front foot on a plate so you can sink deeper.", "demo"),
            ("variation-2", "The second one is the rear foot elevated split squat.", "cue"),
            ("variation-2", "Rest your back foot on a bench and drop straight down.", "demo"),
            ("variation-3", "The last one is the split squat with a pause at the bottom.", "cue"),
            ("variation-3", "Hold the bottom for two seconds, then drive up.", "demo"),
            ("variation-3", "Keep your torso tall the whole time.", "demo"),
            ("outro", "Try these and subscribe for more.", "talk"),
        ],
    },
    "variation-nouns": {
        "about": "'The first variation', 'version two', 'option three', 'progression four'.",
        "topic": "Glute bridge",
        "titles": {
            "variation-1": "Banded glute bridge",
            "variation-2": "Single-leg glute bridge",
            "variation-3": "Feet elevated bridge",
            "variation-4": "Marching bridge",
        },
        "script": [
            ("intro", "This video is about the glute bridge.", "talk"),
            ("variation-1", "The first variation is the banded glute bridge.", "cue"),
            ("variation-1", "Put a band above your knees and push out against it.", "demo"),
            ("variation-2", "Version two, single-leg glute bridge.", "cue"),
            ("variation-2", "Lift one foot and drive through the other heel.", "demo"),
            ("variation-3", "Option three is the feet elevated bridge.", "cue"),
            ("variation-3", "Put your heels on a bench for a longer range of motion.", "demo"),
            ("variation-4", "Progression four: marching bridge.", "cue"),
            ("variation-4", "Hold the top and march one knee up at a time.", "demo"),
        ],
    },
    "no-cues": {
        "about": "A talk with cue words in passing and no cues: one 'talk' segment.",
        "topic": "Breathing",
        "titles": {},
        "script": [
            ("talk", "Today let's talk about breathing when you lift.", "talk"),
            ("talk", "A big mistake people make is holding their breath for the whole set.", "talk"),
            ("talk", "There are a few mistakes like that which really add up.", "talk"),
            ("talk", "Take a big breath into your belly before each rep.", "talk"),
            ("talk", "Brace, move the weight, and breathe out at the top.", "talk"),
            ("talk", "Don't make that mistake again, your back will thank you.", "talk"),
        ],
    },
    "problems-errors": {
        "about": "'Problem number one', 'error two', 'error number 3'; no intro, no outro.",
        "topic": "",
        "titles": {
            "mistake-1": "Bar path too far forward",
            "mistake-2": "Elbows drifting back",
            "mistake-3": "Wrists bent back",
        },
        "script": [
            ("mistake-1", "Problem number one: bar path too far forward.", "cue"),
            ("mistake-1", "Look at how the bar drifts out over my toes.", "bad"),
            ("mistake-1", "Press up and slightly back so it finishes over your shoulders.", "good"),
            ("mistake-2", "Error two: elbows drifting back.", "cue"),
            ("mistake-2", "If your elbows go behind the bar, you lose power.", "bad"),
            ("mistake-2", "Keep your elbows stacked under your wrists.", "good"),
            ("mistake-3", "Error number 3, wrists bent back.", "cue"),
            ("mistake-3", "This puts a lot of stress on the joint, don't do it.", "bad"),
            ("mistake-3", "Stack the bar over your forearm with a straight wrist.", "good"),
        ],
    },
    "chunked": {
        "about": "Whisper chunks that ignore sentence ends; 'Mistake number 1.' with the "
        "title in the next short sentence.",
        "chunking": "fixed",
        "topic": "Row",
        "titles": {
            "mistake-1": "Pulling with your arms",
            "mistake-2": "Shrugging at the top",
            "variation-1": "Chest supported row",
        },
        "script": [
            ("intro", "Today we're fixing the row.", "talk"),
            ("mistake-1", "Mistake number 1. Pulling with your arms.", "cue"),
            ("mistake-1", "Watch my elbows bend first, like this.", "bad"),
            ("mistake-1", "Instead, drive your elbows back and squeeze your shoulder blades.", "good"),
            ("mistake-2", "Mistake number 2: shrugging at the top.", "cue"),
            ("mistake-2", "See how my shoulders creep up toward my ears?", "bad"),
            ("mistake-2", "Keep your shoulders down and away from your ears.", "good"),
            ("variation-1", "Variation one: chest supported row.", "cue"),
            ("variation-1", "Lie face down on an incline bench and row both dumbbells.", "demo"),
            ("outro", "That's it, see you next time.", "talk"),
        ],
    },
    "one-sentence-demo": {
        "about": "Demos inside one sentence ('don't ..., instead ...'), lead-in filler, "
        "a repeated cue, and no evidence at all (halves fallback).",
        "topic": "Lunge",
        "titles": {
            "mistake-1": "Short steps",
            "mistake-2": "Knee slamming into the floor",
            "mistake-3": "Leaning forward",
        },
        "script": [
            ("intro", "Alright, today we're looking at the lunge.", "talk"),
            ("mistake-1", "So, um, mistake number one is short steps.", "cue"),
            ("mistake-1", "Don't take tiny steps like this,", "bad"),
            ("mistake-1", "instead take a long stride so your shin stays vertical.", "good"),
            ("mistake-2", "Okay, mistake number two: knee slamming into the floor.", "cue"),
            ("mistake-2", "Again, mistake number two, this one hurts.", "bad"),
            ("mistake-2", "Lower under control and stop just short of the floor.", "good"),
            ("mistake-3", "Mistake number three, leaning forward.", "cue"),
            ("mistake-3", "My chest drops toward my knee on every rep.", "bad"),
            ("mistake-3", "My chest stays tall over my hips on every rep.", "good"),
            ("outro", "Hope this helps.", "talk"),
        ],
    },
    "no-intro-mini": {
        "about": "Starts straight on a cue, one mistake and one variation, no outro.",
        "topic": "",
        "titles": {"mistake-1": "Pushing off your elbows", "variation-1": "Iso hold"},
        "script": [
            ("mistake-1", "Mistake number one: pushing off your elbows.", "cue"),
            ("mistake-1", "Don't push off your elbows like this.", "bad"),
            ("mistake-1", "Instead, keep your arms relaxed.", "good"),
            ("variation-1", "Variation one: the iso hold.", "cue"),
            ("variation-1", "Pause at the top of every rep.", "demo"),
        ],
    },
}
# fmt: on

KINDS = {"intro": "intro", "outro": "outro", "talk": "talk"}
FALLBACK_TITLES = {"intro": "Intro", "outro": "Outro", "talk": "Talk"}


def word_length(word: str) -> float:
    """Seconds to say a word: about 165 words a minute for an average word."""
    return 0.1 + 0.055 * len(re.sub(r"[^A-Za-z0-9]", "", word))


def timed_lines(script: list[Line]) -> list[tuple[Line, list[tuple[str, float, float]]]]:
    """Every line with its words as (text, start, end)."""
    now = LEAD_IN
    timed = []
    previous: Line | None = None
    for line in script:
        section, text, role = line
        if previous is not None:
            new_section = section != previous[0] or role == "transition"
            now += SECTION_GAP if new_section else SENTENCE_GAP
        words = []
        for index, word in enumerate(text.split()):
            if index:
                now += WORD_GAP
            words.append((" " + word, round(now, 3), round(now + word_length(word), 3)))
            now += word_length(word)
        timed.append((line, words))
        previous = line
    return timed


def build_case(name: str, case: dict) -> dict:
    """The JSON for one case: its script, a Whisper-like transcript and the true plan."""
    timed = timed_lines(case["script"])
    duration = round(timed[-1][1][-1][2] + TAIL, 3)
    return {
        "name": name,
        "about": case["about"],
        "script": [list(line) for line in case["script"]],
        "topic": case["topic"],
        "transcript": transcript(timed, duration, case.get("chunking", "sentence")),
        "expected": truth(timed, duration, case["titles"]),
    }


def transcript(timed: list, duration: float, chunking: str) -> dict:
    chunks: list[list[tuple[str, float, float]]]
    if chunking == "fixed":
        flat = [w for _, words in timed for w in words]
        chunks = [flat[i : i + CHUNK_WORDS] for i in range(0, len(flat), CHUNK_WORDS)]
    else:
        chunks = [words for _, words in timed]
    return {
        "language": "en",
        "duration": duration,
        "sentences": [
            {
                "text": "".join(w[0] for w in chunk),
                "start": chunk[0][1],
                "end": chunk[-1][2],
                "words": [{"text": t, "start": a, "end": b} for t, a, b in chunk],
            }
            for chunk in chunks
        ],
    }


def truth(timed: list, duration: float, titles: dict[str, str]) -> dict:
    owners = _owners(timed)
    order: list[str] = list(dict.fromkeys(owners))
    starts, ends = {}, {}
    for section in order:
        lines = [(line, words) for (line, words), owner in zip(timed, owners) if owner == section]
        starts[section] = 0.0 if section == "intro" else lines[0][1][0][1]
        ends[section] = lines[-1][1][-1][2]
    segments = []
    for section in order:
        kind, _, number = section.partition("-")
        end = ends[section]
        segments.append(
            {
                "id": section,
                "kind": kind,
                "number": int(number) if number else None,
                "title": titles.get(section, FALLBACK_TITLES.get(kind, "")),
                "start": starts[section],
                "end": end,
                "demos": demo_spans(timed, section),
            }
        )
    return {"source": "case.mp4", "duration": duration, "segments": segments}


def _owners(timed: list) -> list[str]:
    """The section each line belongs to: a transition belongs to the section after it."""
    owners = [line[0] for line, _words in timed]
    for index in range(len(timed) - 2, -1, -1):
        if timed[index][0][2] == "transition":
            owners[index] = owners[index + 1]
    return owners


def demo_spans(timed: list, section: str) -> list[dict]:
    spans: list[dict] = []
    previous_role = None
    for (line_section, _, role), words in timed:
        if line_section == section and role in ("bad", "good", "demo"):
            if role == previous_role:
                spans[-1]["end"] = words[-1][2]
            else:
                spans.append({"form": role, "start": words[0][1], "end": words[-1][2]})
        previous_role = role if line_section == section else None
    return spans


def main() -> None:
    for name, case in CASES.items():
        path = HERE / f"{name}.json"
        path.write_text(json.dumps(build_case(name, case), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
