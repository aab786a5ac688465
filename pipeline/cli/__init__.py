"""Speak: the `make-clips` command line. The only layer that prints, picks exit codes and hides
tracebacks; it parses options, calls `pipeline.run` and reports."""

from pipeline.cli.commands import main

__all__ = ["main"]
