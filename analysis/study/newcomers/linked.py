"""The linked set of the newcomer interviews, as the disclosure audit reads it.

The same interviewees are counted by region, by legal status, by years in Belgium and overall, with and without each
coded theme; a quote names its speaker's region. :func:`model` writes these outputs (:data:`OUTPUTS`) as an integer
programme (:mod:`analysis.protection.linked`): interviewees by region × legal status (and by region × years), and for
every coded theme the interviewees with it by region × legal status; plus the glued counts and shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.data.codebook import codebook
from analysis.protection import redesign
from analysis.protection.disclosure import MARK, TOTAL
from analysis.protection.linked import Block, Model, chart_rows, plus
from analysis.study.newcomers.compute import themes
from analysis.study.newcomers.present import years_labels


OUTPUTS = ("newcomers.sample.n", "newcomers.sample.status", "newcomers.sample.years", "newcomers.themes.overall",
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
    scored_with: dict = field(default_factory=dict)  # theme code -> the scored interviewees with it (unknowns' sum)


def _newcomer_unknowns() -> _Newcomers:
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
        model.count("newcomers.sample.n", people.sum(), published["newcomers.sample.n"])
    for code, label in linked.region_codes.items():
        if f"newcomers.sample.{code.lower()}" in published:
            model.count(f"newcomers.sample.{code.lower()}", people.sum(region=label),
                        published[f"newcomers.sample.{code.lower()}"])
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
        if published.get(f"newcomers.themes.share.{theme}") is not None:
            model.share(with_theme[theme].sum(), people.sum(), float(published[f"newcomers.themes.share.{theme}"]),
                        f"newcomers.themes.share.{theme}")
    if "newcomers.themes.barriers" in published:
        for row in chart_rows(published["newcomers.themes.barriers"]):
            model.share(with_theme[linked.titles[row["Theme"]]].sum(region=row["Group"]),
                        people.sum(region=row["Group"]), row["share"], "newcomers.themes.barriers")


def _satisfaction_groups(linked: _Newcomers, frame: pd.DataFrame) -> None:
    """The size of each group compared on the satisfaction scale: a region, a status, a theme coded or not. Only the
    interviewees who answered an item of the scale are scored (the items may be left blank), so the groups count a
    subset: the scored interviewees by region × status (at most the interviewees), and per theme those scored with it
    (at most those scored, and at most those with the theme; the unscored with it at most the unscored)."""
    model, people = linked.model, linked.people
    scored = model.block("scored", {"region": list(linked.region_codes.values()), "status": people.dims["status"]})
    for combo, k in scored.cells():
        model.at_most({k: 1.0}, {people.index[combo]: 1.0})
    for _, row in frame.iterrows():
        comparison, group = row["Comparison"], row["Group"]
        if comparison in ("Region", "Legal status"):
            n = scored.sum(**{"region" if comparison == "Region" else "status": group})
        elif comparison in linked.titles:
            n = _scored_with(linked, scored, linked.titles[comparison])
            n = n if group == "coded" else plus((1, scored.sum()), (-1, n))
        else:
            raise KeyError(f"newcomers.satisfaction.groups: comparison {comparison!r} is not modelled")
        linked.model.cell(f"newcomers.satisfaction.groups[{comparison}, {group}]", n, row["Interviewees"],
                          place=("newcomers.satisfaction.groups", group, "Interviewees"))


def _scored_with(linked: _Newcomers, scored: Block, theme: str) -> dict[int, float]:
    """The scored interviewees with ``theme``, as unknowns bounded by both groups they belong to."""
    if theme not in linked.scored_with:
        model, people, with_theme = linked.model, linked.people, linked.with_theme[theme]
        block = model.block(f"scored.{theme}", dict(scored.dims))
        for combo, k in block.cells():
            model.at_most({k: 1.0}, {scored.index[combo]: 1.0})
            model.at_most({k: 1.0}, {with_theme.index[combo]: 1.0})
            unscored_with = plus((1, {with_theme.index[combo]: 1.0}), (-1, {k: 1.0}))
            model.at_most(unscored_with, plus((1, {people.index[combo]: 1.0}), (-1, {scored.index[combo]: 1.0})))
        linked.scored_with[theme] = block.sum()
    return linked.scored_with[theme]


def _quoted_regions(linked: _Newcomers, frame: pd.DataFrame) -> None:
    """A quote whose speaker's region is named: at least one interviewee there has the theme."""
    for _, row in frame.iterrows():
        region = str(row["Speaker"]).rpartition(", ")[2]
        if region in linked.region_codes.values():
            linked.model.between(linked.with_theme[linked.titles[row["Theme"]]].sum(region=region), 1, np.inf)


def model(published: dict[str, object]) -> Model:
    """The newcomer tables: interviewees by region × legal status (and by region × years), and for every coded
    theme the interviewees with it by region × legal status; plus the glued counts and shares."""
    published = {key: value for key, value in published.items() if not redesign.is_withheld(value)}
    linked = _newcomer_unknowns()
    _sample_outputs(linked, published)
    _theme_outputs(linked, published)
    if "newcomers.satisfaction.groups" in published:
        _satisfaction_groups(linked, published["newcomers.satisfaction.groups"])
    if "newcomers.quotes.table" in published:
        _quoted_regions(linked, published["newcomers.quotes.table"])
    return linked.model


