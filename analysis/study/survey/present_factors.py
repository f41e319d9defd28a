"""The factors behind PCSWs' decisions as the English book shows them: the odds ratios of staff support for
conditional aid and of region on each key practice, as a table and a chart with its text alternative."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis import i18n
from analysis.charts import localised
from analysis.producers import Result, chart, number, table, text
from analysis.study.survey import compute
from analysis.study.survey.compute import KEY_PRACTICES
from analysis.study.survey.present import fmt, p_cell, practice_names


# --- Factors behind decisions (English) ----------------------------------------------------------------------

PREDICTORS = {"conditionality_z": "Support for conditional aid (per SD)", "region_WA": "Wallonia (vs Flanders)",
              "size_band": "Municipality size (per band)", "caseload_band": "Newcomer caseload (per band)"}


def factors(survey: pd.DataFrame, scale: dict, models: pd.DataFrame) -> list[Result]:
    """The reliability of the attitude scale, the regressions' odds ratios, their table and chart."""
    n = models["n"].iloc[0]
    in_regions = survey["region"].isin(compute.REGRESSION_REGIONS)
    return [
        number("survey.factors.alpha", scale["alpha"], decimals=2, title="Cronbach's alpha of the conditionality scale"),
        number("survey.factors.alpha_low", scale["low"], decimals=2, title="Lower 95% bound of alpha"),
        number("survey.factors.alpha_high", scale["high"], decimals=2, title="Upper 95% bound of alpha"),
        number("survey.factors.n_items", scale["n_items"], style="count", title="Attitude items in the scale"),
        number("survey.factors.n_reversed", len(compute.REVERSED_ATTITUDES), style="count",
               title="Reverse-coded attitude items"),
        number("survey.factors.confidence", compute.CONFIDENCE, style="share", decimals=0,
               title="Level of the confidence intervals"),
        number("survey.factors.n", n, style="count", title="PCSWs in the regressions"),
        number("survey.factors.n_left_out_region", (~in_regions).sum(), style="count",
               title="Responding PCSWs of Brussels-Capital, left out of the regressions"),
        number("survey.factors.n_left_out_missing", in_regions.sum() - n, style="count",
               title="PCSWs of Flanders and Wallonia left out for a missing attitude item"),
        *[result for practice in KEY_PRACTICES for result in _odds_ratio(models, practice)],
        table("survey.factors.table", _factors_table(models),
              title="Logistic regressions of two key practices: odds ratios", note=_not_estimable_note(models)),
        chart("survey.factors.chart", _factors_chart(models), alt=_factors_alt(models),
              title="Attitudes, region, size and caseload and two key practices"),
    ]


def _odds_ratio(models: pd.DataFrame, practice: str) -> list[Result]:
    """The odds ratio of the attitude scale for ``practice`` (NaN, read "not estimable", where the model cannot be
    estimated), and the phrase the prose prints: the odds ratio with its interval and p value, or why there is none."""
    row = models.set_index(["practice", "predictor"]).loc[(practice, "conditionality_z")]
    short, title = practice.removeprefix("rights_"), practice_names()[0][practice]
    numbers = [
        number(f"survey.factors.{short}.or", row["odds_ratio"], decimals=2,
               title=f"Odds ratio of '{title}' per SD of support for conditional aid"),
        number(f"survey.factors.{short}.or_low", row["ci_low"], decimals=2, title="Lower 95% bound"),
        number(f"survey.factors.{short}.or_high", row["ci_high"], decimals=2, title="Upper 95% bound"),
        number(f"survey.factors.{short}.p", row["p"], style="p", title="p-value"),
    ]
    shown = dict(zip(("or", "low", "high", "p"), (result.formatted() for result in numbers)))
    phrase = i18n.text(f"survey.factors.estimate.{row['not_estimable'] or 'estimable'}", **shown,
                       min=len(compute.PREDICTORS) + 1)
    return [*numbers, text(f"survey.factors.{short}.estimate", phrase, title=i18n.text("survey.factors.estimate"))]


