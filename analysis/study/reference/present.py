"""The reference figures as a reader sees them: the sampling frame and the integration income in the reader's
language (words from ``analysis/i18n/<lang>.yml``, keys ``reference.…`` and ``income_…``), the asylum
series in the English book."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.data.codebook import codebook
from analysis import i18n
from analysis.charts import localised
from analysis.producers import Result, chart, number, table


def period(value: str, lang: str = "en") -> str:
    """A period of the series as a reader of ``lang`` writes it: ``2019-H1`` is the first half of 2019."""
    return i18n.text("first_half", lang, year=value[:4]) if value.endswith("-H1") else value


def sampling_frame(frame: pd.DataFrame, lang: str = "en") -> list[Result]:
    """The PCSWs per region (one per municipality) and in Belgium, and their table."""
    region = codebook()["pcsw_frame"].field("region")
    labels = region.labels(lang)
    shown = pd.DataFrame({region.title(lang): frame["region"].map(labels).to_numpy(),
                          i18n.text("reference.frame.column.pcsws", lang): frame["municipalities"].to_numpy()})
    return [
        number("reference.frame.total", frame["municipalities"].sum(), style="count",
               title=i18n.text("reference.frame.total", lang)),
        *[number(f"reference.frame.{row.region.lower()}", row.municipalities, style="count",
                 title=i18n.text("reference.frame.region", lang, region=labels[row.region]))
          for row in frame.itertuples()],
        table("reference.frame.table", shown, title=i18n.text("reference.frame.table", lang)),
    ]


def integration_income(income: pd.DataFrame, summary: dict, lang: str = "en") -> list[Result]:
    """The numbers of the integration-income series and its chart."""
    first, last = period(summary["first_period"], lang), period(summary["last_period"], lang)
    return [
        number("reference.income.first_year", summary["first_year"], style="year",
               title=i18n.text("reference.income.first_year", lang)),
        number("reference.income.first", summary["first"], style="count",
               title=i18n.text("reference.income.first", lang, period=first)),
        number("reference.income.last_year", summary["last_year"], style="year",
               title=i18n.text("reference.income.last_year", lang)),
        number("reference.income.last", summary["last"], style="count",
               title=i18n.text("reference.income.last", lang, period=last)),
        number("reference.income.growth_last_year", summary["growth_last_year"], style="year",
               title=i18n.text("reference.income.growth_last_year", lang)),
        number("reference.income.growth", summary["growth"], style="share",
               title=i18n.text("reference.income.growth", lang, first=first,
                               last=period(summary["growth_last_period"], lang))),
        number("reference.income.series", summary["series"], style="count",
               title=i18n.text("reference.income.series", lang)),
        chart("reference.income.chart", _income_chart(income, lang), alt=_income_alt(summary, lang),
              title=i18n.text("income_chart_caption", lang, first=first, last=last),
              note=_missing_years_note(income, lang)),
    ]


def missing_years(periods) -> list[str]:
    """The years between the series' first and last that no source gives a figure for (the chart's axis skips them)."""
    years = {int(str(p)[:4]) for p in periods}
    return [str(year) for year in range(min(years), max(years) + 1) if year not in years] if years else []


def _missing_years_note(income: pd.DataFrame, lang: str) -> str:
    """Says which years the chart skips, so that a reader does not take the axis for a continuous series."""
    missing = tuple(missing_years(income["period"]))
    if not missing:
        return ""
    return i18n.text("income_chart_missing", lang, years=i18n.named(missing, lambda year, lang: year, lang))


def _income_chart(income: pd.DataFrame, lang: str):
    period_title, count_title = i18n.text("income_axis_period", lang), i18n.text("income_axis_beneficiaries", lang)
    source_title = i18n.text("income_series_label", lang)
    # only what the chart draws, named in the reader's language: its data download is in that language too. The
    # line under the chart cites both published series; each bar names the one series its figure comes from.
    series = codebook()["integration_income"].field("series").labels(lang)
    shown = pd.DataFrame({period_title: income["period"].map(lambda p: period(p, lang)),
                          count_title: income["beneficiaries"], source_title: income["series"].map(series)})
    spec = (
        alt.Chart(shown)
        .mark_bar()
        .encode(x=alt.X(field=period_title, type="nominal", title=period_title, sort=None,
                        axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, ', ')")),  # "2019, first half" on two lines
                y=alt.Y(field=count_title, type="quantitative", title=count_title, axis=alt.Axis(format=",.0f")),
                tooltip=[alt.Tooltip(field=period_title, type="nominal", title=period_title),
                         alt.Tooltip(field=count_title, type="quantitative", title=count_title, format=",.0f"),
                         alt.Tooltip(field=source_title, type="nominal", title=source_title)])
        .properties(width=alt.Step(70), height=240)  # wide enough for two-line period labels
    )
    return localised(spec, lang)


def _income_alt(summary: dict, lang: str) -> str:
    return i18n.text("income_chart_alt", lang, periods=i18n.in_words(summary["periods"], lang),
                     first=i18n.decimal(summary["first"], 0, lang), first_period=period(summary["first_period"], lang),
                     highest=i18n.decimal(summary["highest"], 0, lang),
                     highest_period=period(summary["highest_period"], lang))


# --- Asylum (English) ---------------------------------------------------------------------------------------

def asylum(years: pd.DataFrame, summary: dict) -> list[Result]:
    """Applications for international protection and persons granted protection: numbers, table and chart."""
    s = summary
    return [
        number("reference.asylum.first_year", s["first_year"], style="year", title="First year of the asylum series"),
        number("reference.asylum.last_year", s["last_year"], style="year", title="Last year of the asylum series"),
        number("reference.asylum.first", s["first"], style="count",
               title=f"Applicants for international protection, {s['first_year']}"),
        number("reference.asylum.last", s["last"], style="count",
               title=f"Applicants for international protection, {s['last_year']}"),
        number("reference.asylum.peak_year", s["peak_year"], style="year", title="Year with the most applicants"),
        number("reference.asylum.peak", s["peak"], style="count", title="Applicants in the peak year"),
        number("reference.asylum.granted_years", s["granted_years"], style="count",
               title="Years of the series with a reported number of persons granted protection"),
        number("reference.asylum.granted_last_year", s["granted_last_year"], style="year",
               title="Last year with a reported number of persons granted protection"),
        number("reference.asylum.granted_last", s["granted_last"], style="count",
               title=f"Persons granted protection, {s['granted_last_year']}"),
        table("reference.asylum.table", _asylum_table(years),
              title=f"Applicants for international protection and persons granted protection, "
                    f"{s['first_year']}–{s['last_year']}"),
        chart("reference.asylum.chart", _asylum_chart(years), alt=_asylum_alt(s),
              title=f"Applicants for international protection in Belgium, {s['first_year']}–{s['last_year']}"),
    ]


def _asylum_table(years: pd.DataFrame) -> pd.DataFrame:
    # The source and any disagreement between sources stay in the table: data is shown as read.
    shown = years.assign(
        protection_granted=years["protection_granted"].map(lambda v: "–" if pd.isna(v) else f"{int(v):,}"),
        applicants=years["applicants"].map(lambda v: f"{int(v):,}"),
        note=years["note"].fillna(""))[["year", "applicants", "protection_granted", "source", "note"]]
    shown.columns = ["Year", "Applicants", "Persons granted protection", "Source", "Note"]
    return shown


def _asylum_chart(years: pd.DataFrame):
    spec = (
        alt.Chart(years)
        .mark_bar()
        .encode(x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
                y=alt.Y("applicants:Q", title="Applicants", axis=alt.Axis(format=",.0f")),
                tooltip=[alt.Tooltip("year:O", title="Year"),
                         alt.Tooltip("applicants:Q", title="Applicants", format=",.0f")])
        .properties(width=alt.Step(50), height=220)
    )
    return localised(spec, "en")


def _asylum_alt(s: dict) -> str:
    return (f"Bar chart of the number of applicants for international protection in Belgium in {s['years']} "
            f"years, {s['first_year']}–{s['last_year']}: {int(s['first']):,} in {s['first_year']}, the highest of the "
            f"series, {int(s['lowest']):,} at the lowest, and {int(s['last']):,} in {s['last_year']}.")


# --- Refugees among integration-income beneficiaries (English titles, numbers in every language) ----------------

STYLES = {"persons": "count", "percent": "share", "percentage_points": "decimal"}


def refugee_figures(figures: pd.DataFrame) -> list[Result]:
    """Each figure as a number at the precision its source gives (11.7% stays 11.7%, 9% stays 9%)."""
    return [number(f"reference.refugees.{row.figure}", row.value, style=STYLES[row.unit],
                   decimals=None if row.unit == "persons" else row.decimals, title=f"{row.measures} ({row.period})")
            for row in figures.itertuples()]
