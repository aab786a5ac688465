#!/usr/bin/env python3
"""Generate the deterministic, synthetic test footage used by make-clips.

Outputs (all committed; rerun this script to regenerate them):

* ``assets/samples/single-leg-hip-thrust.mp4`` -- a ~75 s narrated coaching
  take, 1280x720 @ 30 fps, H.264 (yuv420p, crf 28, +faststart) + AAC
  (48 kHz mono).  It mirrors the article "The Single-Leg Hip Thrust: 3 Critical
  Mistakes You Never Want to Make": intro, three mistakes (each with a cue
  sentence, a bad-form demo and a good-form demo), three variations (cue +
  description) and an outro.
* ``assets/samples/single-leg-hip-thrust.truth.json`` -- ground truth timeline.
* ``tests/data/mini.mp4`` + ``tests/data/mini.truth.json`` -- a ~13 s,
  320x180 version with one mistake and one variation, for fast tests.

The picture is drawn with Pillow frame by frame and piped to ffmpeg as raw
rgb24: a plain gym (wall, dark floor, a rack and some plates on the left, a
bench on the right) and a simple shape athlete doing single-leg hip thrusts
with the upper back on the bench.  The athlete deliberately lives off-centre,
at roughly x = 55%-90% of the frame width, so a centred 9:16 crop cuts it off
and a crop stage has to find it by motion.  No text is burned in.  Motion
follows the narration: gentle half-reps while talking, faulty reps during a
"bad" demo (pushing off the elbows / arched lower back / driving through the
toes), smooth full reps with a ~0.35 s hold at the top during "good" demos,
and the matching variation (iso hold, slow eccentric, one-and-a-half reps)
during each variation description.

Narration is synthesised with espeak-ng (voice en-us, 160 wpm), one wav per
sentence, so every sentence's start/end time is known exactly (leading and
trailing silence of each wav is trimmed).  0.35 s of silence separates
sentences inside a section and 0.8 s separates sections.

Truth format::

    {"source": "<file>.mp4", "duration": float,
     "segments": [{"id", "kind": "intro"|"mistake"|"variation"|"outro",
                   "number": int|null, "title": str, "start", "end",
                   "demos": [{"form": "bad"|"good"|"demo", "start", "end"}]}],
     "sentences": [{"text", "start", "end"}]}

A segment starts at its first sentence's start (the intro at 0) and ends at
its last sentence's end, as in the evaluation takes (scripts/make_eval_takes.py):
silence between segments belongs to neither.  A demo span is the span of the
consecutive bad / good / descriptive sentences.  The transition sentence "Now
here are three variations." is NOT a segment of its own: it opens the group
it announces, so it is variation 1's first sentence.  `--truth-only` derives
the truth files again from their sentence times, without touching the media.

Requirements at generation time only: espeak-ng and ffmpeg (found with
``shutil.which("ffmpeg")``, else ``imageio_ffmpeg.get_ffmpeg_exe()``), plus
numpy and Pillow.  Nothing is random; x264 runs with a fixed thread count and
bitexact flags so reruns on the same machine reproduce the files.

Usage::

    python scripts/make_sample.py                 # everything
    python scripts/make_sample.py --only sample   # just the 1280x720 take
    python scripts/make_sample.py --only mini     # just tests/data/mini.*
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent

FPS = 30
VOICE = "en-us"
WPM = 160
SENTENCE_GAP = 0.35  # silence between sentences of one section (s)
SECTION_GAP = 0.8  # silence between sections (s)
LEAD_IN = 0.5  # silence before the first sentence (s)
TAIL = 1.0  # silence after the last sentence (s)

# --------------------------------------------------------------------------
# The scripts: (section, sentence, role).
#
# section: segment id ("intro", "mistake-1", "variation-2", "outro", ...)
# role:    "cue"   -- the sentence that opens a mistake / variation segment
#          "talk"  -- plain talking (intro, outro)
#          "transition" -- talk sentence that gets a section pause before it
#          "bad" / "good" / "demo" -- demonstration sentences; consecutive
#                    sentences with the same role form one demo span.
# --------------------------------------------------------------------------

SAMPLE_SCRIPT: list[tuple[str, str, str]] = [
    ("intro", "Hey, coach Jordan here.", "talk"),
    (
        "intro",
        "Today: the single-leg hip thrust, three mistakes you never want to make, "
        "and three variations.",
        "talk",
    ),
    ("mistake-1", "Mistake number one: pushing off your elbows.", "cue"),
    ("mistake-1", "Watch what happens when I push off my elbows like this.", "bad"),
    ("mistake-1", "Don't do this, the load moves away from your hips.", "bad"),
    (
        "mistake-1",
        "Instead, keep your arms relaxed and drive your weight into your upper back.",
        "good",
    ),
    ("mistake-2", "Mistake number two: hyperextending your lower back.", "cue"),
    ("mistake-2", "Here I'm arching my lower back, and my ribs flare up.", "bad"),
    ("mistake-2", "Instead, bring your ribs down and keep your back flat.", "good"),
    ("mistake-3", "Mistake number three: not using your glutes.", "cue"),
    ("mistake-3", "Now I'm driving through my toes, and I feel it in my knees.", "bad"),
    ("mistake-3", "Instead, drive through your heel and squeeze your glute.", "good"),
    ("mistake-3", "Now here are three variations.", "transition"),
    ("variation-1", "Variation one: single-leg hip thrust with an iso hold.", "cue"),
    ("variation-1", "Pause at the top of every rep and keep squeezing.", "demo"),
    ("variation-2", "Variation two: emphasized eccentric.", "cue"),
    ("variation-2", "Drive up, then take two to three seconds on the way down.", "demo"),
    ("variation-3", "Variation three: the one and a half rep hip thrust.", "cue"),
    (
        "variation-3",
        "Come all the way up, lower halfway, come back up, then all the way down.",
        "demo",
    ),
    ("outro", "That's it.", "talk"),
    ("outro", "Try these in your next workout, and subscribe for more.", "talk"),
]

MINI_SCRIPT: list[tuple[str, str, str]] = [
    ("mistake-1", "Mistake number one: pushing off your elbows.", "cue"),
    ("mistake-1", "Don't push off your elbows like this.", "bad"),
    ("mistake-1", "Instead, keep your arms relaxed.", "good"),
    ("variation-1", "Variation one: the iso hold.", "cue"),
    ("variation-1", "Pause at the top of every rep.", "demo"),
]

# segment id -> (kind, number, title)
SEGMENT_INFO: dict[str, tuple[str, int | None, str]] = {
    "intro": ("intro", None, "The single-leg hip thrust: 3 critical mistakes"),
    "mistake-1": ("mistake", 1, "Pushing off your elbows"),
    "mistake-2": ("mistake", 2, "Hyperextending your lower back"),
    "mistake-3": ("mistake", 3, "Not using your glutes"),
    "variation-1": ("variation", 1, "Single-leg hip thrust with iso hold"),
    "variation-2": ("variation", 2, "Single-leg hip thrust with emphasized eccentric"),
    "variation-3": ("variation", 3, "One and a half rep single-leg hip thrust"),
    "outro": ("outro", None, "Outro"),
}

# (segment id, demo form) -> motion program name (see PROGRAMS)
MOTION_FOR_DEMO: dict[tuple[str, str], str] = {
    ("mistake-1", "bad"): "bad_elbows",
    ("mistake-2", "bad"): "bad_arch",
    ("mistake-3", "bad"): "bad_toes",
    ("mistake-1", "good"): "good",
    ("mistake-2", "good"): "good",
    ("mistake-3", "good"): "good",
    ("variation-1", "demo"): "iso_hold",
    ("variation-2", "demo"): "eccentric",
    ("variation-3", "demo"): "one_and_half",
}


@dataclass(frozen=True)
class Target:
    name: str
    script: list[tuple[str, str, str]]
    video: Path
    truth: Path
    width: int
    height: int
    crf: int
    audio_bitrate: str
    min_duration: float = 0.0  # pad the tail so the clip is at least this long
    tail: float = TAIL  # silence after the last sentence (s)


TARGETS = {
    "sample": Target(
        name="sample",
        script=SAMPLE_SCRIPT,
        video=ROOT / "assets" / "samples" / "single-leg-hip-thrust.mp4",
        truth=ROOT / "assets" / "samples" / "single-leg-hip-thrust.truth.json",
        width=1280,
        height=720,
        crf=28,
        audio_bitrate="96k",
    ),
    "mini": Target(
        name="mini",
        script=MINI_SCRIPT,
        video=ROOT / "tests" / "data" / "mini.mp4",
        truth=ROOT / "tests" / "data" / "mini.truth.json",
        width=320,
        height=180,
        crf=30,
        audio_bitrate="48k",
        min_duration=12.0,
        tail=0.7,
    ),
}


# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------


def find_ffmpeg() -> str:
    exe = shutil.which("ffmpeg")
    if exe:
        return exe
    try:
        import imageio_ffmpeg  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("ffmpeg not found: install ffmpeg or `pip install imageio-ffmpeg`")
    return imageio_ffmpeg.get_ffmpeg_exe()


def find_espeak() -> str:
    for name in ("espeak-ng", "espeak"):
        exe = shutil.which(name)
        if exe:
            return exe
    sys.exit("espeak-ng not found: install it (apt-get install espeak-ng)")


# --------------------------------------------------------------------------
# Audio: one wav per sentence, trimmed, laid out on a timeline
# --------------------------------------------------------------------------


@dataclass
class Sentence:
    section: str
    text: str
    role: str
    samples: np.ndarray  # int16 mono
    start: float = 0.0
    end: float = 0.0


def synthesise(espeak: str, text: str, out: Path) -> tuple[np.ndarray, int]:
    """Speak `text` into `out` with espeak-ng; return trimmed int16 samples and rate."""
    subprocess.run(
        [espeak, "-v", VOICE, "-s", str(WPM), "-w", str(out), text],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with wave.open(str(out), "rb") as w:
        rate = w.getframerate()
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, "expected 16-bit mono wav"
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    # Trim leading/trailing silence so sentence times are speech times.
    loud = np.flatnonzero(np.abs(data.astype(np.int32)) > 300)
    if loud.size:
        margin = int(0.02 * rate)
        data = data[max(0, loud[0] - margin) : loud[-1] + margin + 1]
    return data.copy(), rate


def build_audio(
    target: Target, espeak: str, tmp: Path
) -> tuple[list[Sentence], np.ndarray, int, float]:
    """Synthesise all sentences and place them on a timeline.

    Returns (sentences with start/end, mixed int16 samples, sample rate,
    total duration in seconds; a whole number of video frames)."""
    sentences: list[Sentence] = []
    rate = 0
    for i, (section, text, role) in enumerate(target.script):
        samples, r = synthesise(espeak, text, tmp / f"s{i:02d}.wav")
        if rate and r != rate:
            raise RuntimeError("espeak-ng returned inconsistent sample rates")
        rate = r
        sentences.append(Sentence(section, text, role, samples))

    pos = int(round(LEAD_IN * rate))
    prev_section = None
    for s in sentences:
        if prev_section is not None:
            new_section = s.section != prev_section or s.role == "transition"
            pos += int(round((SECTION_GAP if new_section else SENTENCE_GAP) * rate))
        s.start = pos / rate
        pos += len(s.samples)
        s.end = pos / rate
        prev_section = s.section

    duration = max(pos / rate + target.tail, target.min_duration)
    n_frames = math.ceil(duration * FPS)
    duration = n_frames / FPS
    mix = np.zeros(int(round(duration * rate)), dtype=np.int16)
    for s in sentences:
        a = int(round(s.start * rate))
        mix[a : a + len(s.samples)] = s.samples
    return sentences, mix, rate, duration


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


# --------------------------------------------------------------------------
# Truth timeline
# --------------------------------------------------------------------------


def r3(x: float) -> float:
    return round(x, 3)


def demo_spans(sentences: list[Sentence]) -> list[tuple[str, str, float, float]]:
    """(section, form, start, end) for each run of consecutive demo sentences."""
    spans: list[tuple[str, str, float, float]] = []
    prev: Sentence | None = None
    for s in sentences:
        if s.role in ("bad", "good", "demo"):
            if prev is not None and prev.section == s.section and prev.role == s.role:
                spans[-1] = (s.section, s.role, spans[-1][2], s.end)
            else:
                spans.append((s.section, s.role, s.start, s.end))
        prev = s
    return spans


def build_truth(target: Target, sentences: list[Sentence], duration: float) -> dict:
    """The true plan, by the rule of the evaluation takes (scripts/make_eval_takes.py): each
    segment runs from its first sentence (the intro from 0) to its last word, so silence
    between segments belongs to neither; a transition ("Now here are three variations.")
    opens the group it announces, so it is the next segment's first sentence."""
    owner = [s.section for s in sentences]
    for index in range(len(sentences) - 2, -1, -1):
        if sentences[index].role == "transition":
            owner[index] = owner[index + 1]
    order: list[str] = []
    for section in owner:
        if section not in order:
            order.append(section)
    spans = demo_spans(sentences)
    segments = []
    for sec in order:
        own = [s for s, o in zip(sentences, owner, strict=True) if o == sec]
        kind, number, title = SEGMENT_INFO[sec]
        segments.append(
            {
                "id": sec,
                "kind": kind,
                "number": number,
                "title": title,
                "start": r3(0.0 if kind == "intro" else own[0].start),
                "end": r3(own[-1].end),
                "demos": [
                    {"form": form, "start": r3(a), "end": r3(b)}
                    for (s_sec, form, a, b) in spans
                    if s_sec == sec
                ],
            }
        )
    return {
        "source": target.video.name,
        "duration": r3(duration),
        "segments": segments,
        "sentences": [{"text": s.text, "start": r3(s.start), "end": r3(s.end)} for s in sentences],
    }


