"""The linked set of the case studies and the survey, as the disclosure audit reads it.

Every case PCSW also answered the survey, so the survey's counts of a type by region or by size cap the case
counts of that type, region or size. :func:`model` writes the case tables and the survey tables by region, size
and type as an integer programme (:mod:`analysis.protection.linked`): respondents and cases by type × region ×
size (cases ≤ respondents in each cell), and cases by type × region × level of each coded dimension (summing to
the cases of that type and region). The outputs of :data:`OUTPUTS` present become constraints (shown counts,
shares of a shown group, the levels a profile names) or cells to audit (hidden counts).

Which form each case table is published in, when the finest one would let a hidden count be narrowed, is chosen
by :mod:`analysis.protection.redesign` over the ladders of :mod:`analysis.study.cases.protection`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.codebook import codebook
from analysis.protection import redesign
from analysis.protection.disclosure import MARK, TOTAL
from analysis.protection.linked import Block, Model, as_count, chart_rows, plus
from analysis import i18n
from analysis.study.cases.compute import DIMENSIONS, SIZE_GROUPS


def merged_size_labels() -> dict[str, list[str]]:
    """Each merged size band's English label and the English labels of the bands it adds up."""
    labels = codebook()["cases"].field("size_band").labels()
    return {i18n.text(f"cases.size.{group}"): [labels[code] for code in codes] for group, codes in SIZE_GROUPS.items()}


def _type_label(heading: str) -> str:
    """A survey type's label without the class number the survey tables put first ("2. broad …")."""
    return re.sub(r"^\d+\.\s*", "", str(heading))


