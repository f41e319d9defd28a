"""The precision of every published float: what a reader can see, far above floating-point noise.

Two machines compute the same results with different last bits (SIMD paths, BLAS kernels, CPU instruction
sets). Everything that is pinned, hashed or named is therefore rounded first to ``SIGNIFICANT`` significant
digits: tables' float cells, every float of a chart spec (whose data sets Altair names after a hash of the
unrounded values: they are renamed by their place in the spec), and numbers' pinned values. Six significant digits are at least two more
than any page shows (shares to 0.1 %, odds ratios and BIC to two or one decimal), and about ten orders of
magnitude above the noise (a relative 1e-16 per operation, grown to ~1e-12 through a model fit). A value
within that noise of a rounding boundary (its 7th digit a 5 followed by zeros) could still round either
way; that is about one value in a million.

A number's text (``27.4%``) is formatted from the unrounded value, so that it is rounded once, correctly.
"""

from __future__ import annotations

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


def round_spec(spec: dict) -> dict:
    """A Vega-Lite spec with every float rounded and its named data sets renamed ``data-1``, ``data-2``, … in the
    order the spec first refers to them.

    Altair names a data set after a hash of its unrounded values, so the same chart got another name on a machine
    whose last bits differ (and a moved value renamed, and so reordered, every data set). The new name replaces
    the old wherever the spec refers to it (``data.name``, a lookup's ``from``), never inside the data.
    """
    spec = rounded(spec)
    datasets = spec.get("datasets") or {}
    rest = {k: v for k, v in spec.items() if k != "datasets"}
    order: list[str] = []

    def refer(node):
        if isinstance(node, dict):
            for key in sorted(node):
                refer(node[key])
        elif isinstance(node, list):
            for item in node:
                refer(item)
        elif isinstance(node, str) and node in datasets and node not in order:
            order.append(node)

    refer(rest)
    unreferenced = sorted((old for old in datasets if old not in order),
                          key=lambda old: json.dumps(datasets[old], sort_keys=True))
    names = {old: f"data-{index}" for index, old in enumerate(order + unreferenced, start=1)}

    def rename(node):
        if isinstance(node, dict):
            return {k: rename(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rename(v) for v in node]
        return names.get(node, node) if isinstance(node, str) else node

    out = rename(rest)
    if datasets:
        out["datasets"] = {names[old]: values for old, values in datasets.items()}
    return out
