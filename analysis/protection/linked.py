"""Disclosure control across linked outputs: the audit of every suppressed cell against everything published.

:func:`analysis.protection.disclosure.protect` makes one table safe on its own. Tables that share units or margins can
still be combined: every case PCSW also answered the survey, so a survey count of one type in one region caps
the case count of that type and region; the newcomer themes are published by region, by legal status and
overall, over the same interviewees. This module writes such a *linked set* of published outputs (tables,
glued numbers, chart data) as an integer programme over the unknown counts behind them, and asks, for every
suppressed cell, the smallest and the largest value it can take (:func:`audit`). A cell fails when that
interval is a single value, two adjacent values, or lies inside 1 .. threshold − 1.

The linked sets (:data:`LINKED_SETS`) read the outputs as a reader sees them (a percentage "10.0%" of 10
PCSWs is the count 1; a chart share is a count divided by its group size), from the pins in ``results/``
(:func:`published_from_pins`) or from results computed in memory (:func:`published_from_results`). Only
exact, linear statements are modelled: counts, shares of a shown or hidden group size, totals, the quoted
speaker's region (at least one interviewee there has the theme), the modal level of a type (no other level
has more cases). Model estimates (latent class probabilities, Wilson bounds, mean scores) add nothing a
shown count and share do not already say, or say nothing exact about a count, and are left out.

How each set is protected (the audit is the proof, in ``tests/protection/test_linked_disclosure.py`` over ``results/``):

- cases and survey: the case-selection table is published at the finest level the audit passes, by type and
  region or by type only (:func:`analysis.study.cases.present.protected_selection` says why coarsening, not more
  suppression); the survey's own tables are left whole.
- newcomers: the overall figures are the Total row of the table by region (one suppression pattern for
  both); a quote names its speaker's region only where that region's count of the theme is shown
  (:func:`analysis.study.newcomers.choose_quotes`).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.protection import disclosure
from analysis.data.codebook import codebook
from analysis.protection.disclosure import MARK, TOTAL

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

    def cell(self, label: str, expression: dict[int, float], value) -> None:
        """A published count cell: a constraint when shown, a cell to audit when suppressed."""
        if value == MARK:
            self.cells[label] = expression
        else:
            self.equal(expression, _count(value, label))


def _count(value, label: str) -> int:
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
    high: int
    problem: str

    def __str__(self) -> str:
        return f"{self.cell}: only {self.low}..{self.high} fit what is published ({self.problem})"


def ranges(model: Model) -> dict[str, tuple[int, int]]:
    """The smallest and the largest integer value of each suppressed cell under every published constraint."""
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
    found = {}
    for label, expression in model.cells.items():
        objective = np.zeros(n)
        for k, v in expression.items():
            objective[k] += v
        bounds = []
        for sign in (1, -1):
            solved = milp(sign * objective, integrality=np.ones(n), bounds=Bounds(0, np.inf), constraints=constraints)
            if solved.status != 0:
                raise RuntimeError(f"disclosure audit of {label}: {solved.message} (are the published outputs "
                                   "consistent with each other?)")
            bounds.append(int(round(sign * solved.fun)))
        found[label] = (bounds[0], bounds[1])
    return found


def verdict(low: int, high: int, threshold: int) -> str:
    """Why an interval [low, high] discloses a suppressed count, or "" when it does not."""
    if low == high:
        return "pinned to one value"
    if high - low <= 1:
        return "pinned to two adjacent values"
    if 1 <= low and high <= threshold - 1:
        return f"inside 1..{threshold - 1}"
    return ""


def audit(model: Model, threshold: int | None = None) -> list[Finding]:
    """Every suppressed cell of ``model`` that what is published narrows too far."""
    threshold = disclosure.THRESHOLD if threshold is None else threshold
    return [Finding(cell, low, high, problem) for cell, (low, high) in ranges(model).items()
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
    """Results computed in memory (registry.Result objects) in the same form."""
    return {r.key: r.value for r in results}


def _chart_rows(spec: dict) -> list[dict]:
    """Every data row of a Vega-Lite spec (inline data sets)."""
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def _type_label(heading: str) -> str:
    """A survey type's label without the class number the survey tables put first ("2. high on …")."""
    return re.sub(r"^\d+\.\s*", "", str(heading))


