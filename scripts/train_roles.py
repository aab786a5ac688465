#!/usr/bin/env python3
"""Train the sentence-role classifier: what a sentence of a coaching take does, from meaning.

Every sentence of the evaluation takes (tests/eval_takes/*.json, with its section and role)
and of scripts/role_sentences.tsv is embedded with all-MiniLM-L6-v2
(`pipeline.understand.meaning`), and a multinomial logistic regression from the embedding to
the role is fitted with numpy. The weights go to pipeline/understand/roles.npz (about 15 KB),
which `pipeline.understand.roles` reads. Before fitting on everything, the accuracy is
measured with whole takes held out (five folds), so a figure is never one of seen sentences.

Usage::

    python scripts/train_roles.py            # measure, fit, write roles.npz
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.understand.meaning import encoder  # noqa: E402
from pipeline.understand.roles import ROLES, WEIGHTS  # noqa: E402

TAKES = ROOT / "tests" / "eval_takes"
WRITTEN = ROOT / "scripts" / "role_sentences.tsv"
L2 = 1e-3  # weight decay, chosen by the held-out accuracy below (1e-2 and 1e-4 were worse)
STEPS = 400
RATE = 2.0
FOLDS = 5


def role_of(section: str, role: str) -> str:
    """The classifier's role for a sentence of an evaluation take."""
    kind = section.rpartition(":")[2].partition("-")[0]
    if role == "cue":
        return "open_mistake" if kind == "mistake" else "open_variation"
    if role in ("header", "bad", "good", "demo"):
        return role
    return {"intro": "intro", "talk": "aside", "outro": "outro"}.get(kind, "aside")


def examples() -> tuple[list[str], list[str], list[str]]:
    """(texts, roles, group) where group names the take a sentence comes from."""
    texts, roles, groups = [], [], []
    for path in sorted(TAKES.glob("*.json")):
        record = json.loads(path.read_text("utf-8"))
        for sentence in record["sentences"]:
            texts.append(sentence["text"])
            roles.append(role_of(sentence["section"], sentence["role"]))
            groups.append(record["name"])
    for index, line in enumerate(WRITTEN.read_text("utf-8").splitlines()):
        if line.strip() and not line.startswith("#"):
            role, text = line.split("\t", 1)
            texts.append(text)
            roles.append(role)
            groups.append(f"written-{index % FOLDS}")
    return texts, roles, groups


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch gradient descent, classes weighted so
    that rare roles (headers, asides) count as much as common ones."""
    count = len(ROLES)
    weights = np.zeros((x.shape[1], count), dtype=np.float32)
    bias = np.zeros(count, dtype=np.float32)
    onehot = np.eye(count, dtype=np.float32)[y]
    frequency = np.bincount(y, minlength=count).astype(np.float32)
    balance = (len(y) / (count * np.maximum(frequency, 1)))[y][:, None]
    for _ in range(STEPS):
        logits = x @ weights + bias
        logits -= logits.max(axis=1, keepdims=True)
        chances = np.exp(logits)
        chances /= chances.sum(axis=1, keepdims=True)
        error = (chances - onehot) * balance / len(y)
        weights -= RATE * (x.T @ error + L2 * weights)
        bias -= RATE * error.sum(axis=0)
    return weights, bias


def main() -> int:
    texts, roles, groups = examples()
    y = np.array([ROLES.index(r) for r in roles])
    x = encoder().encode(texts)
    names = sorted(set(groups))
    fold_of = {name: index % FOLDS for index, name in enumerate(names)}
    folds = np.array([fold_of[g] for g in groups])
    predicted = np.zeros_like(y)
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        weights, bias = fit(x[train], y[train])
        predicted[test] = np.argmax(x[test] @ weights + bias, axis=1)
    print(f"{len(texts)} sentences from {len(names)} takes and written groups")
    print(f"held-out accuracy (whole takes out, {FOLDS} folds): {np.mean(predicted == y):.3f}")
    for index, role in enumerate(ROLES):
        mask = y == index
        print(f"  {role:15} {int(mask.sum()):5d}  recall {np.mean(predicted[mask] == index):.2f}")
    weights, bias = fit(x, y)
    np.savez_compressed(WEIGHTS, weights=weights.astype(np.float16), bias=bias, roles=ROLES)
    print(f"wrote {WEIGHTS.relative_to(ROOT)} ({WEIGHTS.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
