"""The review page: one self-contained `index.html` to watch, check and download everything.

No scripts, CDNs or web fonts: the page opens from file:// (or a zip) and only links to the
outputs beside it, by relative paths. Everything said or titled is HTML-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from urllib.parse import quote

from pipeline.core.files import write_text
from pipeline.core.model import Output, Plan, Segment, word_key
from pipeline.publish.article import relative_link, sentences_of, video_title

Link = Callable[[Output], str]

_CSS = """
:root { color-scheme: dark; --bg: #101214; --card: #1a1d21; --line: #2b3036; --text: #e8eaed;
  --dim: #9aa1a9; --accent: #ffd400; --bad: #e53935; --good: #2e9e4f; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 24px; }
header .cover { display: block; width: 100%; height: auto; border-radius: 12px; }
h1 { font-size: clamp(1.6rem, 4vw, 2.6rem); line-height: 1.15; margin: 16px 0 4px; }
h2 { margin: 0 0 4px; font-size: 1.4rem; }
.meta { color: var(--dim); margin: 0 0 16px; }
.kind { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: .8rem;
  font-weight: 700; text-transform: uppercase; letter-spacing: .04em; background: var(--line); }
.kind-mistake { background: var(--bad); color: #fff; }
.kind-variation { background: var(--good); color: #fff; }
section.segment { background: var(--card); border: 1px solid var(--line); border-radius: 14px;
  padding: 20px; margin: 0 0 24px; }
.grid { display: grid; gap: 16px; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
  align-items: start; }
figure { margin: 0; }
figure video, figure img { display: block; width: 100%; max-height: 70vh; object-fit: contain;
  background: #000; border-radius: 8px; height: auto; }
figcaption { color: var(--dim); font-size: .85rem; margin-top: 6px; overflow-wrap: anywhere; }
details { margin-top: 16px; }
summary { cursor: pointer; color: var(--dim); }
.transcript { max-width: 70ch; }
mark { background: #5c4a00; color: var(--text); padding: 0 2px; border-radius: 3px; }
.check { color: var(--dim); font-size: .9rem; }
ul.outputs { columns: 2 320px; padding-left: 18px; font-size: .9rem; }
ul.outputs li { overflow-wrap: anywhere; }
footer { color: var(--dim); font-size: .85rem; }
"""


def write_page(plan: Plan, outputs: list[Output], outdir: Path) -> Output:
    """Write `outdir/index.html`: the cover, every segment's clips, images and transcript.

    Returns:
        The page's Output (type "page").
    """
    outdir = Path(outdir)
    title = video_title(plan)

    def link(output: Output) -> str:
        return quote(relative_link(output.path, outdir))

    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
    ]
    cover = next((o for o in outputs if o.extra.get("role") == "cover" and _jpeg(o)), None)
    if cover is not None:
        parts.append(_picture(cover, outputs, link, css_class="cover"))
    parts.append(f"<h1>{escape(title)}</h1>")
    parts.append(
        f'<p class="meta">{escape(plan.source)} · {_clock(plan.duration)} · '
        f"{len(plan.segments)} segments · {len(outputs)} files</p>"
    )
    parts.append("<details><summary>All outputs</summary>")
    parts.append('<ul class="outputs">')
    for output in outputs:
        label = f"{output.type}{f' {output.aspect}' if output.aspect else ''}"
        name = escape(relative_link(output.path, outdir))
        label = f'<span class="meta">{escape(label)}</span>'
        parts.append(f'<li><a href="{link(output)}">{name}</a> {label}</li>')
    parts += ["</ul>", "</details>", "</header>", "<main>"]
    for segment in plan.segments:
        parts.append(_section(segment, outputs, link))
    parts += ["</main>", "<footer>Made with make-clips.</footer>", "</body>", "</html>", ""]
    path = write_text(outdir / "index.html", "\n".join(parts))
    return Output(path=path, type="page")


def _section(segment: Segment, outputs: list[Output], link: Link) -> str:
    mine = [o for o in outputs if o.segment == segment.id]
    clips = [o for o in mine if o.type in ("clip", "compare") and _video(o)]
    # A clip's thumbnail (same name, .jpg) is its poster, not one more picture on the page.
    pictures = {Path(o.path).with_suffix(""): o for o in mine if o.type == "image" and _jpeg(o)}
    posters = {id(c): pictures.get(Path(c.path).with_suffix("")) for c in clips}
    shown = {id(p) for p in posters.values() if p is not None}
    images = [o for o in pictures.values() if id(o) not in shown]
    parts = [
        f'<section class="segment" id="{escape(segment.id, quote=True)}">',
        f"<h2>{escape(segment.heading)}</h2>",
        f'<p class="meta"><span class="kind kind-{escape(segment.kind)}">{escape(segment.kind)}'
        f"</span> {_clock(segment.start)}–{_clock(segment.end)}"
        f" ({segment.duration:.1f} s)</p>",
    ]
    if segment.unsure:
        words = ", ".join(f"<mark>{escape(w)}</mark>" for w in segment.unsure)
        where = (
            " (the title has " + ", ".join(f"“{escape(w)}”" for w in segment.title_unsure) + ")"
            if segment.title_unsure
            else ""
        )
        parts.append(
            f'<p class="check">Check the captions for {words}: the speech model was unsure '
            f"of {'it' if len(segment.unsure) == 1 else 'them'}{where}.</p>"
        )
    parts.append('<div class="grid">')
    for clip in clips:
        src = link(clip)
        caption = " · ".join(x for x in (clip.type, clip.aspect or "", Path(clip.path).name) if x)
        thumbnail = posters[id(clip)]
        poster, note = "", ""
        if thumbnail is not None:
            poster = f' poster="{link(thumbnail)}"'
            if thumbnail.alt:
                poster += f' aria-label="{escape(thumbnail.alt, quote=True)}"'
                note = f'<br><span class="alt">Poster: {escape(thumbnail.alt)}</span>'
        parts.append(
            f'<figure><video controls preload="metadata" src="{src}"{poster}></video>'
            f"<figcaption>{escape(caption)}{note}</figcaption></figure>"
        )
    for image in images:
        parts.append(
            f"<figure>{_picture(image, outputs, link)}"
            f"<figcaption>{escape(image.alt or Path(image.path).name)}</figcaption></figure>"
        )
    parts.append("</div>")
    said = " ".join(sentences_of(segment))
    if said:
        parts.append(
            f'<details open><summary>Transcript</summary><p class="transcript">'
            f"{_marked(said, segment.unsure)}</p></details>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _marked(text: str, unsure: tuple[str, ...]) -> str:
    """`text`, HTML-escaped, with every word the model was unsure of in <mark>."""
    doubtful = {word_key(w) for w in unsure}
    pieces = re.split(r"(\s+)", text)
    return "".join(
        f'<mark title="the speech model was unsure of this word">{escape(p)}</mark>'
        if p.strip() and word_key(p) in doubtful
        else escape(p)
        for p in pieces
    )


def _picture(image: Output, outputs: list[Output], link: Link, css_class: str = "") -> str:
    """A <picture> with the WebP twin (same name, .webp) first and the JPEG as fallback."""
    stem = Path(image.path).with_suffix("")
    webp = next((o for o in outputs if Path(o.path) == stem.with_suffix(".webp")), None)
    source = f'<source type="image/webp" srcset="{link(webp)}">' if webp else ""
    alt = escape(image.alt or "", quote=True)
    size = ""
    if image.extra.get("width") and image.extra.get("height"):
        size = f' width="{image.extra["width"]}" height="{image.extra["height"]}"'
    cls = f' class="{css_class}"' if css_class else ""
    src = link(image)
    return f'<picture>{source}<img{cls} src="{src}" alt="{alt}"{size} loading="lazy"></picture>'


def _clock(seconds: float) -> str:
    """mm:ss.s, e.g. 01:05.3."""
    tenths = round(max(0.0, seconds) * 10)
    return f"{tenths // 600:02d}:{tenths % 600 // 10:02d}.{tenths % 10}"


def _video(output: Output) -> bool:
    return Path(output.path).suffix.lower() in (".mp4", ".webm", ".mov", ".m4v")


def _jpeg(output: Output) -> bool:
    return Path(output.path).suffix.lower() in (".jpg", ".jpeg", ".png")