def truth_again(target: Target) -> dict:
    """The truth of an existing `target`, segments derived again from its own sentence times
    (for a change of the truth rule without narrating and encoding again)."""
    old = json.loads(target.truth.read_text(encoding="utf-8"))
    said = old["sentences"]
    if [line[1] for line in target.script] != [s["text"] for s in said]:
        sys.exit(f"{target.truth}: its sentences are not the script's; generate it again")
    sentences = [
        Sentence(section, text, role, np.zeros(0, np.int16), s["start"], s["end"])
        for (section, text, role), s in zip(target.script, said, strict=True)
    ]
    return build_truth(target, sentences, old["duration"])


# --------------------------------------------------------------------------
# Motion: pose parameters as a function of time
# --------------------------------------------------------------------------

# A motion program is a cycle of (duration_s, hip_target) keyframes; the hip
# height p goes 0 (bottom) .. 1 (torso level with the bench, full lockout).
PROGRAMS: dict[str, list[tuple[float, float]]] = {
    "gentle": [(0.9, 0.0), (1.4, 0.3), (0.4, 0.3), (1.4, 0.0)],
    "good": [(0.2, 0.0), (0.7, 1.0), (0.35, 1.0), (0.75, 0.0)],
    "bad_elbows": [(0.2, 0.0), (0.7, 0.62), (0.35, 0.62), (0.75, 0.0)],
    "bad_arch": [(0.2, 0.0), (0.6, 1.18), (0.4, 1.18), (0.75, 0.0)],
    "bad_toes": [(0.15, 0.0), (0.45, 0.6), (0.15, 0.6), (0.45, 0.0)],
    "iso_hold": [(0.2, 0.0), (0.7, 1.0), (1.4, 1.0), (0.7, 0.0)],
    "eccentric": [(0.2, 0.0), (0.6, 1.0), (0.35, 1.0), (2.5, 0.0)],
    "one_and_half": [
        (0.2, 0.0),
        (0.7, 1.0),
        (0.3, 1.0),
        (0.55, 0.5),
        (0.55, 1.0),
        (0.3, 1.0),
        (0.75, 0.0),
    ],
}

