"""The typology as a reader sees it: each type's label in each language, the model choice in numbers and
sentences, the fit table, the class sizes, the profiles as a table and a chart with its text alternative, and who
belongs to which type (by region and by size, with the association tests)."""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd

from analysis import i18n
from analysis.charts import localised
from analysis.data.codebook import codebook
from analysis.producers import Result, chart, number, table, text
from analysis.study.survey import compute
from analysis.study.survey.compute import CERTAINTY_THRESHOLD, MAX_CLASSES, N_STARTS, PRACTICE_BLOCKS
from analysis.study.survey.present import field_name, fmt, pct, words
from analysis.study.survey.typology import ENGLISH, class_label, lowered


# --- Typology ---------------------------------------------------------------------------------------------

def class_labels(descriptions: dict, lang: str = "en") -> dict[int, str]:
    """Each class's label in ``lang``, from its :class:`~analysis.study.survey.typology.ClassDescription`
    (``survey.type.*``, naming blocks as ``survey.type_block.*`` and practices by their short names
    ``survey.type_item.*``): a short noun phrase, one label per type and language, the same in the tables, the
    charts and the short editions' sentences (French elides "de" where a phrase puts it before a vowel)."""
    phrases = {key: i18n.text(f"survey.type.{key}", lang) for key in ENGLISH}
    blocks = {block: i18n.text(f"survey.type_block.{block}", lang) for block in PRACTICE_BLOCKS}
    titles = {f.name: i18n.text(f"survey.type_item.{f.name}", lang) for f in compute.practice_fields()}
    return {c: i18n.elided(class_label(d, titles, phrases, blocks), lang) for c, d in descriptions.items()}


def type_names(labels: dict[int, str]) -> dict[int, str]:
    """Class number → the name shown in the survey's tables and charts ("2. broad …")."""
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
    threshold = fmt(CERTAINTY_THRESHOLD, 1, lang)
    return [
        *[number(f"survey.typology.{name}", choice[name], style=style, decimals=decimals,
                 title=words(f"typology.{name}", lang, threshold=threshold)) for name, style, decimals in CHOICE_NUMBERS],
        *_typology_sentences(choice, lang),
        text("survey.typology.most_common", class_labels(descriptions, lang)[1],
             title=words("typology.most_common", lang)),
        number("survey.typology.max_classes", MAX_CLASSES, style="count", title=words("typology.max_classes", lang)),
        number("survey.typology.n_starts", N_STARTS, style="count", title=words("typology.n_starts", lang)),
        number("survey.typology.certainty_threshold", CERTAINTY_THRESHOLD, decimals=1,
               title=words("typology.certainty_threshold", lang)),
        table("survey.typology.fit_table", _fit_table(selection, lang),
              title=words("typology.fit_table", lang, max=MAX_CLASSES)),
        table("survey.typology.sizes", _sizes_table(model, names, lang), title=words("typology.sizes", lang),
              note=words("typology.sizes_note", lang)),
        table("survey.typology.profiles", _profiles_table(model, names, lang), title=words("typology.profiles", lang)),
        chart("survey.typology.profiles_chart", _profiles_chart(model, names, lang),
              title=words("typology.profiles_chart", lang), alt=_profiles_alt(model, names, lang)),
    ]


def _typology_sentences(choice: dict, lang: str) -> list[Result]:
    """What the prose says of the chosen model, in the form its number of classes takes: with one class there are
    no types, no entropy and no smallest class to report ("1 types" would be wrong, and the entropy undefined)."""
    form = "one" if choice["n_classes"] == 1 else "several"
    values = {"n": i18n.in_words(choice["n_classes"], lang), "bic": fmt(choice["bic"], 1, lang),
              "entropy": fmt(choice["entropy"], 2, lang) if form == "several" else "",
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
        column["loglik"]: [fmt(v, 1, lang) for v in fits["loglik"]],
        column["parameters"]: [str(int(v)) for v in fits["n_parameters"]],
        column["aic"]: [fmt(v, 1, lang) for v in fits["aic"]],
        column["bic"]: [fmt(v, 1, lang) for v in fits["bic"]],
        column["sabic"]: [fmt(v, 1, lang) for v in fits["sabic"]],
        column["entropy"]: ["–" if np.isnan(v) else fmt(v, 2, lang) for v in fits["entropy"]],
        column["smallest"]: [pct(v, lang) for v in fits["smallest_share"]],
    })
    # The chosen model in bold: a flag the page turns into emphasis, not markup inside the data.
    row = list(fits.index).index(chosen)
    frame.attrs["strong_cells"] = [(row, column["classes"]), (row, column["bic"])]
    return frame