# --- Linked set: the case studies and the survey ------------------------------------------------------------

CASES_SURVEY = ("cases.design.n", "cases.design.matrix", "cases.typology.selection", "cases.typology.profile",
                "cases.dimensions.table", "cases.dimensions.chart", "survey.typology.sizes",
                "survey.typology.n_units", "survey.response.by_region", "survey.membership.region.table",
                "survey.membership.size.table", "survey.membership.region.chart")


@dataclass
class _CasesSurvey:
    """The unknowns of the case–survey linked set, and the names they are indexed by."""

    model: Model
    survey: Block
    cases: Block
    coded: dict[str, Block]  # per coded dimension (by its title): cases by type × region × level
    dimensions: dict  # title -> codebook field
    regions: list[str]
    sizes: list[str]


def _cases_survey_unknowns(types: list[str]) -> _CasesSurvey:
    """Respondents and cases by type × region × size (cases ≤ respondents in each cell), and cases by type ×
    region × level of each coded dimension (summing to the cases of that type and region)."""
    book = codebook()["cases"]
    regions = list(book.field("region").labels().values())
    sizes = list(book.field("size_band").labels().values())
    dimensions = {book.field(d).title(): book.field(d) for d in _case_dimensions()}
    model = Model()
    survey = model.block("survey", {"type": types, "region": regions, "size": sizes})
    cases = model.block("cases", {"type": types, "region": regions, "size": sizes})
    for combo, k in cases.cells():  # every case PCSW also answered the survey
        model.at_most({k: 1.0}, {survey.index[combo]: 1.0})
    coded = {}
    for title, dim in dimensions.items():
        coded[title] = model.block(f"cases.{dim.name}", {"type": types, "region": regions,
                                                         "level": list(dim.labels().values())})
        for t, r in itertools.product(types, regions):
            model.equal(plus((1, coded[title].sum(type=t, region=r)), (-1, cases.sum(type=t, region=r))), 0)
    return _CasesSurvey(model, survey, cases, coded, dimensions, regions, sizes)


def _where(stub_value, column, first: str, second: str, second_values) -> dict:
    """The cell of a table with a Total row: ``first`` from the row, ``second`` from the column unless it
    is a Total (or "Cases") column."""
    fixed = {}
    if stub_value != TOTAL:
        fixed[first] = stub_value if first != "type" else _type_label(stub_value)
    if column in second_values:
        fixed[second] = column
    elif column not in (TOTAL, "Cases"):
        raise KeyError(f"linked audit: column {column!r} is neither a {second} nor a total")
    return fixed


def _cases_by(linked: _CasesSurvey, key: str, frame: pd.DataFrame, first: str, second: str, values) -> None:
    """A case table by ``first`` (its rows, with a Total row) and ``second`` (its columns, with a Total)."""
    for row in frame.itertuples(index=False):
        for column, value in zip(frame.columns[1:], row[1:]):
            fixed = _where(row[0], column, first, second, values)
            linked.model.cell(f"{key}[{row[0]}, {column}]", linked.cases.sum(**fixed), value)


def _named_levels(shown: str, levels: list[str]) -> tuple[str, ...]:
    """The levels a profile cell names: the tied levels that :func:`analysis.publication.i18n.named` listed in
    English, in codebook order; ``()`` for words that name none (no cases, or a count hidden)."""
    from analysis.publication import i18n

    return next((subset for size in range(1, len(levels) + 1) for subset in itertools.combinations(levels, size)
                 if i18n.named(subset, lambda level, _: level) == shown), ())