def _reasons(models: pd.DataFrame) -> dict[str, str]:
    """Practice title -> why its model is not estimable, for the models that are not."""
    left_out = models[models["not_estimable"] != ""].drop_duplicates("practice")
    return {practice_names()[0][row.practice]: i18n.text(f"survey.factors.estimate.{row.not_estimable}",
                                                         min=len(compute.PREDICTORS) + 1)
            for row in left_out.itertuples()}


def _not_estimable_note(models: pd.DataFrame) -> str:
    return " ".join(f"'{title}': {reason}." for title, reason in _reasons(models).items())


def _factors_table(models: pd.DataFrame) -> pd.DataFrame:
    """One row per practice and predictor; a model that is not estimable says so in each of its cells (the note
    says why)."""
    titles, missing = practice_names()[0], i18n.text("not_estimable_number")
    estimated = models["not_estimable"] == ""
    return pd.DataFrame({
        "Practice": models["practice"].map(titles), "Predictor": models["predictor"].map(PREDICTORS),
        "Odds ratio": [fmt(v, 2) if ok else missing for v, ok in zip(models["odds_ratio"], estimated)],
        "95% CI": [f"{fmt(lo, 2)}–{fmt(hi, 2)}" if ok else missing
                   for lo, hi, ok in zip(models["ci_low"], models["ci_high"], estimated)],
        "p": [p_cell(p) if ok else missing for p, ok in zip(models["p"], estimated)],
    })


def _factors_plot(models: pd.DataFrame) -> pd.DataFrame:
    """The estimated models' odds ratios (a model that is not estimable is left out)."""
    titles = practice_names()[0]
    estimated = models[models["not_estimable"] == ""].drop(columns="not_estimable")
    return estimated.assign(Practice=estimated["practice"].map(titles), Predictor=estimated["predictor"].map(PREDICTORS))


def _factors_chart(models: pd.DataFrame):
    estimated = models.loc[models["not_estimable"] == "", "practice"].unique()
    practices = [practice_names()[0][p] for p in KEY_PRACTICES if p in estimated]  # the legend names those shown
    x = alt.X("odds_ratio:Q", scale=alt.Scale(type="log"), title="Odds ratio (95% CI, log scale)")
    y = alt.Y("Predictor:N", sort=list(PREDICTORS.values()), title=None)
    colour = alt.Color("Practice:N", scale=alt.Scale(domain=practices),
                       legend=alt.Legend(orient="bottom", columns=1, labelLimit=0))
    offset = alt.YOffset("Practice:N", scale=alt.Scale(domain=practices))
    base = alt.Chart(_factors_plot(models))
    spec = alt.layer(
        base.mark_rule(strokeWidth=2).encode(x=alt.X("ci_low:Q", scale=alt.Scale(type="log")), x2="ci_high:Q", y=y,
                                             yOffset=offset, color=colour),
        base.mark_point(filled=True, size=60).encode(
            x=x, y=y, yOffset=offset, color=colour,
            tooltip=["Practice", "Predictor", alt.Tooltip("odds_ratio:Q", format=".2f"),
                     alt.Tooltip("ci_low:Q", format=".2f"), alt.Tooltip("ci_high:Q", format=".2f")]),
        alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(strokeDash=[4, 4], color="#777").encode(x="one:Q"),
    )
    return localised(spec, "en")


def _factors_alt(models: pd.DataFrame) -> str:
    plot = _factors_plot(models)
    left_out = "".join(f" The model of '{title}' is left out: {reason}." for title, reason in _reasons(models).items())
    if plot.empty:
        return f"No odds ratios are shown: no model of the key practices can be estimated.{left_out}"
    strongest = plot.loc[(np.log(plot["odds_ratio"])).abs().idxmax()]
    count = plot["practice"].nunique()
    return (f"Odds ratios with 95% confidence intervals of {len(PREDICTORS)} predictors for "
            f"{count} practice{'s' if count > 1 else ''}; the furthest from 1 is {strongest['Predictor']} for "
            f"'{strongest['Practice']}' (odds ratio {strongest['odds_ratio']:.2f}).{left_out}")
