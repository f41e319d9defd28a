"""Disclosure control that always publishes something safe: when the linked audit finds a hidden count narrowed,
a table hides more cells, then takes a coarser form, then is withheld, and says why; nothing raises."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.protection import disclosure, linked, redesign
from analysis.protection.disclosure import MARK, TOTAL
from analysis.protection.redesign import Ladder, Level

ROWS, COLUMNS = ["a", "b", "c"], ["p", "q", "r", "s"]


def _counts(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, index=ROWS[:len(rows)], columns=COLUMNS[:len(rows[0])])


def _shown(protected: pd.DataFrame) -> pd.DataFrame:
    return disclosure.as_table(protected, "Row")


def _table_model(published: dict, extra=None) -> linked.Model:
    """The unknowns behind table "t" (rows × the four columns), its shown cells as constraints, its hidden ones to
    audit; ``extra(model, block)`` adds what other published outputs say."""
    model = linked.Model()
    block = model.block("t", {"row": ROWS, "column": COLUMNS})
    frame = published.get("t")
    if frame is not None:
        groups = {"p+q": ["p", "q"], "r+s": ["r", "s"]}
        for _, row in frame.iterrows():
            fixed_row = {} if row["Row"] == TOTAL else {"row": row["Row"]}
            for column in frame.columns[1:]:
                members = groups.get(column, [column] if column in COLUMNS else [])
                expression = (linked.plus(*((1, block.sum(**fixed_row, column=m)) for m in members)) if members
                              else block.sum(**fixed_row))
                model.cell(f"t[{row['Row']}, {column}]", expression, row[column], place=("t", row["Row"], column))
    if extra is not None:
        extra(model, block)
    return model


def _ladder(counts: pd.DataFrame) -> Ladder:
    merged = pd.DataFrame({"p+q": counts[["p", "q"]].sum(axis=1), "r+s": counts[["r", "s"]].sum(axis=1)})
    return Ladder("t", [Level("fine", counts, _shown),
                        Level("merged", merged, _shown, reason="redesign.merged_sizes")])


COUNTS = [[2, 3, 20, 30], [3, 2, 25, 40], [30, 40, 50, 60]]


def test_the_finest_form_is_kept_when_the_audit_passes():
    choice = redesign.protect_together([_ladder(_counts(COUNTS))], {}, _table_model)["t"]
    assert choice.level.name == "fine" and choice.reason == "" and not choice.also and not choice.findings
    assert choice.shown().equals(_shown(disclosure.protect(_counts(COUNTS))))


def test_a_sum_published_elsewhere_makes_the_table_hide_more_cells_first():
    """Another output publishes a[p] + b[q]: with the 2 × 2 block of small counts hidden, that sum pins all four.
    Hiding more cells in the narrowed cell's row and column widens them again, at the same level."""
    pinned_by = lambda model, block: model.equal(linked.plus((1, block.sum(row="a", column="p")),  # noqa: E731
                                                             (1, block.sum(row="b", column="q"))), 4)
    alone = _table_model({"t": _shown(disclosure.protect(_counts(COUNTS)))}, pinned_by)
    assert linked.audit(alone), "the sum published elsewhere must narrow the table protected alone"
    choice = redesign.protect_together([_ladder(_counts(COUNTS))], {}, lambda p: _table_model(p, pinned_by))["t"]
    assert choice.level.name == "fine" and choice.also and choice.reason == "redesign.hidden_more"
    assert choice.findings and all(f.cell.startswith("t[") for f in choice.findings)
    shown = choice.shown()
    assert (shown == MARK).to_numpy().sum() > (_shown(disclosure.protect(_counts(COUNTS))) == MARK).to_numpy().sum()
    assert linked.audit(_table_model({"t": shown}, pinned_by)) == []


def test_a_cap_from_another_output_merges_the_categories():
    """Another output says column r holds at most one unit in all (as the survey caps the cases of a size band):
    hiding more cells cannot widen that cap, so the table merges its columns."""
    counts = _counts([[6, 7, 1, 9], [8, 6, 0, 7], [9, 9, 0, 8]])

    def capped(model, block):
        model.between(block.sum(column="r"), 0, 1)

    choice = redesign.protect_together([_ladder(counts)], {}, lambda p: _table_model(p, capped))["t"]
    assert choice.level.name == "merged" and choice.reason == "redesign.merged_sizes"
    assert any("only 0..1" in str(f) for f in choice.findings)
    assert list(choice.shown().columns) == ["Row", "p+q", "r+s", TOTAL]
    assert linked.audit(_table_model({"t": choice.shown()}, capped)) == []


