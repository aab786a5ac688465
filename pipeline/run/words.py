"""The take's words, worked out in a process of their own that exits before the render.

Transcribing a long take and checking its words on the audio leaves the process holding
memory it cannot hand back (the speech model's and the decoder's heap, the audio's pieces):
a 20-minute take's Python stood at about 500 MB after the transcription's own release against
about 320 MB when its transcript came from the cache, and stayed that high under every encode.
Done in a child process, all of it goes when the child exits; the run goes on with the words
alone. The child is this module run by the same Python on the same code (`python -m`), not a
multiprocessing start: that would import the caller's main script again, which a script
calling `make_clips` without a `__main__` guard does not survive. Its progress comes back as
lines on its output; its warnings, its error and the words as a pickle in a file.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import pipeline
from pipeline.core import transcript_io
from pipeline.core.errors import TranscriptionError
from pipeline.core.model import Media, Transcript
from pipeline.core.settings import Settings
from pipeline.hear.align import align_to_heard
from pipeline.hear.hearing import Hearing
from pipeline.hear.listen import Listener
from pipeline.hear.transcribe import hearing, require_speech, transcribe
from pipeline.understand import vocabulary
from pipeline.understand.rewrites import fix_heard

PROGRESS = "make-clips words done "  # the child's progress lines: this, then a fraction
# A warning the child gave: its message and category, given again by the caller.
Said = tuple[str, type[Warning]]


def words_apart(
    media: Media,
    settings: Settings,
    outline: str | None,
    on_progress: Callable[[float], None] | None = None,
) -> Transcript:
    """`words(media, settings, outline)`, worked out in a child process.

    Raises:
        MakeClipsError: as `words` does (the child's error, raised here).
        TranscriptionError: the child died without an answer (out of memory, killed).
    """
    root = str(Path(pipeline.__file__).resolve().parents[1])  # the caller's code, not another
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    with tempfile.TemporaryDirectory(prefix="make-clips-words-") as work:
        answer = Path(work) / "answer.pickle"
        command = [sys.executable, "-m", "pipeline.run.words", str(answer)]
        with subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
        ) as child:
            try:
                assert child.stdin is not None and child.stdout is not None
                child.stdin.write(pickle.dumps((media, settings, outline)).hex())
                child.stdin.close()
                for line in child.stdout:  # anything else a library prints is let go
                    if line.startswith(PROGRESS) and on_progress is not None:
                        on_progress(float(line.removeprefix(PROGRESS)))
                child.wait()
            except BaseException:
                child.kill()
                raise
        try:
            outcome, said = pickle.loads(answer.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError) as exc:
            raise TranscriptionError(
                f"{media.path.name}: transcription stopped without an answer "
                f"(exit status {child.returncode}); run again, or with less else running"
            ) from exc
    for message, category in said:
        warnings.warn(message, category, stacklevel=2)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def words(
    media: Media,
    settings: Settings,
    outline: str | None,
    on_progress: Callable[[float], None] | None = None,
) -> Transcript:
    """The words every later stage uses: what the model heard (from the cache when the same
    audio was done before), with fitness words put back and checked on the audio, or the
    person's own transcript (`settings.transcript`) timed by what the model heard.

    Raises:
        NoSpeechError: no audio track (and no transcript of one's own), or nothing said.
        TranscriptionError: the model cannot be found or loaded.
        InputError: the person's transcript cannot be read.
    """
    # loaded once; a take without audio is told so by transcribe, not by a model lookup
    listening = settings.transcript is None and media.has_audio
    heard = hearing(media, settings) if listening else None
    transcript = require_speech(timed_transcript(media, settings, on_progress, heard), media.path)
    if heard is not None:  # what the model heard, with fitness words put back
        return fix_heard(transcript, outline, Listener(heard).log_likelihoods)
    if outline is not None:  # the user's own words: only the outline's terms, as before
        return vocabulary.correct(transcript, outline)
    return transcript


def timed_transcript(
    media: Media,
    settings: Settings,
    on_progress: Callable[[float], None] | None = None,
    loaded: Hearing | None = None,
) -> Transcript:
    """The model's transcript, or the person's (`--transcript`) timed by what the model heard.

    A corrected transcript is aligned to the model's words (cached when this source was done
    before), so fixed words keep the timing of the speech. Without audio, or without a usable
    model, its own cue timings are used, with a warning for the model.
    """
    if settings.transcript is None:
        return transcribe(media, settings, on_progress, loaded)
    corrected = transcript_io.read_transcript(Path(settings.transcript), media.duration)
    if not media.has_audio:
        return corrected
    try:
        heard = transcribe(media, settings, on_progress)
    except TranscriptionError as exc:
        warnings.warn(f"{exc}; the corrected transcript keeps its own cue timings", stacklevel=2)
        return corrected
    return align_to_heard(corrected, heard)


def _child(answer: Path) -> None:
    """The child's side: the words of the (media, settings, outline) read from its input."""
    media, settings, outline = pickle.loads(bytes.fromhex(sys.stdin.read()))

    def progress(done: float) -> None:
        print(f"{PROGRESS}{done:.4f}", flush=True)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcome: Transcript | BaseException
        try:
            outcome = words(media, settings, outline, progress)
        except Exception as exc:  # noqa: BLE001 - handed to the caller, which raises it
            outcome = exc
    said = [(str(w.message), w.category) for w in caught]
    answer.write_bytes(pickle.dumps((outcome, said)))


if __name__ == "__main__":
    _child(Path(sys.argv[1]))