def _modal_levels(linked: _CasesSurvey, t: str, row: pd.Series) -> None:
    """The levels named for a type have the most cases, all of them as many. A cell that names none says only that
    some count among the type's cases is hidden: that weak bound is not modelled."""
    for title, dim in linked.dimensions.items():
        shown = row.get(title, "")
        named = () if shown in (MARK, "", None) else _named_levels(shown, list(dim.labels().values()))
        if not named:
            continue
        coded, first = linked.coded[title], named[0]
        for other in (level for level in dim.labels().values() if level != first):
            difference = plus((1, coded.sum(type=t, level=first)), (-1, coded.sum(type=t, level=other)))
            linked.model.between(difference, *((0, 0) if other in named else (1, np.inf)))


def _case_profile(linked: _CasesSurvey, frame: pd.DataFrame) -> None:
    for _, row in frame.iterrows():
        t = _type_label(row.iloc[0])
        linked.model.cell(f"cases.typology.profile[{row.iloc[0]}, Cases]", linked.cases.sum(type=t), row["Cases"])
        _modal_levels(linked, t, row)


def _case_dimensions_table(linked: _CasesSurvey, frame: pd.DataFrame) -> None:
    for _, row in frame.iterrows():
        for column in frame.columns[2:]:
            fixed = {"level": row["Level"], **({"region": column} if column in linked.regions else {})}
            linked.model.cell(f"cases.dimensions.table[{row['Dimension']}, {row['Level']}, {column}]",
                              linked.coded[row["Dimension"]].sum(**fixed), row[column])


def _survey_membership(linked: _CasesSurvey, key: str, frame: pd.DataFrame, dim: str) -> None:
    """Respondents per group of ``dim`` and the share of each type among them."""
    for _, row in frame.iterrows():
        group = row.iloc[0]
        of = linked.survey.sum(**{dim: group})
        linked.model.equal(of, _count(row["PCSWs"], f"{key}[{group}]"))
        for column in frame.columns[2:]:
            linked.model.share(linked.survey.sum(**{dim: group, "type": _type_label(column)}), of, row[column],
                               f"{key}[{group}, {column}]")


def _case_outputs(linked: _CasesSurvey, published: dict[str, object]) -> None:
    """The case tables and chart: cells to audit where suppressed, constraints where shown."""
    model, cases = linked.model, linked.cases
    if "cases.design.n" in published:
        model.equal(cases.sum(), published["cases.design.n"])
    if "cases.design.matrix" in published:
        _cases_by(linked, "cases.design.matrix", published["cases.design.matrix"], "region", "size", linked.sizes)
    if "cases.typology.selection" in published:
        _cases_by(linked, "cases.typology.selection", published["cases.typology.selection"], "type", "region",
                  linked.regions)
    if "cases.typology.profile" in published:
        _case_profile(linked, published["cases.typology.profile"])
    if "cases.dimensions.table" in published:
        _case_dimensions_table(linked, published["cases.dimensions.table"])
    if "cases.dimensions.chart" in published:
        for row in _chart_rows(published["cases.dimensions.chart"]):
            model.equal(linked.coded[row["Dimension"]].sum(level=row["Level"]), row["cases"])


def _survey_outputs(linked: _CasesSurvey, published: dict[str, object]) -> None:
    """The survey's tables and chart by type, region and size: all shown, all constraints."""
    model, survey = linked.model, linked.survey
    if "survey.typology.sizes" in published:
        for _, row in published["survey.typology.sizes"].iterrows():
            model.equal(survey.sum(type=_type_label(row["Class"])), _count(row["PCSWs (modal class)"], "sizes"))
    if "survey.typology.n_units" in published:
        model.equal(survey.sum(), published["survey.typology.n_units"])
    if "survey.response.by_region" in published:
        frame = published["survey.response.by_region"]
        for _, row in frame[frame["Region"].isin(linked.regions)].iterrows():
            model.equal(survey.sum(region=row["Region"]), _count(row["Respondents"], "response"))
    for key, dim in (("survey.membership.region.table", "region"), ("survey.membership.size.table", "size")):
        if key in published:
            _survey_membership(linked, key, published[key], dim)
    if "survey.membership.region.chart" in published:
        for row in _chart_rows(published["survey.membership.region.chart"]):
            model.share(survey.sum(region=row["Region"], type=_type_label(row["Type"])),
                        survey.sum(region=row["Region"]), row["share"], "survey.membership.region.chart")