def test_when_no_form_is_safe_the_table_is_withheld_with_its_reason_and_nothing_raises():
    """Another output publishes a[p] itself (a count of 2): no form of this table can hide it."""
    def disclosed(model, block):
        model.equal(block.sum(row="a", column="p"), 2)
        model.cell("other[a, p]", block.sum(row="a", column="p"), MARK)  # a hidden cell of an output none may change

    choice = redesign.protect_together([_ladder(_counts(COUNTS))], {}, lambda p: _table_model(p, disclosed))["t"]
    assert choice.withheld and choice.reason == "redesign.withheld"
    assert choice.shown() is None and choice.protected() is None
    assert any(f.cell == "other[a, p]" for f in choice.findings)


def test_a_ladder_always_ends_with_the_table_withheld():
    ladder = _ladder(_counts(COUNTS))
    assert [level.name for level in ladder.levels] == ["fine", "merged", "withheld"]
    assert ladder.levels[-1].counts is None and ladder.levels[-1].reason == "redesign.withheld"


def test_a_withheld_table_is_recognised_by_its_one_column():
    assert redesign.is_withheld(pd.DataFrame({redesign.WITHHELD: ["–"]}))
    assert not redesign.is_withheld(pd.DataFrame({redesign.WITHHELD: ["–"], "Total": [3]}))
    assert not redesign.is_withheld(5)


# -- The audit never raises --------------------------------------------------------------------------------------

def test_a_hidden_cell_that_nothing_caps_is_not_pinned():
    """Its row total, column total and the grand total hidden too: the programme is unbounded above, which means the
    cell is not narrowed (this raised "The problem is unbounded" before)."""
    model = linked.Model()
    block = model.block("t", {"row": ["a", "b"]})
    model.cell("t[a]", block.sum(row="a"), MARK)
    model.cell("t[Total]", block.sum(), MARK)
    model.equal(block.sum(row="b"), 7)
    assert linked.ranges(model) == {"t[a]": (0, np.inf), "t[Total]": (7, np.inf)}
    assert linked.audit(model) == []
    full = disclosure.with_totals(pd.DataFrame({"x": [3, 7]})).to_numpy()
    assert disclosure.recoverable(full, np.ones_like(full, dtype=bool)) == []


def test_outputs_that_contradict_each_other_are_reported_as_findings_not_raised():
    model = linked.Model()
    block = model.block("t", {"row": ["a", "b"]})
    model.equal(block.sum(), 5)
    model.equal(block.sum(row="a"), 7)  # a part larger than its whole: the outputs were read wrongly
    model.cell("t[b]", block.sum(row="b"), MARK)
    [finding] = linked.audit(model)
    assert finding.cell == "t[b]" and finding.problem == linked.INCONSISTENT


@pytest.mark.parametrize("seed", range(6))
def test_the_audit_finds_what_solving_every_cell_finds(seed):
    """The audit skips a cell when the solutions found for other cells already show it wide: on random small
    tables with a random extra sum published, it reports the same cells as the verdict on every exact interval."""
    rng = np.random.default_rng(seed)
    counts = pd.DataFrame(rng.choice([0, 1, 2, 3, 6, 9, 14], size=(3, 4)), index=ROWS, columns=COLUMNS)
    (i, j), (k, m) = rng.choice(3, 2), rng.choice(4, 2)

    def extra(model, block):
        pair = linked.plus((1, block.sum(row=ROWS[i], column=COLUMNS[k])), (1, block.sum(row=ROWS[j], column=COLUMNS[m])))
        model.equal(pair, int(counts.iat[i, k] + counts.iat[j, m]))

    model = _table_model({"t": _shown(disclosure.protect(counts))}, extra)
    exact = {cell for cell, (low, high) in linked.ranges(model).items() if disclosure.verdict(low, high, 5)}
    assert {f.cell for f in linked.audit(model)} == exact


def test_the_one_cheapest_cell_of_a_line_is_the_smallest_positive_count_totals_last():
    full = disclosure.with_totals(_counts([[2, 9, 0, 30], [3, 8, 25, 40]])).to_numpy()
    hidden = np.zeros_like(full, dtype=bool)
    hidden[0, 0] = True
    assert disclosure.cheapest(full, hidden, [(0, j) for j in range(5)]) == (0, 1)  # 9: not the zero, not the total
    every = [(0, j) for j in range(5)]
    assert disclosure.cheapest(full, np.ones_like(full, dtype=bool), every) is None


def test_cells_asked_for_are_hidden_with_what_protects_them():
    counts = _counts([[20, 30, 40, 50], [25, 35, 45, 55]])
    assert not disclosure.hidden_cells(counts).to_numpy().any()
    hidden = disclosure.hidden_cells(counts, also=[(0, 0)]).to_numpy()
    assert hidden[0, 0] and hidden.sum() >= 4  # a second cell in its row and its column, and one closing the square
    assert disclosure.recoverable(disclosure.with_totals(counts).to_numpy(), hidden) == []
    for i, j in itertools.product(range(3), range(5)):
        line_row, line_col = hidden[i, :].sum(), hidden[:, j].sum()
        assert line_row != 1 and line_col != 1
