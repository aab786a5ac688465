"""The look of everything make-clips draws: fonts, colours, label texts, safe zones, logo.

Defaults live in `assets/style.toml`; a brand file given with `--style` is laid over them
key by key, so it only needs the keys it changes.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.core.errors import StyleError
from pipeline.core.settings import ASSETS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_STYLE = ASSETS / "style.toml"
FONTS = ASSETS / "fonts"
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")

RGB = tuple[int, int, int]
# The [annotations] switches, which a segment of plan.json may also set for itself.
ANNOTATIONS = (
    "count_reps", "align_reps", "mark_fault", "pose", "slow_motion", "freeze_frame", "ghost",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Style:
    caption_font: Path
    label_font: Path
    header_font: Path
    text: RGB
    outline: RGB
    accent: RGB
    bad: RGB
    good: RGB
    header_background: RGB
    bad_label: str
    good_label: str
    mistake_header: str
    variation_header: str
    caption_size: float
    max_words_per_line: int
    max_lines: int
    caption_outline: float
    safe_bottom: float
    safe_right: float
    safe_top: float
    safe_margin: float
    header_seconds: float
    logo: Path | None
    logo_width: float
    logo_opacity: float
    count_reps: bool = True
    align_reps: bool = True
    mark_fault: bool = True
    pose: bool = True
    slow_motion: bool = True
    freeze_frame: bool = True
    ghost: bool = False
    slow_motion_label: str = "SLOW-MO"

    def for_segment(self, switches: tuple[tuple[str, bool], ...]) -> Style:
        """This style with a segment's own annotation switches (plan.json "annotations")."""
        chosen: dict[str, Any] = dict(switches)
        return replace(self, **chosen) if chosen else self

    def header_for(self, kind: str, number: int | None, title: str) -> str:
        """The on-screen header of a segment, e.g. "MISTAKE #1 · Pushing off your elbows"."""
        template = {"mistake": self.mistake_header, "variation": self.variation_header}.get(kind)
        if template is None or number is None:
            return title
        return template.format(number=number, title=title)


def load_style(override: Path | None = None) -> Style:
    """Read the default style, lay `override` over it, and check every value.

    Raises:
        StyleError: a file is missing or malformed, or a value is out of range.
    """
    values = _read(DEFAULT_STYLE)
    base_dirs = {key: DEFAULT_STYLE.parent for key in ("fonts", "logo")}
    if override is not None:
        for table, entries in _read(Path(override)).items():
            if not isinstance(entries, dict) or table not in values:
                raise StyleError(f"{override}: unknown section [{table}]")
            unknown = set(entries) - set(values[table])
            if unknown:
                names = ", ".join(sorted(unknown))
                raise StyleError(f"{override}: unknown key(s) in [{table}]: {names}")
            values[table].update(entries)
            if table in base_dirs:
                base_dirs[table] = Path(override).resolve().parent
    fonts, colors, labels = values["fonts"], values["colors"], values["labels"]
    captions, layout, logo = values["captions"], values["layout"], values["logo"]
    annotations = values["annotations"]
    return Style(
        caption_font=_font(fonts["caption"], base_dirs["fonts"]),
        label_font=_font(fonts["label"], base_dirs["fonts"]),
        header_font=_font(fonts["header"], base_dirs["fonts"]),
        text=_colour(colors, "text"),
        outline=_colour(colors, "outline"),
        accent=_colour(colors, "accent"),
        bad=_colour(colors, "bad"),
        good=_colour(colors, "good"),
        header_background=_colour(colors, "header_background"),
        bad_label=str(labels["bad"]),
        good_label=str(labels["good"]),
        mistake_header=_template(labels, "mistake_header"),
        variation_header=_template(labels, "variation_header"),
        caption_size=_fraction(captions, "size", 0.01, 0.2),
        max_words_per_line=int(captions["max_words_per_line"]),
        max_lines=int(captions["max_lines"]),
        caption_outline=_fraction(captions, "outline", 0.0, 0.5),
        safe_bottom=_fraction(layout, "safe_bottom", 0.0, 0.5),
        safe_right=_fraction(layout, "safe_right", 0.0, 0.5),
        safe_top=_fraction(layout, "safe_top", 0.0, 0.5),
        safe_margin=_fraction(layout, "safe_margin", 0.0, 0.3),
        header_seconds=float(layout["header_seconds"]),
        logo=_logo(logo["path"], base_dirs["logo"]),
        logo_width=_fraction(logo, "width", 0.01, 1.0),
        logo_opacity=_fraction(logo, "opacity", 0.0, 1.0),
        count_reps=_switch(annotations, "count_reps"),
        align_reps=_switch(annotations, "align_reps"),
        mark_fault=_switch(annotations, "mark_fault"),
        pose=_switch(annotations, "pose"),
        slow_motion=_switch(annotations, "slow_motion"),
        freeze_frame=_switch(annotations, "freeze_frame"),
        ghost=_switch(annotations, "ghost"),
        slow_motion_label=str(labels["slow_motion"]),
    )


def _switch(table: dict[str, Any], key: str) -> bool:
    value = table[key]
    if not isinstance(value, bool):
        raise StyleError(f"[annotations] {key} must be true or false, not {value!r}")
    return value


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise StyleError(f"{path}: style file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise StyleError(f"{path}: not valid TOML ({exc})") from exc


def _font(name: str, base: Path) -> Path:
    for candidate in (Path(name), base / name, FONTS / name):
        if candidate.is_file():
            return candidate.resolve()
    raise StyleError(f"font {name!r} not found (looked in {base} and {FONTS})")


def _logo(name: str, base: Path) -> Path | None:
    if not name:
        return None
    for candidate in (Path(name), base / name, ASSETS / name):
        if candidate.is_file():
            return candidate.resolve()
    raise StyleError(f"logo {name!r} not found (looked in {base} and {ASSETS})")


def _colour(table: dict[str, Any], key: str) -> RGB:
    value = str(table[key])
    if not _COLOUR.match(value):
        raise StyleError(f'colour {key} = {value!r} is not of the form "#RRGGBB"')
    return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))


def _fraction(table: dict[str, Any], key: str, low: float, high: float) -> float:
    try:
        value = float(table[key])
    except (TypeError, ValueError) as exc:
        raise StyleError(f"{key} = {table[key]!r} is not a number") from exc
    if not low <= value <= high:
        raise StyleError(f"{key} = {value} must be between {low} and {high}")
    return value


def _template(table: dict[str, Any], key: str) -> str:
    value = str(table[key])
    try:
        value.format(number=1, title="x")
    except (KeyError, IndexError, ValueError) as exc:
        raise StyleError(f"{key} = {value!r}: only {{number}} and {{title}} may appear") from exc
    return value
