"""Public reference figures: the PCSWs of the sampling frame and the federal statistics the book cites.

These are real, sourced figures (see the ``sources`` of each resource in ``data/datapackage.json``
and the ``source`` column of each file), unlike the stand-in study data.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.data import load
from analysis.publication import i18n
from analysis.data.codebook import codebook
from analysis.results.registry import Result, chart, number, publishes, table


@publishes("reference.frame")
def sampling_frame() -> list[Result]:
    frame = load.table("pcsw_frame")
    labels = codebook()["pcsw_frame"].field("region").labels()
    shown = frame.assign(region=frame["region"].map(labels))[["region", "municipalities"]]
    shown.columns = ["Region", "PCSWs (one per municipality)"]
    return [
        number("reference.frame.total", frame["municipalities"].sum(), style="count",
               title="PCSWs in Belgium during the study"),
        *[number(f"reference.frame.{row.region.lower()}", row.municipalities, style="count",
                 title=f"PCSWs in {labels[row.region]}") for row in frame.itertuples()],
        table("reference.frame.table", shown, title="PCSWs per region during the study (2019–2022)"),
    ]


def _period(period: str, lang: str) -> str:
    """A period of the series as a reader of ``lang`` writes it: ``2019-H1`` is the first half of 2019."""
    return i18n.text("first_half", lang, year=period[:4]) if period.endswith("-H1") else period


@publishes("reference.income", translated=True)
def integration_income(lang: str = "en") -> list[Result]:
    income = load.table("integration_income")
    first, last = income.iloc[0], income.iloc[-1]
    shown = income.assign(period=income["period"].map(lambda p: _period(p, lang)))
    period_title, count_title = i18n.text("income_axis_period", lang), i18n.text("income_axis_beneficiaries", lang)
    spec = (
        alt.Chart(shown, title=i18n.text("income_chart_title", lang))
        .mark_bar()
        .encode(x=alt.X("period:N", title=period_title, sort=None,
                        axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, ', ')")),  # "2019, first half" on two lines
                y=alt.Y("beneficiaries:Q", title=count_title, axis=alt.Axis(format=",.0f")),
                tooltip=[alt.Tooltip("period:N", title=period_title),
                         alt.Tooltip("beneficiaries:Q", title=count_title, format=",.0f")])
        .properties(width=alt.Step(70), height=240)  # wide enough for two-line period labels
        .configure(locale=i18n.vega_locale(lang))
    )
    alt_text = i18n.text("income_chart_alt", lang, periods=len(income),
                         first=i18n.decimal(first.beneficiaries, 0, lang), first_period=_period(first.period, lang),
                         highest=i18n.decimal(income["beneficiaries"].max(), 0, lang))
    return [
        number("reference.income.first_year", int(first.period), style="year",
               title="First year of the series"),
        number("reference.income.first", first.beneficiaries, style="count",
               title=f"Integration-income beneficiaries, {first.period}"),
        number("reference.income.last_year", int(last.period[:4]), style="year",
               title="Last year of the series"),
        number("reference.income.last", last.beneficiaries, style="count",
               title=f"Integration-income beneficiaries, {last.period} (rounded to hundreds)"),
        number("reference.income.growth", last.beneficiaries / first.beneficiaries - 1, style="share",
               title=f"Growth of the number of beneficiaries, {first.period}–{last.period}"),
        chart("reference.income.chart", spec, alt=alt_text,
              title=i18n.text("income_chart_caption", lang, first=_period(first.period, lang),
                              last=_period(last.period, lang))),
    ]


@publishes("reference.asylum")
def asylum() -> list[Result]:
    """Applications for international protection and persons granted protection, as the CGRS figures were
    reported (the source and any disagreement between sources stay in the table: data is shown as read)."""
    years = load.table("asylum")
    first, last = years.iloc[0], years.iloc[-1]
    peak = years.loc[years["applicants"].idxmax()]
    shown = years.assign(
        protection_granted=years["protection_granted"].map(lambda v: "–" if pd.isna(v) else f"{int(v):,}"),
        applicants=years["applicants"].map(lambda v: f"{int(v):,}"),
        note=years["note"].fillna(""))[["year", "applicants", "protection_granted", "source", "note"]]
    shown.columns = ["Year", "Applicants", "Persons granted protection", "Source", "Note"]
    granted = years.dropna(subset=["protection_granted"])
    spec = (
        alt.Chart(years, title="Applicants for international protection in Belgium, per year")
        .mark_bar()
        .encode(x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
                y=alt.Y("applicants:Q", title="Applicants", axis=alt.Axis(format=",.0f")),
                tooltip=[alt.Tooltip("year:O", title="Year"),
                         alt.Tooltip("applicants:Q", title="Applicants", format=",.0f")])
        .properties(width=alt.Step(50), height=220)
    )
    alt_text = (f"Bar chart of the number of applicants for international protection in Belgium in {len(years)} "
                f"years, {first.year}–{last.year}: {int(first.applicants):,} in {first.year}, the highest of the "
                f"series, {int(years['applicants'].min()):,} at the lowest, and {int(last.applicants):,} in {last.year}.")
    return [
        number("reference.asylum.first_year", first.year, style="year", title="First year of the asylum series"),
        number("reference.asylum.last_year", last.year, style="year", title="Last year of the asylum series"),
        number("reference.asylum.first", first.applicants, style="count",
               title=f"Applicants for international protection, {first.year}"),
        number("reference.asylum.last", last.applicants, style="count",
               title=f"Applicants for international protection, {last.year}"),
        number("reference.asylum.peak_year", peak.year, style="year", title="Year with the most applicants"),
        number("reference.asylum.peak", peak.applicants, style="count", title="Applicants in the peak year"),
        number("reference.asylum.granted_years", len(granted), style="count",
               title="Years of the series with a reported number of persons granted protection"),
        number("reference.asylum.granted_last_year", granted.iloc[-1].year, style="year",
               title="Last year with a reported number of persons granted protection"),
        number("reference.asylum.granted_last", granted.iloc[-1].protection_granted, style="count",
               title=f"Persons granted protection, {granted.iloc[-1].year}"),
        table("reference.asylum.table", shown,
              title=f"Applicants for international protection and persons granted protection, {first.year}–{last.year}"),
        chart("reference.asylum.chart", spec, alt=alt_text,
              title=f"Applicants for international protection in Belgium, {first.year}–{last.year}"),
    ]
