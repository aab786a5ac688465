"""The helper threads' heavy work takes turns: one piece at a time, in the order asked for,
so their memory peaks one at a time beside an encode."""

from __future__ import annotations

import threading
import time

from pipeline.run.turns import Turns


def test_one_turn_at_a_time() -> None:
    turns, inside, most = Turns(), [0], [0]
    lock = threading.Lock()

    def work() -> None:
        for _ in range(20):
            with turns.turn():
                with lock:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.001)
                with lock:
                    inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1


def test_a_thread_that_lets_go_waits_behind_the_one_already_waiting() -> None:
    turns, order = Turns(), []
    first_in = threading.Event()

    def first() -> None:
        with turns.turn():
            first_in.set()
            while len(turns._waiting) < 2:  # until the second thread is queued
                time.sleep(0.001)
            order.append("first")
        with turns.turn():  # asks again at once: a plain Lock could hand it straight back
            order.append("first again")

    def second() -> None:
        first_in.wait()
        with turns.turn():
            order.append("second")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert order == ["first", "second", "first again"]


def test_a_failing_turn_passes_the_turn_on() -> None:
    turns = Turns()
    try:
        with turns.turn():
            raise ValueError("boom")
    except ValueError:
        pass
    with turns.turn():  # not stuck behind the failed one
        pass
