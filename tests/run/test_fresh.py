"""Re-rendering an edited plan remakes only the outputs whose inputs changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import MINI, digest

from pipeline.core.files import start_over
from pipeline.core.settings import Settings
from pipeline.run.fresh import keep_manifest
from pipeline.run.single import make_clips, render_plan_file

pytestmark = pytest.mark.slow

SETTINGS = dict(formats=("9:16", "16:9"), preset="ultrafast")


def outputs_by_path(folder: Path) -> dict[str, dict]:
    manifest = json.loads((folder / "manifest.json").read_text())
    return {entry["path"]: entry for entry in manifest["outputs"]}


def files(folder: Path) -> dict[str, tuple[str, int]]:
    """Every clip and image of the run, by path, with its content hash and modification time."""
    return {
        path.relative_to(folder).as_posix(): digest(path)
        for place in ("clips", "images")
        for path in sorted((folder / place).iterdir())
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Settings]:
    root = tmp_path_factory.mktemp("fresh")
    source = root / "take.mp4"
    shutil.copy(MINI, source)
    settings = Settings(output_root=root / "out", **SETTINGS)  # type: ignore[arg-type]
    return make_clips(source, settings).folder, settings


def test_every_clip_and_image_records_the_digest_of_its_inputs(
    run: tuple[Path, Settings],
) -> None:
    folder, _ = run
    entries = outputs_by_path(folder).values()
    made = [e for e in entries if e["type"] in ("clip", "compare", "image", "subtitles")]
    assert made and all(len(e["inputs"]) == 24 for e in made)
    whole = [e for e in entries if e["type"] in ("article", "page", "timeline", "plan")]
    assert whole and not any("inputs" in e for e in whole)


def test_a_retitled_segment_is_remade_and_nothing_else(run: tuple[Path, Settings]) -> None:
    folder, settings = run
    before = files(folder)
    article_before = (folder / "article.md").read_text()
    plan = json.loads((folder / "plan.json").read_text())
    mistake = next(s for s in plan["segments"] if s["kind"] == "mistake")
    mistake["title"] = "Elbows pushing the floor"
    (folder / "plan.json").write_text(json.dumps(plan))

    render_plan_file(folder / "plan.json", settings, only_changed=True)

    after = files(folder)
    old = [p for p in before if Path(p).name.startswith("mistake-1-pushing")]
    new = [p for p in after if Path(p).name.startswith("mistake-1-elbows-pushing-the-floor")]
    # The old names are gone and every one came back under the new title.
    assert old and not set(old) & set(after)
    assert sorted(
        p.replace("pushing-off-your-elbows", "elbows-pushing-the-floor") for p in old
    ) == (sorted(new))
    untouched = {p: v for p, v in before.items() if p not in old}
    assert untouched and all(after[p] == v for p, v in untouched.items()), "others were rewritten"
    article = (folder / "article.md").read_text()
    assert "elbows pushing the floor" in article.lower() and article != article_before
    assert set(outputs_by_path(folder)) >= set(after)
    assert not (folder / ".manifest.previous.json").exists()  # only kept while rendering


def test_a_rerender_without_edits_only_replaces_what_went_missing(
    run: tuple[Path, Settings],
) -> None:
    folder, settings = run
    before = files(folder)
    [missing] = [p for p in before if p.startswith("clips/variation-1") and p.endswith("16x9.srt")]
    (folder / missing).unlink()

    render_plan_file(folder / "plan.json", settings, only_changed=True)

    after = files(folder)
    assert set(after) == set(before)
    remade = sorted(p for p in before if after[p] != before[p])
    # The 16:9 clip of that segment comes from one encode: clip, captions and thumbnail.
    assert remade == sorted(p for p in before if p.startswith("clips/variation-1") and "16x9" in p)


def test_after_a_render_stopped_half_way_the_next_keeps_what_is_still_as_recorded(
    run: tuple[Path, Settings],
) -> None:
    folder, settings = run
    before = files(folder)
    # A render that was stopped: it kept the manifest aside, removed it, and had rewritten one
    # still (same size, other bytes) when it was killed.
    keep_manifest(folder)
    start_over(folder)
    [still] = [p for p in before if p.startswith("images/variation-1") and p.endswith(".webp")]
    data = bytearray((folder / still).read_bytes())
    data[-1] ^= 0xFF
    (folder / still).write_bytes(bytes(data))

    render_plan_file(folder / "plan.json", settings, only_changed=True)

    after = files(folder)
    remade = sorted(p for p in before if after[p] != before[p])
    # The still's group (its JPEG and WebP), and nothing else.
    assert remade == sorted(
        p for p in before if p.startswith("images/variation-1") and "_still" in p
    )
    assert (folder / "manifest.json").exists()
