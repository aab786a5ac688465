"""The things the pipeline passes from stage to stage.

Every stage takes and returns these frozen dataclasses, so a stage can be tested on
hand-made values and nothing downstream can change what an upstream stage decided.
Times are always seconds of the source video.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

SegmentKind = Literal["intro", "mistake", "variation", "outro", "talk"]
DemoForm = Literal["bad", "good", "demo"]
OutputType = Literal[
    "clip",
    "compare",
    "image",
    "subtitles",
    "transcript",
    "plan",
    "article",
    "page",
    "timeline",
    "timings",
]

SEGMENT_KINDS: tuple[str, ...] = ("intro", "mistake", "variation", "outro", "talk")
DEMO_FORMS: tuple[str, ...] = ("bad", "good", "demo")


@dataclass(frozen=True, slots=True)
class Media:
    """What probing a source file found out about it."""

    path: Path
    duration: float
    width: int  # display width, after rotation metadata is applied
    height: int  # display height, after rotation metadata is applied
    fps: float
    rotation: int  # display-matrix rotation in degrees (counter-clockwise, as ffmpeg applies it)
    has_audio: bool
    video_codec: str
    pixel_format: str

    @property
    def aspect(self) -> float:
        return self.width / self.height


# Below this probability the model was unsure of a word: a person should check it. Measured
# with scripts/eval_transcript.py on 42 takes (7,839 words, tiny.en, 9.1% word error): words
# under 0.6 are 12% of all words, hold 49% of the wrong ones, and 36% of them are wrong
# (0.5: 36% of the wrong ones, 39% wrong; 0.8: 73%, 29%). Half the errors for an eighth of
# the reading is the trade chosen.
UNSURE_BELOW = 0.6


@dataclass(frozen=True, slots=True)
class Word:
    """One spoken word; `text` keeps Whisper's leading space and punctuation."""

    text: str
    start: float
    end: float
    probability: float = 1.0

    @property
    def unsure(self) -> bool:
        """Whether the model was unsure of this word (a caption to check)."""
        return self.probability < UNSURE_BELOW


@dataclass(frozen=True, slots=True)
class Sentence:
    """A run of words the recogniser returned together (roughly a sentence)."""

    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True)
class Transcript:
    """Everything that was said, with word timings."""

    language: str
    duration: float
    sentences: tuple[Sentence, ...]

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(word for sentence in self.sentences for word in sentence.words)

    @property
    def text(self) -> str:
        return " ".join(sentence.text.strip() for sentence in self.sentences)


@dataclass(frozen=True, slots=True)
class Demo:
    """A stretch of a segment where the coach demonstrates bad or good form."""

    form: DemoForm
    start: float
    end: float
    reps: int | None = (
        None  # repetitions the demo shows (pipeline.understand.reps); None: not counted
    )


@dataclass(frozen=True, slots=True)
class Segment:
    """One section of the take: a mistake, a variation, the intro, the outro or plain talk."""

    id: str
    kind: SegmentKind
    number: int | None
    title: str
    start: float
    end: float
    demos: tuple[Demo, ...] = ()
    text: str = ""  # what was said in the segment, cleaned up; empty for hand-made plans
    unsure: tuple[str, ...] = ()  # words said in it that the model was unsure of, as heard
    part: int | None = None  # which exercise of a whole session (1, 2, ...); None for one
    topic: str = ""  # the exercise of its part in a session, e.g. "Goblet squat"
    # The segment's own [annotations] switches, e.g. (("slow_motion", False),); () for none.
    annotations: tuple[tuple[str, bool], ...] = ()

    @property
    def duration(self) -> float:
        return self.end - self.start

    def demo(self, form: DemoForm) -> Demo | None:
        return next((d for d in self.demos if d.form == form), None)

    @property
    def title_unsure(self) -> tuple[str, ...]:
        """The words of the title the model was unsure of: check them before publishing."""
        doubtful = {word_key(w) for w in self.unsure}
        return tuple(w for w in self.title.split() if word_key(w) in doubtful)

    @property
    def heading(self) -> str:
        """How the segment is announced on screen and in the article."""
        if self.kind == "mistake" and self.number is not None:
            return f"Mistake #{self.number}: {self.title}"
        if self.kind == "variation" and self.number is not None:
            return f"Variation #{self.number}: {self.title}"
        return self.title


@dataclass(frozen=True, slots=True)
class Plan:
    """What to make from one source: its segments in order."""

    source: str
    duration: float
    segments: tuple[Segment, ...]
    topic: str = ""  # what the video is about, e.g. "Single-leg hip thrust"
    unmatched_headings: tuple[str, ...] = ()  # outline headings the speech never covered

    def segment(self, segment_id: str) -> Segment:
        return next(s for s in self.segments if s.id == segment_id)


@dataclass(frozen=True, slots=True)
class Output:
    """One file the run wrote, as listed in manifest.json."""

    path: Path
    type: OutputType
    segment: str | None = None
    aspect: str | None = None
    alt: str | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


def word_key(text: str) -> str:
    """A word as compared: lower case, straight apostrophes, no edge punctuation, no hyphens."""
    text = text.strip().lower().replace("’", "'").replace("‘", "'").replace("-", "")
    return _EDGE.sub("", text)


_EDGE = re.compile(r"^[^\w#%$]+|[^\w%]+$")
