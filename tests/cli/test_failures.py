"""Bad input gets a clear answer, and nothing is ever lost or left looking finished.

Every input is generated here (from the mini clip, with imageio-ffmpeg's ffmpeg); the command line
runs in-process, or as a real process where it has to be interrupted. A failure must be one line
on stderr starting with "error:", with the documented exit status and no traceback (unless
--debug), and the source file must be left exactly as it was.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from click.testing import Result
from helpers import MINI, ROOT, digest, ffmpeg9, invoke
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.errors import PlanError
from pipeline.core.files import segment_basename
from pipeline.core.plan_io import plan_from_dict
from pipeline.core.settings import Settings
from pipeline.run.single import output_folder

SAID = "Mistake number one: pushing off your elbows."


def assert_one_line_error(result: Result, exit_code: int, *words: str) -> str:
    """The run failed with `exit_code` and said so in one line naming `words`, no traceback."""
    assert result.exit_code == exit_code, (result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def finished_looking(folder: Path) -> list[Path]:
    """Files a user could take for finished output: the manifest, and visible clips and images."""
    if not folder.exists():
        return []
    return [
        p for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".")
        and (p.name == "manifest.json" or p.suffix in (".mp4", ".jpg", ".webp"))
    ]  # fmt: skip


def partials(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if ".partial" in p.name] if folder.exists() else []


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("failures")


@pytest.fixture(scope="module")
def short_take(media: Path) -> Path:
    """The first 3.6 s of the mini clip: one announced mistake."""
    path = media / "short.mp4"
    ffmpeg9("-i", MINI, "-t", "3.6", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", path)
    return path


@pytest.fixture(scope="module")
def short_srt(media: Path) -> Path:
    path = media / "short.srt"
    path.write_text(f"1\n00:00:00,500 --> 00:00:03,377\n{SAID}\n", encoding="utf-8")
    return path


# ---- input that must fail clearly ------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    result = invoke(tmp_path / "raw.mp4", "-o", tmp_path / "out")
    assert_one_line_error(result, 2, "raw.mp4", "no such file")
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "raw.mp4"
    empty.write_bytes(b"")
    result = invoke(empty, "-o", tmp_path / "out", "--debug")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "error: " in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty", b"", ("empty", "export")),
        ("text-named-mp4", b"these are my notes, not a video\n" * 40, ("not a video",)),
    ],
)
def test_not_a_video(tmp_path: Path, name: str, content: bytes, words: tuple[str, ...]) -> None:
    source = tmp_path / f"{name}.mp4"
    source.write_bytes(content)
    result = invoke(source, "-o", tmp_path / "out")
    assert_one_line_error(result, 2, f"{name}.mp4", *words)
    assert source.read_bytes() == content
    assert not finished_looking(tmp_path / "out")


@pytest.mark.slow
def test_truncated_file(tmp_path: Path) -> None:
    source = tmp_path / "truncated.mp4"
    data = MINI.read_bytes()
    source.write_bytes(data[: len(data) * 3 // 10])
    before = digest(source)
    result = invoke(source, "-o", tmp_path / "out")
    assert_one_line_error(result, 2, "truncated", "copy or export it again")
    assert digest(source) == before
    assert not finished_looking(tmp_path / "out")


@pytest.mark.slow
def test_truncated_file_without_its_index(tmp_path: Path) -> None:
    # A recording cut off before the camera wrote the index at the end of the file.
    whole = tmp_path / "whole.mp4"
    ffmpeg9("-i", MINI, "-c", "copy", whole)  # no +faststart: the index comes last
    source = tmp_path / "cut.mp4"
    source.write_bytes(whole.read_bytes()[: whole.stat().st_size * 3 // 10])
    result = invoke(source, "-o", tmp_path / "out")
    assert_one_line_error(result, 2, "cut.mp4", "incomplete")


@pytest.mark.slow
def test_corrupt_file(tmp_path: Path) -> None:
    data = bytearray(MINI.read_bytes())
    third = len(data) // 3
    data[third : 2 * third] = random.Random(7).randbytes(third)
    source = tmp_path / "corrupt.mp4"
    source.write_bytes(bytes(data))
    before = digest(source)
    result = invoke(source, "-o", tmp_path / "out")
    assert_one_line_error(result, 2, "corrupt", "copy or export it again")
    assert digest(source) == before
    assert not finished_looking(tmp_path / "out")


@pytest.mark.slow
def test_audio_only_file_named_mp4(tmp_path: Path) -> None:
    source = tmp_path / "voice memo.mp4"  # an .m4a renamed
    ffmpeg9("-i", MINI, "-vn", "-c:a", "copy", "-f", "mp4", source)
    result = invoke(source, "-o", tmp_path / "out")
    assert_one_line_error(result, 2, "no video track")


@pytest.fixture(scope="module")
def without_audio(media: Path, short_take: Path) -> Path:
    path = media / "no audio.mp4"
    ffmpeg9("-i", short_take, "-an", "-c:v", "copy", path)
    return path


@pytest.mark.slow
def test_video_without_audio_asks_for_a_transcript(without_audio: Path, tmp_path: Path) -> None:
    result = invoke(without_audio, "-o", tmp_path / "out")
    assert_one_line_error(result, 3, "no audio track", "--transcript")
    assert not finished_looking(tmp_path / "out")


@pytest.mark.slow
def test_video_without_audio_is_told_before_the_model_is_looked_up(
    without_audio: Path, tmp_path: Path
) -> None:
    result = invoke(without_audio, "-o", tmp_path / "out", "--model", tmp_path / "no-such-model")
    assert_one_line_error(result, 3, "no audio track", "--transcript")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["srt", "vtt", "json"])
def test_video_without_audio_works_with_a_transcript(
    kind: str, without_audio: Path, short_srt: Path, tmp_path: Path
) -> None:
    transcripts = {
        "srt": short_srt.read_text(encoding="utf-8"),
        "vtt": f"WEBVTT\n\n00:00.500 --> 00:03.377\n{SAID}\n",
        "json": json.dumps({"format": 1, "language": "en", "duration": 3.6, "sentences": [
            {"text": SAID, "start": 0.5, "end": 3.377, "words": [
                [f" {word}", 0.5 + i * 0.45, 0.9 + i * 0.45, 1.0]
                for i, word in enumerate(SAID.split())
            ]}]}),
    }  # fmt: skip
    transcript = tmp_path / f"transcript.{kind}"
    transcript.write_text(transcripts[kind], encoding="utf-8")
    result = invoke(without_audio, "-o", tmp_path / "out", "--formats", "9:16",
                    "--transcript", transcript)  # fmt: skip
    assert result.exit_code == 0, (result.output, result.stderr)
    folder = tmp_path / "out" / "no audio"
    plan = json.loads((folder / "plan.json").read_text())
    assert [s["id"] for s in plan["segments"]] == ["mistake-1"]
    [clip] = [p for p in (folder / "clips").glob("mistake-1*_9x16.mp4") if "compare" not in p.name]
    with av.open(str(clip)) as container:  # a silent track, so it plays like every other clip
        assert container.streams.video[0].codec_context.height == 1920
        assert container.streams.audio[0].codec_context.name == "aac"


# ---- outputs that cannot be written ----------------------------------------------------------


@pytest.mark.slow
def test_output_folder_under_a_file(short_take: Path, short_srt: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    result = invoke(short_take, "-o", tmp_path / "notes.txt" / "out", "--transcript", short_srt)
    assert_one_line_error(result, 7, "cannot write", "choose another with -o")


@contextlib.contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A small tmpfs mounted at `where` (needs root on Linux; the test is skipped otherwise)."""
    where.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                       check=True, capture_output=True, text=True)  # fmt: skip
    except (OSError, subprocess.CalledProcessError) as exc:
        reason = getattr(exc, "stderr", None) or exc
        pytest.skip(f"mounting a tmpfs is not permitted here ({str(reason).strip()})")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


