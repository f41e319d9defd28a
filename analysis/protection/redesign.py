"""The safer form of linked tables: what to publish when the linked audit finds a hidden count narrowed.

Disclosure control here never stops the publication. Like the statistical offices' tools (tau-Argus, sdcTable,
ACRO: Hundepool et al., *Statistical Disclosure Control*, 2012), when a table cannot be published as designed
it is redesigned, in a fixed order that loses the least:

1. hide more cells of the table, chosen by cost (the cheapest shown cell in the narrowed cell's row and column);
2. publish it at the next coarser level its part offers (size bands merged, a breakdown dropped);
3. as a last resort, withhold it;

and every step says why, in the table's note (every language) and in ``make pin``'s report.

A study part describes each of its linked tables as a :class:`Ladder` (its levels, finest first, each a
:class:`Level` of counts and a way to show them), the outputs it cannot change (``fixed``) and how the linked
set is read into an integer programme (``model``). :func:`protect_together` climbs the ladders until
:func:`analysis.protection.linked.audit` finds nothing, and returns a :class:`Choice` per table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Callable

import pandas as pd

from analysis.protection import disclosure, linked

HIDE_MORE = 2  # rounds of extra suppression tried at a level before the table is coarsened


WITHHELD = "Not published"  # the English header of the one column a withheld table shows (the note says why)


def is_withheld(frame) -> bool:
    """Whether a published table (as a reader sees it, in English) stands for a table withheld."""
    return isinstance(frame, pd.DataFrame) and list(map(str, frame.columns)) == [WITHHELD]


@dataclass(frozen=True)
class Level:
    """One way to publish a table: its counts (codes as rows and columns, no totals) and how a reader sees the
    protected counts in English (``show``: the protected table with totals → the published frame); ``counts`` is
    None where the table is withheld. ``reason`` names the fixed string that says why this level was chosen
    (``""`` at the finest level). A table that is not a plain table of counts with totals gives its own
    ``protect`` (``counts`` → the protected table); more cells are hidden only in plain ones."""

    name: str
    counts: object
    show: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    reason: str = ""
    protect: Callable[[object], pd.DataFrame] | None = None

    @property
    def may_hide_more(self) -> bool:
        return self.protect is None and isinstance(self.counts, pd.DataFrame)



@dataclass
class Ladder:
    """The levels of one published table, finest first; the last withholds it. A glued number is a ladder of one
    level (``number``): withholding it loses less than any table, so it is tried first when a table's hidden count
    is narrowed by what the numbers add up to."""

    key: str
    levels: list[Level]
    number: bool = False

    def __post_init__(self):
        if self.levels[-1].counts is not None:
            self.levels.append(Level("withheld", None, reason="redesign.withheld"))


def number(key: str, value) -> Ladder:
    """A glued count as a ladder: published as it is, or withheld."""
    return Ladder(key, [Level("as designed", value, show=lambda shown: shown, protect=lambda shown: shown)],
                  number=True)


@dataclass(frozen=True)
class Choice:
    """The level a table is published at, the cells hidden beyond the per-table rules, and the findings that
    moved it there (empty when the finest level passed)."""

    level: Level
    also: frozenset = frozenset()
    findings: tuple = ()

    @property
    def withheld(self) -> bool:
        return self.level.counts is None

    @property
    def reason(self) -> str:
        """The fixed string that says why ("" when the table is published as designed)."""
        if self.level.reason:
            return self.level.reason
        return "redesign.hidden_more" if self.also else ""

    def record(self) -> str:
        """What was done and why, for ``make pin``'s report and the provenance ("" when published as designed)."""
        if not self.reason:
            return ""
        form = "withheld" if self.withheld else f"published {self.level.name}" + (
            " with more cells hidden" if self.also else "")
        narrowed = list(dict.fromkeys(map(str, self.findings)))
        why = "; ".join(narrowed[:2]) + (f" (and {len(narrowed) - 2} more)" if len(narrowed) > 2 else "")
        return f"{form}, because at a finer form {why}"

    def protected(self, threshold: int | None = None) -> pd.DataFrame | None:
        """The protected counts with totals (MARK where hidden), or None where the table is withheld."""
        if self.withheld:
            return None
        if self.level.protect is not None:
            return self.level.protect(self.level.counts)
        return disclosure.protect(self.level.counts, threshold, self.also)

    def shown(self, threshold: int | None = None) -> pd.DataFrame | None:
        protected = self.protected(threshold)
        return None if protected is None else self.level.show(protected)


