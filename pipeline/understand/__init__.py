"""Understand: decide what the take says. Sentences, cue phrases, demonstrations, outline
matching and vocabulary turn a transcript into a plan. Pure: no files, no ffmpeg."""
