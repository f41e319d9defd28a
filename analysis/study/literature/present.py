"""The overview of the bibliography and the glossary, presented in the reader's language: labels, tables,
charts and their text alternatives. The words are ``literature.*`` in ``analysis/i18n/<lang>.yml``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.data.codebook import codebook
from analysis import i18n
from analysis.charts import localised
from analysis.producers import Result, chart, number
from analysis.study.literature.bibliography import THEMES, TYPES
from analysis.study.literature.compute import ALL


def words(key: str, lang: str, **values) -> str:
    return i18n.text(f"literature.{key}", lang, **values)


def decade_label(decade, lang: str) -> str:
    return words("undated", lang) if pd.isna(decade) else words("decade", lang, decade=int(decade))


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Entries (or entries by theme) with their decade as words and the labels of type (and theme) added."""
    shown = frame.assign(decade=[decade_label(d, lang) for d in frame["decade"]],
                         type_label=[words(f"type.{t}", lang) for t in frame["type"]])
    if "theme" in shown.columns:
        shown["theme_label"] = [words(f"theme.{t}", lang) for t in shown["theme"]]
    return shown


def count_table(counts: pd.DataFrame, stub: str, row_labels: list[str], lang: str) -> pd.DataFrame:
    """A count table of :func:`..compute.count_table` with its rows, types and total named."""
    shown = counts.set_axis(row_labels).rename(columns={**{t: words(f"type.{t}", lang) for t in TYPES},
                                                       ALL: words("header.all_types", lang)})
    shown = shown.rename_axis(words(f"header.{stub}", lang)).reset_index()
    shown.columns.name = None
    return shown


def numbers(values: dict, theme_counts: pd.Series, lang: str) -> list[Result]:
    """The glued counts of the overview, titled in ``lang``."""
    styles = {"entries": "count", "themes": "count", "multi_theme": "count", "with_doi": "share",
              "first_year": "year", "last_year": "year", "undated": "count"}
    shown = [number(f"literature.overview.{name}", values[name], style=style, title=words(f"title.{name}", lang))
             for name, style in styles.items()]
    return shown + [number(f"literature.overview.theme.{theme.replace('-', '_')}", count, style="count",
                           title=words(f"title.theme.{theme}", lang)) for theme, count in theme_counts.items()]


def _counted(counts: pd.Series, labels: list[str], lang: str) -> str:
    """The counts as a text alternative lists them ("label: n; label: n"), punctuated as ``lang`` punctuates."""
    items = [words("alt.item", lang, label=label, n=n) for label, n in zip(labels, counts)]
    return words("alt.separator", lang).join(items)


def _references_chart(chart_key: str, frame: pd.DataFrame, category: tuple[str, str, list[str]], horizontal: bool,
                      counts: pd.Series, lang: str) -> Result:
    """References per category, coloured by type: bars along the category (``category``: its field, its name and
    its order), horizontal or upright; the text alternative lists the count of each category."""
    field, header, order = category
    kind, axis = words("header.type", lang), words("axis.references", lang)
    title = words(f"title.{chart_key}", lang)
    # only what the chart draws (and each reference's key), named in the reader's language, as its CSV download
    drawn = frame[[field, "type_label", "key"]].rename(columns={field: header, "type_label": kind, "key": "BibTeX"})
    shown = (alt.Y if horizontal else alt.X)(field=header, type="nominal", title=None if horizontal else header,
                                             sort=order, axis=alt.Axis(labelLimit=0))  # no category name cut off
    counted = (alt.X if horizontal else alt.Y)("count():Q", title=axis)
    spec = (
        alt.Chart(drawn).mark_bar()
        .encode(shown, counted,
                color=alt.Color(field=kind, type="nominal", title=kind, sort=[words(f"type.{t}", lang) for t in TYPES],
                                # below a wide chart, so that it is not shrunk to fit the page
                                legend=alt.Legend(orient="bottom", columns=2) if horizontal else alt.Legend()),
                tooltip=[alt.Tooltip(field=header, type="nominal", title=header),
                         alt.Tooltip(field=kind, type="nominal", title=kind), alt.Tooltip("count():Q", title=axis)])
    )
    alt_text = words(f"alt.{chart_key}", lang, counts=_counted(counts, order, lang))
    return chart(f"literature.overview.{chart_key}", localised(spec, lang), title=title, alt=alt_text)


def theme_chart(by_theme: pd.DataFrame, counts: pd.Series, lang: str) -> Result:
    """References per review theme, coloured by type (``by_theme``: one labelled row per entry and theme)."""
    category = ("theme_label", words("header.theme", lang), [words(f"theme.{t}", lang) for t in THEMES])
    return _references_chart("theme_chart", by_theme, category, True, counts, lang)


def decade_chart(entries: pd.DataFrame, counts: pd.Series, lang: str) -> Result:
    """References per decade of publication, coloured by type (``entries``: one labelled row per entry)."""
    category = ("decade", words("header.decade", lang), [decade_label(d, lang) for d in counts.index])
    return _references_chart("decade_chart", entries, category, False, counts, lang)


def glossary_table(terms: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The glossary in the reader's language: that language's term first, sorted on it, then the other two."""
    resource = codebook()["glossary"]
    columns = [lang, *[other for other in i18n.LANGUAGES if other != lang], "definition", "source"]
    shown = terms[columns].fillna("—").sort_values(lang, key=lambda s: s.str.lower()).reset_index(drop=True)
    shown.columns = [resource.field(c).title(lang) for c in columns]
    return shown