@dataclass
class _State:
    ladder: Ladder
    level: int = 0
    also: frozenset = frozenset()
    rounds: int = 0
    findings: list = field(default_factory=list)
    tried: dict = field(default_factory=dict)  # narrowed cell -> its interval when more cells were hidden for it

    def choice(self) -> Choice:
        return Choice(self.ladder.levels[self.level], self.also, tuple(self.findings))

    def at_last(self) -> bool:
        return self.level == len(self.ladder.levels) - 1

    def coarsen(self) -> None:
        self.level, self.also, self.rounds, self.tried = self.level + 1, frozenset(), 0, {}

    def hide_more(self, finding: linked.Finding, row: str, column: str, threshold: int | None) -> bool:
        """Hide the cheapest shown cell in the row and in the column of the narrowed cell; False when that is not
        possible at this level, was tried enough, or did not widen the cell last time (the other tables cap it,
        as the survey caps the cases: only a coarser table helps)."""
        level = self.ladder.levels[self.level]
        if not level.may_hide_more or self.rounds >= HIDE_MORE:
            return False
        if self.tried.get(finding.cell) == (finding.low, finding.high):
            return False
        self.tried[finding.cell] = (finding.low, finding.high)
        shown = self.choice().shown(threshold)
        labels = list(shown.iloc[:, 0].astype(str))
        columns = [str(c) for c in shown.columns[1:]]
        if str(row) not in labels or str(column) not in columns:
            return False
        full = disclosure.with_totals(level.counts).to_numpy()
        hidden = disclosure.hidden_cells(level.counts, threshold, self.also).to_numpy()
        i, j = labels.index(str(row)), columns.index(str(column))
        rows, cols = full.shape
        more = {c for c in (disclosure.cheapest(full, hidden, [(i, k) for k in range(cols)]),
                            disclosure.cheapest(full, hidden, [(k, j) for k in range(rows)])) if c is not None}
        if not more:
            return False
        self.also, self.rounds = self.also | {tuple(map(int, c)) for c in more}, self.rounds + 1
        return True


def protect_together(ladders: list[Ladder], fixed: dict[str, object], model: Callable[[dict], linked.Model],
                     threshold: int | None = None) -> dict[str, Choice]:
    """The finest level of every ladder at which the linked audit of ``fixed`` and the ladders' tables finds no
    hidden count narrowed. ``ladders`` are in the order they give way when the narrowed cell lies in an output
    none of them publishes. Always returns: every table withheld is the end of every ladder."""
    states = {ladder.key: _State(ladder) for ladder in ladders}
    while True:
        shown = {key: state.choice().shown(threshold) for key, state in states.items()}
        built = model({**fixed, **{key: frame for key, frame in shown.items() if frame is not None}})
        findings = linked.audit(built, threshold)
        if not findings:
            return {key: state.choice() for key, state in states.items()}
        trial = partial(_first_that_helps, states, findings, fixed, model, threshold)
        if not (trial(numbers_only=True) or _step(states, findings, built, threshold, trial)):
            # Nothing left to coarsen: the narrowed cells lie in the fixed outputs alone. Withholding the linked
            # tables is all this set can do; the findings stay on record.
            return {key: Choice(state.ladder.levels[-1], findings=tuple(findings)) for key, state in states.items()}


def _audited(states: dict[str, _State], fixed: dict, model: Callable, threshold: int | None) -> list:
    shown = {key: state.choice().shown(threshold) for key, state in states.items()}
    return linked.audit(model({**fixed, **{key: value for key, value in shown.items() if value is not None}}),
                        threshold)


def _first_that_helps(states: dict[str, _State], findings: list[linked.Finding], fixed: dict, model: Callable,
                      threshold: int | None, numbers_only: bool) -> bool:
    """Move the first ladder (a glued number only, with ``numbers_only``) whose next step leaves fewer cells
    narrowed: a total told in the prose, or a table beside the one narrowed, can be what pins it. False when none
    does."""
    for state in states.values():
        if (numbers_only and not state.ladder.number) or state.at_last():
            continue
        before = (state.level, state.also, state.rounds, dict(state.tried))
        state.coarsen()
        if len(_audited(states, fixed, model, threshold)) < len(findings):
            state.findings.extend(findings)
            return True
        state.level, state.also, state.rounds, state.tried = before
    return False


def _step(states: dict[str, _State], findings: list[linked.Finding], built: linked.Model,
          threshold: int | None, trial: Callable[..., bool]) -> bool:
    """Move one ladder one step for the first finding that a ladder can answer (where it lies in none, the first
    ladder whose step helps, else the first that can move); False when none can move."""
    for finding in findings:
        key, row, column = built.places.get(finding.cell, (None, None, None))
        state = states.get(key)
        if state is None or state.at_last():
            continue
        state.findings.append(finding)
        if not state.hide_more(finding, row, column, threshold):
            state.coarsen()
        return True
    if trial(numbers_only=False):
        return True
    movable = next((state for state in states.values() if not state.at_last()), None)
    if movable is None:
        return False
    movable.findings.extend(findings)
    movable.coarsen()
    return True
