"""The phrasing families and exercise content the evaluation takes are written from.

Written before the takes (scripts/make_eval_takes.py draws every take from these tables with a
seeded random choice), so no rule of the segmenter is tuned to one sentence of the set. Each
family lists the ways coaches open, announce, group, demonstrate, step aside and sign off;
`{n}` is a number word, `{ord}` an ordinal, `{title}` the item's spoken name, `{count}` the
number of items announced.
"""

# ruff: noqa: E501  (tables of spoken sentences: one a line)
from __future__ import annotations

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six"]
ORDINAL_WORDS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth"]

# fmt: off
INTROS = [
    "Hey, coach {coach} here.",
    "What's up everyone, {coach} here.",
    "Alright, welcome back.",
    "Hi guys.",
]
TOPIC_LINES = [
    "Today we're looking at the {exercise}.",
    "Today we're talking about the {exercise}.",
    "In this video I want to show you the {exercise}.",
    "Let's talk about the {exercise}.",
    "Today's exercise is the {exercise}.",
]
# Announcements set the kind and count of the items that follow.
MISTAKE_ANNOUNCEMENTS = [
    "There are {count} mistakes I see all the time.",
    "People make these {count} mistakes over and over.",
    "I'm going to show you {count} common mistakes.",
    "Here are the {count} biggest mistakes I see.",
    "Let's fix the {count} mistakes that hold people back.",
]
VARIATION_ANNOUNCEMENTS_IN_INTRO = [
    "and then {count} variations to make it harder.",
    "and after that {count} ways to change it up.",
]
# Group headers open the variations and belong to the first variation's clip.
VARIATION_HEADERS_SCRIPTED = [
    "Now here are {count} variations.",
    "Now let's look at {count} variations.",
]
VARIATION_HEADERS_NATURAL = [
    "OK, on to the variations.",
    "Let me give you {count} variations to try.",
    "Now let's look at a few ways to change it up.",
    "Once you've got that down, here are {count} harder versions.",
    "Alright, so how do you make this harder? Here are {count} variations.",
]
# Item openers. Scripted: the kind noun and a number.
MISTAKE_OPENERS_SCRIPTED = [
    "Mistake number {n}: {title}.",
    "Mistake {n}: {title}.",
    "Common mistake number {n}: {title}.",
    "The {ord} mistake is {title}.",
]
# Natural: ordinals and sequencers alone, once an announcement made the kind clear.
MISTAKE_OPENERS_NATURAL_FIRST = [
    "So the first thing I always see is {title}.",
    "Number one, {title}.",
    "First up, {title}.",
    "The first one is {title}.",
    "Okay, so the first big one is {title}.",
]
MISTAKE_OPENERS_NATURAL_MIDDLE = [
    "The {ord} big one is {title}.",
    "Number {n} is {title}.",
    "Next one is {title}.",
    "Another one I see all the time is {title}.",
    "The {ord} thing people get wrong is {title}.",
    "Okay, number {n}, {title}.",
]
MISTAKE_OPENERS_NATURAL_LAST = [
    "And the last one, honestly the worst, is {title}.",
    "And finally, {title}.",
    "The last one is {title}.",
    "Number {n}, and this is a big one, {title}.",
]
VARIATION_OPENERS_SCRIPTED = [
    "Variation number {n}: the {title}.",
    "Variation {n}: the {title}.",
    "The {ord} variation is the {title}.",
]
VARIATION_OPENERS_NATURAL_FIRST = [
    "First up, the {title}.",
    "The first one is the {title}.",
    "Number one, the {title}.",
]
VARIATION_OPENERS_NATURAL_MIDDLE = [
    "Next one is the {title}.",
    "Or you can try the {title}.",
    "The {ord} one is the {title}.",
    "Number {n}, the {title}.",
]
VARIATION_OPENERS_NATURAL_LAST = [
    "And finally, the {title}.",
    "The last one is the {title}.",
    "Or, last one, the {title}.",
]
# Fault descriptions (bad form): {fault} is first person ("let my knees cave in").
BAD_SCRIPTED = [
    "Watch what happens when I {fault}.",
    "Here I {fault}, and {consequence}.",
    "Don't do this, {consequence}.",
]
BAD_NATURAL = [
    "If I {fault} like this, {consequence}.",
    "See how I {fault}? {Consequence}.",
    "Watch, I {fault}, and {consequence}.",
    "So you'll see people {fault_they} like this.",
    "Look what happens when I {fault}.",
]
BAD_SECOND = [
    "{Consequence}.",
    "That's exactly what you don't want.",
    "You can see it's not a good position.",
]
# Corrections (good form): scripted with "instead", natural in the imperative.
GOOD_SCRIPTED = [
    "Instead, {fix}.",
    "Instead, {fix}, and {fix2}.",
]
GOOD_NATURAL = [
    "{Fix}.",
    "{Fix}, and {fix2}.",
    "What you want to do is {fix}.",
    "So {fix}, like this.",
]
GOOD_SECOND = [
    "{Fix2}.",
    "Much better.",
]
VARIATION_DEMOS = [
    "{How}.",
    "{How}, and {how2}.",
]
ASIDES = [
    "By the way, my full program is linked below.",
    "Quick side note, if the floor is hard, grab a mat.",
    "Oh, and a lot of you asked about my shoes, they're just flat trainers.",
    "Side note, you can do all of this at home.",
]
SIGN_OFFS = [
    "That's it for today, see you next week.",
    "And that's all I've got for you.",
    "Give these a try and let me know how it goes.",
    "Thanks for watching, see you in the next one.",
    "Alright, that's a wrap.",
]
FILLERS = ["um,", "uh,", "you know,", "like,"]
RETAKES = ["Wait, let me say that again.", "Sorry, let me start that one again."]
PART_OPENERS = [
    "Next exercise, the {exercise}.",
    "Now let's move on to the {exercise}.",
    "Alright, the {exercise}.",
]
COACHES = ["Jordan", "Sam", "Alex", "Riley", "Casey", "Morgan"]

