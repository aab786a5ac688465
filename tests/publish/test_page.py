"""The review page: self-contained, escaped, and every clip really plays in Chromium."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from helpers import ARTIFACTS, chromium_or_skip
from PIL import Image

from pipeline.core.ffmpeg import run_ffmpeg
from pipeline.core.model import Demo, Output, Plan, Segment
from pipeline.publish.page import write_page

HOSTILE = 'Elbows <script>alert("x")</script> & "quotes"'

PLAN = Plan(
    source="take.mp4",
    duration=12.0,
    topic="Single-leg hip thrust",
    segments=(
        Segment(
            "mistake-1",
            "mistake",
            1,
            "Pushing off your elbows",
            0.0,
            6.0,
            demos=(Demo("bad", 1.0, 3.0), Demo("good", 3.5, 5.5)),
            text="Mistake number one: pushing off your elbows. Don't do this. Instead, relax.",
        ),
        Segment(
            "variation-1",
            "variation",
            1,
            HOSTILE,
            6.0,
            12.06,
            demos=(Demo("demo", 7.0, 11.0),),
            text="Pause at the top <b>of every</b> rep.",
        ),
    ),
)


def _clip(path: Path, size: str, seconds: float) -> None:
    run_ffmpeg(["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30:duration={seconds}",
                "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-movflags", "+faststart", "-shortest", str(path)])  # fmt: skip


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Output], dict[str, float]]:
    outdir = tmp_path_factory.mktemp("page")
    (outdir / "clips").mkdir()
    durations = {
        "clips/mistake-1_9x16.mp4": 2.0,
        "clips/mistake-1_16x9.mp4": 1.5,
        "clips/variation-1_1x1.mp4": 1.0,
    }
    outputs = []
    for (name, seconds), size, segment, aspect in zip(
        durations.items(),
        ("180x320", "320x180", "240x240"),
        ("mistake-1", "mistake-1", "variation-1"),
        ("9:16", "16:9", "1:1"),
    ):
        _clip(outdir / name, size, seconds)
        outputs.append(Output(outdir / name, "clip", segment, aspect))
    for segment, role, stem, alt in (
        ("mistake-1", "split", "mistake-1_split_16x9", "Bad form (left) versus good form"),
        ("variation-1", "still", "variation-1_still", f"Still: {HOSTILE}"),
        (None, "cover", "cover", "Cover: the single-leg hip thrust"),
    ):
        for suffix in (".jpg", ".webp"):
            path = outdir / "images" / f"{stem}{suffix}"
            path.parent.mkdir(exist_ok=True)
            Image.new("RGB", (1200, 675), (60, 90, 140)).save(path)
            extra = {"role": role, "width": 1200, "height": 675}
            outputs.append(Output(path, "image", segment, "16:9", alt, extra=extra))
    thumbnail = outdir / "clips" / "mistake-1_9x16.jpg"  # a clip's thumbnail: its poster
    Image.new("RGB", (180, 320), (200, 60, 60)).save(thumbnail)
    outputs.append(Output(thumbnail, "image", "mistake-1", "9:16", "Frame from the 9:16 clip"))
    output = write_page(PLAN, outputs, outdir)
    assert output.type == "page" and output.path == outdir / "index.html"
    return outdir, outputs, durations


def test_page_is_self_contained_and_escaped(page):
    outdir, outputs, _ = page
    html = (outdir / "index.html").read_text()
    assert "<script>alert" not in html and "<b>of every</b>" not in html
    assert (
        "Elbows &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in html
    )
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)  # no CDN, no web fonts
    assert "@import" not in html and "<link" not in html
    videos = re.findall(r"<video ([^>]*)>", html)
    assert len(videos) == 3
    assert all('controls preload="metadata"' in v for v in videos)
    sources = re.findall(r'(?:src|srcset|href)="([^"]+)"', html)
    assert sources and all(not s.startswith("/") and (outdir / s).is_file() for s in sources)
    assert len(re.findall(r"<img [^>]*alt=\"[^\"]+\"", html)) == 3
    assert 'poster="clips/mistake-1_9x16.jpg"' in videos[0]  # not a fourth <img>
    assert "Frame from the 9:16 clip" in html
    assert "00:06.0–00:12.1" in html and "mistake" in html
    assert "Instead, relax." in html  # the transcript
    for output in outputs:  # the list of all outputs
        assert str(output.path.relative_to(outdir)) in html


def _run_chromium(chromium: Path, profile: Path, *args: str) -> str:
    command = [str(chromium), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--allow-file-access-from-files",
               "--mute-audio", *args]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# A test-only page beside index.html: it loads the real page, unchanged, in a same-origin
# iframe and reports every <video>'s readyState and duration into its own DOM.
PROBE = """<!doctype html><html><body>
<iframe id="page" src="index.html" width="1280" height="900"></iframe>
<script>
const started = Date.now();
function report(result) {
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
}
function check() {
  const doc = document.getElementById("page").contentDocument;
  if (!doc || doc.readyState !== "complete") return setTimeout(check, 50);
  const videos = Array.from(doc.querySelectorAll("video"));
  const settled = videos.every(v => v.readyState >= 2 || v.error);
  if (!settled && Date.now() - started < 20000) return setTimeout(check, 50);
  report(videos.map(v => ({src: v.getAttribute("src"), readyState: v.readyState,
                           duration: v.duration, error: v.error && v.error.code})));
}
window.addEventListener("load", check);
</script></body></html>
"""


def test_every_clip_loads_in_chromium_with_its_duration(page, tmp_path):
    chromium = chromium_or_skip()
    outdir, _, durations = page
    probe = outdir / "_probe.html"
    probe.write_text(PROBE)
    try:
        dom = _run_chromium(chromium, tmp_path / "profile", "--virtual-time-budget=30000",
                            "--dump-dom", probe.as_uri())  # fmt: skip
    finally:
        probe.unlink()
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, flags=re.DOTALL)
    assert found, f"the probe page did not report:\n{dom[-2000:]}"
    videos = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert [v["src"] for v in videos] == list(durations)
    for video in videos:
        assert video["error"] is None, video
        assert video["readyState"] >= 2, video
        assert video["duration"] == pytest.approx(durations[video["src"]], abs=0.1), video

    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "index.png"
    screenshot.unlink(missing_ok=True)
    _run_chromium(chromium, tmp_path / "profile", "--window-size=1280,2000", "--hide-scrollbars",
                  "--virtual-time-budget=5000", f"--screenshot={screenshot}",
                  (outdir / "index.html").as_uri())  # fmt: skip
    with Image.open(screenshot) as image:
        assert image.size == (1280, 2000)


def test_page_lists_outputs_given_relative_to_the_output_folder(tmp_path):
    (tmp_path / "clips").mkdir()
    _clip(tmp_path / "clips" / "a.mp4", "160x90", 0.5)
    outputs = [Output(Path("clips/a.mp4"), "clip", "mistake-1", "16:9")]
    html = write_page(PLAN, outputs, tmp_path).path.read_text()
    assert 'src="clips/a.mp4"' in html
