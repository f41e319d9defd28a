"""The survey's results as a reader sees them: titles, labels, formatted tables, charts and their text alternatives.

The functions for the results the short editions show take the reader's language (``lang``): every word comes
from ``analysis/i18n/<lang>.yml`` (keys ``survey.…``) or the codebook's labels, every number is
formatted by :mod:`analysis.i18n`. The repertoire and the factors are shown in the English book only.
"""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd

from analysis.data.codebook import codebook
from analysis import i18n
from analysis.publication.charts import localised
from analysis.results.registry import Result, chart, number, table, text
from analysis.study.survey import compute
from analysis.study.survey.compute import CERTAINTY_THRESHOLD, KEY_PRACTICES, MAX_CLASSES, N_STARTS, PRACTICE_BLOCKS
from analysis.study.survey.typology import ENGLISH, class_label, lowered


def words(key: str, lang: str, **values) -> str:
    """A fixed string of the survey in ``lang`` (``survey.<key>`` in the language's strings)."""
    return i18n.text(f"survey.{key}", lang, **values)


def field_name(text: str) -> str:
    """A label usable as a chart's field name (shown in tooltips and the data download): Vega-Lite reads ``'``,
    ``"``, ``.`` and brackets in a field name as an access path, so the apostrophe becomes the typographic one
    ("OCMW’s") and the others go."""
    return re.sub(r"[.\[\]\"\\]", "", text.replace("'", "\u2019"))


def _fmt(value: float, decimals: int = 1, lang: str = "en") -> str:
    return i18n.decimal(value, decimals, lang)


def _pct(share: float, lang: str = "en") -> str:
    return i18n.percent(share, 1, lang)


def _p_cell(p: float) -> str:
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
        words("response.rate", lang): [_pct(r, lang) for r in by_region["rate"]]
        + [_pct(total["respondents"] / total["frame"], lang)],
        words("response.column.expected", lang): [_fmt(e, 1, lang) for e in by_region["expected"]]
        + [_fmt(total["respondents"], 1, lang)],
    })


# --- Repertoire (English) ---------------------------------------------------------------------------------

def repertoire(items: pd.DataFrame, shares: pd.DataFrame, p_values: pd.Series) -> list[Result]:
    """The repertoire's numbers, one table per block and the chart of how common each practice is."""
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
        *_repertoire_tables(items, shares, p_values),
        chart("survey.repertoire.chart", _repertoire_chart(shares), title="The repertoire of practices towards newcomers",
              alt=_repertoire_alt(items, shares)),
    ]


def _practices() -> tuple[dict[str, str], dict[str, str]]:
    """Each practice item's English title and its block."""
    fields = compute.practice_fields()
    return {f.name: f.title() for f in fields}, {f.name: f.block for f in fields}


def _repertoire_tables(items: pd.DataFrame, shares: pd.DataFrame, p_values: pd.Series) -> list[Result]:
    # One table per block (practices in codebook order): short tables wrap their text on a printed page.
    titles, blocks = _practices()
    labels = region_labels()
    regions = [r for r in labels if r in shares.columns]
    tables = []
    for block in PRACTICE_BLOCKS:
        rows = [i for i in items.columns if blocks[i] == block]
        shown = pd.DataFrame({
            "Practice": [titles[i] for i in rows],
            "All PCSWs": [_pct(shares.at[i, "overall"]) for i in rows],
            **{labels[r]: [_pct(shares.at[i, r]) for i in rows] for r in regions},
            "p, regions differ": [_p_cell(p_values[i]) for i in rows],
        })
        tables.append(table(f"survey.repertoire.table.{block}", shown,
                            title=f"Practices of the {block} block: share of responding PCSWs, overall and by region"))
    return tables


