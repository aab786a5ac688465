"""The draft article: the footage's order and words as Markdown, illustrated with the stills."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pipeline.core.files import write_text
from pipeline.core.model import Output, Plan, Segment

_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "vs",
        "via",
        "with",
    ]
)
_FILLERS = re.compile(r"\b(?:u+m+|u+h+|erm|er|ah|hmm+)\b[,.]?\s*", re.IGNORECASE)
# Phrases that are only filler when set off by commas: "it's, you know, hard" but not
# "do you know why".
_ASIDES = re.compile(r",\s*(?:you know|i mean|like|sort of|kind of)\s*,", re.IGNORECASE)
_OPENERS = re.compile(r"(^|[.!?]\s+)(?:you know|i mean|like|so|okay|ok)\s*,\s*", re.IGNORECASE)
_CUE = re.compile(
    r"^(?:(?:now|so|okay|ok)\W+)?(?:mistake|variation)\s+(?:number\s+)?(?:#\s*)?\w+\b\s*[:.,;!-]",
    re.IGNORECASE,
)
_NUMBERED_HEADING = re.compile(r"\b(?:mistake|variation)\s*(?:number\s*|#\s*)?\d", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def write_article(plan: Plan, outputs: list[Output], outdir: Path) -> Output:
    """Write `article.md`: the video's title, intro, one section per segment, outro; a whole
    session of several exercises gets a section per exercise with its segments inside.

    Mistakes show the good-versus-bad split image and their marked freeze frame, other
    segments their still; image links
    are relative to `outdir` so the folder can be moved or zipped as a whole.

    Returns:
        The article's Output (type "article").
    """
    outdir = Path(outdir)
    blocks = [f"# {video_title(plan)}"]
    cover = next((o for o in outputs if o.extra.get("role") == "cover" and _is_jpeg(o)), None)
    if cover is not None:
        blocks.append(f"![{_markdown_escape(cover.alt or '')}]({_link(cover.path, outdir)})")
    level, part = "##", None
    for segment in plan.segments:
        if segment.part is not None and segment.part != part:  # a session: a section per exercise
            part, level = segment.part, "###"
            blocks.append(f"## {title_case(segment.topic.strip()) or f'Part {part}'}")
        paragraphs = paragraphs_of(segment)
        if segment.kind in ("mistake", "variation"):
            blocks.append(f"{level} {section_heading(segment)}")
            image = _image_for(segment, outputs, "split" if segment.kind == "mistake" else "still")
            image = image or _image_for(segment, outputs, "still")
            frozen = _image_for(segment, outputs, "fault") if segment.kind == "mistake" else None
            for picture in (image, frozen):
                if picture is not None:
                    alt = _markdown_escape(picture.alt or section_heading(segment))
                    blocks.append(f"![{alt}]({_link(picture.path, outdir)})")
            shown = reps_shown(segment)
            if shown:
                blocks.append(f"*{shown}*")
        blocks.extend(paragraphs)
    path = write_text(outdir / "article.md", "\n\n".join(blocks) + "\n")
    return Output(path=path, type="article", alt=None, extra={"title": video_title(plan)})


def video_title(plan: Plan) -> str:
    """The article's H1, e.g. "The Single-Leg Hip Thrust: 3 Mistakes to Avoid"."""
    mistakes = sum(1 for s in plan.segments if s.kind == "mistake")
    variations = sum(1 for s in plan.segments if s.kind == "variation")
    counts = []
    if mistakes:
        counts.append(f"{mistakes} {'Mistake' if mistakes == 1 else 'Mistakes'} to Avoid")
    if variations:
        counts.append(f"{variations} {'Variation' if variations == 1 else 'Variations'} to Try")
    promise = " and ".join(counts)
    topics = list(dict.fromkeys(s.topic.strip() for s in plan.segments if s.part and s.topic))
    if len(topics) > 1:  # a session: "Goblet Squat, Push-Up and Bent-Over Row: ..."
        named = [title_case(t) for t in topics]
        listed = ", ".join(named[:-1]) + " and " + named[-1]
        return f"{listed}: {promise}" if promise else listed
    topic = plan.topic.strip()
    if not topic:
        intro = next((s for s in plan.segments if s.kind == "intro" and s.title.strip()), None)
        if intro is not None:
            return title_case(intro.title.strip())
        return promise or "Coaching Notes"
    topic = title_case(topic)
    if not re.match(r"(?i)(the|a|an|my|your|how|why|what)\b", topic) and not topic.endswith("s"):
        topic = f"The {topic}"
    return f"{topic}: {promise}" if promise else topic