RAMP = 0.35  # seconds to blend between gentle motion and a demo program


def smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def program_p(name: str, tau: float) -> float:
    keys = PROGRAMS[name]
    period = sum(d for d, _ in keys)
    tau %= period
    prev = keys[-1][1]
    for dur, tgt in keys:
        if tau < dur:
            return prev + (tgt - prev) * smoothstep(tau / dur)
        tau -= dur
        prev = tgt
    return prev


@dataclass
class Pose:
    p: float = 0.0  # hip height
    lift: float = 0.0  # shoulders lifted off the bench (design px)
    elbows: float = 0.0  # 0 arms crossed on chest .. 1 elbows driven into bench
    arch: float = 0.0  # lower-back arch (design px of torso bulge)
    heel: float = 0.0  # 0 flat foot .. 1 up on the toes
    head: float = 0.0  # head tipped back (radians)

    def blend(self, other: Pose, w: float) -> Pose:
        return Pose(*[a + (b - a) * w for a, b in zip(self.astuple(), other.astuple())])

    def astuple(self) -> tuple[float, ...]:
        return (self.p, self.lift, self.elbows, self.arch, self.heel, self.head)


def program_pose(name: str, tau: float) -> Pose:
    p = program_p(name, tau)
    if name == "bad_elbows":
        return Pose(p=p, lift=30.0 * p / 0.62, elbows=1.0)
    if name == "bad_arch":
        k = smoothstep((p - 0.5) / 0.68)
        return Pose(p=p, arch=26.0 * k, head=0.45 * k)
    if name == "bad_toes":
        return Pose(p=p, heel=1.0)
    return Pose(p=p)


