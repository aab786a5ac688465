"""What each unit of a take does, read from its meaning rather than from its words.

Every unit is embedded with all-MiniLM-L6-v2 (`pipeline.understand.meaning`) and a small
logistic regression (`scripts/train_roles.py`, weights in roles.npz) gives the chance of each
role: the intro, opening a mistake or a variation, a group header, the bad or good form, a
variation's demo, an aside, the sign-off. So "The first thing most of you are messing up is
the grip" opens an item although no cue phrase says so, and a mistake's content (what goes
wrong, the correction) tells it from a variation's (how to do the harder version).

`pipeline.understand.reading` adds the log-chance of the roles each state allows to every
unit's score (an emission, as in a hidden Markov model), and a unit whose meaning opens an
item may open one although no phrase does.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from pipeline.understand.discourse import Opener, Unit

ROLES = ("intro", "open_mistake", "open_variation", "header", "bad", "good", "demo", "aside",
         "outro")  # fmt: skip
WEIGHTS = Path(__file__).with_name("roles.npz")
OPENS = 0.5  # chance of opening an item from which a unit may open one without a cue phrase
OPENER_STRENGTH = 2.0  # ... plus its chance: between "or ..." (2) and "next one" (3)
STANDS_OUT = 0.5  # chance of an aside, sign-off or header from which that move is offered


@functools.cache
def _model() -> tuple[np.ndarray, np.ndarray]:
    saved = np.load(WEIGHTS)
    if tuple(saved["roles"]) != ROLES:
        raise RuntimeError(f"{WEIGHTS.name} was trained for other roles; run train_roles.py")
    return saved["weights"].astype(np.float32), saved["bias"].astype(np.float32)


def role_chances(texts: Sequence[str]) -> np.ndarray:
    """For every text, the chance of each role in ROLES: shape (len(texts), len(ROLES))."""
    from pipeline.understand.meaning import encoder

    if not texts:
        return np.zeros((0, len(ROLES)), dtype=np.float32)
    weights, bias = _model()
    logits = encoder().encode(list(texts)) @ weights + bias
    logits -= logits.max(axis=1, keepdims=True)
    chances = np.exp(logits)
    return chances / chances.sum(axis=1, keepdims=True)


def with_meaning(units: Sequence[Unit], texts: Sequence[str]) -> list[Unit]:
    """The units with their role chances, and the moves their meaning makes possible: an
    opener where the meaning opens an item, an aside, sign-off or header where it says so."""
    if not WEIGHTS.exists():  # not trained yet (scripts/train_roles.py): cue phrases alone
        return list(units)
    chances = role_chances(texts)
    read = []
    for unit, row in zip(units, chances):
        said = dict(zip(ROLES, (float(p) for p in row)))
        opens = said["open_mistake"] + said["open_variation"]
        opener = unit.opener
        if opener is None and opens >= OPENS:
            first = unit.span[0]
            opener = Opener(None, None, False, first, first, OPENER_STRENGTH + opens)
        read.append(
            replace(
                unit,
                opener=opener,
                roles=tuple(float(p) for p in row),
                aside=max(unit.aside, 1.0) if said["aside"] >= STANDS_OUT else unit.aside,
                sign_off=max(unit.sign_off, 1.0) if said["outro"] >= STANDS_OUT else unit.sign_off,
                header=max(unit.header, 1.0) if said["header"] >= STANDS_OUT else unit.header,
            )
        )
    return read


def opens_chances(units: Sequence[Unit]) -> list[float]:
    """For every unit with role chances, the chance it opens an item (0 without them)."""
    index = (ROLES.index("open_mistake"), ROLES.index("open_variation"))
    return [sum(u.roles[i] for i in index) if u.roles else 0.0 for u in units]
