"""The stopwatch behind --timings and timings.json."""

from __future__ import annotations

import subprocess
import sys
import time

from pipeline.core.timings import Stopwatch


def test_stages_add_up_in_the_order_they_first_ran() -> None:
    clock = Stopwatch()
    with clock.stage("render"):
        time.sleep(0.05)
    with clock.stage("stills"):
        pass
    with clock.stage("render"):
        time.sleep(0.05)
    stages = clock.stages
    assert [s.stage for s in stages] == ["render", "stills"]
    assert 0.1 <= stages[0].wall < 0.5
    assert stages[0].cpu < 0.05  # sleeping costs no CPU


def test_cpu_of_a_child_process_counts() -> None:
    """ffmpeg runs as a child: its CPU belongs to the stage that waited for it."""
    clock = Stopwatch()
    with clock.stage("encode"):
        burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
        subprocess.run([sys.executable, "-c", burn], check=True)
    (stage,) = clock.stages
    assert stage.cpu >= 0.25


def test_a_stage_that_fails_is_still_timed() -> None:
    clock = Stopwatch()
    try:
        with clock.stage("transcribe"):
            raise RuntimeError("model missing")
    except RuntimeError:
        pass
    assert [s.stage for s in clock.stages] == ["transcribe"]
    assert clock.to_dict()["total"]["wall"] >= 0
