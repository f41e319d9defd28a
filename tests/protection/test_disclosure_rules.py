"""The per-table rules of disclosure control, each at its edge: a count of 1, exactly the threshold, negative
counts, and which cells a hand-solved table hides (and that no fewer would do)."""

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


def _hidden(shown: pd.DataFrame) -> set[tuple[str, str]]:
    return {(r, c) for r in shown.index for c in shown.columns if shown.at[r, c] == MARK}


def _determined(full: np.ndarray, hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Hidden cells whose value follows from the shown cells and totals by linear algebra alone: a cell is free
    when some change of the hidden cells that keeps every row and column sum moves it (a vector of the null space
    of the sums restricted to the hidden cells with a non-zero entry at it). Independent of disclosure.recoverable;
    exact for tables whose hidden counts are all positive (no bound at zero is reached by a small move)."""
    rows, cols = full.shape
    cells = sorted(hidden)
    lines = [[(i, j) for j in range(cols - 1)] + [(i, cols - 1)] for i in range(rows)] + \
            [[(i, j) for i in range(rows - 1)] + [(rows - 1, j)] for j in range(cols)]
    matrix = np.array([[(1 if cell in line[:-1] else 0) - (1 if cell == line[-1] else 0) for cell in cells]
                       for line in lines], dtype=float)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]
    return {cell for k, cell in enumerate(cells) if np.allclose(null_space[:, k], 0, atol=1e-9)}


def test_the_threshold_is_five_and_hidden_cells_show_x():
    assert disclosure.THRESHOLD == 5 and MARK == "x" and TOTAL == "Total"


def test_a_count_of_one_is_hidden_in_a_table_and_withheld_as_a_number():
    shown = disclosure.protect(_table([[1, 20], [30, 40]]))
    assert shown.at["r0", "c0"] == MARK
    one = disclosure.publish_count("newcomers.one", 1, title="t")
    assert one.value is None and "under the disclosure threshold 5" in one.protection
    assert [one.formatted(lang) for lang in ("en", "nl", "fr")] == ["not published", "niet gepubliceerd", "non publié"]
    with pytest.raises(disclosure.DisclosureError, match="shows 1"):
        disclosure.publish_table("newcomers.one", pd.DataFrame({"n": [1, 40]}), title="t", count_columns=["n"])


def test_exactly_the_threshold_is_shown_and_one_less_is_hidden():
    shown = disclosure.protect(_table([[5, 20], [30, 40]]))
    assert _hidden(shown) == set(), "5 is not under the threshold: nothing to hide"
    assert shown.loc["r0"].tolist() == [5, 20, 25] and shown.loc[TOTAL].tolist() == [35, 60, 95]
    assert _hidden(disclosure.protect(_table([[4, 20], [30, 40]]))) == {
        ("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    five = disclosure.publish_count("newcomers.five", 5, title="t")
    assert five.value == 5 and five.protection == "" and five.formatted() == "5"
    assert disclosure.publish_count("newcomers.four", 4, title="t").value is None
    table = disclosure.publish_table("newcomers.t", pd.DataFrame({"n": [5, 0, MARK]}), title="t", count_columns=["n"])
    assert table.value["n"].tolist() == [5, 0, MARK]
    with pytest.raises(disclosure.DisclosureError, match="row 1, column 'n' shows 4"):
        disclosure.publish_table("newcomers.t", pd.DataFrame({"n": [5, 4]}), title="t", count_columns=["n"])


def test_a_threshold_of_two_is_the_lowest_and_hides_only_ones():
    assert _hidden(disclosure.protect(_table([[2, 20], [30, 40]]), threshold=2)) == set()
    assert ("r0", "c0") in _hidden(disclosure.protect(_table([[1, 20], [30, 40]]), threshold=2))
    assert disclosure.publish_count("newcomers.two", 2, title="t", threshold=2).value == 2
    with pytest.raises(ValueError, match="at least 2 .got 1"):
        disclosure.publish_count("newcomers.two", 2, title="t", threshold=1)


@pytest.mark.parametrize("rows", [[[-1, 20], [30, 40]], [[5, 20], [30, -40]]])
def test_negative_counts_are_refused(rows):
    with pytest.raises(ValueError, match="must not be negative"):
        disclosure.protect(_table(rows))
    with pytest.raises(ValueError, match="must not be negative"):
        disclosure.hidden_cells(_table(rows))


def test_an_empty_table_is_refused():
    with pytest.raises(ValueError, match="empty"):
        disclosure.protect(pd.DataFrame())


def test_totals_are_added_as_a_last_row_and_column():
    full = disclosure.with_totals(_table([[1, 2, 3], [4, 5, 6]]))
    assert full.columns.tolist() == ["c0", "c1", "c2", TOTAL] and full.index.tolist() == ["r0", "r1", TOTAL]
    assert full.to_numpy().tolist() == [[1, 2, 3, 6], [4, 5, 6, 15], [5, 7, 9, 21]]


# Hand-solved: the 3 must go, so must a second cell of its row and of its column, and then a fourth cell where
# that row and that column cross; the cheapest such rectangle uses the smallest counts (10 in row r0, 8 in
# column c0, then 9 where r1 meets c1). Totals stay shown.
HAND_SOLVED = [[3, 10, 12],
               [8, 9, 11],
               [10, 12, 15]]


def test_a_hand_solved_table_hides_exactly_the_cells_worked_out_by_hand():
    shown = disclosure.protect(_table(HAND_SOLVED))
    assert _hidden(shown) == {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    assert shown.loc["r2"].tolist() == [10, 12, 15, 37]
    assert shown.loc[TOTAL].tolist() == [21, 31, 38, 90] and shown[TOTAL].tolist() == [25, 28, 37, 90]
    hidden = disclosure.hidden_cells(_table(HAND_SOLVED)).to_numpy()
    assert {tuple(map(int, c)) for c in zip(*np.nonzero(hidden))} == {(0, 0), (0, 1), (1, 0), (1, 1)}
    full = disclosure.with_totals(_table(HAND_SOLVED)).to_numpy()
    assert _determined(full, {(0, 0), (0, 1), (1, 0), (1, 1)}) == set()


def test_no_smaller_suppression_protects_the_hand_solved_table():
    full = disclosure.with_totals(_table(HAND_SOLVED)).to_numpy()
    others = [cell for cell in itertools.product(range(4), range(4)) if cell != (0, 0)]
    for size in range(0, 3):
        for extra in itertools.combinations(others, size):
            pattern = {(0, 0), *extra}
            assert _determined(full, pattern), f"hiding {sorted(pattern)} would already protect the 3"


def test_a_table_with_no_small_count_is_published_whole():
    counts = _table([[5, 6], [7, 50]])
    assert _hidden(disclosure.protect(counts)) == set()
    assert not disclosure.hidden_cells(counts).to_numpy().any()
    assert disclosure.recoverable(disclosure.with_totals(counts).to_numpy(), np.zeros((3, 3), dtype=bool)) == []


def test_zeros_are_never_chosen_to_protect_a_small_count_when_a_positive_count_can():
    shown = disclosure.protect(_table([[2, 0, 9], [6, 0, 7], [8, 0, 5]]))
    assert all(shown.at[r, "c1"] == 0 for r in ("r0", "r1", "r2"))
    assert _hidden(shown) == {("r0", "c0"), ("r0", "c2"), ("r1", "c0"), ("r1", "c2")}


def test_a_row_whose_counts_are_all_small_hides_its_total_and_a_second_row():
    shown = disclosure.protect(_table([[1, 2], [10, 20], [30, 40]]))
    assert _hidden(shown) == {("r0", "c0"), ("r0", "c1"), ("r0", TOTAL), ("r1", "c0"), ("r1", "c1"), ("r1", TOTAL)}
    assert shown.loc[TOTAL].tolist() == [41, 62, 103]


def test_hide_marks_the_same_cells_of_a_derived_table_and_keeps_the_rest():
    counts = _table([[3, 27], [15, 15]])
    hidden = disclosure.hidden_cells(counts)
    shares = disclosure.with_totals(counts) / 60
    shown = disclosure.hide(shares, hidden, threshold=7)
    assert shown.attrs["disclosure_threshold"] == 7
    assert (shown == MARK).to_numpy().tolist() == hidden.to_numpy().tolist()
    assert shown.at[TOTAL, TOTAL] == pytest.approx(1.0)
    series = disclosure.hide(pd.Series([3, 30], index=["a", "b"]), pd.Series([True, False], index=["a", "b"]))
    assert series.tolist() == [MARK, 30]


def test_as_table_puts_the_row_labels_first_and_keeps_the_threshold():
    protected = disclosure.protect(_table([[5, 20], [30, 40]]), threshold=5)
    shown = disclosure.as_table(protected, "Region")
    assert shown.columns.tolist() == ["Region", "c0", "c1", TOTAL]
    assert shown["Region"].tolist() == ["r0", "r1", TOTAL]
    assert shown.attrs["disclosure_threshold"] == 5


def test_publish_table_names_a_missing_count_column():
    with pytest.raises(KeyError, match="no column 'm'"):
        disclosure.publish_table("newcomers.t", pd.DataFrame({"n": [5]}), title="t", count_columns=["m"])


def test_published_numbers_are_counts_with_their_key_and_title():
    result = disclosure.publish_count("newcomers.n", 12, title="Interviewees")
    assert (result.key, result.kind, result.value, result.style, result.title) == (
        "newcomers.n", "number", 12, "count", "Interviewees")
    assert disclosure.publish_count("newcomers.n", 0, title="t").value == 0


def test_a_hidden_cell_that_can_take_two_values_is_not_recoverable():
    # Hidden: the rectangle 1 0 / 0 1. Moving one unit round it gives 0 1 / 1 0, so every cell has two values.
    full = disclosure.with_totals(_table([[1, 0, 9], [0, 1, 9], [9, 9, 9]])).to_numpy()
    mask = np.zeros_like(full, dtype=bool)
    mask[0, 0] = mask[0, 1] = mask[1, 0] = mask[1, 1] = True
    assert disclosure.recoverable(full, mask) == []
    mask[1, 1] = False  # with 1 shown, the others follow from the row and column sums
    assert set(disclosure.recoverable(full, mask)) == {(0, 0), (0, 1), (1, 0)}


# Hand-solved: the nine small counts form two rectangles joined by the 2 in row r1, column c2; every row and
# column then hides none or at least two cells, yet that 2 equals (hidden part of rows r0–r1) − (hidden part of
# columns c0–c1). The audit finds it, and one more cell of its row (the 7, the only count left shown there
# besides the total) opens a second solution.
JOINED_RECTANGLES = [[2, 3, 9, 8],
                     [4, 1, 2, 7],
                     [9, 8, 3, 4],
                     [7, 9, 2, 1]]


def test_a_cell_pinned_down_by_a_pattern_that_passes_the_row_and_column_rule_is_protected_in_its_row():
    shown = disclosure.protect(_table(JOINED_RECTANGLES))
    small = {(f"r{i}", f"c{j}") for i, row in enumerate(JOINED_RECTANGLES) for j, v in enumerate(row) if v < 5}
    assert _hidden(shown) == small | {("r1", "c3")}
    full = disclosure.with_totals(_table(JOINED_RECTANGLES)).to_numpy()
    assert _determined(full, {(i, j) for i, row in enumerate(JOINED_RECTANGLES) for j, v in enumerate(row) if v < 5}) \
        == {(1, 2)}
    assert _determined(full, {(int(r[1]), int(c[1])) for r, c in _hidden(shown)}) == set()


def test_the_cell_that_completes_a_crossing_line_is_preferred_to_a_smaller_count():
    # As HAND_SOLVED, but in row r1 the 14 where r1 meets column c1 (which already hides one cell) beats the
    # smaller 11: hiding it closes the rectangle; hiding the 11 would leave columns c1 and c2 to protect.
    shown = disclosure.protect(_table([[3, 10, 12], [8, 14, 11], [10, 12, 15]]))
    assert _hidden(shown) == {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}


def test_a_count_in_a_row_is_not_taken_for_a_total_in_a_table_that_is_not_square():
    # 3 rows × 2 columns: the second partner of the small row is the 10 of row r2 (not a total), then its row
    # partner 20, and for the column of totals the smaller row total 30.
    shown = disclosure.protect(_table([[1, 2], [30, 40], [10, 20]]))
    assert _hidden(shown) == {("r0", "c0"), ("r0", "c1"), ("r0", TOTAL), ("r2", "c0"), ("r2", "c1"), ("r2", TOTAL)}


def test_a_cell_its_row_cannot_protect_gets_a_partner_in_its_column():
    # A 1 between zeros: its row has nothing left to hide when one of its hidden cells can still be recomputed,
    # so the partner must come from that cell's column; in the end only the grand total stays shown.
    shown = disclosure.protect(_table([[0, 1, 0], [0, 8, 0]]))
    assert _hidden(shown) == {(r, c) for r in ("r0", "r1", TOTAL) for c in ("c0", "c1", "c2", TOTAL)} - {(TOTAL, TOTAL)}
    assert shown.at[TOTAL, TOTAL] == 9


def test_a_hidden_count_known_to_be_small_is_not_left_so():
    """Interviewees by legal status and region of a fieldwork-shaped data set (12 interviews lost): hiding the
    small cells and one more per row and column left "other status, Flanders" (3) at 1..4 from the totals alone, so
    a reader knew it was a small count. The table hides more until no hidden count is known to be small."""
    counts = _table([[6, 17, 15], [3, 2, 8], [9, 5, 4], [3, 5, 1]])
    full = disclosure.with_totals(counts).to_numpy()
    before = np.zeros_like(full, dtype=bool)  # the pattern published before: two hidden cells in every line ...
    for cell in [(1, 0), (1, 1), (2, 1), (2, 2), (3, 0), (3, 2)]:
        before[cell] = True
    assert disclosure.recoverable(full, before) == []
    assert disclosure.intervals(full, before)[(3, 0)] == (1, 4)  # ... yet the count is known to be 1 to 4
    assert (3, 0) in disclosure.exposed(full, before, 5)
    hidden = disclosure.hidden_cells(counts).to_numpy()
    assert disclosure.exposed(full, hidden, 5) == []
    for cell, (low, high) in disclosure.intervals(full, hidden).items():
        assert disclosure.verdict(low, high, 5) == "", f"{cell}: {low}..{high}"


@pytest.mark.parametrize("low, high, problem", [(3, 3, "one value"), (0, 1, "two adjacent"), (1, 4, "inside 1..4"),
                                                (2, 3, "two adjacent")])
def test_the_verdict_names_each_way_a_hidden_count_is_narrowed(low, high, problem):
    assert problem in disclosure.verdict(low, high, 5)


@pytest.mark.parametrize("low, high", [(0, 2), (0, 4), (1, 5), (4, 9), (0, float("inf"))])
def test_the_verdict_passes_an_interval_wide_enough(low, high):
    assert disclosure.verdict(low, high, 5) == ""


# --- largest: what the synthesis and the profiles may name as the most common -------------------------------

def test_largest_names_the_single_top_count():
    assert disclosure.largest(pd.Series({"a": 3, "b": 8, "c": 5})) == ("b",)


def test_largest_names_every_tied_code_in_the_given_order_never_breaking_the_tie():
    assert disclosure.largest(pd.Series({"c": 6, "a": 2, "b": 6})) == ("c", "b")


def test_largest_names_a_code_whose_count_is_one():
    # a top count of 1 is still the largest: only a top of 0 names nothing
    assert disclosure.largest(pd.Series({"a": 0, "b": 1, "c": 0})) == ("b",)


def test_largest_names_nothing_when_every_count_is_zero():
    assert disclosure.largest(pd.Series({"a": 0, "b": 0, "c": 0})) == ()


def test_largest_names_nothing_in_an_empty_table():
    assert disclosure.largest(pd.Series([], dtype=int)) == ()


def test_largest_compares_shares_without_truncating_them():
    assert disclosure.largest(pd.Series({"a": 0.739, "b": 0.733})) == ("a",)


@pytest.mark.parametrize("hidden_at", ["a", "b", "c"])
def test_largest_withholds_the_choice_when_any_count_is_hidden_wherever_it_is(hidden_at):
    counts = pd.Series({"a": 9, "b": 4, "c": 0}, dtype=object)
    counts[hidden_at] = MARK
    assert disclosure.largest(counts) is None


def test_largest_withholds_the_choice_beside_zeros_when_a_count_is_hidden():
    # all shown counts 0 and one hidden: the hidden one is the largest, and naming it would reveal it is positive
    assert disclosure.largest(pd.Series({"a": 0, "b": MARK, "c": 0}, dtype=object)) is None
