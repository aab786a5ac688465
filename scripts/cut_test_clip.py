#!/usr/bin/env python3
"""Cut a few seconds of an evaluation take into a small test clip (64x64 black video, the
take's sound as 16 kHz mono AAC): real speech for the tests of acoustic rescoring.

    python scripts/cut_test_clip.py fast-05 40.3 3.0 tests/data/deficit-deadlift.mp4

tests/data/deficit-deadlift.mp4 was made with exactly that line: espeak-ng saying "The second
variation is the deficit deadlift, stand..." at a fast rate, which tiny.en hears as "the
deficit, bad lift" (the take's media is rebuilt by scripts/make_eval_takes.py when missing).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_eval_takes  # noqa: E402

from pipeline.core.ffmpeg import run_ffmpeg  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("take", help="an evaluation take's name, e.g. fast-05")
    parser.add_argument("start", type=float, help="seconds into the take")
    parser.add_argument("duration", type=float, help="seconds to keep")
    parser.add_argument("out", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/make-clips-eval"))
    args = parser.parse_args()
    record = json.loads((ROOT / "tests" / "eval_takes" / f"{args.take}.json").read_text())
    video = make_eval_takes.ensure_media(record, args.work)
    run_ffmpeg(
        ["-f", "lavfi", "-i", "color=c=black:s=64x64:r=5", "-ss", str(args.start),
         "-t", str(args.duration), "-i", video, "-map", "0:v", "-map", "1:a", "-shortest",
         "-c:v", "libx264", "-tune", "stillimage", "-pix_fmt", "yuv420p",
         "-ac", "1", "-ar", "16000", "-c:a", "aac", "-b:a", "32k", args.out]
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