def reps_shown(segment: Segment) -> str:
    """ "3 reps of bad form and 2 of good form shown." / "2 reps shown."; "" when uncounted."""
    counted = [(d.form, d.reps) for d in segment.demos if d.reps]
    if not counted:
        return ""
    if len(counted) == 1 or segment.kind != "mistake":
        total = sum(n for _, n in counted)
        return f"{total} {'rep' if total == 1 else 'reps'} shown."
    (first_form, first), *others = counted
    rest = " and ".join(f"{n} of {form} form" for form, n in others)
    return f"{first} {'rep' if first == 1 else 'reps'} of {first_form} form and {rest} shown."


def section_heading(segment: Segment) -> str:
    """ "Mistake #1: Pushing Off Your Elbows"; an outline's own heading is kept verbatim."""
    title = segment.title.strip()
    if _NUMBERED_HEADING.search(title):
        return title
    if segment.kind == "mistake" and segment.number is not None:
        return f"Mistake #{segment.number}: {title_case(title)}"
    if segment.kind == "variation" and segment.number is not None:
        return f"Variation #{segment.number}: {title_case(title)}"
    return title_case(title)


def title_case(text: str) -> str:
    """Headline case: "pushing off your elbows" -> "Pushing Off Your Elbows".

    Text that already has capitals after its first letter (an outline's heading, a name,
    an acronym) is taken as written.
    """
    if any(ch.isupper() for ch in text[1:]):
        return text
    words = text.split(" ")
    result = []
    for index, word in enumerate(words):
        first_or_last = index in (0, len(words) - 1)
        after_colon = index > 0 and words[index - 1].endswith(":")
        if word.lower() in _SMALL_WORDS and not (first_or_last or after_colon):
            result.append(word.lower())
        else:
            result.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(result)


def sentences_of(segment: Segment) -> list[str]:
    """What was said in the segment as clean sentences: fillers gone, capitals fixed."""
    text = _OPENERS.sub(r"\1", _ASIDES.sub(" ", _FILLERS.sub("", segment.text)))
    text = re.sub(r"\s+([,.!?;:])", r"\1", re.sub(r"\s+", " ", text)).strip()
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)  # ", ," left where a filler was
    text = re.sub(r"(^|[.!?]\s*),\s*", r"\1", text)
    sentences = []
    for raw in _SENTENCE_END.split(text):
        sentence = raw.strip(" ,;")
        if not sentence:
            continue
        sentence = re.sub(r"\bi\b", "I", sentence)
        sentence = sentence[0].upper() + sentence[1:]
        if sentence[-1] not in ".!?":
            sentence += "."
        sentences.append(sentence)
    return sentences


def prose_sentences(segment: Segment) -> list[str]:
    """The segment's sentences without the spoken cue ("Mistake number one: ...")."""
    sentences = sentences_of(segment)
    if segment.kind in ("mistake", "variation") and sentences and _CUE.match(sentences[0]):
        return sentences[1:]
    return sentences


def paragraphs_of(segment: Segment, per_paragraph: int = 3) -> list[str]:
    sentences = prose_sentences(segment)
    return [
        " ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)
    ]


def relative_link(path: Path, outdir: Path) -> str:
    """`path` as a POSIX path relative to `outdir` (outputs may be listed relative or absolute)."""
    path = Path(path)
    if not path.is_absolute():
        path = outdir / path if (outdir / path).exists() else path.resolve()
    return Path(os.path.relpath(path.resolve(), Path(outdir).resolve())).as_posix()


def _link(path: Path, outdir: Path) -> str:
    link = relative_link(path, outdir)
    return f"<{link}>" if re.search(r"[\s()<>]", link) else link


def _image_for(segment: Segment, outputs: list[Output], role: str) -> Output | None:
    for output in outputs:
        if (
            output.type == "image"
            and output.segment == segment.id
            and output.extra.get("role") == role
            and _is_jpeg(output)
            and output.aspect in ("16:9", None)
        ):
            return output
    return None


def _is_jpeg(output: Output) -> bool:
    return Path(output.path).suffix.lower() in (".jpg", ".jpeg")


def _markdown_escape(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", " ".join(text.split()))
