"""Public reference figures: the PCSWs of the sampling frame and the federal statistics the book cites.

These are real, sourced figures (see the ``sources`` of each resource in ``data/datapackage.json``
and the ``source`` column of each file), unlike the stand-in study data.
"""

from __future__ import annotations

import altair as alt

from . import load
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


@publishes("reference.income")
def integration_income() -> list[Result]:
    income = load.table("integration_income")
    first, last = income.iloc[0], income.iloc[-1]
    spec = (
        alt.Chart(income, title="Integration-income beneficiaries, monthly average")
        .mark_bar()
        .encode(x=alt.X("period:N", title="Period", sort=None),
                y=alt.Y("beneficiaries:Q", title="Beneficiaries (monthly average)"),
                tooltip=["period", alt.Tooltip("beneficiaries:Q", format=",")])
    )
    alt_text = (f"Bar chart of the monthly average number of integration-income beneficiaries in "
                f"{len(income)} periods, rising from {first.beneficiaries:,} in {first.period} to "
                f"{income['beneficiaries'].max():,} at its highest.")
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
        chart("reference.income.chart", spec, title="Integration-income beneficiaries (monthly average), "
              f"{first.period}–{last.period}", alt=alt_text),
    ]
