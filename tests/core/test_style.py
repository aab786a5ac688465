"""The style file: defaults, a brand file laid over them, and clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import StyleError
from pipeline.core.style import load_style


def test_annotations_are_on_by_default_and_a_brand_file_can_switch_each_off(
    tmp_path: Path,
) -> None:
    default = load_style()
    assert default.count_reps and default.align_reps and default.mark_fault
    brand = tmp_path / "brand.toml"
    brand.write_text("[annotations]\nalign_reps = false\n")
    style = load_style(brand)
    assert style.count_reps and not style.align_reps


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[annotations]\ncount_reps = "yes"\n', r"count_reps must be true or false"),
        ("[annotations]\nslow_mo = true\n", r"unknown key\(s\) in \[annotations\]: slow_mo"),
        ("[sparkles]\non = true\n", r"unknown section \[sparkles\]"),
    ],
)
def test_a_bad_switch_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    brand = tmp_path / "brand.toml"
    brand.write_text(text)
    with pytest.raises(StyleError, match=message):
        load_style(brand)