@pytest.mark.slow
def test_read_only_output_folder(short_take: Path, short_srt: Path, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "ro,size=1m") as read_only:
        result = invoke(short_take, "-o", read_only, "--transcript", short_srt)
        assert_one_line_error(result, 7, "cannot write", "-o")


@pytest.mark.slow
def test_disk_full_mid_render(short_take: Path, short_srt: Path, tmp_path: Path) -> None:
    before = digest(short_take)
    # Room for the transcripts and the plan, not for the first clip.
    with tmpfs(tmp_path / "small", "size=160k") as small:
        result = invoke(short_take, "-o", small, "--formats", "9:16", "--transcript", short_srt)
        assert_one_line_error(result, 7, "disk is full", "free some space")
        folder = small / "short"
        assert (folder / "plan.json").exists()  # it failed while rendering, not before
        assert not finished_looking(folder), "a clip or the manifest looks finished"
        assert not partials(folder)
    assert digest(short_take) == before


# ---- interrupted runs ------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def wait_gone(pids: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while any(Path(f"/proc/{pid}").exists() for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "kill -9"])
def test_interrupted_run_leaves_nothing_finished_and_the_next_run_completes(
    how: str, short_take: Path, short_srt: Path, tmp_path: Path
) -> None:
    source = tmp_path / "take.mp4"
    source.write_bytes(short_take.read_bytes())
    before = digest(source)
    out = tmp_path / "out"
    clips = out / "take" / "clips"
    command = [sys.executable, "-m", "pipeline.cli", str(source), "-o", str(out),
               "--formats", "9:16", "--transcript", str(short_srt)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while not partials(clips) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before a clip was being written"
    if how == "ctrl-c":  # the terminal signals the whole foreground group: make-clips and ffmpeg
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 130
        assert b"interrupted" in stderr and b"Traceback" not in stderr
        assert not partials(out)  # cleaned up on the way out
    else:  # only make-clips is killed; its ffmpeg finishes writing to the hidden name
        workers = children(process.pid)
        process.kill()
        process.communicate(timeout=60)
        wait_gone(workers)
        # and a leftover from an even earlier killed run, of a segment since renamed
        (clips / ".old-title_9x16.partial.mp4").write_bytes(b"half a clip")
    assert not finished_looking(out / "take")

    result = invoke(source, "-o", out, "--formats", "9:16", "--transcript", short_srt)
    assert result.exit_code == 0, (result.output, result.stderr)
    folder = out / "take"
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = {entry["path"] for entry in manifest["outputs"]}
    # The take only names its mistake (no demos), so a clip and a still, but no compare clip.
    assert {"clips/mistake-1-pushing-off-your-elbows_9x16.mp4",
            "images/mistake-1-pushing-off-your-elbows_still.jpg"} <= listed  # fmt: skip
    for entry in manifest["outputs"]:
        assert (folder / entry["path"]).stat().st_size == entry["size"]
    assert not partials(out), "stale partial files were left behind"
    assert digest(source) == before


def test_a_new_run_first_removes_the_manifest_and_stale_partials(tmp_path: Path) -> None:
    from pipeline.core.files import start_over

    for name in [
        "manifest.json",
        "clips/.a_9x16.partial.mp4",
        "images/.b.partial.webp",
        ".plan.partial.json",
        "clips/a_9x16.mp4",
        ".notes",
        "other/.c.partial.mp4",
    ]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")  # fmt: skip
    start_over(tmp_path)
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == [".notes", "clips/a_9x16.mp4", "other/.c.partial.mp4"]


# ---- edited plans cannot escape the output folder --------------------------------------------


@pytest.fixture(scope="module")
def analyzed(media: Path, short_take: Path, short_srt: Path) -> Path:
    """`make-clips analyze` on the short take: the plan.json a user would edit."""
    result = invoke("analyze", short_take, "-o", media / "out", "--transcript", short_srt)
    assert result.exit_code == 0, (result.output, result.stderr)
    return media / "out" / "short" / "plan.json"


def edited(plan_file: Path, where: Path, **changes: object) -> Path:
    """A copy of `plan_file` (and its transcript) in `where`, with its first segment changed."""
    data = json.loads(plan_file.read_text())
    data["segments"][0].update(changes)
    where.mkdir(parents=True, exist_ok=True)
    (where / "transcript.json").write_bytes((plan_file.parent / "transcript.json").read_bytes())
    (where / "plan.json").write_text(json.dumps(data), encoding="utf-8")
    return where / "plan.json"


@pytest.mark.slow
@pytest.mark.parametrize("bad_id", ["../../evil", "/abs", "..", "clips/../../x", "a\\b", ""])
def test_plan_ids_cannot_escape(analyzed: Path, tmp_path: Path, bad_id: str) -> None:
    plan_file = edited(analyzed, tmp_path / "job", id=bad_id)
    result = invoke("render", plan_file, "--formats", "9:16")
    assert_one_line_error(result, 4, "plan.json", "id")
    assert sorted(p.name for p in (tmp_path / "job").iterdir()) == ["plan.json", "transcript.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job"]


NASTY_TITLE = "../../{\\b1}50% C:\\New it's: done} 💪 /etc/passwd"


@pytest.mark.slow
def test_plan_titles_are_sanitised_into_names_and_shown_literally(
    analyzed: Path, tmp_path: Path
) -> None:
    plan_file = edited(analyzed, tmp_path / "job", title=NASTY_TITLE)
    # and the coach "said" it too, so the captions (ASS, through libass) carry it
    transcript_file = tmp_path / "job" / "transcript.json"
    transcript = json.loads(transcript_file.read_text(encoding="utf-8"))
    said = NASTY_TITLE.split()
    sentence = transcript["sentences"][0]
    sentence["text"] = NASTY_TITLE
    sentence["words"] = [
        [f" {word}", 0.5 + i * 0.4, 0.8 + i * 0.4, 1.0] for i, word in enumerate(said)
    ]
    transcript_file.write_text(json.dumps(transcript), encoding="utf-8")
    result = invoke("render", plan_file, "--formats", "9:16")
    assert result.exit_code == 0, (result.output, result.stderr)
    job = tmp_path / "job"
    outside = [p for p in tmp_path.rglob("*") if job not in p.parents and p != job]
    assert outside == [], "something was written outside the output folder"
    names = [p.name for p in job.rglob("*") if p.is_file()]
    assert all(re.fullmatch(r"[a-z0-9._-]+", name) for name in names), names
    assert "mistake-1-b1-50-c-new-it-s-done-etc-passwd_9x16.mp4" in names
    with av.open(str(job / "clips" / "mistake-1-b1-50-c-new-it-s-done-etc-passwd_9x16.mp4")) as c:
        assert c.metadata.get("title") == f"Mistake #1: {NASTY_TITLE}"  # kept literally
    assert NASTY_TITLE in (job / "article.md").read_text(encoding="utf-8")
    captions = (job / "clips" / "mistake-1-b1-50-c-new-it-s-done-etc-passwd_9x16.srt").read_text()
    for word in said:
        assert word in captions


VALID_PLAN = {
    "source": "raw.mp4",
    "duration": 10.0,
    "segments": [{"id": "mistake-1", "kind": "mistake", "number": 1, "title": "Elbows",
                  "start": 1.0, "end": 5.0, "demos": []}],
}  # fmt: skip


@given(st.text(), st.text())
def test_no_id_or_title_names_a_file_outside_the_clips_folder(seg_id: str, title: str) -> None:
    data = copy.deepcopy(VALID_PLAN)
    data["segments"][0].update(id=seg_id, title=title)  # type: ignore[index]
    try:
        plan = plan_from_dict(data)
    except PlanError:
        return
    segment = plan.segments[0]
    stem = segment_basename(segment.id, segment.title)
    clips = Path("/out/take/clips")
    assert os.path.normpath(clips / f"{stem}_9x16.mp4") == str(clips / f"{stem}_9x16.mp4")
    assert (clips / f"{stem}_9x16.mp4").parent == clips and not stem.startswith(".")


@pytest.mark.parametrize("name", ["...mp4", "..mp4", " .mp4", "....mov"])
def test_source_names_cannot_climb_out_of_the_output_root(name: str) -> None:
    folder = output_folder(Settings(output_root=Path("/out")), Path(name))
    assert folder.parent == Path("/out") and folder.name not in ("", ".", "..")


def test_no_shell_is_ever_used() -> None:
    sources = "\n".join(p.read_text() for p in (ROOT / "pipeline").rglob("*.py"))
    assert "shell=True" not in sources and "os.system(" not in sources
    assert "os.popen(" not in sources and "shlex" not in sources
