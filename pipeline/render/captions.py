"""Burned-in captions: an ASS file with word-by-word highlight, and the matching SRT.

Words are grouped into short lines and pages (a page is what is on screen at once); each
word gets its own event showing its page with that word in the accent colour, so the
highlight follows the voice without karaoke tags. Text is escaped so whatever the coach
says renders literally and can never open an ASS override block.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.core.model import Word
from pipeline.core.style import RGB, Style
from pipeline.render.labels import SafeBox

WORD_JOINER = "\u2060"  # invisible; placed after "\" so "\N", "\h", "\{" stay literal text
PAGE_HOLD = 0.6  # seconds a page stays up after its last word when nothing follows
PAUSE_BREAK = 1.0  # a silence this long starts a new page
SENTENCE_END = (".", "?", "!", "…")


@dataclass(frozen=True, slots=True)
class CaptionLayout:
    """Where and how big captions are in one output format (pixels of that format)."""

    width: int
    height: int
    font_size: int
    margin_left: int
    margin_right: int
    margin_bottom: int
    max_words: int
    max_chars: int
    max_lines: int
    top: int | None = None  # if set, the first line's top sits here instead (fill layouts)

    @property
    def block_height(self) -> int:
        """Height of a full caption page, outline included."""
        return round(self.max_lines * self.font_size * 1.25)


Line = tuple[Word, ...]
Page = tuple[Line, ...]


def caption_layout(
    style: Style, size: tuple[int, int], box: SafeBox, bottom: int, top: int | None = None
) -> CaptionLayout:
    """Caption geometry for an output of `size`: inside the safe `box`, the last line's bottom
    at pixel row `bottom` (or, given `top`, the first line's top at that row).

    Portrait formats use `style.max_words_per_line`; wider ones fit more words per line.
    """
    width, height = size
    font_size = round(style.caption_size * height)
    extra_words = 0 if height > width * 1.3 else (2 if height >= width else 4)
    return CaptionLayout(
        width=width,
        height=height,
        font_size=font_size,
        margin_left=box.left,
        margin_right=width - box.right,
        margin_bottom=height - bottom,
        max_words=style.max_words_per_line + extra_words,
        max_chars=max(6, int(box.width / (font_size * 0.62))),
        max_lines=style.max_lines,
        top=top,
    )


def clip_words(words: tuple[Word, ...], start: float, end: float) -> tuple[Word, ...]:
    """The words spoken inside `start`..`end`, with times relative to `start`."""
    inside = []
    for word in words:
        if not word.text.strip() or word.end <= start or word.start >= end:
            continue
        begin = max(0.0, word.start - start)
        finish = max(begin + 0.01, min(end, word.end) - start)
        inside.append(Word(word.text.strip(), begin, finish, word.probability))
    return tuple(inside)


def paginate(words: tuple[Word, ...], layout: CaptionLayout) -> list[Page]:
    """Group words into lines (max words / characters) and pages (max lines, sentence ends)."""
    pages: list[Page] = []
    lines: list[Line] = []
    line: list[Word] = []

    def close_line() -> None:
        nonlocal line
        if line:
            lines.append(tuple(line))
            line = []

    def close_page() -> None:
        nonlocal lines
        close_line()
        if lines:
            pages.append(tuple(lines))
            lines = []

    previous: Word | None = None
    for word in words:
        if previous is not None and (
            previous.text.endswith(SENTENCE_END) or word.start - previous.end >= PAUSE_BREAK
        ):
            close_page()
        length = sum(len(w.text) + 1 for w in line) + len(word.text)
        if line and (len(line) >= layout.max_words or length > layout.max_chars):
            close_line()
            if len(lines) >= layout.max_lines:
                close_page()
        line.append(word)
        previous = word
    close_page()
    return pages


def escape_ass(text: str) -> str:
    """Make `text` show literally in an ASS dialogue line.

    A backslash gets an invisible word joiner after it, so it can never start `\\N`, `\\h`
    or any other escape; braces are escaped as `\\{` `\\}` (which libass shows as braces),
    so no override block can be opened; line breaks become spaces.
    """
    text = text.replace("\\", "\\" + WORD_JOINER)
    text = text.replace("{", "\\{").replace("}", "\\}")
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def build_ass(
    pages: list[Page],
    layout: CaptionLayout,
    style: Style,
    duration: float,
    pause: float | None = None,
) -> str:
    """The whole ASS file for one clip of `duration` seconds; no page shown before `pause`
    (seconds: the clip stops for a replay) stays up past it."""
    header = _ass_header(layout, style)
    events = []
    for index, page in enumerate(pages):
        page_words = [word for line in page for word in line]
        page_end = _page_end(pages, index, duration, pause)
        for position, word in enumerate(page_words):
            begin = page_words[0].start if position == 0 else word.start
            finish = page_words[position + 1].start if position + 1 < len(page_words) else page_end
            if finish <= begin:
                continue
            text = _page_text(page, word, style.accent, style.text)
            events.append(
                f"Dialogue: 0,{_ass_time(begin)},{_ass_time(finish)},Caption,,0,0,0,,{text}"
            )
    return header + "\n".join(events) + "\n"


def build_srt(pages: list[Page], duration: float, pause: float | None = None) -> str:
    """An SRT file with one cue per caption page, times relative to the clip (`pause`: as
    in `build_ass`)."""
    cues = []
    for index, page in enumerate(pages):
        begin = page[0][0].start
        finish = _page_end(pages, index, duration, pause)
        text = "\n".join(" ".join(word.text for word in line) for line in page)
        cues.append(f"{index + 1}\n{_srt_time(begin)} --> {_srt_time(finish)}\n{text}\n")
    return "\n".join(cues)


def _page_end(pages: list[Page], index: int, duration: float, pause: float | None) -> float:
    """Until the next page, a moment after the page's last word, the clip's end, or a pause."""
    page = pages[index]
    following = pages[index + 1][0][0].start if index + 1 < len(pages) else duration
    end = min(following, page[-1][-1].end + PAGE_HOLD, duration)
    if pause is not None and page[0][0].start < pause:
        end = min(end, max(pause, page[-1][-1].end))
    return end


def font_name(path: Path) -> str:
    """The name libass matches for a font file, e.g. "Inter Extra Bold"."""
    from PIL import ImageFont

    family, weight = ImageFont.truetype(str(path), 10).getname()
    family = family or path.stem
    return family if not weight or weight.lower() == "regular" else f"{family} {weight}"


def _page_text(page: Page, spoken: Word, accent: RGB, text: RGB) -> str:
    lines = []
    for line in page:
        parts = []
        for word in line:
            escaped = escape_ass(word.text)
            if word is spoken:
                escaped = f"{{\\c{_ass_colour(accent)}}}{escaped}{{\\c{_ass_colour(text)}}}"
            parts.append(escaped)
        lines.append(" ".join(parts))
    return "\\N".join(lines)


def _ass_header(layout: CaptionLayout, style: Style) -> str:
    outline = max(1.0, style.caption_outline * layout.font_size)
    shadow = max(1.0, outline * 0.4)
    white, black = _ass_colour(style.text), _ass_colour(style.outline)
    alignment, margin_v = (2, layout.margin_bottom) if layout.top is None else (8, layout.top)
    caption_style = (
        f"Style: Caption,{font_name(style.caption_font)},{layout.font_size},{white},{white},"
        f"{black},&H80000000,0,0,0,0,100,100,0,0,1,{outline:.1f},{shadow:.1f},{alignment},"
        f"{layout.margin_left},{layout.margin_right},{margin_v},1"
    )
    return (
        "[Script Info]\nScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\n"
        f"PlayResX: {layout.width}\nPlayResY: {layout.height}\nYCbCr Matrix: TV.709\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
        "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
        "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, "
        f"Encoding\n{caption_style}\n\n[Events]\nFormat: Layer, Start, End, Style, Name, "
        "MarginL, MarginR, MarginV, Effect, Text\n"
    )


def _ass_colour(rgb: RGB) -> str:
    red, green, blue = rgb
    return f"&H00{blue:02X}{green:02X}{red:02X}"


def _ass_time(seconds: float) -> str:
    centis = max(0, round(seconds * 100))
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    return f"{hours}:{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}"


def _srt_time(seconds: float) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d},{rest % 1000:03d}"
