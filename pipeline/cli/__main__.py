"""`python -m pipeline.cli`: the same as the `make-clips` command."""

from pipeline.cli.commands import main

main()
