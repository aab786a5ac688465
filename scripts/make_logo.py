"""Draw assets/logo.png: the make-clips mark used by the example brand style.

A rounded square in the accent colour with a white play triangle and a check mark, on
transparency, 256 px. Deterministic, so re-running it changes nothing.

    python scripts/make_logo.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SIZE, SCALE = 256, 4  # drawn 4x larger and reduced, for smooth edges


def draw_logo() -> Image.Image:
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=(255, 212, 0, 255))
    unit = big / 16
    draw.polygon([(5 * unit, 4 * unit), (5 * unit, 12 * unit), (12 * unit, 8 * unit)],
                 fill=(24, 26, 30, 255))  # fmt: skip
    draw.line([(9.5 * unit, 11 * unit), (11 * unit, 12.5 * unit), (14 * unit, 9 * unit)],
              fill=(46, 158, 79, 255), width=round(1.4 * unit), joint="curve")  # fmt: skip
    return image.reduce(SCALE)


def main() -> None:
    target = ROOT / "assets" / "logo.png"
    draw_logo().save(target, optimize=True)
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