@dataclass
class MotionTimeline:
    spans: list[tuple[float, float, str]] = field(default_factory=list)  # (start, end, program)

    def pose(self, t: float) -> Pose:
        base = program_pose("gentle", t)
        for start, end, prog in self.spans:
            if start - 0.01 <= t <= end + RAMP:
                w = smoothstep((t - start) / RAMP) * (1.0 - smoothstep((t - end) / RAMP))
                return base.blend(program_pose(prog, t - start), w)
        return base


def build_motion(sentences: list[Sentence]) -> MotionTimeline:
    spans = []
    for sec, form, a, b in demo_spans(sentences):
        prog = MOTION_FOR_DEMO.get((sec, form), "good")
        spans.append((a, b, prog))
    return MotionTimeline(spans)


# --------------------------------------------------------------------------
# Drawing.  Geometry is in a 1280x720 design space, scaled on output.
# --------------------------------------------------------------------------

SS = 2  # supersampling factor for anti-aliasing

DW, DH = 1280, 720
FLOOR_Y = 590
BENCH_X0, BENCH_X1 = 1060, 1210
BENCH_TOP = 458
PAD_H = 24
SHOULDER = (1068.0, 446.0)  # upper back resting on the bench edge
TORSO = 165.0
THIGH = 150.0
SHIN = 140.0
ANKLE = (742.0, 578.0)
THETA_BOTTOM = math.radians(34)  # torso angle below horizontal at the bottom
THETA_TOP = math.radians(0)

