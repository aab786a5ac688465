"""Images for writers: good-versus-bad splits, a titled still per segment, and a cover.

Frames are chosen by `pipeline.publish.frames` (sharp, still, at the top of the movement) and drawn
with Pillow. Every image is written as a progressive sRGB JPEG and a WebP, with no EXIF or
other metadata that could carry the source's path.
"""

from __future__ import annotations

import functools
import io
import re
import struct
from collections.abc import Callable, Container, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from pipeline.core.files import aspect_tag, finish, partial_path, segment_basename, write_bytes
from pipeline.core.marking import draw_mark, transparent
from pipeline.core.memory import release_memory
from pipeline.core.model import Demo, DemoForm, Media, Output, Plan, Segment
from pipeline.core.style import RGB, Style
from pipeline.publish.article import prose_sentences, video_title
from pipeline.publish.frames import (
    Box,
    FrameChoice,
    Spot,
    choose_frame,
    decode_frame,
    difference_spot,
)
from pipeline.understand.faults import FaultMark, angle_text
from pipeline.understand.speech import sentence_case

SPLIT_SIZES = {"16:9": (1200, 675), "4:5": (1080, 1350)}
STILL_SIZE = (1200, 675)
COVER_SIZE = (1280, 720)
GAP = 6  # pixels between the two halves of a split
MAX_UPSCALE = 2.0  # a crop is never blown up more than this, unless the source is tiny

Picture = tuple[Image.Image, Box]  # an upright frame and where the subject is in it


# An image file written under its hidden partial name, and the Output it becomes once
# renamed (`write_drawn`). On disk rather than in memory: a 20-minute take has 106 segments.
Drawn = tuple[Path, Output]


def make_stills(
    media: Media,
    plan: Plan,
    style: Style,
    outdir: Path,
    marks: Mapping[str, FaultMark] | None = None,
) -> list[Output]:
    """Write the split images, one still per segment and the cover into `outdir/images`.

    Returns:
        One Output per file (JPEG and WebP of each image), type "image", with alt text.

    Raises:
        InputError: the source cannot be decoded where a segment says it has a picture.
        OutputError: the images cannot be written.
    """
    return write_drawn(draw_stills(media, plan, style, outdir, marks))


def write_drawn(drawn: list[Drawn]) -> list[Output]:
    """Give the images made by `draw_stills` their names; return their Outputs.

    Raises:
        OutputError: the images cannot be renamed.
    """
    for partial, output in drawn:
        finish(partial, output.path)
    return [output for _, output in drawn]


def discard_drawn(drawn: list[Drawn]) -> None:
    """Remove the images made by `draw_stills` that will not be given their names."""
    for partial, _ in drawn:
        partial.unlink(missing_ok=True)


