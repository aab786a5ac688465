"""Where bad and good form differ: the spot the split image rings on both halves."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from pipeline.publish.frames import difference_spot

WHOLE = (0.0, 0.0, 1.0, 1.0)


def scene(patch: tuple[int, int] | None = None, seed: int = 0) -> Image.Image:
    """A 640x360 grey frame with a body-like bar, and a bright patch where the form differs."""
    rng = np.random.default_rng(seed)
    pixels = rng.normal(120, 2, (360, 640)).clip(0, 255)
    pixels[200:230, 150:500] = 40  # the body, the same in both
    if patch is not None:
        x, y = patch
        pixels[y - 25 : y + 25, x - 25 : x + 25] = 230
    return Image.fromarray(pixels.astype(np.uint8)).convert("RGB")


def test_the_spot_is_where_the_two_forms_differ() -> None:
    spot = difference_spot(scene((480, 120)), scene(seed=1), WHOLE)
    assert spot is not None
    x, y, radius = spot
    assert x == pytest.approx(480 / 640, abs=0.03) and y == pytest.approx(120 / 360, abs=0.05)
    assert 0.04 <= radius <= 0.15


def test_only_differences_inside_the_subject_count() -> None:
    bad = scene((480, 120))
    bad_pixels = np.asarray(bad).copy()
    bad_pixels[300:350, 40:90] = 255  # a change far from the athlete (a door, a shadow)
    spot = difference_spot(Image.fromarray(bad_pixels), scene(seed=1), (0.5, 0.1, 1.0, 0.7))
    assert spot is not None and spot[0] > 0.6


def test_frames_that_look_alike_have_no_spot() -> None:
    assert difference_spot(scene(seed=2), scene(seed=3), WHOLE) is None