WALL_TOP = (196, 192, 184)
WALL_BOTTOM = (168, 163, 154)
BASEBOARD = (92, 88, 82)
FLOOR = (52, 52, 56)
FLOOR_LINE = (62, 62, 67)
SKIN = (214, 170, 136)
SKIN_FAR = (176, 136, 106)
SHIRT = (46, 84, 136)
SHIRT_EDGE = (36, 66, 108)
SHORTS = (40, 40, 44)
SHORTS_FAR = (30, 30, 33)
SHOE = (226, 226, 222)
SHOE_FAR = (186, 186, 182)
HAIR = (58, 40, 30)
PAD = (54, 36, 36)
STEEL = (120, 122, 128)
STEEL_DARK = (84, 86, 92)
PLATE = (34, 34, 36)
PLATE_RIM = (70, 70, 74)


def lerp(a: float, b: float, w: float) -> float:
    return a + (b - a) * w


def vec(a, b):
    return (b[0] - a[0], b[1] - a[1])


def add(a, b, k=1.0):
    return (a[0] + b[0] * k, a[1] + b[1] * k)


def norm(v):
    n = math.hypot(*v) or 1.0
    return (v[0] / n, v[1] / n)


def knee_ik(hip, ankle, l1, l2, up=True):
    """Two-link IK: knee position between hip and ankle, bending upward."""
    dx, dy = vec(hip, ankle)
    d = math.hypot(dx, dy)
    d = min(d, l1 + l2 - 1e-3)
    a = (l1 * l1 - l2 * l2 + d * d) / (2 * d)
    h = math.sqrt(max(0.0, l1 * l1 - a * a))
    ux, uy = dx / d, dy / d
    px, py = hip[0] + a * ux, hip[1] + a * uy
    k1 = (px - h * uy, py + h * ux)
    k2 = (px + h * uy, py - h * ux)
    return min(k1, k2, key=lambda k: k[1]) if up else max(k1, k2, key=lambda k: k[1])