# Exercise content: mistakes (spoken title, fault in first person and third person,
# consequence, fix, second fix) and variations (spoken title, how, how2).
EXERCISES: dict[str, dict] = {
    "goblet squat": {
        "mistakes": [
            ("letting your knees cave in", "let my knees cave in", "let their knees cave in", "the knees take all the load", "push your knees out over your toes", "keep your whole foot on the floor"),
            ("rounding your upper back", "round my upper back", "round their upper back", "the weight pulls me forward", "keep your chest tall", "hold the bell close to your body"),
            ("rising onto your toes", "come up onto my toes", "come up onto their toes", "I lose my balance", "sit back between your heels", "keep your heels planted"),
            ("cutting the depth short", "stop halfway down", "stop halfway down", "the glutes barely work", "sit all the way down", "pause for a second at the bottom"),
        ],
        "variations": [
            ("tempo squat", "take three seconds on the way down", "drive up fast"),
            ("pause squat", "hold the bottom for two seconds", "stay tight the whole time"),
            ("heels elevated squat", "put your heels on a small plate", "let your knees travel forward"),
        ],
    },
    "push-up": {
        "mistakes": [
            ("flaring your elbows", "flare my elbows out wide", "flare their elbows out wide", "my shoulders start to hurt", "tuck your elbows to about forty five degrees", "screw your hands into the floor"),
            ("letting your hips sag", "let my hips drop", "let their hips drop", "my lower back takes the load", "squeeze your glutes", "keep one straight line from head to heels"),
            ("doing half reps", "only go halfway down", "only go halfway down", "you miss half the work", "bring your chest all the way to the floor", "lock out at the top"),
        ],
        "variations": [
            ("incline push-up", "put your hands on a bench", "lower your chest to the edge"),
            ("deficit push-up", "put your hands on two plates", "sink lower than your hands"),
            ("archer push-up", "shift your weight to one arm", "keep the other arm straight"),
        ],
    },
    "deadlift": {
        "mistakes": [
            ("starting with the bar too far away", "set up with the bar out here", "set up with the bar way out in front", "the bar swings away from me", "keep the bar over your mid foot", "pull your shins to the bar"),
            ("jerking the bar off the floor", "yank the bar up", "yank the bar up", "I lose my position right away", "pull the slack out first", "push the floor away"),
            ("looking up at the ceiling", "crank my neck back", "crank their neck back", "my neck takes a beating", "tuck your chin", "look at the floor a few feet ahead"),
        ],
        "variations": [
            ("paused deadlift", "pause just below the knee", "then finish the pull"),
            ("deficit deadlift", "stand on a low plate", "start from a deeper position"),
            ("single-leg deadlift", "balance on one leg", "reach the weight toward the floor"),
        ],
    },
    "reverse lunge": {
        "mistakes": [
            ("stepping back too short", "take a tiny step back", "take a tiny step back", "my front knee shoots forward", "take a long step back", "drop your back knee straight down"),
            ("leaning way forward", "fold over my front leg", "fold over their front leg", "my lower back gets tired", "stay tall through your chest", "brace your stomach"),
            ("pushing off the back foot", "push off my back toes", "push off their back toes", "the front leg does nothing", "drive through your front heel", "keep the back foot light"),
        ],
        "variations": [
            ("deficit reverse lunge", "stand on a small step", "step back down to the floor"),
            ("front foot elevated lunge", "put your front foot on a plate", "sink a little deeper"),
        ],
    },
    "plank": {
        "mistakes": [
            ("piking your hips up", "push my hips up high", "push their hips up high", "the abs switch off", "lower your hips into one line", "tuck your pelvis slightly"),
            ("holding your breath", "hold my breath", "hold their breath", "I go red in the face", "breathe slowly through your nose", "keep your ribs down"),
            ("sinking into your shoulders", "sink between my shoulder blades", "sink between their shoulder blades", "the shoulders take all the strain", "push the floor away", "keep your upper back round and strong"),
        ],
        "variations": [
            ("side plank", "stack your feet", "lift your hips off the floor"),
            ("plank shoulder tap", "tap the opposite shoulder", "keep your hips still"),
            ("long lever plank", "put your elbows in front of your eyes", "squeeze everything"),
        ],
    },
    "bent-over row": {
        "mistakes": [
            ("using too much momentum", "swing my whole body", "swing their whole body", "the back does almost nothing", "keep your chest still", "control the weight down"),
            ("shrugging your shoulders", "shrug up to my ears", "shrug up to their ears", "the traps take over", "pull your elbows toward your hips", "keep your neck long"),
            ("standing too upright", "stand almost straight", "stand almost straight", "it turns into a shrug", "hinge until your chest is nearly flat", "keep a slight bend in your knees"),
        ],
        "variations": [
            ("chest supported row", "lie face down on an incline bench", "row both weights up"),
            ("single arm row", "put one hand on the bench", "pull the weight to your hip"),
        ],
    },
    "kettlebell swing": {
        "mistakes": [
            ("squatting the swing", "bend my knees a lot", "bend their knees a lot", "the hips never snap", "push your hips back", "keep your shins nearly vertical"),
            ("lifting with your arms", "raise the bell with my arms", "raise the bell with their arms", "the shoulders get tired fast", "let the hips float the bell", "keep your arms loose like ropes"),
            ("leaning back at the top", "lean way back", "lean way back", "my lower back gets squeezed", "finish standing tall", "squeeze your glutes at the top"),
        ],
        "variations": [
            ("single arm swing", "hold the bell in one hand", "fight the twist"),
            ("American swing", "swing the bell overhead", "keep your ribs down"),
        ],
    },
    "overhead press": {
        "mistakes": [
            ("arching your lower back", "lean back and arch", "lean back and arch", "the lower back takes over", "squeeze your glutes hard", "keep your ribs stacked"),
            ("pressing the bar forward", "press the bar out in front", "press the bar out in front", "the bar drifts away from me", "move your head out of the way", "press straight up"),
            ("flaring the elbows early", "flare my elbows at the bottom", "flare their elbows at the bottom", "I lose all my power", "start with your elbows under the bar", "keep your forearms vertical"),
        ],
        "variations": [
            ("seated press", "sit on a bench", "press without any leg drive"),
            ("half kneeling press", "kneel on one knee", "press with one arm"),
            ("push press", "dip your knees", "drive the bar up with your legs"),
        ],
    },
}
# fmt: on