def _sizes_table(model, names: dict[int, str], lang: str) -> pd.DataFrame:
    sizes = compute.class_sizes(model)
    return pd.DataFrame({
        words("typology.column.class", lang): [names[c] for c in sizes.index],
        words("typology.column.share", lang): [pct(v, lang) for v in sizes["share"]],
        words("typology.column.n_modal", lang): [int(v) for v in sizes["n_modal"]],
        words("typology.column.certainty", lang): [fmt(v, 2, lang) for v in sizes["certainty"]],
    })


def _practice_titles(lang: str) -> dict[str, str]:
    return {f.name: f.title(lang) for f in compute.practice_fields()}


def _profiles_table(model, names: dict[int, str], lang: str) -> pd.DataFrame:
    profiles, titles = model.item_probabilities.rename(columns=names), _practice_titles(lang)
    return pd.DataFrame({words("typology.column.practice", lang): [titles[i] for i in profiles.index],
                         **{name: [fmt(v, 2, lang) for v in profiles[name]] for name in profiles.columns}})


def _wrap(text: str, width: int = 16) -> str:
    """``text`` broken into lines of about ``width`` characters, joined by "|" (split again by the chart's axis); a
    type's number stays with the word after it ("3. accompagnement", never "3." alone on a line)."""
    lines, line = [], ""
    for word in filter(None, re.sub(r"^(\d+\.) ", "\\1\u00a0", text).split(" ")):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "|".join([*lines, line])


ROW_LABEL_WIDTH = 48  # characters per line of a practice's name in the profile chart
LEGEND_WIDTH = 80  # characters per line of a type’s name in the legend of the chart by region (two lines at most)
HEADING_WIDTH = 15  # characters per line of a type's name over its column (105 px, at 10 px a character is 6–7 px)


def _profiles_chart(model, names: dict[int, str], lang: str):
    titles = _practice_titles(lang)
    field = {name: field_name(words(f"chart.{name}", lang)) for name in ("class", "block", "practice")}
    blocks = {f.name: words(f"block.{f.block}", lang) for f in compute.practice_fields()}
    long = (model.item_probabilities.rename(columns=names).rename_axis("item").reset_index()
            .melt(id_vars="item", var_name=field["class"], value_name="p"))
    long[field["practice"]] = long["item"].map(titles)
    long[field["block"]] = long["item"].map(blocks)
    # Class names broken into short lines ("|"), so that the column headings stay horizontal and readable.
    long["Heading"] = long[field["class"]].map({name: _wrap(name, HEADING_WIDTH) for name in names.values()})
    # Practices on at most two lines, so that no row label is cut off in print ("…") or widens the chart.
    long["Row"] = long[field["practice"]].map(lambda title: _wrap(title, ROW_LABEL_WIDTH))
    lines = alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=0, labelLineHeight=12, labelBaseline="middle")
    base = alt.Chart(long).encode(
        x=alt.X("Heading:N", sort=[_wrap(n, HEADING_WIDTH) for n in names.values()], title=None,
                axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, '|')", labelLimit=0, labelFontSize=10)),
        y=alt.Y("Row:N", sort=[_wrap(titles[i], ROW_LABEL_WIDTH) for i in model.item_probabilities.index], title=None,
                axis=lines))
    heat = base.mark_rect().encode(
        color=alt.Color("p:Q", title=words("typology.colour", lang), scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(orient="bottom", direction="horizontal", titleLimit=360)),  # under it: a narrower chart; the title says whose probability
        tooltip=[field["class"], field["block"], field["practice"],
                 alt.Tooltip("p:Q", format=".2f", title=words("typology.colour", lang))])
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("p:Q", format=".2f"),
        color=alt.condition(alt.datum.p > 0.6, alt.value("white"), alt.value("black")))
    # two lines a row; narrow enough that, shrunk to the printed page's column, its text stays legible (6 pt or more,
    # analysis/publication/chart_layout.py)
    spec = (heat + text).properties(width=105 * model.n_classes, height=alt.Step(27))
    return localised(spec, lang)


