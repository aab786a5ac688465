"""The review app in a real browser (Debian's chromium, driven by Playwright) on a real run.

A person drags the variation's end, renames it, fixes a caption word and presses Render; only
that segment's clips and images are made again (every other file keeps its bytes and time),
and the page and the files show the change. Screenshots go to tests/artifacts/. On the same
run: Ctrl-C in the middle of a render stops everything cleanly.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import av
import pytest
from helpers import ARTIFACTS, MINI, chromium_or_skip, digest, ffmpeg9, invoke

from pipeline.core.settings import Settings

pytestmark = pytest.mark.slow

# Debian's chromium as it is: no sandbox for root in CI, nothing fetched from the network.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run of the mini clip, in two formats to keep it quick."""
    root = tmp_path_factory.mktemp("review")
    source = root / "mini.mp4"
    shutil.copy(MINI, source)
    result = invoke(source, "-o", root / "out", "--formats", "9:16,16:9")
    assert result.exit_code == 0, result.output
    return root / "out" / "mini"


def files(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(folder).as_posix(): digest(p)
        for place in ("clips", "images")
        for p in sorted((folder / place).iterdir())
    }


def clip_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        return (container.duration or 0) / 1_000_000


def test_fixing_one_segment_in_the_browser_re_renders_only_that_segment(made: Path, serve) -> None:
    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    review = serve(made, Settings())  # as the run was made: a different encoder redoes all
    before = files(made)
    plan = json.loads((made / "plan.json").read_text())
    variation = next(s for s in plan["segments"] if s["kind"] == "variation")
    old_stem = f"{variation['id']}-"
    words = json.loads((made / "transcript.json").read_text())["sentences"]
    said = [w for s in words for w in s["words"]]
    inside = [
        i for i, w in enumerate(said) if variation["start"] <= (w[1] + w[2]) / 2 < variation["end"]
    ]
    title = {w.lower().strip(",.") for w in variation["title"].split()}
    # A word the model was unsure of (not one of the title's), else one from the middle.
    doubtful = [
        i for i in inside if said[i][3] < 0.6 and said[i][0].strip(" ,.").lower() not in title
    ]
    fixed_index = (doubtful or inside[len(inside) // 2 :])[0]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(review.url)
        box = page.locator(f'.segment[data-id="{variation["id"]}"]')
        expect(box).to_be_visible()
        box.click(position={"x": 20, "y": 10})
        expect(page.locator("#segment-id")).to_have_text(variation["id"])

        # Drag the variation's end to the left, by about 0.6 s of the take.
        grip = box.locator(":scope > .handle.end").bounding_box()
        line = page.locator("#timeline").bounding_box()
        assert grip and line
        x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x - 0.6 / plan["duration"] * line["width"], y, steps=8)
        page.mouse.up()
        expect(page.locator("#message")).to_contain_text("moved an edge")

        page.locator("#title").fill("Isometric hold")
        page.locator("#title").press("Enter")
        expect(page.locator("#message")).to_contain_text("changed the title")
        expect(box).to_contain_text("Isometric hold")

        word = page.locator(f'.word[data-index="{fixed_index}"]')
        word.dblclick()
        word.locator("input").fill("squeeze")
        word.locator("input").press("Enter")
        expect(page.locator("#message")).to_contain_text("fixed a word")
        # the word keeps its punctuation ("cold?" -> "squeeze?")
        heard_word = said[fixed_index][0].strip()
        mark = heard_word[len(heard_word.rstrip(",.?!;:")) :]
        expect(page.locator(f'.word[data-index="{fixed_index}"]')).to_have_text("squeeze" + mark)
        page.screenshot(path=ARTIFACTS / "review-edited.png", full_page=True)

        page.locator("#render").click()
        expect(page.locator("#progress")).to_be_visible()
        expect(page.locator("#render")).to_be_disabled()
        page.screenshot(path=ARTIFACTS / "review-rendering.png")
        expect(page.locator("#message")).to_contain_text("Rendered in", timeout=240_000)
        remade = page.locator("#outputs figure.remade figcaption")
        expect(remade.first).to_contain_text("isometric-hold")
        captions = remade.all_inner_texts()
        page.screenshot(path=ARTIFACTS / "review-rendered.png", full_page=True)
        browser.close()
    assert not errors, errors

    after = files(made)
    edited = json.loads((made / "plan.json").read_text())
    new = next(s for s in edited["segments"] if s["id"] == variation["id"])
    assert new["title"] == "Isometric hold"
    assert new["end"] < variation["end"] - 0.3  # dragged, then snapped to a word
    # The variation's files were made again under its new title; the old ones are gone.
    old = sorted(p for p in before if Path(p).name.startswith(old_stem))
    made_again = sorted(p for p in after if Path(p).name.startswith(old_stem))
    assert old and made_again == sorted(
        p.replace(Path(p).name.split("_")[0], f"{variation['id']}-isometric-hold") for p in old
    )
    assert all(any(Path(p).name in c for c in captions) for p in made_again if p.endswith(".mp4"))
    # Everything else: the same bytes and the same modification time.
    others = {p: v for p, v in before.items() if p not in old}
    assert others and {p: after[p] for p in others} == others
    clip = made / "clips" / f"{variation['id']}-isometric-hold_16x9.mp4"
    assert clip_seconds(clip) == pytest.approx(new["end"] - new["start"], abs=0.1)
    captions_file = clip.with_suffix(".srt").read_text()
    assert "squeeze" in captions_file
    # A frame of each new clip while the fixed word is said, to look at.
    moment = (said[fixed_index][1] + said[fixed_index][2]) / 2 - new["start"]
    for tag in ("9x16", "16x9"):
        frame = ARTIFACTS / f"review-variation-{tag}-fixed-word.png"
        ffmpeg9("-ss", f"{moment:.2f}", "-i", clip.with_name(f"{clip.stem[:-5]}_{tag}.mp4"),
                "-frames:v", "1", frame)  # fmt: skip
        assert frame.stat().st_size > 10_000
    assert "squeeze" in (made / "transcript.srt").read_text()
    assert "Isometric Hold" in (made / "article.md").read_text()
    assert (made / "plan.json.bak").exists()


def test_refusals_sit_beside_the_field_undo_and_keys_work_and_a_stale_tab_is_told(
    folder: Path, serve
) -> None:
    chromium = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    review = serve(folder)

    def saved(segment: str) -> dict:
        plan = json.loads((folder / "plan.json").read_text())
        return next(s for s in plan["segments"] if s["id"] == segment)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=ARGS)
        tab_a = browser.new_page(viewport={"width": 1300, "height": 900})
        tab_b = browser.new_page(viewport={"width": 1300, "height": 900})
        for tab in (tab_a, tab_b):
            tab.goto(review.url)
            expect(tab.locator('.segment[data-id="variation-1"]')).to_be_visible()
        page = tab_a
        page.locator('.segment[data-id="variation-1"]').click(position={"x": 30, "y": 10})
        expect(page.locator("#segment-id")).to_have_text("variation-1")

        page.locator("#title").fill("   ")
        page.locator("#title").press("Enter")
        expect(page.locator('.error[data-for="title"]')).to_contain_text("title is empty")
        page.screenshot(path=ARTIFACTS / "review-refused.png")
        assert saved("variation-1")["title"] == "The hold"

        page.locator("#kind").select_option("talk")
        expect(page.locator("#message")).to_contain_text("changed the kind")
        assert saved("variation-1")["kind"] == "talk"
        page.locator("body").click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+z")
        expect(page.locator("#message")).to_have_text("Undone.")
        expect(page.locator("#kind")).to_have_value("variation")
        assert saved("variation-1")["kind"] == "variation"

        def player(expression: str) -> object:
            return page.evaluate(
                f"(() => {{ const p = document.querySelector('#player'); {expression} }})()"
            )

        player("p.currentTime = 11.0; return p.currentTime")
        page.wait_for_function(
            "Math.abs(document.querySelector('#player').currentTime - 11) < 0.05"
        )
        page.keyboard.press("o")  # no word near: the end goes where the playhead is
        expect(page.locator("#times")).to_contain_text("6.00–11.00 s")
        player("p.currentTime = 6.5; return 0")
        page.wait_for_function(
            "Math.abs(document.querySelector('#player').currentTime - 6.5) < 0.05"
        )
        page.keyboard.press("i")  # snaps back to where "Variation" starts
        expect(page.locator("#times")).to_contain_text("6.20–11.00 s")
        assert (saved("variation-1")["start"], saved("variation-1")["end"]) == (6.2, 11.0)
        page.keyboard.press("j")
        assert player("return p.currentTime") == pytest.approx(4.5, abs=0.05)
        page.keyboard.press(" ")
        page.wait_for_function("!document.querySelector('#player').paused")
        page.keyboard.press("k")
        assert player("return p.paused") is True

        def segments() -> list[str]:
            return page.locator("#timeline .segment").evaluate_all(
                "els => els.map(e => e.dataset.id)"
            )

        player("p.currentTime = 9.0; return 0")
        page.wait_for_function("Math.abs(document.querySelector('#player').currentTime - 9) < 0.05")
        page.locator("#split").click()
        expect(page.locator('.segment[data-id="variation-1-b"]')).to_be_visible()
        assert (saved("variation-1")["end"], saved("variation-1-b")["start"]) == (9.0, 9.0)
        expect(page.locator("#segment-id")).to_have_text("variation-1-b")  # the new one
        page.locator('.segment[data-id="variation-1"]').click(position={"x": 30, "y": 10})
        page.locator("#merge").click()
        expect(page.locator('.segment[data-id="variation-1-b"]')).to_have_count(0)
        assert saved("variation-1")["end"] == 11.0
        page.locator("#add").click()
        expect(page.locator('.segment[data-id="talk-1"]')).to_be_visible()
        assert segments() == ["mistake-1", "variation-1", "talk-1"]
        expect(page.locator("#segment-id")).to_have_text("talk-1")
        page.locator("#delete").click()
        expect(page.locator('.segment[data-id="talk-1"]')).to_have_count(0)
        page.locator("#cut-start").fill("10.5")
        page.locator("#cut-end").fill("11.5")
        page.locator("#cut").click()
        expect(page.locator("#message")).to_contain_text("cut a stretch")
        assert saved("variation-1")["end"] == 10.5

        # A demo's edge drags like a segment's: the bad demo of the mistake ends earlier.
        page.locator('.segment[data-id="mistake-1"]').click(position={"x": 30, "y": 10})
        grip = page.locator('.segment[data-id="mistake-1"] .demo[data-demo="0"] .handle.end')
        spot = grip.bounding_box()
        assert spot
        x, y = spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x - 10, y, steps=4)
        page.mouse.up()
        expect(page.locator("#message")).to_contain_text("moved an edge")
        bad = saved("mistake-1")["demos"][0]
        assert 3.5 < bad["end"] < 3.85 and bad["start"] == 3.0 and "reps" not in bad

        # The other tab still shows the plan from before all that.
        tab_b.locator('.segment[data-id="mistake-1"]').click(position={"x": 30, "y": 10})
        tab_b.locator("#title").fill("Tab B's title")
        tab_b.locator("#title").press("Enter")
        expect(tab_b.locator("#message")).to_contain_text("changed elsewhere")
        expect(tab_b.locator("#message")).to_have_class("stale")
        tab_b.screenshot(path=ARTIFACTS / "review-stale-tab.png")
        assert saved("mistake-1")["title"] == "Pushing of your elbows"
        tab_b.locator("#reload").click()  # and now it sees tab A's edits
        expect(tab_b.locator("#message")).to_be_empty()
        tab_b.locator('.segment[data-id="variation-1"]').click(position={"x": 30, "y": 10})
        expect(tab_b.locator("#times")).to_contain_text("6.20–10.50 s")
        browser.close()


