"""Turns for the heavy Python work done beside the encodes, so its memory does not add up.

A run prepares the next segment's clips on one thread and works out poses, fault marks and
stills on another, both beside an encode. Each piece of that work takes 100-125 MB for a
moment and hands it back (`pipeline.core.memory.release_memory`); done at the same time,
their peaks add up beside a mistake's three x264 encoders (about 780 MB on a 1080p take).
Taking turns, piece by piece, in the order asked for, keeps one such peak at a time: the
encodes still run throughout, and each piece is short beside them (seconds, against the
tens of seconds of a mistake's encode).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


class Turns:
    """One piece of work at a time, first come first served (a plain Lock lets the thread
    that just let go take it again at once, and the preparation could wait behind every
    still)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._waiting: deque[object] = deque()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this thread's turn, and hold it for the block.

        Not reentrant: a block must not ask for another turn, nor wait for work that does.
        """
        ticket = object()
        with self._changed:
            self._waiting.append(ticket)
            self._changed.wait_for(lambda: self._waiting[0] is ticket)
        try:
            yield
        finally:
            with self._changed:
                self._waiting.popleft()
                self._changed.notify_all()
