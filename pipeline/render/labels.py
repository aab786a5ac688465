"""Graphic overlays drawn with Pillow: form labels, the segment header, the logo.

Each overlay is a PNG plus where and when it shows; the render stage lays them over the
video with ffmpeg's overlay filter. Sizes are relative to the output format and positions
stay inside its safe zone (9:16 keeps clear of the app's buttons at the bottom and right).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pipeline.core.model import Segment
from pipeline.core.style import RGB, Style

SUPERSAMPLE = 3  # draw large and shrink, for smooth rounded corners


@dataclass(frozen=True, slots=True)
class SafeBox:
    """The part of a frame where nothing is hidden by the platform's buttons (pixels)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left


RepMark = tuple[float, float, int]  # from (seconds of the source), until, the rep's number


LAYER_MARGIN = 8  # clear pixels kept around the drawn part of a layer (save_layer)


@dataclass(frozen=True, slots=True)
class Overlay:
    """A PNG laid over the clip at (x, y), shown from `start` to `end` (seconds of the clip)."""

    image: Path  # file name inside the work folder
    x: int
    y: int
    width: int
    height: int
    start: float
    end: float
    kind: str  # "header", "header-big", "label", "counter" or "logo"


def safe_box(style: Style, size: tuple[int, int]) -> SafeBox:
    """The safe zone of an output of `size`: app margins in 9:16, even ones elsewhere."""
    width, height = size
    if height > width * 1.3:
        # Symmetric left and right, so centred text is centred on the screen and still
        # clear of the buttons on the right.
        side, top, bottom = style.safe_right, style.safe_top, style.safe_bottom
    else:
        side = top = bottom = style.safe_margin
    return SafeBox(
        math.ceil(width * side),
        math.ceil(height * top),
        math.floor(width * (1 - side)),
        math.floor(height * (1 - bottom)),
    )