def _profiles_alt(model, names: dict[int, str], lang: str) -> str:
    profiles, titles = model.item_probabilities, _practice_titles(lang)
    if model.n_classes == 1:  # nothing to compare between classes
        return words("typology.alt_one", lang, n=i18n.in_words(len(profiles), lang), classes=names[1])
    widest = (profiles.max(axis=1) - profiles.min(axis=1)).idxmax()
    return words("typology.alt", lang, n=i18n.in_words(len(profiles), lang), k=i18n.in_words(model.n_classes, lang), classes=i18n.text("semicolon", lang).join(names.values()),
                 practice=titles[widest], low=fmt(profiles.loc[widest].min(), 2, lang),
                 high=fmt(profiles.loc[widest].max(), 2, lang))


# --- Who belongs to which type ------------------------------------------------------------------------------

MEMBERSHIP_TESTS = (("chi2", "decimal", 1), ("dof", "count", None), ("p", "p", None), ("p_mc", "p", None),
                    ("cramer", "decimal", 2), ("min_expected", "decimal", 1))


def membership_results(key: str, variable: str, test: dict, shares_table: pd.DataFrame, lang: str) -> list[Result]:
    """The test of type by ``variable`` (published under ``survey.membership.<key>``) and its table."""
    by = words(f"membership.by.{key}", lang)
    group = lowered(codebook()["survey"].field(variable).title(lang))
    return [*[number(f"survey.membership.{key}.{name}", test[name], style=style, decimals=decimals,
                     title=words(f"membership.{name}", lang, variable=by,
                                 permutations=i18n.decimal(compute.PERMUTATIONS, 0, lang)))
              for name, style, decimals in MEMBERSHIP_TESTS],
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
                         **{named[c]: [pct(v, lang) for v in shares[c]] for c in shares.columns}})


def membership_chart(survey: pd.DataFrame, types: pd.DataFrame, lang: str = "en") -> Result:
    """The stacked bars of the types of PCSW in each region."""
    field, named = codebook()["survey"].field("region"), type_names(dict(zip(types["class"], types["type"])))
    region, kind, share = (field_name(text) for text in (field.title(lang), words("chart.type", lang),
                                                          words("chart.share", lang)))
    labels = field.labels(lang)
    long = (compute.type_shares(survey["region"].map(labels), types["class"]).rename(columns=named).sort_index()
            .rename_axis(index=region, columns=kind).stack().rename(share).reset_index())
    # each type's name broken into lines under the chart, so long names do not widen it past the printed column
    long["legend"] = long[kind].map(lambda name: _wrap(name, LEGEND_WIDTH))
    spec = alt.Chart(long).mark_bar().encode(
        y=alt.Y(f"{region}:N", title=None, sort=[labels[c] for c in field.codes]),
        x=alt.X(f"{share}:Q", stack="normalize", title=words("chart.share_axis", lang), axis=alt.Axis(format="%")),
        color=alt.Color("legend:N", title=kind, sort=[_wrap(name, LEGEND_WIDTH) for name in named.values()],
                        legend=alt.Legend(orient="bottom", columns=1, labelLimit=0, rowPadding=16,
                                          labelExpr="split(datum.label, '|')")),  # room for a second line
        order=alt.Order(f"{kind}:N"),
        tooltip=[region, kind, alt.Tooltip(f"{share}:Q", format=".1%")])
    most = long.loc[long[share].idxmax()]
    alt_text = (words("membership.alt_one", lang, type=most[kind]) if len(named) == 1 else
                words("membership.alt", lang, k=i18n.in_words(len(named), lang), type=most[kind], region=most[region],
                      share=pct(most[share], lang)))
    return chart("survey.membership.region.chart", localised(spec, lang), title=words("membership.chart", lang),
                 alt=alt_text)