def _repertoire_chart(shares: pd.DataFrame):
    titles, blocks = _practices()
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
    dots = alt.Chart(long).mark_point(filled=True, size=55).encode(
        x=x, y=y, color=alt.Color("Region:N", scale=alt.Scale(domain=[labels[r] for r in regions])),
        shape=alt.Shape("Region:N", scale=alt.Scale(domain=[labels[r] for r in regions])),
        tooltip=["Practice", "Region", alt.Tooltip("share:Q", format=".1%")])
    return localised(bars + dots, "en")


def _repertoire_alt(items: pd.DataFrame, shares: pd.DataFrame) -> str:
    titles, _ = _practices()
    top, bottom = shares["overall"].idxmax(), shares["overall"].idxmin()
    return (f"Bar chart of the share of responding PCSWs with each of {len(items.columns)} practices, with a "
            f"point per region; most common: {titles[top]} ({_pct(shares.at[top, 'overall'])}), least common: "
            f"{titles[bottom]} ({_pct(shares.at[bottom, 'overall'])}).")


# --- Typology ---------------------------------------------------------------------------------------------

def class_labels(descriptions: dict, lang: str = "en") -> dict[int, str]:
    """Each class's label in ``lang``, from its :class:`~analysis.study.survey.typology.ClassDescription`
    (``survey.type.*``, naming blocks as ``survey.type_block.*``): one label per type and language, the same in
    the tables, the charts and the short editions' sentences."""
    phrases = {key: i18n.text(f"survey.type.{key}", lang) for key in ENGLISH}
    blocks = {block: i18n.text(f"survey.type_block.{block}", lang) for block in PRACTICE_BLOCKS}
    titles = {f.name: f.title(lang) for f in compute.practice_fields()}
    return {c: class_label(d, titles, phrases, blocks) for c, d in descriptions.items()}


def type_names(labels: dict[int, str]) -> dict[int, str]:
    """Class number → the name shown in the survey's tables and charts ("2. high on …")."""
    return {c: f"{c}. {label}" for c, label in sorted(labels.items())}


# Published numbers of the typology: (name in compute.model_choice, style, decimals).
CHOICE_NUMBERS = (("n_classes", "count", None), ("n_units", "count", None), ("n_classes_aic", "count", None),
                  ("n_classes_sabic", "count", None), ("bic", "decimal", 1), ("n_classes_runner_up", "count", None),
                  ("bic_runner_up", "decimal", 1), ("entropy", "decimal", 2), ("smallest_share", "share", None),
                  ("largest_share", "share", None), ("certainty_mean", "decimal", 2), ("uncertain", "share", None))


def typology(selection, descriptions: dict, lang: str = "en") -> list[Result]:
    """The typology's numbers, fit table, class sizes and profiles (table and chart)."""
    model, names = selection.best_by_bic, type_names(class_labels(descriptions, lang))
    choice = compute.model_choice(selection)
    threshold = _fmt(CERTAINTY_THRESHOLD, 1, lang)
    return [
        *[number(f"survey.typology.{name}", choice[name], style=style, decimals=decimals,
                 title=words(f"typology.{name}", lang, threshold=threshold)) for name, style, decimals in CHOICE_NUMBERS],
        *_typology_sentences(choice, lang),
        number("survey.typology.max_classes", MAX_CLASSES, style="count", title=words("typology.max_classes", lang)),
        number("survey.typology.n_starts", N_STARTS, style="count", title=words("typology.n_starts", lang)),
        number("survey.typology.certainty_threshold", CERTAINTY_THRESHOLD, decimals=1,
               title=words("typology.certainty_threshold", lang)),
        table("survey.typology.fit_table", _fit_table(selection, lang),
              title=words("typology.fit_table", lang, max=MAX_CLASSES)),
        table("survey.typology.sizes", _sizes_table(model, names, lang), title=words("typology.sizes", lang)),
        table("survey.typology.profiles", _profiles_table(model, names, lang), title=words("typology.profiles", lang)),
        chart("survey.typology.profiles_chart", _profiles_chart(model, names, lang),
              title=words("typology.profiles_chart", lang), alt=_profiles_alt(model, names, lang)),
    ]