def segment_overlays(
    segment: Segment,
    clip_start: float,
    duration: float,
    style: Style,
    size: tuple[int, int],
    folder: Path,
    prefix: str,
    reps: Sequence[RepMark] = (),
) -> list[Overlay]:
    """Write the header, form-label, rep-counter and logo PNGs of one clip format into `folder`.

    The header shows large for `style.header_seconds` (or until the first demo), then small;
    each bad/good demo gets its label for exactly the demo's time; each rep's number ("REP 2")
    shows at the right of the label row from the top of that rep to the next one's.
    """
    box = safe_box(style, size)
    unit = min(size)
    logo = _logo(style, size, box, folder, prefix, duration)
    room = box.width - (2 * (logo[0] + unit // 40) if logo else 0)
    heading = style.header_for(segment.kind, segment.number, segment.title)
    overlays: list[Overlay] = []
    first_demo = min((demo.start - clip_start for demo in segment.demos), default=duration)
    big_until = max(0.0, min(style.header_seconds, first_demo, duration))
    small = header_image(heading, style, round(unit * 0.036), room, max_lines=2)
    small_y = box.top
    if big_until > 0:
        big = header_image(heading, style, round(unit * 0.064), room, max_lines=3)
        path = folder / f"{prefix}-header-big.png"
        overlays.append(centred(big, path, box, box.top, 0, big_until, "header-big"))
    path = folder / f"{prefix}-header.png"
    overlays.append(centred(small, path, box, small_y, big_until, duration, "header"))
    label_y = small_y + small.height + unit // 60
    for demo in segment.demos:
        if demo.form not in ("bad", "good"):
            continue
        start, end = max(0.0, demo.start - clip_start), min(duration, demo.end - clip_start)
        if end <= start:
            continue
        text, colour = (
            (style.bad_label, style.bad) if demo.form == "bad" else (style.good_label, style.good)
        )
        pill = pill_image(text, colour, style, round(unit * 0.05), box.width)
        path = folder / f"{prefix}-{demo.form}.png"
        overlays.append(centred(pill, path, box, label_y, start, end, "label"))
    for index, (at, until, number) in enumerate(reps):
        start, end = max(0.0, at - clip_start), min(duration, until - clip_start)
        if end <= start:
            continue
        path = folder / f"{prefix}-rep-{index}.png"
        overlays.append(
            counter_pill(f"REP {number}", style, box, unit, overlays, label_y, start, end, path)
        )
    if logo:
        overlays.append(logo[1])
    return overlays


def pill_image(text: str, colour: RGB, style: Style, font_px: int, max_width: int) -> Image.Image:
    """A rounded label in `colour` with white bold `text` and a soft shadow, at most `max_width`."""
    return _panel(text, colour + (255,), style.text, style.label_font, font_px, max_width, 1, 0.5)


def header_image(
    text: str, style: Style, font_px: int, max_width: int, max_lines: int = 2
) -> Image.Image:
    """The segment header: white text on a dark translucent panel, wrapped to `max_width`."""
    background = style.header_background + (215,)
    text = text.replace(" · ", "\u00a0· ")  # a separator ends a line, never starts one
    return _panel(
        text, background, style.text, style.header_font, font_px, max_width, max_lines, 0.25
    )


def fit_text(
    text: str, font_path: Path, font_px: int, max_width: int, max_lines: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """Wrap `text` into at most `max_lines` lines no wider than `max_width`, shrinking the font
    until it fits (never overflowing)."""
    size = font_px
    while True:
        font = ImageFont.truetype(str(font_path), size)
        lines = _balanced(text, font, max_width)
        if size <= 8 or (
            len(lines) <= max_lines and all(font.getlength(line) <= max_width for line in lines)
        ):
            return font, lines
        size = max(8, int(size * 0.9))


def _panel(
    text: str,
    fill: tuple[int, int, int, int],
    ink: RGB,
    font_path: Path,
    font_px: int,
    max_width: int,
    max_lines: int,
    roundness: float,
) -> Image.Image:
    shadow = max(2, font_px // 10)
    pad_x = round(font_px * 0.6)
    size, lines = _fitted(text, font_path, font_px, max_width - 2 * pad_x - 2 * shadow, max_lines)
    return _drawn_panel(lines, fill, ink, font_path, size, font_px, roundness)


@functools.lru_cache(maxsize=256)
def _fitted(
    text: str, font_path: Path, font_px: int, max_width: int, max_lines: int
) -> tuple[float, tuple[str, ...]]:
    """`fit_text`'s font size and lines, worked out once per process."""
    font, lines = fit_text(text, font_path, font_px, max_width, max_lines)
    return font.size, tuple(lines)


@functools.lru_cache(maxsize=64)
def _drawn_panel(
    lines: tuple[str, ...],
    fill: tuple[int, int, int, int],
    ink: RGB,
    font_path: Path,
    font_size: float,
    font_px: int,
    roundness: float,
) -> Image.Image:
    """The panel of these lines, drawn once per process: every format of a clip, and every
    demo's "REP 2", shows the same picture (the sample's 129 panels are 41 different ones).
    Shared, so read-only by its callers."""
    scale = SUPERSAMPLE
    pad_x, pad_y = round(font_px * 0.6), round(font_px * 0.32)
    shadow = max(2, font_px // 10)
    font = ImageFont.truetype(str(font_path), font_size * scale)
    line_height = round(font.size * 1.18)
    ascent, descent = font.getmetrics()
    text_width = max(font.getlength(line) for line in lines)
    width = round(text_width + 2 * pad_x * scale)
    height = round(line_height * (len(lines) - 1) + ascent + descent * 0.4 + 2 * pad_y * scale)
    margin = shadow * scale * 2
    radius = round(min(height / 2, font.size) * roundness * 2)
    body = (margin, margin, margin + width, margin + height)
    shade = Image.new("RGBA", (width + 2 * margin, height + 2 * margin), (0, 0, 0, 0))
    offset = shadow * scale // 2
    ImageDraw.Draw(shade).rounded_rectangle(
        (body[0], body[1] + offset, body[2], body[3] + offset), radius, fill=(0, 0, 0, 110)
    )
    # Blurred at final size and brought back up: the same soft shadow for 1/9 of the work.
    soft = shade.reduce(scale).filter(ImageFilter.GaussianBlur(shadow / 2))
    # The panel is drawn straight onto it (the shadow composited over a clear picture is
    # the shadow itself, to the bit).
    image = soft.resize(shade.size, Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(body, radius, fill=fill)
    for index, line in enumerate(lines):
        y = margin + pad_y * scale + index * line_height
        draw.text((margin + width / 2, y), line, font=font, fill=ink + (255,), anchor="ma")
    return image.reduce(scale)  # the mean of each scale x scale block: clean antialiasing


def _balanced(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """Wrap as narrow as possible without adding a line, so no word is left alone."""
    lines = _wrap(text, font, max_width)
    width = max_width
    while len(lines) > 1 and width > 20:
        narrower = _wrap(text, font, int(width * 0.95))
        if len(narrower) > len(lines):
            break
        lines, width = narrower, int(width * 0.95)
    return lines


def _wrap(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split(" "):  # not split(): a no-break space must hold
        if lines and font.getlength(f"{lines[-1]} {word}") <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def save_overlay(
    image: Image.Image, path: Path, x: int, y: int, start: float, end: float, kind: str
) -> Overlay:
    """Save `image` as the PNG `path` and describe it as an overlay at (x, y).

    Lightly compressed: the file only lives for one encode, and PNG is lossless at any level
    (level 1 against the default 6: 0.39 -> 0.21 s for the 33 overlays of mistake-1).
    """
    image.save(path, compress_level=1)
    return Overlay(
        Path(path.name), max(0, x), max(0, y), image.width, image.height, start, end, kind
    )


def save_layer(layer: Image.Image, path: Path, start: float, end: float, kind: str) -> Overlay:
    """Save the drawn part of a transparent `layer` the size of the clip as an overlay.

    Cut at even pixels with a clear margin, so the clip's frames are the same as with the
    whole layer (chroma is shared by 2x2 pixels; the margin keeps the colour conversion's
    neighbours), while ffmpeg converts and blends only that part (the fault mark's frozen
    1.5 s: a 1080x1920 layer for a 661x220 mark).
    """
    box = layer.getbbox()
    if box is None:
        return save_overlay(layer, path, 0, 0, start, end, kind)
    left, top = max(0, box[0] - LAYER_MARGIN) // 2 * 2, max(0, box[1] - LAYER_MARGIN) // 2 * 2
    right = min(layer.width, (box[2] + LAYER_MARGIN + 1) // 2 * 2)
    bottom = min(layer.height, (box[3] + LAYER_MARGIN + 1) // 2 * 2)
    return save_overlay(layer.crop((left, top, right, bottom)), path, left, top, start, end, kind)


def counter_pill(
    text: str,
    style: Style,
    box: SafeBox,
    unit: int,
    overlays: Sequence[Overlay],
    y: int,
    start: float,
    end: float,
    path: Path,
) -> Overlay:
    """A small pill ("REP 2", "SLOW-MO") at the right of the safe `box`, its top at `y`, shown
    from `start` to `end` (seconds of the clip); under a form label shown then that is too
    long to leave it room beside."""
    pill = pill_image(text, style.header_background, style, round(unit * 0.036), box.width // 3)
    x = box.right - pill.width
    beside = [o for o in overlays if o.kind == "label" and o.start < end and start < o.end]
    if any(o.x + o.width + unit // 60 > x for o in beside):  # a long label: go under it
        y = max(o.y + o.height for o in beside) + unit // 80
    return save_overlay(pill, path, x, y, start, end, "counter")


def centred(
    image: Image.Image, path: Path, box: SafeBox, y: int, start: float, end: float, kind: str
) -> Overlay:
    """Save `image` as an overlay centred across the safe `box`, its top at `y`."""
    x = box.left + (box.width - image.width) // 2
    return save_overlay(image, path, x, y, start, end, kind)


def _logo(
    style: Style, size: tuple[int, int], box: SafeBox, folder: Path, prefix: str, duration: float
) -> tuple[int, Overlay] | None:
    if style.logo is None:
        return None
    with Image.open(style.logo) as source:
        logo = source.convert("RGBA")
    width = max(2, round(min(size) * style.logo_width))  # the same size in every format
    logo = logo.resize(
        (width, max(2, round(logo.height * width / logo.width))), Image.Resampling.LANCZOS
    )
    alpha = logo.getchannel("A").point(lambda value: round(value * style.logo_opacity))
    logo.putalpha(alpha)
    overlay = save_overlay(
        logo, folder / f"{prefix}-logo.png", box.right - width, box.top, 0.0, duration, "logo"
    )
    return width, overlay
