"""Public reference figures: the PCSWs of the sampling frame and the federal statistics the book cites.

These are real, sourced figures (see the ``sources`` of each resource in ``data/datapackage.json``
and the ``source`` column of each file), unlike the stand-in study data.
"""

from __future__ import annotations

import altair as alt

from . import i18n, load
from .codebook import codebook
from .registry import Result, chart, number, publishes, table


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