def cases_survey(published: dict[str, object]) -> Model:
    """The case tables and the survey tables by region, size and type, with every case PCSW a respondent.

    Unknowns: respondents and cases by type × region × size (cases ≤ respondents in each cell), and cases by
    type × region × level of each coded dimension (summing to the cases of that type and region). The
    outputs of :data:`CASES_SURVEY` present in ``published`` become constraints or suppressed cells.
    """
    linked = _cases_survey_unknowns(_types(published))
    _case_outputs(linked, published)
    _survey_outputs(linked, published)
    return linked.model


def _case_dimensions():
    from analysis.study.cases import DIMENSIONS
    return DIMENSIONS


def _types(published: dict[str, object]) -> list[str]:
    for key, column in (("survey.typology.sizes", "Class"), ("cases.typology.profile", "Survey type"),
                        ("cases.typology.selection", "Survey type")):
        if key in published:
            return [_type_label(v) for v in published[key][column] if v != TOTAL]
    raise KeyError("the case–survey linked set needs survey.typology.sizes or a cases.typology table")


# --- Linked set: the newcomer interviews --------------------------------------------------------------------

NEWCOMERS = ("newcomers.sample.n", "newcomers.sample.status", "newcomers.sample.years", "newcomers.themes.overall",
             "newcomers.themes.by_region", "newcomers.themes.by_status", "newcomers.themes.barriers",
             "newcomers.satisfaction.groups", "newcomers.quotes.table")


@dataclass
class _Newcomers:
    """The unknowns of the newcomer linked set, and the names they are indexed by."""

    model: Model
    people: Block  # interviewees by region × legal status
    years: Block  # interviewees by region × years in Belgium
    with_theme: dict[str, Block]  # per theme code: interviewees with it by region × legal status
    titles: dict[str, str]  # theme title -> code
    region_codes: dict[str, str]  # region code -> name


def _newcomer_unknowns() -> _Newcomers:
    from analysis.study.newcomers.compute import themes
    from analysis.study.newcomers.present import years_labels

    book = codebook()["newcomers"]
    region_codes = book.field("region").labels()
    regions, statuses = list(region_codes.values()), list(book.field("legal_status").labels().values())
    titles = {book.field(t).title(): t for t in themes()}
    model = Model()
    people = model.block("people", {"region": regions, "status": statuses})
    years = model.block("years", {"region": regions, "years": list(years_labels("en").values())})
    with_theme = {t: model.block(t, {"region": regions, "status": statuses}) for t in titles.values()}
    for r in regions:
        model.equal(plus((1, years.sum(region=r)), (-1, people.sum(region=r))), 0)
    for block in with_theme.values():
        for combo, k in block.cells():
            model.at_most({k: 1.0}, {people.index[combo]: 1.0})
    return _Newcomers(model, people, years, with_theme, titles, region_codes)


def _sample_outputs(linked: _Newcomers, published: dict[str, object]) -> None:
    """The number interviewed, overall and per region, and the sample tables by region."""
    model, people = linked.model, linked.people
    if "newcomers.sample.n" in published:
        model.equal(people.sum(), published["newcomers.sample.n"])
    for code, label in linked.region_codes.items():
        if f"newcomers.sample.{code.lower()}" in published:
            model.equal(people.sum(region=label), published[f"newcomers.sample.{code.lower()}"])
    for key, block, dim in (("newcomers.sample.status", people, "status"),
                            ("newcomers.sample.years", linked.years, "years")):
        if key not in published:
            continue
        frame = published[key]
        for _, row in frame.iterrows():
            for column in frame.columns[1:]:
                fixed = {**({dim: row.iloc[0]} if row.iloc[0] != TOTAL else {}),
                         **({"region": column} if column != TOTAL else {})}
                model.cell(f"{key}[{row.iloc[0]}, {column}]", block.sum(**fixed), row[column])