def test_ctrl_c_in_the_middle_of_a_render_stops_cleanly(made: Path, serve) -> None:
    """As a terminal sends it: to the whole process group, ffmpeg included. The next render
    still keeps what did not change."""
    before = files(made)
    command = [sys.executable, "-m", "pipeline.cli", "review", made, "--no-browser"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        assert process.stdout is not None
        url = [process.stdout.readline().decode() for _ in range(2)][1].strip()
        token = url.split("token=")[1]

        def call(path: str, body: object = None) -> dict:
            data = None if body is None else json.dumps(body).encode()
            ask = urllib.request.Request(
                url.split("/?")[0] + path, data=data, headers={"X-Review-Token": token}
            )
            with urllib.request.urlopen(ask, timeout=30) as answer:
                return json.loads(answer.read())

        state = call("/api/state")
        mistake = state["plan"]["segments"][0]["id"]
        rename = {"op": "set", "segment": mistake, "field": "title", "value": "Flared elbows"}
        call("/api/edit", {"version": state["version"], "edit": rename})
        call("/api/render", {})
        deadline = time.monotonic() + 120
        while (status := call("/api/render"))["fraction"] <= 0.05:  # ffmpeg is encoding
            assert status["state"] == "running" and time.monotonic() < deadline, status
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    assert "review stopped" in out.decode() and "Traceback" not in err.decode()
    leftovers = [p.name for p in made.rglob("*") if ".partial" in p.name]
    assert not leftovers, leftovers
    assert json.loads((made / "plan.json").read_text())["segments"][0]["title"] == "Flared elbows"

    review = serve(made, Settings())
    assert review.renderer is not None and review.renderer.start()
    review.renderer.wait(240)
    assert review.render_state == "done", review.renderer.error
    after = files(made)
    renamed = [p for p in after if "flared-elbows" in p]
    assert renamed and all(p not in before for p in renamed)
    others = {p: v for p, v in before.items() if p.startswith(("clips/variation", "images/var"))}
    assert others and {p: after[p] for p in others} == others
