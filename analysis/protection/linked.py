"""Disclosure control across linked outputs: the audit of every suppressed cell against everything published.

:func:`analysis.protection.disclosure.protect` makes one table safe on its own. Tables that share units or margins can
still be combined: every case PCSW also answered the survey, so a survey count of one type in one region caps
the case count of that type and region; the newcomer themes are published by region, by legal status and
overall, over the same interviewees. A *linked set* of published outputs (tables, glued numbers, chart data) is
written as an integer programme over the unknown counts behind them (:class:`Model`), and :func:`audit` asks, for
every suppressed cell, the smallest and the largest value it can take. A cell fails when that interval is a single
value, two adjacent values, or lies inside 1 .. threshold − 1.

This module is the solver and the reading of outputs as a reader sees them (a percentage "10.0%" of 10 PCSWs is
the count 1; a chart share is a count divided by its group size), from the pins in ``results/``
(:func:`published_from_pins`) or from results computed in memory (:func:`published_from_results`). Which outputs
share units, and how each is written as constraints, is said by the study part that publishes them
(:mod:`analysis.study.cases.linked`, :mod:`analysis.study.newcomers.linked`; the sets are listed in
:mod:`analysis.study.linked`). When the audit finds a cell narrowed, :mod:`analysis.protection.redesign` chooses a
safer form of the tables.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from analysis.protection import disclosure
from analysis.protection.disclosure import MARK, verdict

PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")


class Block:
    """Non-negative integer unknowns, one per combination of the values of ``dims``."""

    def __init__(self, model: "Model", name: str, dims: dict[str, list]):
        self.name, self.dims = name, {d: list(v) for d, v in dims.items()}
        self.index = {}
        for combo in itertools.product(*self.dims.values()):
            self.index[combo] = len(model.names)
            model.names.append(f"{name}{list(combo)}")

    def sum(self, **fixed) -> dict[int, float]:
        """The sum of the unknowns whose dimensions take the ``fixed`` values (a missing dimension is summed)."""
        for dim, value in fixed.items():
            if value not in self.dims[dim]:
                raise KeyError(f"{self.name}: no {dim} {value!r} (known: {', '.join(map(str, self.dims[dim]))})")
        positions = [list(self.dims).index(d) for d in fixed]
        return {k: 1.0 for combo, k in self.index.items()
                if all(combo[p] == v for p, v in zip(positions, fixed.values()))}

    def cells(self):
        return self.index.items()


def plus(*terms: tuple[float, dict[int, float]]) -> dict[int, float]:
    """The linear expression Σ factor · expression."""
    out: dict[int, float] = {}
    for factor, expression in terms:
        for k, v in expression.items():
            out[k] = out.get(k, 0.0) + factor * v
    return out


@dataclass
class Model:
    """Integer unknowns, linear constraints a ≤ expression ≤ b, and the suppressed cells to audit."""

    names: list[str] = field(default_factory=list)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    cells: dict[str, dict[int, float]] = field(default_factory=dict)
    places: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # cell label -> (key, row, column)

    def block(self, name: str, dims: dict[str, list]) -> Block:
        return Block(self, name, dims)

    def between(self, expression: dict[int, float], low: float, high: float) -> None:
        self.rows.append((expression, low, high))

    def equal(self, expression: dict[int, float], value: float) -> None:
        self.between(expression, value, value)

    def at_most(self, left: dict[int, float], right: dict[int, float]) -> None:
        self.between(plus((1, left), (-1, right)), -np.inf, 0)

    def share(self, count: dict[int, float], of: dict[int, float], value, label: str) -> None:
        """``count / of`` equals the share shown (a text "10.0%" or a number), to the precision shown."""
        share, half = _share(value, label)
        self.between(plus((1, count), (-(share + half), of)), -np.inf, 0)
        self.between(plus((1, count), (-(share - half), of)), 0, np.inf)

    def count(self, key: str, expression: dict[int, float], value) -> None:
        """A count glued in the prose: a constraint when published, a cell to audit when withheld (None, see
        :func:`analysis.protection.disclosure.publish_count`)."""
        self.cell(key, expression, MARK if value is None else value)

    def cell(self, label: str, expression: dict[int, float], value, place: tuple | None = None) -> None:
        """A published count cell: a constraint when shown, a cell to audit when suppressed. ``place`` (the
        output's key, the row's and the column's label) lets a redesign hide more cells around it."""
        if value == MARK:
            self.cells[label] = expression
            if place is not None:
                self.places[label] = place
        else:
            self.equal(expression, as_count(value, label))


def as_count(value, label: str) -> int:
    text = str(value).strip().replace(",", "")
    if not re.fullmatch(r"\d+", text):
        raise ValueError(f"{label}: {value!r} is neither a count nor {MARK!r}")
    return int(text)


def _share(value, label: str) -> tuple[float, float]:
    """A share and half the width of what rounds to it: "10.0%" → (0.1, 0.0005); a number to 6 digits."""
    if isinstance(value, str):
        match = PERCENT.match(value.strip())
        if not match:
            raise ValueError(f"{label}: {value!r} is not a percentage")
        decimals = len(match.group(1).partition(".")[2])
        return float(match.group(1)) / 100, 0.5 * 10 ** -(decimals + 2)
    value = float(value)
    return value, max(abs(value) * 5e-6, 1e-9)  # chart data and glued values are pinned to 6 digits


@dataclass(frozen=True)
class Finding:
    """A suppressed cell that the published outputs narrow too far.

    Not an :class:`analysis.problems.Problem`: it names a cell of a published result ("key[row, column]") and
    the interval the linked outputs leave it, not a line of a file someone can open and edit; the fix is a
    different protection in the producer, not an edit at a place."""

    cell: str
    low: int
    high: float  # infinite where nothing published caps the cell
    problem: str

    def __str__(self) -> str:
        return f"{self.cell}: only {self.low}..{self.high} fit what is published ({self.problem})"


INCONSISTENT = "the published outputs contradict each other as modelled"


def ranges(model: Model, enough: Callable[[int, float], bool] | None = None) -> dict[str, tuple[int, float] | None]:
    """The smallest and the largest integer value of each suppressed cell under every published constraint (the
    largest is infinite where nothing published caps the cell). None for every cell when the constraints have no
    solution: the outputs were read into the programme wrongly (a modelling bug, which :func:`audit` reports).

    With ``enough`` (an interval → whether it already settles the question), a cell is not solved for when the
    values it takes in the solutions found for other cells span an interval that is enough: the true interval
    holds it. The cell is then reported with that interval, which is narrower than the true one."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # here: a page's kernel never solves (0.4 s to import)

    n = len(model.names)
    if not model.cells:
        return {}
    matrix = np.zeros((len(model.rows), n))
    low, high = np.empty(len(model.rows)), np.empty(len(model.rows))
    for i, (expression, a, b) in enumerate(model.rows):
        for k, v in expression.items():
            matrix[i, k] += v
        low[i], high[i] = a, b
    constraints = [LinearConstraint(matrix, low, high)] if model.rows else []
    objectives = {}
    for label, expression in model.cells.items():
        objectives[label] = np.zeros(n)
        for k, v in expression.items():
            objectives[label][k] += v
    seen = {label: (np.inf, -np.inf) for label in model.cells}  # the values each cell took in the solutions found

    def witness(x: np.ndarray) -> None:
        for label, objective in objectives.items():
            value = int(round(objective @ x))
            seen[label] = (min(seen[label][0], value), max(seen[label][1], value))

    found = {}
    for label, objective in objectives.items():
        if enough is not None and seen[label][0] <= seen[label][1] and enough(*seen[label]):
            found[label] = seen[label]
            continue
        bounds = []
        for sign in (1, -1):
            solved = milp(sign * objective, integrality=np.ones(n), bounds=Bounds(0, np.inf), constraints=constraints)
            if sign == -1 and solved.status in (3, 4):  # the minimum was found, so feasible: unbounded above,
                bounds.append(np.inf)                        # no published total caps this cell
            elif solved.status != 0:  # a count has a minimum (0 at least), so the constraints have no solution
                return dict.fromkeys(model.cells)
            else:
                bounds.append(int(round(sign * solved.fun)))
                witness(solved.x)
        found[label] = (bounds[0], bounds[1])
    return found


def audit(model: Model, threshold: int | None = None) -> list[Finding]:
    """Every suppressed cell of ``model`` that what is published narrows too far."""
    threshold = disclosure.THRESHOLD if threshold is None else threshold
    found = ranges(model, enough=lambda low, high: not verdict(low, high, threshold))
    if any(interval is None for interval in found.values()):
        return [Finding(cell, 0, np.inf, INCONSISTENT) for cell in found]
    return [Finding(cell, low, high, problem) for cell, (low, high) in found.items()
            if (problem := verdict(low, high, threshold))]


# --- Reading what is published -------------------------------------------------------------------------------

def published_from_pins(directory: Path) -> dict[str, object]:
    """Every pinned result as a reader sees it: tables as text, numbers as pinned, chart specs."""
    directory = Path(directory)
    published: dict[str, object] = {}
    for path in sorted((directory / "tables").glob("*.csv")):
        published[path.stem] = pd.read_csv(path, dtype=str, keep_default_na=False)
    for key, pinned in json.loads((directory / "numbers.json").read_text(encoding="utf-8")).items():
        published[key] = pinned["value"]
    texts = directory / "texts.json"
    published.update(json.loads(texts.read_text(encoding="utf-8")) if texts.exists() else {})
    for path in sorted((directory / "charts").glob("*.vl.json")):
        published[path.name.removesuffix(".vl.json")] = json.loads(path.read_text(encoding="utf-8"))
    return published


def published_from_results(results) -> dict[str, object]:
    """Results computed in memory (analysis.producers.Result objects) in the same form."""
    return {r.key: r.value for r in results}


def chart_rows(spec: dict) -> list[dict]:
    """Every data row of a Vega-Lite spec (inline data sets)."""
    return [row for rows in spec.get("datasets", {}).values() for row in rows]
