"""Disclosure control on hand-made tables: what is hidden, and that nothing hidden can be recomputed."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.protection import disclosure
from analysis.protection.disclosure import MARK, TOTAL


def _table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, index=[f"r{i}" for i in range(len(rows))],
                        columns=[f"c{j}" for j in range(len(rows[0]))])


def _compositions(total: int, parts: int):
    if parts == 0:
        if total == 0:
            yield ()
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _solutions(full: np.ndarray, hidden: np.ndarray):
    """Every non-negative integer filling of the hidden cells that adds up to the totals shown (brute force,
    row by row; the grand total is shown)."""
    rows, cols = full.shape
    grand = int(full[-1, -1])

    def fill(i, table):
        if i == rows - 1:
            sums = table[:-1, :].sum(axis=0)
            if all(hidden[-1, j] or sums[j] == full[-1, j] for j in range(cols)) and sums[-1] == grand:
                done = table.copy()
                done[-1, :] = sums
                yield {cell: int(done[cell]) for cell in zip(*np.nonzero(hidden))}
            return
        free = [j for j in range(cols - 1) if hidden[i, j]]
        shown = sum(full[i, j] for j in range(cols - 1) if not hidden[i, j])
        totals = range(grand + 1) if hidden[i, -1] else [int(full[i, -1])]
        for total in totals:
            if total < shown:
                continue
            for values in _compositions(int(total - shown), len(free)):
                trial = table.copy()
                trial[i, -1] = total
                for j, v in zip(free, values):
                    trial[i, j] = v
                yield from fill(i + 1, trial)

    yield from fill(0, full.astype(int).copy())


def _assert_not_recomputable(counts: pd.DataFrame, threshold: int = disclosure.THRESHOLD) -> pd.DataFrame:
    hidden = disclosure.hidden_cells(counts, threshold)
    full = disclosure.with_totals(counts).to_numpy()
    mask = hidden.to_numpy()
    solutions = list(_solutions(full, mask))
    assert solutions, "the true table must be one of the solutions"
    for cell in zip(*np.nonzero(mask)):
        values = {s[cell] for s in solutions}
        assert len(values) > 1, f"hidden cell {cell} (true value {full[cell]}) can be recomputed: only {values}"
    return hidden


def test_primary_suppression_hides_small_counts_and_shows_zeros_and_large_counts():
    counts = _table([[3, 0, 12], [0, 0, 20]])
    shown = disclosure.protect(counts)
    assert shown.at["r0", "c0"] == MARK
    assert shown.at["r0", "c1"] == 0 and shown.at["r1", "c0"] == 0  # a zero is not a small count
    assert shown.at["r1", "c2"] == 20 and shown.at[TOTAL, TOTAL] == 35


def test_a_single_hidden_cell_in_a_row_is_not_left_recoverable_from_the_total():
    counts = _table([[3, 10], [12, 15]])
    shown = disclosure.protect(counts)
    # 3 alone would follow from 13 − 10: its row partner is hidden too, and so on round the table
    assert shown.at["r0", "c0"] == MARK
    assert shown.at["r0", "c1"] == MARK
    assert [shown.at[TOTAL, c] for c in ("c0", "c1", TOTAL)] == [15, 25, 40]
    _assert_not_recomputable(counts)


def test_a_single_hidden_cell_in_a_column_is_not_left_recoverable():
    counts = _table([[2, 9, 8], [7, 11, 6], [9, 8, 7]])
    hidden = _assert_not_recomputable(counts)
    for j in range(hidden.shape[1]):
        assert hidden.iloc[:, j].sum() != 1, f"column {hidden.columns[j]} hides exactly one cell"
    for i in range(hidden.shape[0]):
        assert hidden.iloc[i, :].sum() != 1, f"row {hidden.index[i]} hides exactly one cell"


def test_a_one_column_table_hides_a_second_category():
    counts = pd.DataFrame({"cases": [7, 3, 10]}, index=["a", "b", "c"])
    shown = disclosure.protect(counts)
    assert shown.at["b", "cases"] == MARK
    assert shown.at["a", "cases"] == MARK  # else 20 − 7 − 10 = 3
    assert shown.at["c", "cases"] == 10 and shown.at[TOTAL, "cases"] == 20
    _assert_not_recomputable(counts)


def test_a_small_total_is_hidden_with_its_row():
    counts = _table([[2, 1, 0], [6, 7, 5]])
    shown = disclosure.protect(counts)
    assert shown.at["r0", TOTAL] == MARK
    _assert_not_recomputable(counts)


@pytest.mark.parametrize("seed", range(12))
def test_random_small_tables_leave_nothing_recomputable(seed):
    rng = np.random.default_rng(seed)
    counts = _table(rng.choice([0, 1, 2, 3, 4, 5, 6, 8], size=(2, 3), p=[.1, .15, .15, .1, .1, .15, .15, .1]))
    hidden = _assert_not_recomputable(counts)
    small = (disclosure.with_totals(counts) > 0) & (disclosure.with_totals(counts) < disclosure.THRESHOLD)
    assert hidden[small].fillna(True).all().all(), "every small count is hidden"


def test_the_audit_finds_a_cell_pinned_down_by_a_pattern_that_passes_the_row_and_column_rule():
    # Two 2 × 2 cycles of hidden cells joined by one hidden cell: every row and column hides 0 or ≥ 2 cells,
    # yet the joining cell equals (hidden sum of rows 0–1) − (hidden sum of columns 0–1).
    counts = _table([[5, 6, 9, 9], [7, 8, 5, 9], [9, 9, 6, 7], [9, 9, 8, 5]])
    full = disclosure.with_totals(counts).to_numpy()
    mask = np.zeros_like(full, dtype=bool)
    for cell in [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]:
        mask[cell] = True
    assert disclosure.recoverable(full, mask) == [(1, 2)]
    mask[1, 2] = False
    mask[0, 2] = mask[0, 3] = mask[1, 3] = True  # ties the two cycles together
    assert disclosure.recoverable(full, mask) == []


def test_the_threshold_is_a_parameter_with_one_default(monkeypatch):
    counts = _table([[3, 7], [12, 15]])
    assert disclosure.protect(counts, threshold=3).at["r0", "c0"] == 3
    assert disclosure.protect(counts).at["r0", "c0"] == MARK
    monkeypatch.setattr(disclosure, "THRESHOLD", 8)
    assert disclosure.protect(counts).at["r0", "c1"] == MARK  # 7 < 8
    with pytest.raises(ValueError, match="at least 2"):
        disclosure.protect(counts, threshold=1)


def test_shares_computed_from_hidden_counts_are_hidden_with_them():
    counts = _table([[3, 27], [15, 15]])
    hidden = disclosure.hidden_cells(counts)
    shares = disclosure.with_totals(counts).div(disclosure.with_totals(counts)[TOTAL], axis=0)
    shown = disclosure.hide(shares, hidden)
    assert shown.at["r0", "c0"] == MARK and shown.at["r0", "c1"] == MARK
    assert shown.at[TOTAL, "c0"] == pytest.approx(18 / 60)
    assert shown.attrs["disclosure_threshold"] == disclosure.THRESHOLD


def test_an_unprotected_count_is_refused_when_published():
    frame = pd.DataFrame({"Group": ["a", "b"], "n": [3, 40]})
    with pytest.raises(disclosure.DisclosureError, match=r"row 0, column 'n' shows 3"):
        disclosure.publish_table("newcomers.test", frame, title="t", count_columns=["n"])
    published = disclosure.publish_table("newcomers.test", frame.assign(n=[MARK, 40]), title="t", count_columns=["n"])
    assert published.value.attrs["disclosure_threshold"] == disclosure.THRESHOLD
    assert disclosure.publish_count("newcomers.x", 4, title="t").value is None
    assert disclosure.publish_count("newcomers.x", 0, title="t").value == 0
