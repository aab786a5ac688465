"""The committed samples' truth follows the evaluation takes' rule: a segment ends at its last
word, silence between segments belongs to neither, a transition opens the group it announces."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def make_sample() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_sample", ROOT / "scripts" / "make_sample.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_sample"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["sample", "mini"])
def test_the_committed_truth_is_what_the_rule_derives(name: str) -> None:
    module = make_sample()
    target = module.TARGETS[name]
    assert module.truth_again(target) == json.loads(target.truth.read_text(encoding="utf-8"))


def test_segments_end_at_their_last_word_and_a_transition_opens_its_group() -> None:
    truth = json.loads((ROOT / "assets/samples/single-leg-hip-thrust.truth.json").read_text())
    ends = {s["end"] for s in truth["sentences"]}
    segments = truth["segments"]
    assert all(seg["end"] in ends for seg in segments)  # at a sentence's last word
    assert all(a["end"] < b["start"] for a, b in zip(segments, segments[1:]))  # silence between
    header = next(s for s in truth["sentences"] if s["text"] == "Now here are three variations.")
    first = next(seg for seg in segments if seg["id"] == "variation-1")
    assert first["start"] == header["start"]
    assert segments[0]["start"] == 0.0 and segments[-1]["end"] < truth["duration"]
