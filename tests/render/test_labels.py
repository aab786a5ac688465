"""Form labels and headers: right colours, right times, always inside the safe zone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from pipeline.core.model import Demo, Segment
from pipeline.core.settings import ASPECTS
from pipeline.core.style import load_style
from pipeline.render.labels import header_image, pill_image, safe_box, segment_overlays

STYLE = load_style()
SEGMENT = Segment(
    "mistake-1", "mistake", 1, "Pushing off your elbows", 10.0, 25.0,
    (Demo("bad", 13.0, 19.0), Demo("good", 19.5, 24.0)),
)  # fmt: skip


def test_pills_are_in_the_form_colours() -> None:
    for text, colour in ((STYLE.bad_label, STYLE.bad), (STYLE.good_label, STYLE.good)):
        pill = pill_image(text, colour, STYLE, 54, 900).convert("RGB")
        centre_row = [pill.getpixel((x, pill.height // 2)) for x in range(pill.width)]
        assert sum(1 for pixel in centre_row if pixel == colour) > pill.width // 4


def test_long_text_wraps_and_never_overflows() -> None:
    title = "A very long header about hyperextending your lower back at the top " * 3
    image = header_image(title, STYLE, 70, 700, max_lines=3)
    assert image.width <= 700


@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_overlays_show_at_the_demo_times_inside_the_safe_zone(aspect: str, tmp_path: Path) -> None:
    size = ASPECTS[aspect]
    overlays = segment_overlays(SEGMENT, 10.0, 15.0, STYLE, size, tmp_path, "x")
    box = safe_box(STYLE, size)
    labels = {o.image.name: o for o in overlays if o.kind == "label"}
    assert (labels["x-bad.png"].start, labels["x-bad.png"].end) == (3.0, 9.0)
    assert (labels["x-good.png"].start, labels["x-good.png"].end) == (9.5, 14.0)
    for overlay in overlays:
        with Image.open(tmp_path / overlay.image) as image:
            assert (image.width, image.height) == (overlay.width, overlay.height)
        assert box.left <= overlay.x and overlay.x + overlay.width <= box.right
        assert box.top <= overlay.y and overlay.y + overlay.height <= box.bottom
    big = next(o for o in overlays if o.kind == "header-big")
    small = next(o for o in overlays if o.kind == "header")
    assert big.start == 0 and big.end == small.start == STYLE.header_seconds
    assert big.height > small.height


def test_labels_sit_below_the_header(tmp_path: Path) -> None:
    overlays = segment_overlays(SEGMENT, 10.0, 15.0, STYLE, (1080, 1920), tmp_path, "v")
    header = next(o for o in overlays if o.kind == "header")
    assert all(o.y >= header.y + header.height for o in overlays if o.kind == "label")


@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_each_rep_shows_its_number_from_its_top_in_the_safe_zone_beside_the_label(
    aspect: str, tmp_path: Path
) -> None:
    marks = [(14.0, 16.0, 1), (16.0, 19.0, 2), (20.0, 22.0, 1)]
    size = ASPECTS[aspect]
    overlays = segment_overlays(SEGMENT, 10.0, 15.0, STYLE, size, tmp_path, "r", marks)
    counters = [o for o in overlays if o.kind == "counter"]
    assert [(o.start, o.end) for o in counters] == [(4.0, 6.0), (6.0, 9.0), (10.0, 12.0)]
    box = safe_box(STYLE, size)
    for counter in counters:
        assert box.left <= counter.x and counter.x + counter.width <= box.right
        assert box.top <= counter.y and counter.y + counter.height <= box.bottom
        for label in (o for o in overlays if o.kind == "label"):
            if label.start < counter.end and counter.start < label.end:  # shown together
                apart = counter.x >= label.x + label.width or counter.y >= label.y + label.height
                assert apart, "the counter covers the form label"


def test_a_long_label_puts_the_counter_under_it(tmp_path: Path) -> None:
    from dataclasses import replace

    wordy = replace(STYLE, bad_label="THIS IS DEFINITELY NOT THE FORM YOU WANT ✗")
    overlays = segment_overlays(SEGMENT, 10.0, 15.0, wordy, (1080, 1920), tmp_path, "w",
                                [(14.0, 16.0, 1)])  # fmt: skip
    label = next(o for o in overlays if o.image.name == "w-bad.png")
    counter = next(o for o in overlays if o.kind == "counter")
    assert counter.y >= label.y + label.height