class Painter:
    """Draws the scene at width x height; geometry given in design space."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.s = width / DW * SS  # design px -> supersampled canvas px
        self.background = self._background()

    # helpers -------------------------------------------------------------
    def P(self, pt):
        return (pt[0] * self.s, pt[1] * self.s)

    def limb(self, d: ImageDraw.ImageDraw, a, b, width, color):
        w = max(1, int(round(width * self.s)))
        d.line([self.P(a), self.P(b)], fill=color, width=w)
        r = width * self.s / 2
        for pt in (a, b):
            x, y = self.P(pt)
            d.ellipse([x - r, y - r, x + r, y + r], fill=color)

    def poly(self, d, pts, width, color):
        w = max(1, int(round(width * self.s)))
        d.line([self.P(p) for p in pts], fill=color, width=w, joint="curve")
        r = width * self.s / 2
        for pt in (pts[0], pts[-1]):
            x, y = self.P(pt)
            d.ellipse([x - r, y - r, x + r, y + r], fill=color)

    def circle(self, d, c, r, fill, outline=None, width=0):
        x, y = self.P(c)
        rr = r * self.s
        d.ellipse(
            [x - rr, y - rr, x + rr, y + rr],
            fill=fill,
            outline=outline,
            width=max(0, int(round(width * self.s))),
        )

    def rect(self, d, x0, y0, x1, y1, fill):
        d.rectangle([x0 * self.s, y0 * self.s, x1 * self.s, y1 * self.s], fill=fill)

    # static scene ----------------------------------------------------------
    def _background(self) -> Image.Image:
        W, H = int(round(DW * self.s)), int(round(DH * self.s))
        # wall: vertical gradient; floor: flat dark with faint board lines
        col = np.zeros((H, 3), dtype=np.float32)
        floor_px = int(FLOOR_Y * self.s)
        for c in range(3):
            col[:floor_px, c] = np.linspace(WALL_TOP[c], WALL_BOTTOM[c], floor_px)
            col[floor_px:, c] = FLOOR[c]
        arr = np.repeat(col[:, None, :], W, axis=1).round().astype(np.uint8)
        img = Image.fromarray(arr, "RGB")
        d = ImageDraw.Draw(img)
        self.rect(d, 0, FLOOR_Y - 14, DW, FLOOR_Y, BASEBOARD)
        for y in (622, 662, 710):
            self.rect(d, 0, y, DW, y + 2, FLOOR_LINE)
        # squat rack on the left (static detail)
        for x in (96, 236):
            self.rect(d, x, 150, x + 16, FLOOR_Y + 4, STEEL_DARK)
        self.rect(d, 88, FLOOR_Y, 252, FLOOR_Y + 10, STEEL_DARK)
        for y in range(200, 520, 34):
            for x in (96, 236):
                self.circle(d, (x + 8, y), 3, (60, 62, 66))
        self.rect(d, 70, 318, 270, 328, STEEL)  # barbell on the j-hooks
        for x in (52, 260):
            self.rect(d, x, 284, x + 16, 362, PLATE)
        # plates leaning against the wall
        for cx, r in ((410, 62), (446, 52), (476, 40)):
            self.circle(d, (cx, FLOOR_Y - r), r, PLATE, outline=PLATE_RIM, width=5)
            self.circle(d, (cx, FLOOR_Y - r), 8, PLATE_RIM)
        # a dumbbell on the floor
        self.rect(d, 560, FLOOR_Y + 20, 620, FLOOR_Y + 27, STEEL)
        self.rect(d, 550, FLOOR_Y + 10, 566, FLOOR_Y + 37, PLATE)
        self.rect(d, 614, FLOOR_Y + 10, 630, FLOOR_Y + 37, PLATE)
        # bench: legs, frame and pad
        self.rect(d, BENCH_X0 + 18, BENCH_TOP + PAD_H, BENCH_X0 + 30, FLOOR_Y + 6, STEEL_DARK)
        self.rect(d, BENCH_X1 - 30, BENCH_TOP + PAD_H, BENCH_X1 - 18, FLOOR_Y + 6, STEEL_DARK)
        self.rect(d, BENCH_X0 + 6, BENCH_TOP + PAD_H, BENCH_X1 - 6, BENCH_TOP + PAD_H + 10, STEEL)
        self.rect(d, BENCH_X0 + 8, FLOOR_Y, BENCH_X1 - 8, FLOOR_Y + 8, STEEL_DARK)
        self.rect(d, BENCH_X0, BENCH_TOP, BENCH_X1, BENCH_TOP + PAD_H, PAD)
        return img

    # athlete ---------------------------------------------------------------
    def frame(self, pose: Pose) -> Image.Image:
        img = self.background.copy()
        d = ImageDraw.Draw(img)

        shoulder = (SHOULDER[0] - 6 * pose.elbows, SHOULDER[1] - pose.lift)
        theta = lerp(THETA_BOTTOM, THETA_TOP, pose.p)
        hip = (shoulder[0] - TORSO * math.cos(theta), shoulder[1] + TORSO * math.sin(theta))
        # Elbow push: shoulders rise but the hips lag (they sag below the line).
        hip = (hip[0], hip[1] + 0.55 * pose.lift)
        along = norm(vec(hip, shoulder))  # hip -> shoulder
        up = (along[1], -along[0])  # belly side normal
        if up[1] > 0:
            up = (-up[0], -up[1])

        # near foot / ankle: on the toes the heel lifts and the knee shifts forward
        ankle = (ANKLE[0] - 10 * pose.heel, ANKLE[1] - 16 * pose.heel)
        heel = (ankle[0] + 10, lerp(FLOOR_Y - 6, FLOOR_Y - 24, pose.heel))
        toe = (ankle[0] - 44, FLOOR_Y - 6)
        knee = knee_ik(hip, ankle, THIGH, SHIN)

        # far (free) leg: thigh perpendicular to the torso, shin pointing forward
        free_knee = add(hip, norm(add(up, along, -0.15)), THIGH * 0.95)
        free_ankle = add(free_knee, norm(add((-1.0, 0.25), along, -0.3)), SHIN * 0.9)

        # far arm behind the torso (only visible when pushing off the elbows)
        far_sh = add(shoulder, (4, -2))
        far_elb = (
            lerp(far_sh[0] - 44, far_sh[0] + 30, pose.elbows),
            lerp(far_sh[1] - 20, BENCH_TOP - 6, pose.elbows),
        )
        far_hand = (
            lerp(far_sh[0] - 14, far_sh[0] + 86, pose.elbows),
            lerp(far_sh[1] - 24, BENCH_TOP - 6, pose.elbows),
        )
        self.limb(d, far_sh, far_elb, 17, SKIN_FAR)
        self.limb(d, far_elb, far_hand, 15, SKIN_FAR)

        self.limb(d, hip, free_knee, 30, SKIN_FAR)
        self.limb(d, hip, add(hip, vec(hip, free_knee), 0.45), 32, SHORTS_FAR)
        self.limb(d, free_knee, free_ankle, 24, SKIN_FAR)
        fdir = norm(vec(free_knee, free_ankle))
        fperp = (fdir[1], -fdir[0]) if fdir[1] <= 0 else (-fdir[1], fdir[0])
        self.limb(d, free_ankle, add(free_ankle, fperp, 34), 16, SHOE_FAR)

        # head (beyond the shoulder, tucked chin; tipped back when arching)
        hang = math.atan2(along[1], along[0]) - 0.55 - pose.head
        neck = add(shoulder, (math.cos(hang), math.sin(hang)), 34)
        head = add(shoulder, (math.cos(hang), math.sin(hang)), 56)
        self.limb(d, shoulder, neck, 18, SKIN)
        self.circle(d, head, 27, SKIN)
        hair_c = add(head, (math.cos(hang), math.sin(hang)), 7)
        self.circle(d, add(hair_c, (0, -5)), 23, HAIR)
        self.circle(d, add(head, (-6, 4)), 20, SKIN)

        # torso: quadratic curve hip -> shoulder, bulging up when arching
        mid = add(((hip[0] + shoulder[0]) / 2, (hip[1] + shoulder[1]) / 2), up, pose.arch)
        pts = []
        for i in range(13):
            u = i / 12
            pts.append(
                (
                    (1 - u) ** 2 * hip[0] + 2 * (1 - u) * u * mid[0] + u * u * shoulder[0],
                    (1 - u) ** 2 * hip[1] + 2 * (1 - u) * u * mid[1] + u * u * shoulder[1],
                )
            )
        self.poly(d, pts, 50, SHIRT_EDGE)
        self.poly(d, pts, 44, SHIRT)
        self.poly(d, pts[:4], 46, SHORTS)

        # near leg
        self.limb(d, hip, knee, 34, SKIN)
        self.limb(d, hip, add(hip, vec(hip, knee), 0.5), 38, SHORTS)
        self.limb(d, knee, ankle, 27, SKIN)
        d.polygon(
            [
                self.P(heel),
                self.P(add(ankle, (10, -4))),
                self.P(add(ankle, (-18, -2))),
                self.P(add(toe, (0, -8))),
                self.P(add(toe, (0, 6))),
                self.P((heel[0], heel[1] + 12)),
            ],
            fill=SHOE,
        )

        # near arm: crossed on the chest, or elbow driven into the bench pad
        elb = (
            lerp(shoulder[0] - 58, shoulder[0] + 26, pose.elbows),
            lerp(shoulder[1] - 16, BENCH_TOP - 7, pose.elbows),
        )
        hand = (
            lerp(shoulder[0] - 12, shoulder[0] + 84, pose.elbows),
            lerp(shoulder[1] - 30, BENCH_TOP - 7, pose.elbows),
        )
        if pose.elbows < 0.5:  # crossed arms follow the torso angle
            w = 1 - pose.elbows * 2
            rot = math.atan2(along[1], along[0])

            def on_torso(dx, dy):
                return add(
                    shoulder,
                    (
                        dx * math.cos(rot) - dy * math.sin(rot),
                        dx * math.sin(rot) + dy * math.cos(rot),
                    ),
                )

            elb = tuple(lerp(e, c, w) for e, c in zip(elb, on_torso(-58, -18)))
            hand = tuple(lerp(h, c, w) for h, c in zip(hand, on_torso(-10, -36)))
        self.limb(d, shoulder, elb, 20, SKIN)
        self.limb(d, shoulder, add(shoulder, vec(shoulder, elb), 0.4), 24, SHIRT)
        self.limb(d, elb, hand, 17, SKIN)

        return img.reduce(SS) if SS > 1 else img


# --------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------


def encode(target: Target, ffmpeg: str, wav: Path, duration: float, motion: MotionTimeline) -> None:
    painter = Painter(target.width, target.height)
    n_frames = int(round(duration * FPS))
    target.video.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = target.video.with_suffix(".tmp.mp4")
    cmd = [
        ffmpeg,
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{target.width}x{target.height}",
        "-r",
        str(FPS),
        "-i",
        "pipe:0",
        "-i",
        str(wav),
        "-map",
        "0:v:0",
        "-map",
        "1:a:0",
        "-c:v",
        "libx264",
        "-preset",
        "medium",
        "-crf",
        str(target.crf),
        "-pix_fmt",
        "yuv420p",
        "-threads",
        "2",
        "-g",
        str(FPS * 2),
        "-c:a",
        "aac",
        "-ar",
        "48000",
        "-ac",
        "1",
        "-b:a",
        target.audio_bitrate,
        "-t",
        f"{duration:.3f}",
        "-map_metadata",
        "-1",
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        "-flags:a",
        "+bitexact",
        "-movflags",
        "+faststart",
        str(tmp_out),
    ]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        for i in range(n_frames):
            img = painter.frame(motion.pose(i / FPS))
            proc.stdin.write(img.tobytes())
    finally:
        proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError(f"ffmpeg failed for {target.name}")
    tmp_out.replace(target.video)


def make(target: Target, ffmpeg: str, espeak: str) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"make_sample_{target.name}_") as td:
        tmp = Path(td)
        sentences, mix, rate, duration = build_audio(target, espeak, tmp)
        wav = tmp / "narration.wav"
        write_wav(wav, mix, rate)
        motion = build_motion(sentences)
        encode(target, ffmpeg, wav, duration, motion)
    truth = build_truth(target, sentences, duration)
    target.truth.write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    return truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--only",
        choices=sorted(TARGETS),
        action="append",
        help="generate only this target (repeatable); default: all",
    )
    ap.add_argument(
        "--truth-only",
        action="store_true",
        help="derive the truth files again from their sentence times; media untouched",
    )
    args = ap.parse_args(argv)
    if args.truth_only:
        for name in args.only or list(TARGETS):
            target = TARGETS[name]
            truth = truth_again(target)
            target.truth.write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
            print(f"{target.truth.relative_to(ROOT)}: {len(truth['segments'])} segments")
        return 0
    ffmpeg, espeak = find_ffmpeg(), find_espeak()
    for name in args.only or list(TARGETS):
        target = TARGETS[name]
        truth = make(target, ffmpeg, espeak)
        size = target.video.stat().st_size
        print(
            f"{target.video.relative_to(ROOT)}: {truth['duration']:.2f} s, "
            f"{len(truth['segments'])} segments, {size / 1024:.0f} KiB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
