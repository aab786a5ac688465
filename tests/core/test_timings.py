"""The stopwatch behind --timings and timings.json."""

from __future__ import annotations

import subprocess
import sys
import threading
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


def test_work_beside_the_stages_keeps_its_place_and_stays_out_of_the_total() -> None:
    """A stage handed to another thread is ordered where it was handed over, timed on that
    thread, and left out of the total (its time overlaps the other stages')."""
    clock = Stopwatch()
    timer = clock.beside("pose")

    def work() -> None:
        with timer:
            time.sleep(0.06)

    with clock.stage("clips"):
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        time.sleep(0.05)
    pose, clips = clock.stages
    assert (pose.stage, pose.beside, clips.stage, clips.beside) == ("pose", True, "clips", False)
    assert 0.05 <= pose.wall < 0.5 and pose.cpu < 0.05  # sleeping on that thread costs no CPU
    timings = clock.to_dict()
    assert timings["total"]["wall"] == round(clips.wall, 3)
    assert timings["stages"][0]["beside"] is True and "beside" not in timings["stages"][1]
