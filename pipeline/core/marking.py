"""How a fault is marked on a picture, the same on split images and freeze frames: a ring
where bad and good form differ most and, with a pose, a line along the two body segments
that meet at the joint and the joint's angle beside it.

Drawn with Pillow on an RGBA picture; `place` turns fractions of the source picture into
pixels of the picture drawn on (each caller crops and scales the source its own way).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from pipeline.core.style import RGB

Place = Callable[[float, float], tuple[float, float]]  # source fractions -> pixels
DARK = (0, 0, 0, 255)


def draw_mark(
    image: Image.Image,
    place: Place,
    colour: RGB,
    spot: tuple[float, float, float] | None,
    source_width: int,
    scale: float,
    limb: Sequence[tuple[float, float]] = (),
    text: str = "",
    font: Path | None = None,
    bounds: tuple[int, int, int, int] | None = None,
) -> None:
    """Mark `image` in place: a ring at `spot` (fractions; radius a share of the source
    width), the segments through the three `limb` points, and `text` (e.g. "hip 152°") in a
    pill beside the joint, inside `bounds` (left, top, right, bottom pixels; the whole
    picture when None). `scale` is output pixels per source pixel."""
    draw = ImageDraw.Draw(image)
    line = max(3, round(min(image.size) * 0.008))
    if len(limb) == 3:
        points = [place(x, y) for x, y in limb]
        draw.line(points, fill=DARK, width=line + 4, joint="curve")
        draw.line(points, fill=colour + (255,), width=line, joint="curve")
        for x, y in points:
            r = line * 1.4
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour + (255,), outline=DARK, width=2)
    if spot is not None:
        x, y = place(spot[0], spot[1])
        radius = spot[2] * source_width * scale
        box = (x - radius, y - radius, x + radius, y + radius)
        draw.ellipse(box, outline=DARK, width=line + 4)  # a dark edge: visible on any picture
        draw.ellipse(box, outline=colour + (255,), width=line)
    if text and font is not None and len(limb) == 3:
        joint_x, joint_y = place(*limb[1])
        radius = (spot[2] * source_width * scale) if spot is not None else line * 4
        size = max(14, round(min(image.size) * 0.045))
        face = ImageFont.truetype(str(font), size)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
        pad = round(size * 0.35)
        w, h = right - left + 2 * pad, bottom - top + 2 * pad
        left_edge, top_edge, right_edge, bottom_edge = bounds or (0, 0, *image.size)
        x = min(max(float(left_edge), joint_x - w / 2), right_edge - w)
        y = joint_y + radius + pad  # under the ring, or above it near the bottom edge
        if y + h > bottom_edge:
            y = max(float(top_edge), joint_y - radius - pad - h)
        draw.rounded_rectangle((x, y, x + w, y + h), radius=round(size * 0.3), fill=DARK)
        draw.text((x + pad - left, y + pad - top), text, font=face, fill=colour + (255,))


def transparent(size: tuple[int, int]) -> Image.Image:
    """An empty RGBA picture to draw a mark on, for an overlay."""
    return Image.new("RGBA", size, (0, 0, 0, 0))
