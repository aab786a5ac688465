"""Hear: read the source. Probe it, decode its pictures small, and transcribe its speech."""
