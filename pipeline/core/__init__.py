"""Core: what every stage shares and nothing above it. The data model, typed errors, settings
and style, atomic file writes, the one ffmpeg runner, and plan/transcript files."""