def _typology_sentences(choice: dict, lang: str) -> list[Result]:
    """What the prose says of the chosen model, in the form its number of classes takes: with one class there are
    no types, no entropy and no smallest class to report ("1 types" would be wrong, and the entropy undefined)."""
    form = "one" if choice["n_classes"] == 1 else "several"
    values = {"n": i18n.decimal(choice["n_classes"], 0, lang), "bic": _fmt(choice["bic"], 1, lang),
              "entropy": _fmt(choice["entropy"], 2, lang) if form == "several" else "",
              "smallest": i18n.percent(choice["smallest_share"], 1, lang),
              "largest": i18n.percent(choice["largest_share"], 1, lang)}
    return [text(f"survey.typology.{name}", words(f"typology.{name}.{form}", lang, **values),
                 title=words(f"typology.{name}", lang)) for name in ("finding", "choice", "check")]


def _fit_table(selection, lang: str) -> pd.DataFrame:
    fits, chosen = selection.table, selection.best_by_bic.n_classes
    column = {name: words(f"typology.column.{name}", lang) for name in
              ("classes", "loglik", "parameters", "aic", "bic", "sabic", "entropy", "smallest")}
    frame = pd.DataFrame({
        column["classes"]: [str(k) for k in fits.index],
        column["loglik"]: [_fmt(v, 1, lang) for v in fits["loglik"]],
        column["parameters"]: [str(int(v)) for v in fits["n_parameters"]],
        column["aic"]: [_fmt(v, 1, lang) for v in fits["aic"]],
        column["bic"]: [_fmt(v, 1, lang) for v in fits["bic"]],
        column["sabic"]: [_fmt(v, 1, lang) for v in fits["sabic"]],
        column["entropy"]: ["–" if np.isnan(v) else _fmt(v, 2, lang) for v in fits["entropy"]],
        column["smallest"]: [_pct(v, lang) for v in fits["smallest_share"]],
    })
    # The chosen model in bold: a flag the page turns into emphasis, not markup inside the data.
    row = list(fits.index).index(chosen)
    frame.attrs["strong_cells"] = [(row, column["classes"]), (row, column["bic"])]
    return frame


def _sizes_table(model, names: dict[int, str], lang: str) -> pd.DataFrame:
    sizes = compute.class_sizes(model)
    return pd.DataFrame({
        words("typology.column.class", lang): [names[c] for c in sizes.index],
        words("typology.column.share", lang): [_pct(v, lang) for v in sizes["share"]],
        words("typology.column.n_modal", lang): [int(v) for v in sizes["n_modal"]],
        words("typology.column.certainty", lang): [_fmt(v, 2, lang) for v in sizes["certainty"]],
    })


def _practice_titles(lang: str) -> dict[str, str]:
    return {f.name: f.title(lang) for f in compute.practice_fields()}


def _profiles_table(model, names: dict[int, str], lang: str) -> pd.DataFrame:
    profiles, titles = model.item_probabilities.rename(columns=names), _practice_titles(lang)
    return pd.DataFrame({words("typology.column.practice", lang): [titles[i] for i in profiles.index],
                         **{name: [_fmt(v, 2, lang) for v in profiles[name]] for name in profiles.columns}})