OUTPUTS = ("cases.design.n", "cases.design.matrix", "cases.typology.selection", "cases.typology.profile",
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
    dimensions = {book.field(d).title(): book.field(d) for d in DIMENSIONS}
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


def _cases_in(linked: _CasesSurvey, stub_value, column, first: str, second: str, groups: dict) -> dict:
    """The cases of one cell of a table with a Total row: ``first`` from the row, ``second`` from the column
    (``groups``: each column label and the values it adds up, e.g. a merged size band) unless it is a Total (or
    "Cases") column."""
    fixed = {} if stub_value == TOTAL else {first: stub_value if first != "type" else _type_label(stub_value)}
    if column in groups:
        return plus(*((1, linked.cases.sum(**fixed, **{second: value})) for value in groups[column]))
    if column not in (TOTAL, "Cases"):
        raise KeyError(f"linked audit: column {column!r} is neither a {second} nor a total")
    return linked.cases.sum(**fixed)


def _cases_by(linked: _CasesSurvey, key: str, frame: pd.DataFrame, first: str, second: str, groups: dict) -> None:
    """A case table by ``first`` (its rows, with a Total row) and ``second`` (its columns, with a Total); a table
    withheld (:func:`analysis.protection.redesign.is_withheld`) says nothing."""
    if redesign.is_withheld(frame):
        return
    for row in frame.itertuples(index=False):
        for column, value in zip(frame.columns[1:], row[1:]):
            linked.model.cell(f"{key}[{row[0]}, {column}]", _cases_in(linked, row[0], column, first, second, groups),
                              value, place=(key, row[0], column))


def _named_levels(shown: str, levels: list[str]) -> tuple[str, ...]:
    """The levels a profile cell names: the tied levels that :func:`analysis.i18n.named` listed in
    English, in codebook order; ``()`` for words that name none (no cases, or a count hidden)."""
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
        linked.model.cell(f"cases.typology.profile[{row.iloc[0]}, Cases]", linked.cases.sum(type=t), row["Cases"],
                          place=("cases.typology.profile", row.iloc[0], "Cases"))
        _modal_levels(linked, t, row)


def _case_dimensions_table(linked: _CasesSurvey, frame: pd.DataFrame) -> None:
    for _, row in frame.iterrows():
        for column in frame.columns[2:]:
            fixed = {"level": row["Level"], **({"region": column} if column in linked.regions else {})}
            linked.model.cell(f"cases.dimensions.table[{row['Dimension']}, {row['Level']}, {column}]",
                              linked.coded[row["Dimension"]].sum(**fixed), row[column],
                              place=("cases.dimensions.table", row["Level"], column))


def _survey_membership(linked: _CasesSurvey, key: str, frame: pd.DataFrame, dim: str) -> None:
    """Respondents per group of ``dim`` and the share of each type among them."""
    for _, row in frame.iterrows():
        group = row.iloc[0]
        of = linked.survey.sum(**{dim: group})
        linked.model.equal(of, as_count(row["PCSWs"], f"{key}[{group}]"))
        for column in frame.columns[2:]:
            linked.model.share(linked.survey.sum(**{dim: group, "type": _type_label(column)}), of, row[column],
                               f"{key}[{group}, {column}]")


def _case_outputs(linked: _CasesSurvey, published: dict[str, object]) -> None:
    """The case tables and chart: cells to audit where suppressed, constraints where shown."""
    model, cases = linked.model, linked.cases
    if "cases.design.n" in published:
        model.count("cases.design.n", cases.sum(), published["cases.design.n"])
    if "cases.design.matrix" in published:
        sizes = {size: [size] for size in linked.sizes} | merged_size_labels()
        _cases_by(linked, "cases.design.matrix", published["cases.design.matrix"], "region", "size", sizes)
    if "cases.typology.selection" in published:
        _cases_by(linked, "cases.typology.selection", published["cases.typology.selection"], "type", "region",
                  {region: [region] for region in linked.regions})
    if "cases.typology.profile" in published and not redesign.is_withheld(published["cases.typology.profile"]):
        _case_profile(linked, published["cases.typology.profile"])
    if "cases.dimensions.table" in published and not redesign.is_withheld(published["cases.dimensions.table"]):
        _case_dimensions_table(linked, published["cases.dimensions.table"])
    if "cases.dimensions.chart" in published:
        for row in chart_rows(published["cases.dimensions.chart"]):
            model.equal(linked.coded[row["Dimension"]].sum(level=row["Level"]), row["cases"])


def _survey_outputs(linked: _CasesSurvey, published: dict[str, object]) -> None:
    """The survey's tables and chart by type, region and size: all shown, all constraints."""
    model, survey = linked.model, linked.survey
    if "survey.typology.sizes" in published:
        for _, row in published["survey.typology.sizes"].iterrows():
            model.equal(survey.sum(type=_type_label(row["Class"])),
                        as_count(row["PCSWs assigned to this type"], "sizes"))
    if "survey.typology.n_units" in published:
        model.equal(survey.sum(), published["survey.typology.n_units"])
    if "survey.response.by_region" in published:
        frame = published["survey.response.by_region"]
        for _, row in frame[frame["Region"].isin(linked.regions)].iterrows():
            model.equal(survey.sum(region=row["Region"]), as_count(row["Respondents"], "response"))
    for key, dim in (("survey.membership.region.table", "region"), ("survey.membership.size.table", "size")):
        if key in published:
            _survey_membership(linked, key, published[key], dim)
    if "survey.membership.region.chart" in published:
        for row in chart_rows(published["survey.membership.region.chart"]):
            model.share(survey.sum(region=row["Region"], type=_type_label(row["Type"])),
                        survey.sum(region=row["Region"]), row["share"], "survey.membership.region.chart")


def model(published: dict[str, object]) -> Model:
    """The case tables and the survey tables by region, size and type, with every case PCSW a respondent.

    Unknowns: respondents and cases by type × region × size (cases ≤ respondents in each cell), and cases by
    type × region × level of each coded dimension (summing to the cases of that type and region). The
    outputs of :data:`CASES_SURVEY` present in ``published`` become constraints or suppressed cells.
    """
    published = {key: value for key, value in published.items() if not redesign.is_withheld(value)}
    linked = _cases_survey_unknowns(_types(published))
    _case_outputs(linked, published)
    _survey_outputs(linked, published)
    return linked.model


def _types(published: dict[str, object]) -> list[str]:
    for key, column in (("survey.typology.sizes", "Class"), ("cases.typology.profile", "Survey type"),
                        ("cases.typology.selection", "Survey type")):
        if key in published:
            return [_type_label(v) for v in published[key][column] if v != TOTAL]
    raise KeyError("the case–survey linked set needs survey.typology.sizes or a cases.typology table")


