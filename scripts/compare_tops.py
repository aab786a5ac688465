#!/usr/bin/env python3
"""How far apart the bad and good reps of a 16:9 compare clip reach their tops, in frames.

Each half of the clip (bad left, good right, framed alike) is read back small and grey; both
halves' movement signals come from one shared component (pipeline.hear.motion), their rep
tops from pipeline.understand.reps, and each bad top is paired with the nearest good top.

    .venv/bin/python scripts/compare_tops.py output/x/clips/mistake-1-..._compare_16x9.mp4
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.hear.motion import movement_signal  # noqa: E402
from pipeline.understand.reps import rep_tops  # noqa: E402


def halves(clip: Path, width: int = 320) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """The clip's frame rate and its left and right halves, small and grey, every frame."""
    import av

    left, right = [], []
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        rate = float(stream.average_rate or 30)
        for frame in container.decode(stream):
            height = round(frame.height * width / frame.width / 2) * 2
            grey = frame.reformat(width=width, height=height, format="gray").to_ndarray()
            grey = grey[height // 4 : height * 9 // 10].astype(np.float32)  # under the labels
            half = width // 2
            left.append(grey[:, : half - 2])
            right.append(grey[:, half + 2 :])
    return rate, left, right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="+", type=Path)
    for clip in parser.parse_args().clips:
        rate, left, right = halves(clip)
        bad, good = movement_signal(left, right)
        bad_tops, good_tops = rep_tops(bad, rate), rep_tops(good, rate)
        apart = [min(abs(t - g) for g in good_tops) for t in bad_tops] if good_tops else []
        print(f"{clip.name}: bad tops at frames {bad_tops}, good at {good_tops}; "
              f"apart {apart} frames")  # fmt: skip


if __name__ == "__main__":
    main()