def _wrap(text: str, width: int = 16) -> str:
    """``text`` broken into lines of about ``width`` characters, joined by "|" (split again by the chart's axis)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "|".join([*lines, line])


ROW_LABEL_WIDTH = 48  # characters per line of a practice's name in the profile chart


def _profiles_chart(model, names: dict[int, str], lang: str):
    titles = _practice_titles(lang)
    field = {name: field_name(words(f"chart.{name}", lang)) for name in ("class", "block", "practice")}
    blocks = {f.name: words(f"block.{f.block}", lang) for f in compute.practice_fields()}
    long = (model.item_probabilities.rename(columns=names).rename_axis("item").reset_index()
            .melt(id_vars="item", var_name=field["class"], value_name="p"))
    long[field["practice"]] = long["item"].map(titles)
    long[field["block"]] = long["item"].map(blocks)
    # Class names broken into short lines ("|"), so that the column headings stay horizontal and readable.
    long["Heading"] = long[field["class"]].map({name: _wrap(name) for name in names.values()})
    # Practices on at most two lines, so that no row label is cut off in print ("…") or widens the chart.
    long["Row"] = long[field["practice"]].map(lambda title: _wrap(title, ROW_LABEL_WIDTH))
    lines = alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=0, labelLineHeight=12, labelBaseline="middle")
    base = alt.Chart(long).encode(
        x=alt.X("Heading:N", sort=[_wrap(n) for n in names.values()], title=None,
                axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, '|')", labelLimit=0)),
        y=alt.Y("Row:N", sort=[_wrap(titles[i], ROW_LABEL_WIDTH) for i in model.item_probabilities.index], title=None,
                axis=lines))
    heat = base.mark_rect().encode(
        color=alt.Color("p:Q", title=words("typology.colour", lang), scale=alt.Scale(scheme="blues", domain=[0, 1])),
        tooltip=[field["class"], field["block"], field["practice"], alt.Tooltip("p:Q", format=".2f")])
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("p:Q", format=".2f"),
        color=alt.condition(alt.datum.p > 0.6, alt.value("white"), alt.value("black")))
    spec = (heat + text).properties(width=120 * model.n_classes, height=alt.Step(28))  # two lines a row
    return localised(spec, lang)


def _profiles_alt(model, names: dict[int, str], lang: str) -> str:
    profiles, titles = model.item_probabilities, _practice_titles(lang)
    if model.n_classes == 1:  # nothing to compare between classes
        return words("typology.alt_one", lang, n=len(profiles), classes=names[1])
    widest = (profiles.max(axis=1) - profiles.min(axis=1)).idxmax()
    return words("typology.alt", lang, n=len(profiles), k=model.n_classes, classes=i18n.text("semicolon", lang).join(names.values()),
                 practice=titles[widest], low=_fmt(profiles.loc[widest].min(), 2, lang),
                 high=_fmt(profiles.loc[widest].max(), 2, lang))


# --- Who belongs to which type ------------------------------------------------------------------------------

MEMBERSHIP_TESTS = (("chi2", "decimal", 1), ("dof", "count", None), ("p", "p", None), ("cramer", "decimal", 2),
                    ("min_expected", "decimal", 1))


def membership_results(key: str, variable: str, test: dict, shares_table: pd.DataFrame, lang: str) -> list[Result]:
    """The test of type by ``variable`` (published under ``survey.membership.<key>``) and its table."""
    by = words(f"membership.by.{key}", lang)
    group = lowered(codebook()["survey"].field(variable).title(lang))
    return [*[number(f"survey.membership.{key}.{name}", test[name], style=style, decimals=decimals,
                     title=words(f"membership.{name}", lang, variable=by)) for name, style, decimals in MEMBERSHIP_TESTS],
            table(f"survey.membership.{key}.table", shares_table, title=words("membership.table", lang, group=group))]


def type_shares_table(survey: pd.DataFrame, types: pd.DataFrame, variable: str, lang: str = "en") -> pd.DataFrame:
    """The published table of types by ``variable`` (region or size_band): PCSWs per group and row percentages.

    ``types`` holds each PCSW's ``class`` and its ``type`` label in ``lang`` (as ``typology_membership`` gives them
    in English). Also read by the case chapter's disclosure audit (the case tables are linked to it)."""
    field = codebook()["survey"].field(variable)
    labels = field.labels(lang)
    named = type_names(dict(zip(types["class"], types["type"])))
    groups = survey[variable].map(labels)
    shares = compute.type_shares(groups, types["class"]).reindex(
        index=[labels[c] for c in field.codes if labels[c] in set(groups)])
    counts = groups.value_counts()
    return pd.DataFrame({field.title(lang): shares.index,
                         words("membership.column.pcsws", lang): [int(counts[g]) for g in shares.index],
                         **{named[c]: [_pct(v, lang) for v in shares[c]] for c in shares.columns}})


