"""Good-versus-bad splits, stills and the cover: sizes, labels, frame choice, file hygiene."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import DATA
from PIL import Image

from pipeline.core.ffmpeg import run_ffmpeg
from pipeline.core.model import Demo, Plan, Segment
from pipeline.core.style import load_style
from pipeline.hear.probe import probe
from pipeline.publish.frames import choose_frame, decode_frame, laplacian_variance
from pipeline.publish.stills import discard_drawn, draw_stills, make_stills, write_drawn


def mini_plan() -> Plan:
    truth = json.loads((DATA / "mini.truth.json").read_text())
    segments = []
    for raw in truth["segments"]:
        said = [s["text"] for s in truth["sentences"] if raw["start"] <= s["start"] < raw["end"]]
        demos = tuple(Demo(d["form"], d["start"], d["end"]) for d in raw["demos"])
        segments.append(
            Segment(
                id=raw["id"],
                kind=raw["kind"],
                number=raw["number"],
                title=raw["title"],
                start=raw["start"],
                end=raw["end"],
                demos=demos,
                text=" ".join(said),
            )
        )
    return Plan("mini.mp4", truth["duration"], tuple(segments), topic="Single-leg hip thrust")


@pytest.fixture(scope="module")
def mini_stills(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    outdir = tmp_path_factory.mktemp("stills")
    outputs = make_stills(probe(DATA / "mini.mp4"), mini_plan(), load_style(), outdir)
    return outdir, outputs


def _share_near(region: Image.Image, colour: tuple[int, int, int], tolerance: int = 40) -> float:
    pixels = np.asarray(region.convert("RGB"), dtype=np.int16)
    close = np.abs(pixels - np.array(colour)).max(axis=2) <= tolerance
    return float(close.mean())


def test_split_images_have_the_article_and_instagram_sizes(mini_stills):
    outdir, _ = mini_stills
    images = outdir / "images"
    with Image.open(images / "mistake-1-pushing-off-your-elbows_split_16x9.jpg") as wide:
        assert wide.size == (1200, 675)
    with Image.open(images / "mistake-1-pushing-off-your-elbows_split_4x5.jpg") as tall:
        assert tall.size == (1080, 1350)
    for name in ("mistake-1-pushing-off-your-elbows_split_16x9.webp", "cover.webp"):
        with Image.open(images / name) as webp:
            assert webp.format == "WEBP"


def test_bad_half_carries_the_red_label_and_good_half_the_green(mini_stills):
    outdir, _ = mini_stills
    style = load_style()
    with Image.open(outdir / "images/mistake-1-pushing-off-your-elbows_split_16x9.jpg") as wide:
        bad_corner = wide.crop((0, 0, 400, 120))
        good_corner = wide.crop((603, 0, 1003, 120))
        assert _share_near(bad_corner, style.bad) > 0.15
        assert _share_near(good_corner, style.good) > 0.15
        assert _share_near(bad_corner, style.good) < 0.01
        assert _share_near(good_corner, style.bad) < 0.01
    with Image.open(outdir / "images/mistake-1-pushing-off-your-elbows_split_4x5.jpg") as tall:
        assert _share_near(tall.crop((0, 0, 500, 140)), style.bad) > 0.15
        assert _share_near(tall.crop((0, 678, 500, 818)), style.good) > 0.15


def test_every_image_is_a_clean_progressive_jpeg_with_a_webp_twin(mini_stills):
    outdir, outputs = mini_stills
    jpegs = [o for o in outputs if o.path.suffix == ".jpg"]
    # one split pair for the mistake, a still per segment, the cover
    assert len(jpegs) == 2 + 2 + 1
    for output in jpegs:
        assert output.path.with_suffix(".webp").is_file()
        data = output.path.read_bytes()
        assert b"Exif" not in data and b"mini.mp4" not in data and str(DATA).encode() not in data
        with Image.open(output.path) as image:
            assert image.info.get("progressive") or image.info.get("progression")
            assert not image.getexif()
            assert image.mode == "RGB"
    assert not list((outdir / "images").glob(".*"))  # no partial files left behind


def test_alt_text_says_what_is_shown(mini_stills):
    _, outputs = mini_stills
    by_name = {o.path.name: o for o in outputs}
    split = by_name["mistake-1-pushing-off-your-elbows_split_16x9.jpg"]
    assert split.alt.startswith(
        "Bad form (left) versus good form (right): pushing off your elbows"
        " during the single-leg hip thrust"
    )
    assert by_name["mistake-1-pushing-off-your-elbows_split_4x5.jpg"].alt.startswith(
        "Bad form (top) versus good form (bottom)"
    )
    assert split.aspect == "16:9" and split.segment == "mistake-1" and split.type == "image"
    still = by_name["variation-1-single-leg-hip-thrust-with-iso-hold_still.jpg"]
    assert "iso hold" in still.alt
    assert all(o.alt for o in outputs)


def test_picker_chooses_the_sharp_moment_among_blurred_frames(tmp_path):
    clip = tmp_path / "blur.mp4"
    blur = "boxblur=6:2:enable='not(between(t,1.8,2.6))'"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=4", "-vf", blur]
        + ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "15", str(clip)]
    )
    media = probe(clip)
    choice = choose_frame(media, 0.0, 4.0)
    assert 1.8 <= choice.time <= 2.6
    sharp = np.asarray(decode_frame(media, choice.time).convert("L"), dtype=np.float32)
    blurred = np.asarray(decode_frame(media, 1.0).convert("L"), dtype=np.float32)
    assert laplacian_variance(sharp) > 2 * laplacian_variance(blurred)


def test_picker_keeps_away_from_the_demo_edges_and_scene_changes(tmp_path):
    clip = tmp_path / "cut.mp4"
    # A still grey card, then a hard cut to a moving test pattern at 1.5 s.
    graph = (
        "color=c=gray:size=320x180:rate=30:duration=1.5[a];"
        "testsrc2=size=320x180:rate=30:duration=1.5[b];[a][b]concat=n=2:v=1[v]"
    )
    run_ffmpeg(
        [
            "-filter_complex",
            graph,
            "-map",
            "[v]",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(clip),
        ]
    )
    choice = choose_frame(probe(clip), 0.5, 2.5)
    assert 0.7 <= choice.time <= 2.3
    assert abs(choice.time - 1.5) > 0.05


def test_rotated_footage_comes_out_upright_like_ffmpeg_shows_it(tmp_path):
    plain, rotated = tmp_path / "plain.mp4", tmp_path / "rotated.mp4"
    card = "color=c=blue:size=320x180:rate=30:duration=1,drawbox=x=0:y=0:w=80:h=180:c=red:t=fill"
    run_ffmpeg(["-f", "lavfi", "-i", card, "-c:v", "libx264", "-pix_fmt", "yuv420p", str(plain)])
    run_ffmpeg(["-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", str(rotated)])
    reference = tmp_path / "upright.png"
    run_ffmpeg(["-i", rotated, "-frames:v", "1", str(reference)])  # ffmpeg autorotates
    media = probe(rotated)
    ours = decode_frame(media, 0.5)
    with Image.open(reference) as theirs:
        assert ours.size == theirs.size == (media.width, media.height)
        difference = np.abs(
            np.asarray(ours, dtype=np.int16) - np.asarray(theirs.convert("RGB"), dtype=np.int16)
        )
    assert difference.mean() < 8


def test_a_title_case_heading_reads_as_words_inside_the_alt_text():
    from pipeline.core.model import Demo, Segment
    from pipeline.publish.stills import split_alt

    segment = Segment("mistake-1", "mistake", 1, "Pushing Off Your Elbows", 0.0, 9.0,
                      (Demo("bad", 1.0, 4.0), Demo("good", 5.0, 8.0)))  # fmt: skip
    alt = split_alt(segment, "The Single-Leg Hip Thrust", stacked=False)
    assert alt.startswith("Bad form (left) versus good form (right): pushing off your elbows ")
    assert "during the single-leg hip thrust" in alt


def test_drawn_images_stay_hidden_until_named_and_a_failed_run_leaves_none(tmp_path):
    # A run draws the images beside its encodes and names them only after the last clip, so
    # a run that fails meanwhile leaves no finished-looking picture (and holds none in memory).
    media, plan = probe(DATA / "mini.mp4"), mini_plan()
    drawn = draw_stills(media, plan, load_style(), tmp_path / "named")
    images = tmp_path / "named" / "images"
    assert drawn and all(path.name.startswith(".") for path in images.iterdir())
    outputs = write_drawn(drawn)
    assert sorted(p.name for p in images.iterdir()) == sorted(o.path.name for o in outputs)
    assert (images / "cover.jpg").exists() and (images / "cover.webp").exists()

    discard_drawn(draw_stills(media, plan, load_style(), tmp_path / "failed"))
    assert list((tmp_path / "failed" / "images").iterdir()) == []
