"""Every producer's results as another machine might compute them: every float off by a relative 1e-12.

Used by tests/results/test_pins.py, in the one cold computation of every result of a test run (a subprocess) and
again in the test process, where the same noisy producers read that computation's cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from functools import wraps

from analysis.producers import Producer, Result
from analysis.results import registry

NOISE = 1 + 1e-12  # a relative change far larger than the last-bit differences between CPUs and BLAS builds

PERTURBED = {"floats": 0, "renamed data sets": 0}  # what with_noise changed, so the test proves something


def _noisy(value):
    if isinstance(value, float):
        PERTURBED["floats"] += value != value * NOISE
        return value * NOISE
    if isinstance(value, dict):
        return {k: _noisy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_noisy(v) for v in value]
    return value


def _altair_name(values) -> str:
    """The name Altair gives an inline data set: a hash of its unrounded values (altair's _dataset_name)."""
    return "data-" + hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]


def with_noise(result: Result) -> Result:
    """``result`` as another machine might compute it: every float off by a relative 1e-12."""
    if result.kind == "number":
        return replace(result, value=_noisy(result.value))
    if result.kind == "text":
        return result  # words: nothing a machine could compute differently
    if result.kind == "table":
        frame = result.value.copy()
        for column in frame.columns:
            frame[column] = frame[column].map(lambda v: _noisy(v) if isinstance(v, float) else v)
        return replace(result, value=frame)
    spec = _noisy(result.value)
    names = {old: _altair_name(values) for old, values in spec.get("datasets", {}).items()}
    PERTURBED["renamed data sets"] += sum(old != new for old, new in names.items())
    text = json.dumps(spec)
    for old, new in names.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return replace(result, value=json.loads(text))


def noisy_producers() -> dict[str, Producer]:
    """Every registered producer, its results passed through :func:`with_noise` (same name and module: the cache
    keys on them, so a second process with these producers reads what the first computed)."""
    noisy = {}
    for prefix, producer in registry.producers().items():
        original = producer.function

        @wraps(original)
        def function(*args, _original=original, **kwargs):
            return [with_noise(result) for result in _original(*args, **kwargs)]

        noisy[prefix] = replace(producer, function=function)
    return noisy
