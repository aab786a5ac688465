"""Rendered clips, checked as a viewer would: size, codec, loudness, labels, captions."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from helpers import DATA, ROOT, frame_at

from pipeline.core.ffmpeg import run_ffmpeg
from pipeline.core.model import Demo, Segment, Sentence, Transcript, Word
from pipeline.core.settings import Settings
from pipeline.core.style import load_style
from pipeline.hear.probe import probe
from pipeline.render import loudness
from pipeline.render.clips import clip_span, render_compare, render_segment

FORMATS = ("9:16", "16:9")
RED, GREEN, ACCENT = (229, 57, 53), (46, 158, 79), (255, 212, 0)
# Clips as the demos play, without the fault's replay and freeze (tests/render/test_replay.py).
PLAIN = replace(load_style(), slow_motion=False, freeze_frame=False)


def from_truth(path: Path) -> tuple[dict[str, Segment], Transcript]:
    """Segments and a transcript whose words are spread evenly over each true sentence."""
    data = json.loads(path.read_text())
    sentences = []
    for item in data["sentences"]:
        tokens = item["text"].split()
        step = (item["end"] - item["start"]) / len(tokens)
        words = tuple(
            Word(" " + token, item["start"] + i * step, item["start"] + (i + 1) * step - 0.02)
            for i, token in enumerate(tokens)
        )
        sentences.append(Sentence(item["text"], item["start"], item["end"], words))
    segments = {
        s["id"]: Segment(s["id"], s["kind"], s["number"], s["title"], s["start"], s["end"],
                         tuple(Demo(d["form"], d["start"], d["end"]) for d in s["demos"]))
        for s in data["segments"]
    }  # fmt: skip
    return segments, Transcript("en", data["duration"], tuple(sentences))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict:
    segments, transcript = from_truth(DATA / "mini.truth.json")
    segment = segments["mistake-1"]
    media = probe(DATA / "mini.mp4")
    out = tmp_path_factory.mktemp("render")
    settings = Settings(formats=FORMATS, preset="ultrafast")
    style = PLAIN
    progress: list[float] = []
    clips = render_segment(media, segment, transcript, style, settings, out, progress.append)
    compares = render_compare(media, segment, transcript, style, settings, out)
    return {"segment": segment, "outputs": clips, "compares": compares, "progress": progress}


def by(outputs: list, kind: str, aspect: str):
    return next(o for o in outputs if o.type == kind and o.aspect == aspect)


def near(picture: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> np.ndarray:
    return np.abs(picture.astype(int) - np.array(colour)).max(axis=2) < tolerance


@pytest.mark.slow
def test_clip_delivery_format(rendered: dict) -> None:
    import av

    sizes = {"9:16": (1080, 1920), "16:9": (1920, 1080)}
    expected = rendered["segment"].duration
    for aspect in FORMATS:
        clip = by(rendered["outputs"], "clip", aspect)
        assert clip.path.name == f"mistake-1-pushing-off-your-elbows_{aspect.replace(':', 'x')}.mp4"
        with av.open(str(clip.path)) as container:
            video, audio = container.streams.video[0], container.streams.audio[0]
            assert (video.width, video.height) == sizes[aspect]
            assert video.codec_context.name == "h264" and video.codec_context.profile == "High"
            assert video.codec_context.pix_fmt == "yuv420p"
            assert float(video.average_rate) == 30
            assert abs(container.duration / 1e6 - expected) < 0.2
            assert audio.codec_context.name == "aac" and audio.sample_rate == 48000
            assert audio.codec_context.channels == 2
        assert not list(clip.path.parent.glob(".*partial*"))
    assert rendered["progress"][-1] == 1.0


@pytest.mark.slow
def test_subtitles_and_thumbnails_beside_each_clip(rendered: dict) -> None:
    for aspect in FORMATS:
        clip = by(rendered["outputs"], "clip", aspect).path
        srt = by(rendered["outputs"], "subtitles", aspect).path
        thumb = by(rendered["outputs"], "image", aspect)
        assert srt == clip.with_suffix(".srt") and thumb.path == clip.with_suffix(".jpg")
        assert srt.read_text().startswith("1\n00:00:00,000 --> ")
        assert thumb.path.stat().st_size > 1000 and thumb.alt


@pytest.mark.slow
def test_loudness_is_normalised(rendered: dict, tmp_path: Path) -> None:
    clip = by(rendered["outputs"], "clip", "9:16").path
    level = loudness.measure(clip, 0, 30, tmp_path)
    assert abs(level.integrated + 14) <= 1.0
    assert level.true_peak <= -1.0


@pytest.mark.slow
@pytest.mark.parametrize("aspect", FORMATS)
def test_form_labels_show_only_during_their_demo(rendered: dict, aspect: str) -> None:
    segment = rendered["segment"]
    clip = by(rendered["outputs"], "clip", aspect).path
    bad, good = segment.demo("bad"), segment.demo("good")
    during_bad = frame_at(clip, (bad.start + bad.end) / 2 - segment.start)
    during_good = frame_at(clip, (good.start + good.end) / 2 - segment.start)
    before = frame_at(clip, 1.0)
    top = slice(0, during_bad.shape[0] * 2 // 5)
    assert near(during_bad[top], RED).sum() > 2000
    assert near(during_bad[top], GREEN).sum() < 50
    assert near(during_good[top], GREEN).sum() > 2000
    assert near(during_good[top], RED).sum() < 50
    assert near(before[top], RED).sum() < 50 and near(before[top], GREEN).sum() < 50


@pytest.mark.slow
def test_captions_are_on_screen_and_clear_of_the_buttons(rendered: dict) -> None:
    clip = by(rendered["outputs"], "clip", "9:16").path
    picture = frame_at(clip, 1.5)
    highlight = near(picture, ACCENT, 50)
    assert highlight[: 1920 * 78 // 100].sum() > 500  # the spoken word, in the accent colour
    assert highlight[1920 * 78 // 100 :].sum() == 0  # nothing under the app's bottom bar
    assert highlight[:, 1080 * 85 // 100 :].sum() == 0  # nothing under the side buttons
    white = (picture.min(axis=2) > 235)[960:1500]
    assert white.sum() > 2000  # white caption words


@pytest.mark.slow
def test_compare_clip_puts_bad_and_good_together(rendered: dict) -> None:
    import av

    segment = rendered["segment"]
    bad, good = segment.demo("bad"), segment.demo("good")
    length = min(bad.end - bad.start, good.end - good.start)
    vertical = by(rendered["compares"], "compare", "9:16").path
    assert vertical.name == "mistake-1-pushing-off-your-elbows_compare_9x16.mp4"
    with av.open(str(vertical)) as container:
        assert abs(container.duration / 1e6 - length) < 0.2
        assert container.streams.audio[0].sample_rate == 48000
    picture = frame_at(vertical, 1.0)
    upper, lower = picture[:845], picture[845:]  # the halves meet at ~45% (header above)
    assert near(upper, RED).sum() > 2000 and near(upper, GREEN).sum() < 50
    assert near(lower, GREEN).sum() > 2000 and near(lower, RED).sum() < 50
    wide = frame_at(by(rendered["compares"], "compare", "16:9").path, 1.0)
    assert near(wide[:, :960], RED).sum() > 2000 and near(wide[:, 960:], GREEN).sum() > 2000


@pytest.mark.slow
def test_silent_60fps_source_gets_a_silent_track_at_60fps(tmp_path: Path) -> None:
    import av

    source = tmp_path / "silent.mp4"
    run_ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=60:d=2", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", source])  # fmt: skip
    segment = Segment("talk-1", "talk", None, "Warm-up", 0.2, 1.8)
    outputs = render_segment(
        probe(source), segment, Transcript("en", 2.0, ()), load_style(),
        Settings(formats=("1:1",), preset="ultrafast"), tmp_path,
    )  # fmt: skip
    clip = by(outputs, "clip", "1:1").path
    assert clip.name == "talk-1-warm-up_1x1.mp4"
    with av.open(str(clip)) as container:
        assert float(container.streams.video[0].average_rate) == 60
        assert container.streams.audio[0].sample_rate == 48000


def test_long_segment_is_cut_at_the_last_sentence_before_the_limit() -> None:
    sentences = tuple(
        Sentence("words", start, start + 8, (Word(" words", start, start + 8),))
        for start in range(0, 120, 10)
    )
    transcript = Transcript("en", 120, sentences)
    segment = Segment("talk-1", "talk", None, "Long", 0.0, 120.0)
    with pytest.warns(UserWarning, match="longer than"):
        start, end, note = clip_span(segment, transcript, 90.0)
    assert start == 0.0 and 88.0 <= end <= 88.5 and note
    assert clip_span(segment, transcript, 200.0) == (0.0, 120.0, None)


@pytest.mark.slow
def test_each_format_keeps_its_own_length_limit(tmp_path: Path) -> None:
    """9:16 limited to 6 s ends after "…like this." (5.9 s); 4:5 has no limit and runs on."""
    import av

    segments, transcript = from_truth(DATA / "mini.truth.json")
    segment = segments["mistake-1"]
    settings = Settings(formats=("9:16", "4:5"), preset="ultrafast", max_duration=(("9:16", 6.0),))
    with pytest.warns(UserWarning, match="limit for 9:16"):
        outputs = render_segment(
            probe(DATA / "mini.mp4"), segment, transcript, PLAIN, settings, tmp_path
        )
    short, full = by(outputs, "clip", "9:16"), by(outputs, "clip", "4:5")
    assert "note" in short.extra and "note" not in full.extra
    expected = {short.path: 5.903 + 0.25 - segment.start, full.path: segment.duration}
    for path, seconds in expected.items():
        with av.open(str(path)) as container:
            assert abs(container.duration / 1e6 - seconds) < 0.15, path.name
            stream = container.streams.video[0]
            size = (stream.codec_context.width, stream.codec_context.height)
            assert size == ((1080, 1920) if path == short.path else (1080, 1350))
    subtitles = by(outputs, "subtitles", "9:16").path.read_text(encoding="utf-8")
    assert "like this" in subtitles and "relaxed" not in subtitles
    assert "relaxed" in by(outputs, "subtitles", "4:5").path.read_text(encoding="utf-8")
    picture = frame_at(full.path, 7.0)  # the 4:5 clip shows the good demo, labelled
    assert near(picture, GREEN).sum() > 2000


@pytest.mark.slow
def test_a_brand_style_adds_its_logo_and_accent(tmp_path: Path) -> None:
    """assets/brand-example.toml: logo top right, captions' spoken word in its own accent."""
    segments, transcript = from_truth(DATA / "mini.truth.json")
    style = load_style(ROOT / "assets" / "brand-example.toml")
    assert style.logo is not None and style.bad_label == "DON'T ✗"
    settings = Settings(formats=("9:16",), preset="ultrafast")
    outputs = render_segment(
        probe(DATA / "mini.mp4"), segments["mistake-1"], transcript, style, settings, tmp_path
    )
    picture = frame_at(by(outputs, "clip", "9:16").path, 4.5)
    corner = picture[: 1920 * 15 // 100, 1080 * 60 // 100 :]  # the logo sits top right
    assert near(corner, (255, 212, 0)).sum() > 3000  # its yellow square
    assert near(picture, (0, 194, 255), 50).sum() > 300  # the brand's accent on a caption word
    assert near(picture[1920 * 15 // 100 :], ACCENT).sum() < 50  # no default yellow below it


@pytest.mark.slow
def test_peaky_audio_goes_through_the_limiter_and_stays_under_minus_1_dbtp(
    tmp_path: Path,
) -> None:
    """A quiet voice-like tone with loud clicks: +15 dB of gain would clip the clicks."""
    source = tmp_path / "peaky.wav"
    run_ffmpeg(["-f", "lavfi", "-i",
                "aevalsrc=0.05*sin(2*PI*220*t)+0.03*sin(2*PI*330*t)"
                "+if(lt(mod(t\\,1)\\,0.003)\\,0.9\\,0):s=48000:d=12", source])  # fmt: skip
    chain = loudness.normalise_chain(source, 0.0, 12.0, tmp_path)
    assert "alimiter" in chain
    encoded = tmp_path / "peaky.m4a"
    run_ffmpeg(["-i", source, "-af", chain, "-c:a", "aac", "-b:a", "160k", encoded])
    level = loudness.measure(encoded, 0.0, 12.0, tmp_path)
    assert abs(level.integrated + 14) <= 1.0
    assert level.true_peak <= -1.0


@pytest.mark.slow
def test_the_ghost_lays_good_form_over_the_bad_half_at_half_strength(
    rendered: dict, tmp_path: Path
) -> None:
    segments, transcript = from_truth(DATA / "mini.truth.json")
    settings = Settings(formats=("16:9",), preset="ultrafast")
    ghosted = render_compare(probe(DATA / "mini.mp4"), segments["mistake-1"], transcript,
                             replace(PLAIN, ghost=True), settings, tmp_path)  # fmt: skip
    plain = frame_at(by(rendered["compares"], "compare", "16:9").path, 1.0).astype(float)
    ghost = frame_at(by(ghosted, "compare", "16:9").path, 1.0).astype(float)
    rows = slice(300, 1000)  # under the labels, above the header
    bad, good = plain[rows, :956], plain[rows, 964:]
    blended = ghost[rows, :956]
    differ = np.abs(bad - good).max(axis=2) > 60  # where the two athletes are not alike
    assert differ.sum() > 2000
    halfway = np.abs(blended - (bad + good) / 2).max(axis=2)[differ]
    from_bad = np.abs(blended - bad).max(axis=2)[differ]
    assert np.median(halfway) < 15 < 30 < np.median(from_bad)  # half of each, not the bad one
    assert np.abs(ghost[rows, 964:] - good).mean() < 4  # the good half as it was
