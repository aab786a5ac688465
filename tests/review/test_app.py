"""The review server over real HTTP: the token, what it will serve, and two tabs at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import MINI
from review_client import SECRET, current_version, request, send_edit

from pipeline.review.server import HOST


def test_it_listens_on_localhost_only_with_a_long_random_token(serve, folder: Path) -> None:
    first, second = serve(folder), serve(folder)
    assert first.url.startswith(f"http://{HOST}:") and first.url != second.url
    assert len(first.token) >= 32 and first.token != second.token
    assert f"?token={first.token}" in first.url


@pytest.mark.parametrize(
    "target", ["/", "/api/state", "/static/review.js", "/files/plan.json", "/source", "/nothing"]
)
def test_every_request_without_the_token_is_refused(serve, folder: Path, target: str) -> None:
    review = serve(folder)
    assert request(review, "GET", target, token=False)[0] == 403
    assert request(review, "GET", f"{target}?token=guess", token=False)[0] == 403
    status, _ = request(review, "POST", "/api/edit", {"edit": {"op": "delete"}}, token=False)
    assert status == 403
    assert json.loads((folder / "plan.json").read_text())["segments"][0]["id"] == "mistake-1"


def test_with_the_token_the_page_its_files_and_the_source_are_served(serve, folder: Path) -> None:
    review = serve(folder)
    status, page = request(review, "GET", "/")
    assert status == 200 and b"review.js" in page
    assert request(review, "GET", "/files/clips/mistake-1_9x16.srt") == (
        200,
        (folder / "clips" / "mistake-1_9x16.srt").read_bytes(),
    )
    status, video = request(review, "GET", "/source")
    assert status == 200 and video == MINI.read_bytes()


@pytest.mark.parametrize(
    "target",
    [
        "/files/../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/clips/../../secret.txt",
        "/files/clips/%2E%2E/%2E%2E/secret.txt",
        "/files/..%2fsecret.txt",
        "/files//" + "etc/passwd",
        "/files/%2Fetc%2Fpasswd",
        "/files/clips/innocent.srt",  # a symlink to the secret
        "/files/up/secret.txt",  # a symlinked folder out of the output folder
        "/files/.plan.partial.json",
    ],
)
def test_nothing_outside_the_output_folder_is_served(serve, folder: Path, target: str) -> None:
    review = serve(folder)
    status, body = request(review, "GET", target)
    assert status == 404
    assert SECRET.encode() not in body and b"root:" not in body


def test_two_tabs_editing_at_once_cannot_overwrite_each_other(serve, folder: Path) -> None:
    review = serve(folder)
    original = (folder / "plan.json").read_bytes()
    version = current_version(review)
    rename = {"op": "set", "segment": "mistake-1", "field": "title", "value": "Tab A's title"}
    assert send_edit(review, version, rename)[0] == 200
    # The second tab still holds the version both loaded.
    status, answer = send_edit(review, version, {"op": "delete", "segment": "variation-1"})
    assert status == 409 and answer["stale"]
    assert "changed elsewhere" in answer["error"] and "reload" in answer["error"]
    saved = json.loads((folder / "plan.json").read_text())
    assert [s["title"] for s in saved["segments"]] == ["Tab A's title", "The hold"]
    assert (folder / "plan.json.bak").read_bytes() == original


def test_an_invalid_edit_is_refused_with_the_segment_and_field_named(serve, folder: Path) -> None:
    review = serve(folder)
    original = (folder / "plan.json").read_bytes()
    blank = {"op": "set", "segment": "variation-1", "field": "title", "value": "  "}
    status, answer = send_edit(review, current_version(review), blank)
    assert status == 422
    assert answer["segment"] == "variation-1" and answer["field"] == "title"
    assert "title is empty" in answer["error"]
    assert (folder / "plan.json").read_bytes() == original


@pytest.mark.parametrize("body", [None, [], {"edit": [1]}, {"edit": {"op": "explode"}}])
def test_a_malformed_request_is_refused_and_changes_nothing(serve, folder: Path, body) -> None:
    review = serve(folder)
    original = (folder / "plan.json").read_bytes()
    version = json.loads(request(review, "GET", "/api/state")[1])["version"]
    if isinstance(body, dict):
        body = body | {"version": version}
    status, answer = request(review, "POST", "/api/edit", body)
    assert status in (409, 422) and json.loads(answer)["error"]
    assert (folder / "plan.json").read_bytes() == original


def test_a_fixed_word_reaches_the_transcript_files_and_undo_takes_it_back(
    serve, folder: Path
) -> None:
    review = serve(folder)
    before = {name: (folder / name).read_bytes() for name in ("plan.json", "transcript.srt")}
    state = json.loads(request(review, "GET", "/api/state")[1])
    assert state["words"][3] == {"text": "of", "start": 1.7, "end": 1.8, "unsure": True}
    fix = {"op": "word", "index": 3, "text": "off"}
    status, body = request(review, "POST", "/api/edit", {"version": state["version"], "edit": fix})
    assert status == 200
    state = json.loads(body)
    assert state["plan"]["segments"][0]["title"] == "Pushing off your elbows"
    assert "pushing off your elbows." in (folder / "transcript.srt").read_text()
    assert state["can_undo"]
    status, body = request(review, "POST", "/api/undo", {"version": state["version"]})
    assert status == 200 and not json.loads(body)["can_undo"]
    assert {name: (folder / name).read_bytes() for name in before} == before


def test_the_command_prints_and_opens_the_address_and_stops_cleanly_on_ctrl_c(
    folder: Path, tmp_path: Path
) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    command = [sys.executable, "-m", "pipeline.cli", "review", folder]
    env = {**os.environ, "BROWSER": str(browser)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().decode() for _ in range(2)]
        url = lines[1].strip()
        assert lines[0].startswith(f"reviewing {folder}") and "?token=" in url
        with urllib.request.urlopen(url, timeout=20) as page:
            assert page.status == 200
        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text().strip() == url
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err.decode()
    assert "review stopped" in out.decode() and "Traceback" not in err.decode()