def draw_stills(
    media: Media,
    plan: Plan,
    style: Style,
    outdir: Path,
    marks: Mapping[str, FaultMark] | None = None,
    kept: Container[tuple[str | None, str, str]] = (),
    turn: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> list[Drawn]:
    """Everything `make_stills` does but naming the images: each is written under its hidden
    partial name (`pipeline.core.files.partial_path`), which `write_drawn` renames.

    A run draws them beside its encodes and names them once the clips are finished. A
    mistake with a FaultMark (`marks`, by segment id) shows the marked frames in its split
    images, and gets a freeze-frame image of its bad form, marked (`<base>_fault`). Images
    keyed in `kept` by (segment id or None, role, aspect), e.g. `("mistake-1", "split", "4:5")`
    or `(None, "cover", "16:9")`, are left as they are on disk: a re-render keeps what did not
    change. Each segment's images (and the cover) are drawn inside a `turn()` of their own,
    which a run takes by turns with the preparation of its clips (`pipeline.run.turns`).

    Raises:
        InputError: the source cannot be decoded where a segment says it has a picture.
        OutputError: the images cannot be written.
    """
    images = Path(outdir) / "images"
    # A segment asks for its demos' pictures up to twice (split image, still). Full-size frames
    # are big: keep only the last few, so a long take's stills need no more memory than a short's.
    picture = functools.lru_cache(maxsize=4)(lambda start, end: _picture(media, start, end))
    outputs: list[Drawn] = []
    try:
        _draw(media, plan, style, images, marks or {}, kept, picture, outputs, turn)
    except BaseException:
        discard_drawn(outputs)
        raise
    return outputs


def _draw(
    media: Media,
    plan: Plan,
    whole: Style,
    images: Path,
    marks: Mapping[str, FaultMark],
    kept: Container[tuple[str | None, str, str]],
    picture: Callable[[float, float], Picture],
    outputs: list[Drawn],
    turn: Callable[[], AbstractContextManager[object]],
) -> None:
    """`draw_stills`' images, appended to `outputs` as each is written, each segment's in a
    `turn` of its own."""
    for segment in plan.segments:
        with turn():
            _draw_segment(media, plan, segment, whole, images, marks, kept, picture, outputs)
            # The stills are drawn beside the encodes: hand back the heap the segment's
            # full-size pictures freed before the turn passes, or it stays under every encode
            # that follows (a 5-minute take's drawing: 204 MB resident on average, 172 MB
            # handed back per segment).
            release_memory()
    if plan.segments and (None, "cover", "16:9") not in kept:
        with turn():
            span, title, subtitle = cover_facts(plan)
            frame, subject = picture(*span)
            main = title.partition(": ")[0]
            image = cover_image(frame, subject, main, subtitle, whole)
            alt = f"Cover: {title}"
            outputs += encode_image(image, images / "cover", None, "16:9", alt, "cover")
            release_memory()


def _draw_segment(
    media: Media,
    plan: Plan,
    segment: Segment,
    whole: Style,
    images: Path,
    marks: Mapping[str, FaultMark],
    kept: Container[tuple[str | None, str, str]],
    picture: Callable[[float, float], Picture],
    outputs: list[Drawn],
) -> None:
    """One segment's split images, freeze frame and still, appended to `outputs`."""
    style = whole.for_segment(segment.annotations)
    base = segment_basename(segment.id, segment.title)
    bad, good = segment.demo("bad"), segment.demo("good")
    mark = marks.get(segment.id)
    if bad is not None and good is not None:
        splits = [
            (aspect, size)
            for aspect, size in SPLIT_SIZES.items()
            if (segment.id, "split", aspect) not in kept
        ]
        freeze = mark is not None and style.freeze_frame
        freeze = freeze and (segment.id, "fault", "16:9") not in kept
        if splits or freeze:
            if mark is not None:
                bad_picture = (decode_frame(media, mark.bad_time), mark.subject)
                good_picture = (decode_frame(media, mark.good_time), mark.subject)
            else:
                bad_picture = picture(bad.start, bad.end)
                good_picture = picture(good.start, good.end)
        for aspect, size in splits:
            image = split_image(bad_picture, good_picture, size, style, mark)
            stem = images / f"{base}_split_{aspect_tag(aspect)}"
            alt = split_alt(segment, plan.topic, stacked=size[1] > size[0])
            outputs += encode_image(image, stem, segment.id, aspect, alt, "split")
        if freeze and mark is not None:
            image = fault_image(bad_picture[0], mark, style)
            alt = fault_alt(segment, mark)
            stem = images / f"{base}_fault"
            outputs += encode_image(image, stem, segment.id, "16:9", alt, "fault")
    if (segment.id, "still", "16:9") in kept:
        return
    frame, subject = picture(*_still_span(segment))
    header = style.header_for(segment.kind, segment.number, segment.title)
    image = still_image(frame, subject, header, style)
    alt = still_alt(segment, plan.topic)
    outputs += encode_image(image, images / f"{base}_still", segment.id, "16:9", alt, "still")


def cover_facts(plan: Plan) -> tuple[tuple[float, float], str, str]:
    """What the cover is made of: the stretch its frame comes from, its title and subtitle."""
    title = video_title(plan)
    promise = title.partition(": ")[2]
    return _cover_span(plan), title, promise.upper() if promise else _cover_subtitle(plan)


def split_image(
    bad: Picture,
    good: Picture,
    size: tuple[int, int],
    style: Style,
    mark: FaultMark | None = None,
) -> Image.Image:
    """Bad and good form side by side (landscape `size`) or stacked (portrait), labelled, and
    marked where they differ most (`mark`, else the pictures' difference)."""
    width, height = size
    stacked = height > width
    half = (width, (height - GAP) // 2) if stacked else ((width - GAP) // 2, height)
    # One crop for both halves, around wherever the athlete moved in either, so the two
    # pictures line up and the reader compares the body, not the framing.
    subject = _union(bad[1], good[1])
    if mark is not None:
        spot = mark.spot
    else:
        spot = difference_spot(bad[0], good[0], subject) if style.mark_fault else None
    fault = mark.fault if mark is not None else None
    canvas = Image.new("RGB", size, style.header_background)
    for index, ((frame, _), colour, label) in enumerate(
        ((bad, style.bad, style.bad_label), (good, style.good, style.good_label))
    ):
        tile = crop_to(frame, subject, half, pad=0.25)
        if spot is not None and style.mark_fault:
            crop = _crop_box(frame.size, subject, half, 0.25)
            # Without a pose: the same place on both halves.
            limb: tuple[tuple[float, float], ...] = ()
            text, at = "", spot
            if fault is not None:
                limb = fault.bad_points if index == 0 else fault.good_points
                angle = fault.bad_angle if index == 0 else fault.good_angle
                text, at = angle_text(fault.joint, angle), (limb[1][0], limb[1][1], spot[2])
            _mark(tile, crop, frame.size, at, colour, limb, text, style)
        _label(tile, label, colour, style, size=round(min(half) * (0.075 if stacked else 0.066)))
        offset = (0, index * (half[1] + GAP)) if stacked else (index * (half[0] + GAP), 0)
        canvas.paste(tile, offset)
    return canvas


def still_image(frame: Image.Image, subject: Box, header: str, style: Style) -> Image.Image:
    """The segment's best frame with its on-screen header across the bottom."""
    left, top, right, bottom = subject
    room = (left, top, right, min(1.0, bottom + 0.6 * (bottom - top)))  # floor under the text
    image = crop_to(frame, room, STILL_SIZE, pad=0.25)
    _shade(image, from_bottom=True)
    draw = ImageDraw.Draw(image)
    margin = round(image.width * 0.05)
    font, lines = _fit(header, style.header_font, image.width - 2 * margin, start=58, max_lines=2)
    line_height = round(font.size * 1.18)
    y = image.height - margin - line_height * len(lines)
    draw.rectangle((margin, y - 22, margin + 90, y - 14), fill=style.accent)
    for line in lines:
        draw.text((margin, y), line, font=font, fill=style.text)
        y += line_height
    return image


def cover_image(
    frame: Image.Image, subject: Box, title: str, subtitle: str, style: Style
) -> Image.Image:
    """The video's cover: its best frame, the title on the side away from the athlete."""
    width, height = COVER_SIZE
    image = crop_to(frame, subject, COVER_SIZE, pad=1.0)
    left, right = _subject_span(frame, subject, image, pad=1.0)
    text_left = (left + right) / 2 > 0.5  # athlete on the right: write on the left
    _shade(image, from_left=text_left)
    draw = ImageDraw.Draw(image)
    margin = round(width * 0.06)
    free = (left * width if text_left else width - right * width) - 2 * margin
    column = round(max(width * 0.4, min(width * 0.6, free)))
    font, lines = _fit(title, style.header_font, column, start=84, max_lines=3)
    small, sub_lines = _fit(subtitle, style.label_font, column, start=32, max_lines=2)
    line_height, sub_height = round(font.size * 1.15), round(small.size * 1.3)
    block = line_height * len(lines) + (sub_height * len(sub_lines) + 24 if subtitle else 0)
    x = margin if text_left else width - margin - column
    y = (height - block) // 2
    draw.rectangle((x, y - 30, x + 110, y - 20), fill=style.accent)
    for line in lines:
        draw.text((x, y), line, font=font, fill=style.text)
        y += line_height
    y += 24
    for line in sub_lines if subtitle else []:
        draw.text((x, y), line, font=small, fill=style.accent)
        y += sub_height
    return image


def crop_to(frame: Image.Image, subject: Box, size: tuple[int, int], pad: float) -> Image.Image:
    """Cut `frame` to the aspect of `size` around `subject` (padded by `pad` of its size)."""
    left, top, right, bottom = _crop_box(frame.size, subject, size, pad)
    return frame.resize(size, Image.Resampling.LANCZOS, box=(left, top, right, bottom))


def encode_image(
    image: Image.Image, stem: Path, segment: str | None, aspect: str, alt: str, role: str
) -> list[Drawn]:
    """`stem`.jpg and `stem`.webp, written under their partial names, with the Outputs they
    become."""
    image = image.convert("RGB")
    image.info.clear()  # nothing from a decoded frame travels into the file
    drawn = []
    jpeg = _encode(image, "JPEG", quality=85, progressive=True, optimize=True)
    webp = _encode(image, "WEBP", quality=82, method=5)
    for suffix, data in ((".jpg", jpeg), (".webp", webp)):
        path = stem.with_suffix(suffix)
        partial = write_bytes(partial_path(path), data)
        extra = {"role": role, "width": image.width, "height": image.height}
        output = Output(path, type="image", segment=segment, aspect=aspect, alt=alt, extra=extra)
        drawn.append((partial, output))
    return drawn


def _encode(image: Image.Image, kind: str, **options: Any) -> bytes:
    """Encode with only an sRGB profile attached: no EXIF, no comments, no source path."""
    buffer = io.BytesIO()
    image.save(buffer, kind, icc_profile=_srgb_profile(), **options)
    return buffer.getvalue()


def split_alt(segment: Segment, topic: str, *, stacked: bool) -> str:
    """E.g. "Bad form (left) versus good form (right): pushing off your elbows during ..."."""
    where = ("top", "bottom") if stacked else ("left", "right")
    # Mid-sentence, a Title Case heading reads as shouting: "pushing off your elbows".
    title = _lower_first(sentence_case(segment.title))
    alt = f"Bad form ({where[0]}) versus good form ({where[1]}): {title}"
    alt += _during(topic)
    cue = next((s for s in prose_sentences(segment) if s.lower().startswith("instead")), None)
    if cue:
        advice = re.sub(r"^instead\W+", "", cue, flags=re.IGNORECASE)
        alt += f". Good form: {_lower_first(advice)}"
    return alt if alt.endswith(".") else alt + "."


def still_alt(segment: Segment, topic: str) -> str:
    """E.g. "Variation #1: Single-leg hip thrust with iso hold. Pause at the top of every rep."."""
    if segment.kind in ("mistake", "variation"):
        alt = segment.heading
        alt += _during(topic) if topic.lower() not in alt.lower() else ""
    elif segment.title.strip() and segment.title.strip().lower() != segment.kind:
        alt = segment.title.strip()
    else:
        about = f" about {_during(topic)[len(' during ') :]}" if topic.strip() else ""
        alt = f"{segment.kind.capitalize()} of the video{about}"
    said = prose_sentences(segment)
    if said and len(said[0]) <= 160:
        alt = f"{alt.rstrip('.')}. {said[0]}"
    return alt if alt[-1] in ".!?" else alt + "."


def _picture(media: Media, start: float, end: float) -> Picture:
    choice: FrameChoice = choose_frame(media, start, end)
    return decode_frame(media, choice.time), choice.subject


def _still_span(segment: Segment) -> tuple[float, float]:
    demo: Demo | None = segment.demo("good") or segment.demo("demo") or segment.demo("bad")
    return (demo.start, demo.end) if demo is not None else (segment.start, segment.end)


def _cover_span(plan: Plan) -> tuple[float, float]:
    forms: tuple[DemoForm, ...] = ("good", "demo", "bad")
    for form in forms:
        for segment in plan.segments:
            demo = segment.demo(form)
            if demo is not None:
                return demo.start, demo.end
    return plan.segments[0].start, plan.segments[0].end


def _cover_subtitle(plan: Plan) -> str:
    mistakes = sum(1 for s in plan.segments if s.kind == "mistake")
    variations = sum(1 for s in plan.segments if s.kind == "variation")
    parts = [f"{mistakes} mistake{'s' * (mistakes != 1)}"] if mistakes else []
    parts += [f"{variations} variation{'s' * (variations != 1)}"] if variations else []
    return "  ·  ".join(parts).upper()


def _crop_box(
    frame_size: tuple[int, int], subject: Box, size: tuple[int, int], pad: float
) -> tuple[int, int, int, int]:
    frame_w, frame_h = frame_size
    aspect = size[0] / size[1]
    left, top, right, bottom = subject
    box_w, box_h = (right - left) * frame_w, (bottom - top) * frame_h
    centre_x, centre_y = (left + right) / 2 * frame_w, (top + bottom) / 2 * frame_h
    box_w, box_h = box_w * (1 + 2 * pad), box_h * (1 + 2 * pad)
    crop_w = max(box_w, box_h * aspect, size[0] / MAX_UPSCALE)
    crop_h = crop_w / aspect
    shrink = min(1.0, frame_w / crop_w, frame_h / crop_h)
    crop_w, crop_h = crop_w * shrink, crop_h * shrink
    x0 = min(max(0.0, centre_x - crop_w / 2), frame_w - crop_w)
    y0 = min(max(0.0, centre_y - crop_h / 2), frame_h - crop_h)
    return round(x0), round(y0), round(x0 + crop_w), round(y0 + crop_h)


def _subject_span(
    frame: Image.Image, subject: Box, image: Image.Image, pad: float
) -> tuple[float, float]:
    """Where the subject's left and right edges fall across the cropped image, as fractions."""
    x0, _, x1, _ = _crop_box(frame.size, subject, image.size, pad)
    span = max(1, x1 - x0)
    left, right = subject[0] * frame.width, subject[2] * frame.width
    return max(0.0, (left - x0) / span), min(1.0, (right - x0) / span)


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _mark(
    tile: Image.Image,
    crop: tuple[int, int, int, int],
    frame_size: tuple[int, int],
    spot: Spot,
    colour: RGB,
    limb: Sequence[tuple[float, float]],
    text: str,
    style: Style,
) -> None:
    """The fault's mark (pipeline.core.marking) on `tile`, cut from `crop` of the frame."""
    x0, y0, x1, _ = crop
    scale = tile.width / max(1, x1 - x0)

    def place(x: float, y: float) -> tuple[float, float]:
        return (x * frame_size[0] - x0) * scale, (y * frame_size[1] - y0) * scale

    layer = transparent(tile.size)
    draw_mark(layer, place, colour, spot, frame_size[0], scale, limb, text, style.label_font)
    tile.paste(layer, (0, 0), layer)


def fault_image(frame: Image.Image, mark: FaultMark, style: Style) -> Image.Image:
    """The freeze frame of a mistake for the article: its bad form at the marked moment, the
    fault marked, labelled with the bad-form label."""
    image = crop_to(frame, mark.subject, STILL_SIZE, pad=0.25)
    if mark.spot is not None:
        crop = _crop_box(frame.size, mark.subject, STILL_SIZE, 0.25)
        fault = mark.fault
        limb = fault.bad_points if fault is not None else ()
        text = mark.text
        _mark(image, crop, frame.size, mark.spot, style.bad, limb, text, style)
    _label(image, style.bad_label, style.bad, style, size=round(STILL_SIZE[1] * 0.06))
    return image


def fault_alt(segment: Segment, mark: FaultMark) -> str:
    """E.g. "Mistake #2: Hyperextending your lower back, frozen: the hip at 152°, 178° in
    good form."."""
    alt = f"{segment.heading}, frozen at the fault"
    if mark.fault is not None:
        fault = mark.fault
        alt += (
            f": the {fault.joint} at {round(fault.bad_angle)}°, "
            f"{round(fault.good_angle)}° in good form"
        )
    elif mark.spot is not None:
        alt += ", ringed where it differs most from good form"
    return alt + "."


def _label(tile: Image.Image, text: str, colour: RGB, style: Style, size: int) -> None:
    """A solid pill with white text in the tile's top-left corner, readable on any picture."""
    draw = ImageDraw.Draw(tile)
    font = ImageFont.truetype(str(style.label_font), max(12, size))
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    pad_x, pad_y = round(font.size * 0.55), round(font.size * 0.38)
    margin = round(font.size * 0.6)
    box = (margin, margin, margin + right - left + 2 * pad_x, margin + bottom - top + 2 * pad_y)
    draw.rounded_rectangle(box, radius=round(font.size * 0.3), fill=colour)
    draw.text((margin + pad_x - left, margin + pad_y - top), text, font=font, fill=style.text)


def _shade(image: Image.Image, *, from_bottom: bool = False, from_left: bool = True) -> None:
    """Darken one side with a gradient so white text reads over any footage."""
    width, height = image.size
    length = height if from_bottom else width
    ramp = [round(215 * max(0.0, 1 - i / (0.62 * length)) ** 1.3) for i in range(length)]
    if from_bottom:
        mask = Image.new("L", (1, height))
        mask.putdata(ramp[::-1])
    else:
        mask = Image.new("L", (width, 1))
        mask.putdata(ramp if from_left else ramp[::-1])
    image.paste((0, 0, 0), (0, 0), mask.resize((width, height)))


def _fit(
    text: str, font_path: Path, width: int, *, start: int, max_lines: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font size (down to a third of `start`) at which `text` wraps into the box."""
    size = start
    while True:
        font = ImageFont.truetype(str(font_path), size)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines:
            return font, lines
        if size <= start // 3:
            return font, [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])[:40] + "…"]
        size -= 4


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _during(topic: str) -> str:
    topic = topic.strip()
    if not topic:
        return ""
    article = "" if re.match(r"(?i)(the|a|an)\s", topic) else "the "
    return f" during {article}{_lower_first(sentence_case(topic))}"


def _lower_first(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[1].isupper():  # an acronym stays as it is
        return text
    return text[:1].lower() + text[1:]


@functools.cache
def _srgb_profile() -> bytes:
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # lcms stamps the creation time into the header (bytes 24-35); a fixed date keeps images
    # byte-identical between runs and engines, so checksums in manifest.json are reproducible.
    profile[24:36] = struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
    return bytes(profile)
