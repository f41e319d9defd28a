"""The precision of every published float: what a reader can see, far above floating-point noise.

Two machines compute the same results with different last bits (SIMD paths, BLAS kernels, CPU instruction
sets). Everything that is pinned, hashed or named is therefore rounded first to ``SIGNIFICANT`` significant
digits: tables' float cells, every float of a chart spec (and the names of its data sets, which Altair derives
from a hash of the unrounded values), and numbers' pinned values. Six significant digits are at least two more
than any page shows (shares to 0.1 %, odds ratios and BIC to two or one decimal), and about ten orders of
magnitude above the noise (a relative 1e-16 per operation, grown to ~1e-12 through a model fit). A value
within that noise of a rounding boundary (its 7th digit a 5 followed by zeros) could still round either
way; that is about one value in a million.

A number's text (``27.4%``) is formatted from the unrounded value, so that it is rounded once, correctly.
"""

from __future__ import annotations

import hashlib
import json
import math

import pandas as pd

SIGNIFICANT = 6


def round_float(value: float) -> float:
    """``value`` at ``SIGNIFICANT`` significant digits (NaN and infinities unchanged, -0.0 as 0.0)."""
    if not math.isfinite(value):
        return value
    return float(f"{value:.{SIGNIFICANT}g}") + 0.0


def rounded(value):
    """Every float inside ``value`` (nested dicts and lists, as in a Vega-Lite spec) rounded."""
    if isinstance(value, float):
        return round_float(value)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def round_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every float cell rounded (float columns, and floats inside text columns)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_float_dtype(series.dtype):
            out[column] = series.map(lambda v: v if pd.isna(v) else round_float(float(v))).astype(series.dtype)
        elif series.dtype == object:
            out[column] = series.map(lambda v: round_float(v) if isinstance(v, float) else v)
    out.attrs = dict(frame.attrs)
    return out


def dataset_name(values) -> str:
    """The name of an inline data set, from its (rounded) values: Altair's form, ``data-`` and a hash."""
    text = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "data-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def round_spec(spec: dict) -> dict:
    """A Vega-Lite spec with every float rounded and its named data sets renamed from their rounded values.

    Altair names a data set after a hash of its unrounded values, so the same chart got another name on a
    machine whose last bits differ; the new name replaces the old wherever the spec refers to it (``data.name``,
    a lookup's ``from``), never inside the data.
    """
    spec = rounded(spec)
    datasets = spec.get("datasets") or {}
    names = {old: dataset_name(values) for old, values in datasets.items()}
    # Two data sets equal once rounded become one (as Altair merges two equal data sets).

    def rename(node):
        if isinstance(node, dict):
            return {k: rename(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rename(v) for v in node]
        return names.get(node, node) if isinstance(node, str) else node

    out = {k: rename(v) for k, v in spec.items() if k != "datasets"}
    if datasets:
        out["datasets"] = dict(sorted(((names[old], values) for old, values in datasets.items()), key=lambda i: i[0]))
    return out
