"""Disclosure control: the one place that protects frequency tables from the interviews and case studies.

Interviewees are refugees and some case PCSWs are small: no published table may show how many people (or
PCSWs) fall in a cell when that number is from 1 to ``THRESHOLD − 1``, nor let a reader recompute such a
number from what is shown. :func:`protect` takes a table of counts, adds its row and column totals (which a
reader sees) and hides

- every count from 1 to ``threshold − 1`` (primary suppression), and
- enough other cells that no hidden count can be worked out from the totals shown (secondary suppression):
  every row and column, totals included, hides either none or at least two of its cells, and a
  linear-programming audit confirms that the shown cells and totals leave every hidden cell at least three
  possible values, not all of them from 1 to ``threshold − 1`` (:func:`verdict`, the rule of the linked audit
  too: a suppression pattern can pass the first rule and still leave a cell determined, or known to be small).

Hidden cells show :data:`MARK`; publish.show adds a note saying what the mark means, in every format.
Shares, intervals and chart bars computed from a hidden count are hidden too (:func:`hide`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.producers import Result, number, table

THRESHOLD = 5  # the smallest count from the interviews or case studies that may be shown (zero aside)
MARK = "x"
TOTAL = "Total"


class DisclosureError(ValueError):
    """A table or number about interviewees or case PCSWs would show a count under the threshold."""


def _threshold(threshold: int | None) -> int:
    threshold = THRESHOLD if threshold is None else int(threshold)
    if threshold < 2:
        raise ValueError(f"disclosure threshold must be at least 2 (got {threshold})")
    return threshold


def with_totals(counts: pd.DataFrame) -> pd.DataFrame:
    """``counts`` with a Total column and a Total row (the grand total in the corner)."""
    if counts.empty:
        raise ValueError("cannot protect an empty table")
    values = counts.astype("int64")
    if (values < 0).any().any():
        raise ValueError("counts must not be negative")
    full = values.copy()
    full[TOTAL] = values.sum(axis=1)
    full.loc[TOTAL] = full.sum(axis=0)
    return full


def _lines(shape: tuple[int, int]) -> list[list[tuple[int, int]]]:
    """Each additive constraint of a table with totals (last row and column): its cells, total last."""
    rows, cols = shape
    return ([[(i, j) for j in range(cols)] for i in range(rows)]
            + [[(i, j) for i in range(rows)] for j in range(cols)])


def verdict(low: int, high: float, threshold: int) -> str:
    """Why an interval [low, high] that a reader can work out for a hidden count discloses it, or "" when it does
    not: a single value, two adjacent values, or inside 1 .. threshold − 1 (the count is then known to be small)."""
    if low == high:
        return "pinned to one value"
    if high - low <= 1:
        return "pinned to two adjacent values"
    if 1 <= low and high <= threshold - 1:
        return f"inside 1..{threshold - 1}"
    return ""


def intervals(full: np.ndarray, hidden: np.ndarray) -> dict[tuple[int, int], tuple[float, float]]:
    """The smallest and the largest value of each hidden cell of a table with totals, given the cells shown.

    Every hidden value is an unknown ≥ 0; every row and column (totals included) adds up. The constraints of a
    table with its margins are totally unimodular, so the bounds of the linear programme are whole numbers: they
    are the bounds over whole counts too. The largest is infinite where nothing shown caps the cell.
    """
    from scipy.optimize import linprog  # here, not at the top: every page's kernel imports this module
    full = np.asarray(full, dtype=float)
    unknown = list(zip(*np.nonzero(hidden)))
    if not unknown:
        return {}
    position = {cell: k for k, cell in enumerate(unknown)}
    a_eq, b_eq = [], []
    for line in _lines(full.shape):
        *parts, total = line
        row, rhs = np.zeros(len(unknown)), 0.0
        for cell in parts:
            if cell in position:
                row[position[cell]] += 1
            else:
                rhs -= full[cell]
        if total in position:
            row[position[total]] -= 1
        else:
            rhs += full[total]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    found = {}
    for cell, k in position.items():
        objective = np.zeros(len(unknown))
        objective[k] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if low.status == 2:  # the shown cells add up (they are a real table's), so only a modelling bug gets here
            raise ValueError(f"disclosure audit of cell {cell}: the shown cells and totals contradict each other")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        # Unbounded (status 3): no shown total caps the cell (its row, its column and the grand total are all hidden).
        found[cell] = (round(low.fun), np.inf if high.status == 3 else round(-high.fun))
    return found


def recoverable(full: np.ndarray, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells of a table with totals whose value follows exactly from the cells shown."""
    return [cell for cell, (low, high) in intervals(full, hidden).items() if low == high]


