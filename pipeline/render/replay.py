"""The fault shown again inside a mistake's clip, right after its bad-form demo: the key 1.5 s
replayed at half speed under a "SLOW-MO" tag, then the marked moment frozen for 1.5 s.

Both are cut into the clip's own filter graph (trim, setpts, tpad, concat on extra inputs of
the same source), never frame by frame. The narration is not slowed: it stops under the
insert (silence; the captions pause with it) and carries on where the bad demo ended, so
every word keeps its picture. Overlays and captions after the insert move later by its
length, and a format's length limit counts the insert.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.core.model import Word
from pipeline.render.labels import Overlay

SPEED = 0.5  # the replay plays at half speed
FREEZE_SECONDS = 1.5


@dataclass(frozen=True, slots=True)
class Insert:
    """What goes in at `at` (seconds of the clip, where the bad demo ends): the source's
    `replay` span (seconds) slowed to SPEED, then the picture at `freeze` held."""

    at: float
    replay: tuple[float, float] | None = None
    freeze: float | None = None

    @property
    def replay_length(self) -> float:
        """Seconds the slowed replay lasts on screen."""
        return 0.0 if self.replay is None else (self.replay[1] - self.replay[0]) / SPEED

    @property
    def length(self) -> float:
        """Seconds the insert adds to the clip."""
        return self.replay_length + (FREEZE_SECONDS if self.freeze is not None else 0.0)

    @property
    def freeze_span(self) -> tuple[float, float]:
        """When the frozen picture shows (seconds of the clip)."""
        begin = self.at + self.replay_length
        return begin, begin + (FREEZE_SECONDS if self.freeze is not None else 0.0)

    def shift(self, time: float) -> float:
        """Where a moment `time` seconds into the clip without the insert lands with it."""
        return time + self.length if time >= self.at - 1e-6 else time


def shifted_words(words: tuple[Word, ...], insert: Insert | None) -> tuple[Word, ...]:
    """Clip-relative words with the insert's pause: words from its start move later."""
    if insert is None:
        return words
    return tuple(
        replace(w, start=insert.shift(w.start), end=insert.shift(w.end))
        if w.start >= insert.at - 1e-6
        else w
        for w in words
    )


def shifted_overlays(overlays: list[Overlay], insert: Insert | None) -> list[Overlay]:
    """Overlays timed around the insert: what shows at its start shows through it (the header,
    the bad-form label), except rep counters, which end where the bad demo ends."""
    if insert is None:
        return overlays
    moved = []
    for overlay in overlays:
        end = overlay.end
        if not (overlay.kind == "counter" and end <= insert.at + 1e-6):
            end = insert.shift(end)
        moved.append(replace(overlay, start=insert.shift(overlay.start), end=end))
    return moved


def video_chain(source: str, target: str, insert: Insert, inputs: tuple[int, int], fps: int) -> str:
    """`source` (the clip's frames from 0 s) with the insert cut in at `insert.at`; the replay
    and the frozen picture come from inputs `inputs` (each a short span of the source)."""
    replay_input, freeze_input = inputs
    parts, chains = (
        [f"{target}_a"],
        [
            f"[{source}]split=2[{target}_pre][{target}_post]",
            f"[{target}_pre]trim=end={insert.at:.3f},setpts=PTS-STARTPTS[{target}_a]",
            f"[{target}_post]trim=start={insert.at:.3f},setpts=PTS-STARTPTS[{target}_d]",
        ],
    )
    if insert.replay is not None:
        span = insert.replay[1] - insert.replay[0]
        chains.append(
            f"[{replay_input}:v]trim=duration={span:.3f},setpts=(PTS-STARTPTS)/{SPEED},"
            f"fps={fps}[{target}_b]"
        )
        parts.append(f"{target}_b")
    if insert.freeze is not None:
        # The held picture replaces FREEZE_SECONDS of real frames rather than being cloned
        # from nothing: a stretch of the graph that needs no input let the decoder run ahead
        # and queue the frames after the insert (+400 MB on mistake-1 in three formats). The
        # tpad only matters if the source ends within the freeze.
        chains.append(
            f"[{freeze_input}:v]setpts=PTS-STARTPTS,fps={fps},trim=duration={FREEZE_SECONDS},"
            f"split=2[{target}_held][{target}_pace];"
            f"[{target}_pace][{target}_held]freezeframes=first=0:last={_frames(fps)}:replace=0,"
            f"tpad=stop_mode=clone:stop_duration={FREEZE_SECONDS},"
            f"trim=duration={FREEZE_SECONDS}[{target}_c]"
        )
        parts.append(f"{target}_c")
    parts.append(f"{target}_d")
    pads = "".join(f"[{part}]" for part in parts)
    chains.append(f"{pads}concat=n={len(parts)}:v=1:a=0,fps={fps}[{target}]")
    return ";".join(chains)


def audio_chain(source: str, target: str, insert: Insert | None) -> str:
    """The clip's sound (48 kHz stereo) with silence under the insert."""
    if insert is None:
        return f"[{source}]anull[{target}]"
    return ";".join([
        f"[{source}]asplit=2[{target}_pre][{target}_post]",
        f"[{target}_pre]atrim=end={insert.at:.3f},asetpts=PTS-STARTPTS[{target}_a]",
        f"anullsrc=r=48000:cl=stereo,atrim=duration={insert.length:.3f},"
        f"aformat=sample_fmts=fltp:channel_layouts=stereo[{target}_b]",
        f"[{target}_post]atrim=start={insert.at:.3f},asetpts=PTS-STARTPTS[{target}_c]",
        f"[{target}_a][{target}_b][{target}_c]concat=n=3:v=0:a=1[{target}]",
    ])  # fmt: skip


def input_args(source: Path, insert: Insert) -> list[str | Path]:
    """The replay's and the frozen picture's spans of the source, as two more inputs.

    Each is decoded on one thread: a second or two of frames needs no frame threads, whose
    pictures in flight cost memory (mistake 1 of a 1080p take in three formats: ffmpeg's peak
    948 -> 887 MB, with as much CPU).
    """
    replay = insert.replay or (insert.freeze or 0.0, (insert.freeze or 0.0) + 0.2)
    freeze = insert.freeze if insert.freeze is not None else replay[0]
    return [
        "-threads", "1", "-ss", f"{replay[0]:.3f}", "-t", f"{replay[1] - replay[0] + 0.1:.3f}",
        "-i", source,
        "-threads", "1", "-ss", f"{freeze:.3f}", "-t", f"{FREEZE_SECONDS + 0.1:.3f}", "-i", source,
    ]  # fmt: skip


def _frames(fps: int) -> int:
    """How many frames the freeze lasts at `fps` (the last one freezeframes replaces)."""
    return round(FREEZE_SECONDS * fps)
