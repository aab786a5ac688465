"""The draft article: title, sections in the footage's order, clean prose, working images."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from PIL import Image

from pipeline.core.model import Demo, Output, Plan, Segment
from pipeline.publish.article import section_heading, title_case, video_title, write_article


def plan(topic: str = "Single-leg hip thrust", title: str = "Pushing off your elbows") -> Plan:
    return Plan(
        source="take.mp4",
        duration=40.0,
        topic=topic,
        segments=(
            Segment(
                "intro",
                "intro",
                None,
                "The single-leg hip thrust",
                0.0,
                5.0,
                text="hey, um, coach Jordan here. today, uh, the single-leg hip thrust.",
            ),
            Segment(
                "mistake-1",
                "mistake",
                1,
                title,
                5.0,
                20.0,
                demos=(Demo("bad", 8.0, 12.0), Demo("good", 12.5, 18.0)),
                text="Mistake number one: pushing off your elbows. so, you know, "
                "don't push off your elbows like this. instead keep your arms relaxed",
            ),
            Segment(
                "variation-1",
                "variation",
                1,
                "Single-leg hip thrust with iso hold",
                20.0,
                32.0,
                demos=(Demo("demo", 24.0, 30.0),),
                text="Variation one: the iso hold. pause at the top of every rep.",
            ),
            Segment(
                "outro",
                "outro",
                None,
                "Outro",
                32.0,
                40.0,
                text="that's it. try these in your next workout.",
            ),
        ),
    )


def image_outputs(outdir: Path) -> list[Output]:
    outputs = []
    for segment, role, name, alt in (
        ("mistake-1", "split", "mistake-1_split_16x9", "Bad form (left) versus good form"),
        ("mistake-1", "still", "mistake-1_still", "Mistake #1 still"),
        ("variation-1", "still", "variation-1_still", "Variation #1: iso hold"),
        (None, "cover", "cover", "Cover: the single-leg hip thrust"),
    ):
        for suffix in (".jpg", ".webp"):
            path = outdir / "images" / f"{name}{suffix}"
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (16, 9), "gray").save(path)
            outputs.append(Output(path, "image", segment, "16:9", alt, extra={"role": role}))
    return outputs


def test_article_mirrors_the_footage(tmp_path):
    output = write_article(plan(), image_outputs(tmp_path), tmp_path)
    text = output.path.read_text()
    assert output.type == "article" and output.path == tmp_path / "article.md"
    headings = re.findall(r"^#+ .*$", text, flags=re.MULTILINE)
    assert headings == [
        "# The Single-Leg Hip Thrust: 1 Mistake to Avoid and 1 Variation to Try",
        "## Mistake #1: Pushing Off Your Elbows",
        "## Variation #1: Single-Leg Hip Thrust with Iso Hold",
    ]
    assert text.index("Hey, coach Jordan here.") < text.index("## Mistake #1")
    assert "So don't push off your elbows like this. Instead keep your arms relaxed." in text
    assert "Pause at the top of every rep." in text
    assert text.rstrip().endswith("That's it. Try these in your next workout.")
    for filler in (" um", " uh", "you know", "Mistake number one"):
        assert filler not in text


def test_images_are_relative_links_that_exist_with_alt_text(tmp_path):
    write_article(plan(), image_outputs(tmp_path), tmp_path)
    text = (tmp_path / "article.md").read_text()
    links = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", text)
    assert [link for _, link in links] == [
        "images/cover.jpg",
        "images/mistake-1_split_16x9.jpg",
        "images/variation-1_still.jpg",
    ]
    for alt, link in links:
        assert alt and not Path(link).is_absolute() and (tmp_path / link).is_file()
    assert "![Bad form (left) versus good form](images/mistake-1_split_16x9.jpg)" in text


def test_outline_titles_are_kept_verbatim():
    verbatim = plan(title="Pushing Off Your ELBOWS (and Hands)")
    assert (
        section_heading(verbatim.segments[1]) == "Mistake #1: Pushing Off Your ELBOWS (and Hands)"
    )
    own = Segment("m", "mistake", 2, "Single-Leg Hip Thrust Mistake #2: Arching", 0, 1)
    assert section_heading(own) == "Single-Leg Hip Thrust Mistake #2: Arching"


def test_title_falls_back_without_a_topic():
    assert video_title(plan(topic="")) == "The Single-Leg Hip Thrust"
    bare = Plan("x.mp4", 1.0, (Segment("m", "mistake", 1, "Elbows", 0, 1),))
    assert video_title(bare) == "1 Mistake to Avoid"
    assert video_title(Plan("x.mp4", 1.0, ())) == "Coaching Notes"


def test_title_case():
    assert title_case("pushing off your elbows") == "Pushing Off Your Elbows"
    assert title_case("single-leg hip thrust with an iso hold") == (
        "Single-Leg Hip Thrust with an Iso Hold"
    )
    assert title_case("iPhone tips") == "iPhone tips"  # capitals inside: taken as written


def test_a_session_gets_a_section_per_exercise(tmp_path):
    one = plan()
    squat = [replace(s, id=f"goblet-squat_{s.id}", part=1, topic="goblet squat")
             for s in one.segments[:2]]  # fmt: skip
    row = [replace(s, id=f"bent-over-row_{s.id}", part=2, topic="bent-over row", start=s.start + 40,
                   end=s.end + 40) for s in one.segments[1:]]  # fmt: skip
    session = replace(one, topic="", duration=80.0, segments=(*squat, *row))
    text = write_article(session, [], tmp_path).path.read_text()
    headings = re.findall(r"^#+ .*$", text, flags=re.MULTILINE)
    assert headings == [
        "# Goblet Squat and Bent-Over Row: 2 Mistakes to Avoid and 1 Variation to Try",
        "## Goblet Squat",
        "### Mistake #1: Pushing Off Your Elbows",
        "## Bent-Over Row",
        "### Mistake #1: Pushing Off Your Elbows",
        "### Variation #1: Single-Leg Hip Thrust with Iso Hold",
    ]
    # each part's own intro ("all right, the bent-over row") opens its section
    assert text.index("## Goblet Squat") < text.index("coach Jordan") < text.index("### Mistake")


def test_counted_reps_are_said_under_each_section(tmp_path):
    one = plan()
    mistake, variation = one.segments[1], one.segments[2]
    counted = replace(
        one,
        segments=(
            one.segments[0],
            replace(mistake, demos=(Demo("bad", 8.0, 12.0, 3), Demo("good", 12.5, 18.0, 2))),
            replace(variation, demos=(Demo("demo", 24.0, 30.0, 1),)),
            one.segments[3],
        ),
    )
    text = write_article(counted, [], tmp_path).path.read_text()
    assert "*3 reps of bad form and 2 of good form shown.*" in text
    assert "*1 rep shown.*" in text
    assert "reps" not in write_article(one, [], tmp_path / "plain").path.read_text().lower()
