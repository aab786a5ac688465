"""A mistake's fault shown again in its clip: the half-speed replay and the marked freeze
frame right after the bad demo, the narration paused under them, the length limit kept."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from helpers import DATA, frame_at
from test_render import RED, by, from_truth, near

from pipeline.core.model import Word
from pipeline.core.settings import Settings
from pipeline.core.style import load_style
from pipeline.hear.probe import probe
from pipeline.render import replay
from pipeline.render.clips import render_segment
from pipeline.render.labels import Overlay
from pipeline.understand.faults import Fault, FaultMark

REPLAYED = (4.0, 5.5)  # seconds of the source: the bad demo of mini.mp4 runs 3.727-5.903


def test_the_insert_lasts_twice_the_replay_plus_the_freeze_and_moves_what_follows() -> None:
    insert = replay.Insert(at=5.4, replay=REPLAYED, freeze=4.6)
    assert insert.replay_length == pytest.approx(3.0)
    assert insert.length == pytest.approx(4.5)
    assert insert.freeze_span == pytest.approx((8.4, 9.9))
    assert insert.shift(5.0) == 5.0 and insert.shift(5.4) == pytest.approx(9.9)
    words = (Word("don't", 4.0, 4.4), Word("instead", 6.0, 6.5))
    assert replay.shifted_words(words, insert) == (
        Word("don't", 4.0, 4.4),
        Word("instead", pytest.approx(10.5), pytest.approx(11.0)),
    )
    overlays = [
        Overlay(__file__, 0, 0, 1, 1, 3.2, 5.4, "label"),  # the bad-form label: through it
        Overlay(__file__, 0, 0, 1, 1, 4.6, 5.4, "counter"),  # the last rep's number: not
        Overlay(__file__, 0, 0, 1, 1, 5.8, 8.0, "label"),  # the good-form label: later
    ]
    moved = replay.shifted_overlays(overlays, insert)
    times = [t for o in moved for t in (o.start, o.end)]
    assert times == pytest.approx([3.2, 9.9, 4.6, 5.4, 10.3, 12.5])


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    segments, transcript = from_truth(DATA / "mini.truth.json")
    segment = segments["mistake-1"]
    media = probe(DATA / "mini.mp4")
    fault = Fault("hip", 152.0, 178.0, ((0.3, 0.5), (0.55, 0.6), (0.8, 0.45)),
                  ((0.3, 0.5), (0.55, 0.5), (0.8, 0.45)))  # fmt: skip
    mark = FaultMark(4.6, 7.0, (0.4, 0.3, 0.95, 0.9), (0.55, 0.6, 0.06), fault)
    settings = Settings(formats=("16:9",), preset="ultrafast")
    out = tmp_path_factory.mktemp("replay")
    outputs = render_segment(media, segment, transcript, load_style(), settings, out, mark=mark)
    return {"segment": segment, "outputs": outputs, "clip": by(outputs, "clip", "16:9")}


def _changes(clip, start: float, end: float) -> list[float]:
    """Mean absolute change between neighbouring frames from `start` to `end` seconds."""
    import av

    pictures = []
    with av.open(str(clip)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and start <= frame.time < end:
                pictures.append(frame.to_ndarray(format="gray").astype(float)[::4, ::4])
    return [float(np.abs(b - a).mean()) for a, b in zip(pictures, pictures[1:])]


@pytest.mark.slow
def test_the_fault_is_replayed_at_half_speed_then_frozen_with_its_mark(replayed: dict) -> None:
    import av

    segment, clip = replayed["segment"], replayed["clip"]
    insert = clip.extra["insert"]
    bad = segment.demo("bad")
    at = bad.end - segment.start
    assert insert["at"] == pytest.approx(at, abs=0.01)
    slow, frozen = insert["slow_motion"], insert["freeze"]
    assert slow[1] - slow[0] == pytest.approx(3.0, abs=0.05)  # 1.5 s of the demo, at 0.5x
    assert frozen == pytest.approx([slow[1], slow[1] + 1.5], abs=0.05)
    with av.open(str(clip.path)) as container:
        assert container.duration / 1e6 == pytest.approx(segment.duration + 4.5, abs=0.15)
    # At half speed each picture of the 30 fps source shows twice: the picture never moves
    # on two frames in a row, as it does at its own speed (the athlete moves while talking).
    slowed, before = _changes(clip.path, slow[0] + 0.2, slow[1] - 0.2), _changes(clip.path, 0, 3)
    assert sum(c > 0.05 for c in slowed) >= 20
    assert _moving_twice(slowed) == 0 and _moving_twice(before) >= 10
    # The frozen picture does not change, and carries the fault's ring and angle in red.
    assert max(_changes(clip.path, frozen[0] + 0.1, frozen[1] - 0.1)) < 0.05
    during = frame_at(clip.path, frozen[0] + 0.5)
    replaying = frame_at(clip.path, slow[0] + 1.0)
    middle = (slice(150, 1080), slice(0, 1920))  # under the header and label
    assert near(during[middle], RED).sum() > near(replaying[middle], RED).sum() + 1500


@pytest.mark.slow
def test_the_narration_pauses_under_the_insert_and_so_do_the_captions(replayed: dict) -> None:
    import av

    clip = replayed["clip"]
    start, end = clip.extra["insert"]["at"], clip.extra["insert"]["at"] + 4.5
    with av.open(str(clip.path)) as container:
        samples = np.concatenate([f.to_ndarray().mean(axis=0) for f in container.decode(audio=0)])
    rate = 48000
    under = samples[int((start + 0.1) * rate) : int((end - 0.1) * rate)]
    spoken = samples[int(0.5 * rate) : int(start * rate)]
    assert np.sqrt(np.mean(under**2)) < 1e-4 < np.sqrt(np.mean(spoken**2))
    srt = by(replayed["outputs"], "subtitles", "16:9").path.read_text(encoding="utf-8")
    for line in srt.splitlines():
        if " --> " in line:
            first, last = (_seconds(part) for part in line.split(" --> "))
            assert last <= start + 0.05 or first >= end - 0.05, line


def _moving_twice(changes: list[float]) -> int:
    return sum(a > 0.05 and b > 0.05 for a, b in zip(changes, changes[1:]))


def _seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.strip().split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest.replace(",", "."))


def test_a_length_limit_counts_the_insert() -> None:
    from pipeline.core.model import Segment, Sentence, Transcript
    from pipeline.render.clips import format_span

    sentences = tuple(
        Sentence("words", t, t + 1.5, (Word(" words", t, t + 1.5),)) for t in range(0, 30, 2)
    )
    transcript = Transcript("en", 30, sentences)
    segment = Segment("mistake-1", "mistake", 1, "X", 0.0, 30.0)
    insert = replay.Insert(at=8.0, replay=(5.0, 6.5), freeze=6.0)  # 4.5 s
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start, end, _, kept = format_span(segment, transcript, 20.0, "9:16", insert)
        assert kept is insert and end - start + insert.length <= 20.0
        _, _, _, dropped = format_span(segment, transcript, 10.0, "9:16", insert)
        assert dropped is None  # 10 s cannot hold the bad demo and the insert