def _theme_table(linked: _Newcomers, key: str, frame: pd.DataFrame, dim: str | None) -> None:
    """A table of coded themes: the interviewees and those with the theme per group, and their share."""
    for _, row in frame.iterrows():
        fixed = {dim: row["Group"]} if dim else {}
        label = f"{key}[{row['Theme']}{', ' + row['Group'] if dim else ''}"
        n, count = linked.people.sum(**fixed), linked.with_theme[linked.titles[row["Theme"]]].sum(**fixed)
        linked.model.cell(f"{label}, Interviewees]", n, row["Interviewees"])
        linked.model.cell(f"{label}, With the theme]", count, row["With the theme"])
        if row["Share"] != MARK:
            linked.model.share(count, n, row["Share"], f"{label}, Share]")


def _theme_outputs(linked: _Newcomers, published: dict[str, object]) -> None:
    """The three tables of coded themes, the glued shares and the chart of barriers by region."""
    model, people, with_theme = linked.model, linked.people, linked.with_theme
    for key, dim in (("newcomers.themes.overall", None), ("newcomers.themes.by_region", "region"),
                     ("newcomers.themes.by_status", "status")):
        if key in published:
            _theme_table(linked, key, published[key], dim)
    for theme in linked.titles.values():
        if f"newcomers.themes.share.{theme}" in published:
            model.share(with_theme[theme].sum(), people.sum(), float(published[f"newcomers.themes.share.{theme}"]),
                        f"newcomers.themes.share.{theme}")
    if "newcomers.themes.barriers" in published:
        for row in _chart_rows(published["newcomers.themes.barriers"]):
            model.share(with_theme[linked.titles[row["Theme"]]].sum(region=row["Group"]),
                        people.sum(region=row["Group"]), row["share"], "newcomers.themes.barriers")


def _satisfaction_groups(linked: _Newcomers, frame: pd.DataFrame) -> None:
    """The size of each group compared on the satisfaction scale: a region, a status, a theme coded or not."""
    for _, row in frame.iterrows():
        comparison, group = row["Comparison"], row["Group"]
        if comparison in ("Region", "Legal status"):
            n = linked.people.sum(**{"region" if comparison == "Region" else "status": group})
        elif comparison in linked.titles:
            coded = linked.with_theme[linked.titles[comparison]].sum()
            n = coded if group == "coded" else plus((1, linked.people.sum()), (-1, coded))
        else:
            raise KeyError(f"newcomers.satisfaction.groups: comparison {comparison!r} is not modelled")
        linked.model.cell(f"newcomers.satisfaction.groups[{comparison}, {group}]", n, row["Interviewees"])


def _quoted_regions(linked: _Newcomers, frame: pd.DataFrame) -> None:
    """A quote whose speaker's region is named: at least one interviewee there has the theme."""
    for _, row in frame.iterrows():
        region = str(row["Speaker"]).rpartition(", ")[2]
        if region in linked.region_codes.values():
            linked.model.between(linked.with_theme[linked.titles[row["Theme"]]].sum(region=region), 1, np.inf)


def newcomers(published: dict[str, object]) -> Model:
    """The newcomer tables: interviewees by region × legal status (and by region × years), and for every coded
    theme the interviewees with it by region × legal status; plus the glued counts and shares."""
    linked = _newcomer_unknowns()
    _sample_outputs(linked, published)
    _theme_outputs(linked, published)
    if "newcomers.satisfaction.groups" in published:
        _satisfaction_groups(linked, published["newcomers.satisfaction.groups"])
    if "newcomers.quotes.table" in published:
        _quoted_regions(linked, published["newcomers.quotes.table"])
    return linked.model


LINKED_SETS = {"cases and survey": (CASES_SURVEY, cases_survey), "newcomers": (NEWCOMERS, newcomers)}


def audit_published(published: dict[str, object], threshold: int | None = None) -> dict[str, list[Finding]]:
    """The audit of every linked set over ``published``; each set needs every one of its outputs."""
    report = {}
    for name, (keys, build) in LINKED_SETS.items():
        missing = [k for k in keys if k not in published]
        if missing:
            raise KeyError(f"linked set {name!r}: published outputs missing: {', '.join(missing)}")
        report[name] = audit(build(published), threshold)
    return report