def membership_chart(survey: pd.DataFrame, types: pd.DataFrame, lang: str = "en") -> Result:
    """The stacked bars of the types of PCSW in each region."""
    field, named = codebook()["survey"].field("region"), type_names(dict(zip(types["class"], types["type"])))
    region, kind, share = (field_name(text) for text in (field.title(lang), words("chart.type", lang),
                                                          words("chart.share", lang)))
    labels = field.labels(lang)
    long = (compute.type_shares(survey["region"].map(labels), types["class"]).rename(columns=named).sort_index()
            .rename_axis(index=region, columns=kind).stack().rename(share).reset_index())
    spec = alt.Chart(long).mark_bar().encode(
        y=alt.Y(f"{region}:N", title=None, sort=[labels[c] for c in field.codes]),
        x=alt.X(f"{share}:Q", stack="normalize", title=words("chart.share_axis", lang), axis=alt.Axis(format="%")),
        color=alt.Color(f"{kind}:N", sort=list(named.values()), legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)),
        order=alt.Order(f"{kind}:N"),
        tooltip=[region, kind, alt.Tooltip(f"{share}:Q", format=".1%")])
    most = long.loc[long[share].idxmax()]
    alt_text = (words("membership.alt_one", lang, type=most[kind]) if len(named) == 1 else
                words("membership.alt", lang, k=len(named), type=most[kind], region=most[region],
                      share=_pct(most[share], lang)))
    return chart("survey.membership.region.chart", localised(spec, lang), title=words("membership.chart", lang),
                 alt=alt_text)


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
              title="Logistic regressions of two key practices: odds ratios"),
        chart("survey.factors.chart", _factors_chart(models), alt=_factors_alt(models),
              title="Attitudes, region, size and caseload and two key practices"),
    ]


def _odds_ratio(models: pd.DataFrame, practice: str) -> list[Result]:
    row = models.set_index(["practice", "predictor"]).loc[(practice, "conditionality_z")]
    short, title = practice.removeprefix("rights_"), _practices()[0][practice]
    return [
        number(f"survey.factors.{short}.or", row["odds_ratio"], decimals=2,
               title=f"Odds ratio of '{title}' per SD of support for conditional aid"),
        number(f"survey.factors.{short}.or_low", row["ci_low"], decimals=2, title="Lower 95% bound"),
        number(f"survey.factors.{short}.or_high", row["ci_high"], decimals=2, title="Upper 95% bound"),
        number(f"survey.factors.{short}.p", row["p"], style="p", title="p-value"),
    ]


def _factors_table(models: pd.DataFrame) -> pd.DataFrame:
    titles = _practices()[0]
    return pd.DataFrame({
        "Practice": models["practice"].map(titles), "Predictor": models["predictor"].map(PREDICTORS),
        "Odds ratio": [_fmt(v, 2) for v in models["odds_ratio"]],
        "95% CI": [f"{_fmt(lo, 2)}–{_fmt(hi, 2)}" for lo, hi in zip(models["ci_low"], models["ci_high"])],
        "p": [_p_cell(p) for p in models["p"]],
    })


def _factors_plot(models: pd.DataFrame) -> pd.DataFrame:
    titles = _practices()[0]
    return models.assign(Practice=models["practice"].map(titles), Predictor=models["predictor"].map(PREDICTORS))


def _factors_chart(models: pd.DataFrame):
    practices = [_practices()[0][p] for p in KEY_PRACTICES]
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
    strongest = plot.loc[(np.log(plot["odds_ratio"])).abs().idxmax()]
    return (f"Odds ratios with 95% confidence intervals of {len(PREDICTORS)} predictors for {len(KEY_PRACTICES)} "
            f"practices; the furthest from 1 is {strongest['Predictor']} for '{strongest['Practice']}' "
            f"(odds ratio {strongest['odds_ratio']:.2f}).")