def exposed(full: np.ndarray, hidden: np.ndarray, threshold: int) -> list[tuple[int, int]]:
    """Hidden cells of a table with totals that the cells shown narrow too far (:func:`verdict`): recoverable, or
    known to two values, or known to be a count from 1 to threshold − 1."""
    return [cell for cell, (low, high) in intervals(full, hidden).items() if verdict(low, high, threshold)]


def _hide_one_more(full: np.ndarray, hidden: np.ndarray, line: list[tuple[int, int]]) -> None:
    """Hide the cell of ``line`` that costs the reader least: the smallest positive count, totals last."""
    rows, cols = full.shape
    shown = [cell for cell in line if not hidden[cell]]
    if not shown:
        return

    def crossing_needs_one(cell) -> bool:  # hiding it also completes the crossing row or column
        crossing = [(i, cell[1]) for i in range(rows)] if line[0][0] == line[-1][0] else \
                   [(cell[0], j) for j in range(cols)]
        return sum(hidden[c] for c in crossing) == 1

    def cost(cell):
        is_total = cell[0] == rows - 1 or cell[1] == cols - 1
        return (is_total, full[cell] == 0, not crossing_needs_one(cell), full[cell], cell)

    hidden[min(shown, key=cost)] = True


def cheapest(full: np.ndarray, hidden: np.ndarray, line: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The shown cell of ``line`` whose hiding costs the reader least (see :func:`_hide_one_more`), or None."""
    before = hidden.copy()
    _hide_one_more(full, before, line)
    changed = list(zip(*np.nonzero(before & ~hidden)))
    return changed[0] if changed else None


def hidden_cells(counts: pd.DataFrame, threshold: int | None = None, also=()) -> pd.DataFrame:
    """Which cells of ``with_totals(counts)`` must be hidden (True), primary and secondary.

    ``also`` names further cells to hide, as (row, column) positions in the table with totals: the cells a linked
    audit asked to hide (:mod:`analysis.protection.redesign`); secondary suppression then protects them too."""
    full_frame = with_totals(counts)
    full = full_frame.to_numpy(dtype=float)
    hidden = _hidden(full.tobytes(), full.shape, _threshold(threshold), frozenset(tuple(map(int, c)) for c in also))
    return pd.DataFrame(hidden.copy(), index=full_frame.index, columns=full_frame.columns)


@lru_cache(maxsize=512)  # a redesign protects the same table at the same level again at every step it climbs
def _hidden(values: bytes, shape: tuple[int, int], threshold: int, also: frozenset) -> np.ndarray:
    full = np.frombuffer(values).reshape(shape)
    hidden = (full > 0) & (full < threshold)
    for cell in also:
        hidden[cell] = True
    lines = _lines(full.shape)
    while hidden.any():
        before = hidden.sum()
        single = next((line for line in lines if sum(hidden[cell] for cell in line) == 1), None)
        if single is not None:
            _hide_one_more(full, hidden, single)
        else:
            narrowed = exposed(full, hidden, threshold)
            if not narrowed:
                break
            i, j = narrowed[0]  # another hidden cell in its row, else in its column, widens what it can be
            _hide_one_more(full, hidden, lines[i])
            if hidden.sum() == before:
                _hide_one_more(full, hidden, lines[full.shape[0] + j])
        if hidden.sum() == before:  # no cheaper cell left to hide: hiding every count is always safe
            hidden[:] = True
    hidden.flags.writeable = False  # cached: every caller gets a copy
    return hidden


def protect(counts: pd.DataFrame, threshold: int | None = None, also=()) -> pd.DataFrame:
    """``counts`` with its totals, every hidden cell shown as :data:`MARK`, ready to publish (``also``: see
    :func:`hidden_cells`)."""
    threshold = _threshold(threshold)
    full = with_totals(counts)
    return hide(full.astype(object), hidden_cells(counts, threshold, also), threshold)


def hide(values: pd.DataFrame | pd.Series, hidden: pd.DataFrame | pd.Series,
         threshold: int | None = None) -> pd.DataFrame | pd.Series:
    """``values`` (counts, or shares and intervals computed from them) with the ``hidden`` cells as MARK."""
    shown = values.astype(object).where(~hidden.reindex_like(values).fillna(False).astype(bool), MARK)
    shown.attrs["disclosure_threshold"] = _threshold(threshold)
    return shown


def as_table(protected: pd.DataFrame, stub: str) -> pd.DataFrame:
    """A protected table with its row labels as a first column named ``stub``, ready for publish_table."""
    shown = protected.rename_axis(stub).reset_index()
    shown.columns = [str(c) for c in shown.columns]
    shown.attrs = dict(protected.attrs)
    return shown


def publish_table(key: str, frame: pd.DataFrame, *, title: str, count_columns: list[str],
                  threshold: int | None = None, note: str = "", protection: str = "") -> Result:
    """A registry table of interview or case data, checked to show no count under the threshold.

    ``count_columns`` name the columns holding counts of people or PCSWs; a value from 1 to threshold − 1
    there means a producer forgot to protect the table, and raises instead of publishing. ``protection`` says, in
    English, why the table is published in a safer form than designed (``make pin`` reports it; provenance keeps it).
    """
    threshold = _threshold(threshold)
    for column in count_columns:
        if column not in frame.columns:
            raise KeyError(f"{key}: no column {column!r} (columns: {', '.join(map(str, frame.columns))})")
        for row, value in frame[column].items():
            if value != MARK and 0 < int(value) < threshold:
                raise DisclosureError(f"{key}: row {row!r}, column {column!r} shows {value}, under the "
                                      f"disclosure threshold {threshold}: protect the table first")
    frame = frame.copy()
    frame.attrs["disclosure_threshold"] = threshold
    return replace(table(key, frame, title=title, note=note), protection=protection)


def publish_count(key: str, value: int, *, title: str, threshold: int | None = None) -> Result:
    """A count about interviewees or case PCSWs for the prose: withheld when it is from 1 to threshold − 1 (its
    value None, shown as "not published" in the reader's language), with the reason in its provenance."""
    threshold = _threshold(threshold)
    if 0 < int(value) < threshold:
        return replace(number(key, None, style="count", title=title),
                       protection=f"withheld: a count under the disclosure threshold {threshold}")
    return number(key, value, style="count", title=title)


def largest(shown: pd.Series) -> tuple | None:
    """The codes (the index of ``shown``, protected counts, or shares of one group as shown) with the largest value,
    every one tied at it, in the order given: ties are named together, never broken. ``()`` when every count is 0. None when a count is hidden:
    a hidden count may be the largest (a count is also hidden when nearly everyone has the code), and naming the
    largest of the others would tell on which side of the threshold the hidden one lies."""
    if (shown == MARK).any():
        return None
    counts = pd.to_numeric(shown)  # counts, or shares: never truncated, 73.3 and 73.9 are not tied
    top = counts.max() if len(counts) else 0
    return tuple(code for code, count in counts.items() if count == top) if top > 0 else ()
