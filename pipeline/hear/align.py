"""A corrected transcript, timed by what the model heard: fix a word once, keep its timing.

A coach fixes `transcript.srt` (or .vtt, or transcript.json) by hand and passes it back with
`--transcript`. Subtitle cues carry no word timings, and the words of an edited cue no longer
match the old ones, so each corrected word is aligned to the model's own words: the same word
(or a near spelling: "trust" for "thrust") takes the model's start and end; words the model
heard differently share the time of the words they replace; words it missed share the pause
between their neighbours. Sentences stay as the person wrote them. Pure: no audio, no model.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from pipeline.core.model import Sentence, Transcript, Word, word_key

MIN_WORD = 0.01  # seconds: a word squeezed into no time still gets a start before its end


def align_to_heard(corrected: Transcript, heard: Transcript) -> Transcript:
    """`corrected`'s words and sentences, with the timings of `heard` where they line up.

    Words the person typed are certain (probability 1) unless the model heard the very same
    word, which keeps the model's probability. Where nothing lines up (the model heard no
    words at all), `corrected` is returned unchanged.
    """
    corrected = words_follow_text(corrected)
    typed = [word for sentence in corrected.sentences for word in sentence.words]
    spoken = heard.words
    if not typed or not spoken:
        return corrected
    timed = _timed_words(typed, spoken)
    sentences, cursor = [], 0
    for sentence in corrected.sentences:
        words = tuple(timed[cursor : cursor + len(sentence.words)])
        cursor += len(sentence.words)
        if words:
            sentences.append(Sentence(sentence.text, words[0].start, words[-1].end, words))
        else:
            sentences.append(sentence)
    return Transcript(corrected.language, corrected.duration, tuple(sentences))


def words_follow_text(transcript: Transcript) -> Transcript:
    """Each sentence's words, rebuilt from its text where the two disagree.

    A person correcting transcript.json edits a sentence's `text` and rarely its word list;
    the text is what they meant. Rebuilt words share the sentence's time by their length.
    """
    sentences = []
    for sentence in transcript.sentences:
        written = sentence.text.split()
        if [word_key(w) for w in written] == [word_key(w.text) for w in sentence.words]:
            sentences.append(sentence)
            continue
        typed = [Word(" " + w, sentence.start, sentence.end) for w in written]
        words = tuple(w for w in _spread(typed, sentence.start, sentence.end) if w is not None)
        sentences.append(Sentence(sentence.text, sentence.start, sentence.end, words))
    return Transcript(transcript.language, transcript.duration, tuple(sentences))


def _timed_words(typed: Sequence[Word], spoken: Sequence[Word]) -> list[Word]:
    keys_typed = [word_key(w.text) for w in typed]
    keys_spoken = [word_key(w.text) for w in spoken]
    matcher = difflib.SequenceMatcher(None, keys_typed, keys_spoken, autojunk=False)
    timed: list[Word | None] = [None] * len(typed)
    for op, t1, t2, s1, s2 in matcher.get_opcodes():
        if op == "equal":
            for offset in range(t2 - t1):
                heard = spoken[s1 + offset]
                timed[t1 + offset] = Word(
                    typed[t1 + offset].text, heard.start, heard.end, heard.probability
                )
        elif op == "replace":
            span = (spoken[s1].start, spoken[s2 - 1].end)
            timed[t1:t2] = _spread(typed[t1:t2], *span)
        # "insert": the model heard words the person deleted; their time is simply unused.
    # "delete" runs (typed words the model did not hear) fill the pause between neighbours.
    index = 0
    while index < len(timed):
        if timed[index] is not None:
            index += 1
            continue
        end = index
        while end < len(timed) and timed[end] is None:
            end += 1
        before = timed[index - 1] if index else None
        after = timed[end] if end < len(timed) else None
        begin = before.end if before else (after.start if after else typed[index].start)
        finish = after.start if after else (before.end if before else typed[end - 1].end)
        if not before and not after:  # nothing was matched at all: keep the typed timings
            begin, finish = typed[index].start, typed[end - 1].end
        timed[index:end] = _spread(typed[index:end], begin, max(begin, finish))
        index = end
    return [word for word in timed if word is not None]


def _spread(words: Sequence[Word], start: float, end: float) -> list[Word | None]:
    """Share `start`..`end` among `words` in proportion to their length."""
    total = sum(len(w.text.strip()) + 1 for w in words)
    spread: list[Word | None] = []
    cursor = start
    for word in words:
        length = (end - start) * (len(word.text.strip()) + 1) / total
        finish = max(cursor + length, cursor + MIN_WORD)
        spread.append(Word(word.text, round(cursor, 3), round(finish, 3), 1.0))
        cursor += length
    return spread
