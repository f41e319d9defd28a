"""The survey's response and repertoire as a reader sees them (titles, labels, formatted tables, charts and their
text alternatives), and the wording every presentation of the survey shares; the typology and who belongs to each
type are :mod:`.present_typology`, the factors behind decisions :mod:`.present_factors`.

The functions for the results the short editions show take the reader's language (``lang``): every word comes
from ``analysis/i18n/<lang>.yml`` (keys ``survey.…``) or the codebook's labels, every number is
formatted by :mod:`analysis.i18n`. The repertoire and the factors are shown in the English book only.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from analysis import i18n
from analysis.charts import localised
from analysis.data.codebook import codebook
from analysis.producers import Result, chart, number, table
from analysis.study.survey import compute
from analysis.study.survey.compute import BLOCK_NAMES, PRACTICE_BLOCKS


def words(key: str, lang: str, **values) -> str:
    """A fixed string of the survey in ``lang`` (``survey.<key>`` in the language's strings)."""
    return i18n.text(f"survey.{key}", lang, **values)


def field_name(text: str) -> str:
    """A label usable as a chart's field name (shown in tooltips and the data download): Vega-Lite reads ``'``,
    ``"``, ``.`` and brackets in a field name as an access path, so the apostrophe becomes the typographic one
    ("OCMW’s") and the others go."""
    return re.sub(r"[.\[\]\"\\]", "", text.replace("'", "\u2019"))


def fmt(value: float, decimals: int = 1, lang: str = "en") -> str:
    return i18n.decimal(value, decimals, lang)


def pct(share: float, lang: str = "en") -> str:
    return i18n.percent(share, 1, lang)


def p_cell(p: float) -> str:
    """A p-value for a table column headed "p": "0.590", "< 0.001"."""
    return i18n.p_value(p).removeprefix("p = ").removeprefix("p ")


def labels(variable: str, lang: str = "en") -> dict:
    """The codebook's labels of a survey variable's codes."""
    return codebook()["survey"].field(variable).labels(lang)


def region_labels(lang: str = "en") -> dict[str, str]:
    return labels("region", lang)


# --- Response ---------------------------------------------------------------------------------------------

def response(by_region: pd.DataFrame, test: dict, lang: str = "en") -> list[Result]:
    """The response numbers and the table of response by region."""
    labels, rates = region_labels(lang), by_region["rate"]
    total = by_region[["frame", "respondents"]].sum()
    return [
        number("survey.response.respondents", total["respondents"], style="count", title=words("response.respondents", lang)),
        number("survey.response.frame", total["frame"], style="count", title=words("response.frame", lang)),
        number("survey.response.rate", total["respondents"] / total["frame"], style="share",
               title=words("response.rate", lang)),
        *[number(f"survey.response.rate_{r.lower()}", rates[r], style="share",
                 title=words("response.rate_region", lang, region=labels[r])) for r in by_region.index],
        *[number(f"survey.response.n_{r.lower()}", by_region.at[r, "respondents"], style="count",
                 title=words("response.n_region", lang, region=labels[r])) for r in by_region.index],
        number("survey.response.rate_min", rates.min(), style="share", title=words("response.rate_min", lang)),
        number("survey.response.rate_max", rates.max(), style="share", title=words("response.rate_max", lang)),
        number("survey.response.chi2", test["chi2"], style="decimal", title=words("response.chi2", lang)),
        number("survey.response.dof", test["dof"], style="count", title=words("response.dof", lang)),
        number("survey.response.p", test["p"], style="p", title=words("response.p", lang)),
        number("survey.response.min_expected", test["min_expected"], style="decimal", decimals=1,
               title=words("response.min_expected", lang)),
        table("survey.response.by_region", _response_table(by_region, lang), title=words("response.by_region", lang)),
    ]


def _response_table(by_region: pd.DataFrame, lang: str) -> pd.DataFrame:
    labels = region_labels(lang)
    total = by_region[["frame", "respondents"]].sum()
    return pd.DataFrame({
        codebook()["survey"].field("region").title(lang): [labels[r] for r in by_region.index]
        + [words("response.belgium", lang)],
        words("response.column.frame", lang): [*by_region["frame"], total["frame"]],
        words("response.column.respondents", lang): [*by_region["respondents"], total["respondents"]],
        words("response.rate", lang): [pct(r, lang) for r in by_region["rate"]]
        + [pct(total["respondents"] / total["frame"], lang)],
        words("response.column.expected", lang): [fmt(e, 1, lang) for e in by_region["expected"]]
        + [fmt(total["respondents"], 1, lang)],
    })


# --- Repertoire (English) ---------------------------------------------------------------------------------

def repertoire(items: pd.DataFrame, shares: pd.DataFrame, p_values: pd.Series, dispersion: float) -> list[Result]:
    """The repertoire's numbers, one table per block and the chart of how common each practice is."""
    from statsmodels.stats.multitest import multipletests  # here: statsmodels is slow to import, once per kernel

    per_pcsw = items.sum(axis=1)
    return [
        number("survey.repertoire.n_items", len(items.columns), style="count", title="Practice items"),
        number("survey.repertoire.n_blocks", len(PRACTICE_BLOCKS), style="count", title="Blocks of practice items"),
        number("survey.repertoire.mean_practices", per_pcsw.mean(), style="decimal", decimals=1,
               title="Mean number of practices per PCSW"),
        number("survey.repertoire.min_practices", per_pcsw.min(), style="count", title="Fewest practices of a PCSW"),
        number("survey.repertoire.max_practices", per_pcsw.max(), style="count", title="Most practices of a PCSW"),
        number("survey.repertoire.highest", shares["overall"].max(), style="share",
               title="Share with the most common practice"),
        number("survey.repertoire.lowest", shares["overall"].min(), style="share",
               title="Share with the least common practice"),
        number("survey.repertoire.n_regional", int((p_values < compute.SIGNIFICANCE).sum()), style="count",
               title=f"Practices whose prevalence differs by region (chi-square, p < {compute.SIGNIFICANCE})"),
        number("survey.repertoire.significance", compute.SIGNIFICANCE, decimals=2,
               title="Significance level of those tests"),
        # One test per practice: Holm's correction keeps the chance of any false regional difference at the level.
        number("survey.repertoire.n_regional_holm",
               int(multipletests(p_values, alpha=compute.SIGNIFICANCE, method="holm")[0].sum()), style="count",
               title=f"Practices whose prevalence differs by region after Holm's correction for the number of tests "
                     f"(family-wise level {compute.SIGNIFICANCE})"),
        number("survey.repertoire.dispersion_ratio", dispersion, style="decimal", decimals=2,
               title="Variance of the number of practices per PCSW within regions, relative to the variance if "
                     "every PCSW of a region shared the same item probabilities"),
        number("survey.repertoire.overdispersion", compute.OVERDISPERSION, style="decimal", decimals=1,
               title="Dispersion ratio from which E1a is read as borne out"),
        *_repertoire_tables(items, shares, p_values),
        chart("survey.repertoire.chart", _repertoire_chart(shares), title="The repertoire of practices towards newcomers",
              alt=_repertoire_alt(items, shares)),
    ]


def practice_names() -> tuple[dict[str, str], dict[str, str]]:
    """Each practice item's English title and its block."""
    fields = compute.practice_fields()
    return {f.name: f.title() for f in fields}, {f.name: f.block for f in fields}


def _repertoire_tables(items: pd.DataFrame, shares: pd.DataFrame, p_values: pd.Series) -> list[Result]:
    # One table per block (practices in codebook order): short tables wrap their text on a printed page.
    titles, blocks = practice_names()
    labels = region_labels()
    regions = [r for r in labels if r in shares.columns]
    tables = []
    for block in PRACTICE_BLOCKS:
        rows = [i for i in items.columns if blocks[i] == block]
        shown = pd.DataFrame({
            "Practice": [titles[i] for i in rows],
            "All PCSWs": [pct(shares.at[i, "overall"]) for i in rows],
            **{labels[r]: [pct(shares.at[i, r]) for i in rows] for r in regions},
            "p, regions differ": [p_cell(p_values[i]) for i in rows],
        })
        tables.append(table(f"survey.repertoire.table.{block}", shown,
                            title=f"Practices of the block on {BLOCK_NAMES[block]}: share of responding PCSWs, overall and by region"))
    return tables


def _repertoire_chart(shares: pd.DataFrame):
    titles, blocks = practice_names()
    labels = region_labels()
    regions = [r for r in labels if r in shares.columns]
    long = (shares[regions].rename(columns=labels).rename_axis("item").reset_index()
            .melt(id_vars="item", var_name="Region", value_name="share"))
    long["Practice"] = long["item"].map(titles)
    long["Block"] = long["item"].map(blocks)
    overall = shares["overall"].rename("share").rename_axis("item").reset_index()
    overall["Practice"] = overall["item"].map(titles)
    overall["Block"] = overall["item"].map(blocks)
    order = [titles[i] for i in shares.sort_values("overall", ascending=False).index]
    y = alt.Y("Practice:N", sort=order, title=None, axis=alt.Axis(labelLimit=0))  # no practice cut off ("…")
    # what the bars and the points are, said on the axis: the chart has no title (its caption names it)
    x = alt.X("share:Q", title="Share of responding PCSWs: all (bars), by region (points)", axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, 1]))
    # the bars (all PCSWs) are outlined, not filled: the outline has 4.5:1 on white (WCAG 1.4.11), and the region
    # points drawn over a bar keep the white background they are checked against; the regions differ by shape too
    bars = alt.Chart(overall).mark_bar(fill="white", stroke="#767676", strokeWidth=1).encode(
        x=x, y=y, tooltip=["Practice", "Block", alt.Tooltip("share:Q", format=".1%", title="All PCSWs")])
    legend = alt.Legend(orient="bottom")  # under the chart, which the practices' names already make wide
    dots = alt.Chart(long).mark_point(filled=True, size=55).encode(
        x=x, y=y, color=alt.Color("Region:N", scale=alt.Scale(domain=[labels[r] for r in regions]), legend=legend),
        shape=alt.Shape("Region:N", scale=alt.Scale(domain=[labels[r] for r in regions]), legend=legend),
        tooltip=["Practice", "Region", alt.Tooltip("share:Q", format=".1%")])
    # narrow enough that, shrunk to the printed column, its text stays legible (analysis/publication/chart_layout.py)
    return localised((bars + dots).properties(width=300), "en")


def _repertoire_alt(items: pd.DataFrame, shares: pd.DataFrame) -> str:
    titles, _ = practice_names()
    top, bottom = shares["overall"].idxmax(), shares["overall"].idxmin()
    return (f"Bar chart of the share of responding PCSWs with each of {len(items.columns)} practices, with a "
            f"point per region; most common: {titles[top]} ({pct(shares.at[top, 'overall'])}), least common: "
            f"{titles[bottom]} ({pct(shares.at[bottom, 'overall'])}).")
