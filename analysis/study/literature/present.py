"""The overview of the bibliography and the glossary, presented in the reader's language: labels, tables,
charts and their text alternatives. The words are ``literature.*`` in ``analysis/publication/i18n/<lang>.yml``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.data.codebook import codebook
from analysis.publication import i18n
from analysis.results.registry import Result, chart, number
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
    """"label: n; label: n" for a text alternative, punctuated as ``lang`` punctuates."""
    return words("alt.separator", lang).join(words("alt.item", lang, label=label, n=n) for label, n in zip(labels, counts))


def theme_chart(by_theme: pd.DataFrame, counts: pd.Series, lang: str) -> Result:
    """References per review theme, coloured by type (``by_theme``: one labelled row per entry and theme)."""
    theme_order = [words(f"theme.{t}", lang) for t in THEMES]
    type_order = [words(f"type.{t}", lang) for t in TYPES]
    title, axis = words("title.theme_chart", lang), words("axis.references", lang)
    theme, kind = words("header.theme", lang), words("header.type", lang)
    spec = (
        alt.Chart(by_theme, title=title).mark_bar()
        .encode(y=alt.Y("theme_label:N", title=None, sort=theme_order),
                x=alt.X("count():Q", title=axis),
                color=alt.Color("type_label:N", title=kind, sort=type_order),
                tooltip=[alt.Tooltip("theme_label:N", title=theme), alt.Tooltip("type_label:N", title=kind),
                         alt.Tooltip("count():Q", title=axis)])
    )
    alt_text = words("alt.theme_chart", lang, counts=_counted(counts, theme_order, lang))
    return chart("literature.overview.theme_chart", spec, title=title, alt=alt_text)


def decade_chart(entries: pd.DataFrame, counts: pd.Series, lang: str) -> Result:
    """References per decade of publication, coloured by type (``entries``: one labelled row per entry)."""
    decade_order = [decade_label(d, lang) for d in counts.index]
    type_order = [words(f"type.{t}", lang) for t in TYPES]
    title, axis = words("title.decade_chart", lang), words("axis.references", lang)
    decade, kind = words("header.decade", lang), words("header.type", lang)
    spec = (
        alt.Chart(entries, title=title).mark_bar()
        .encode(x=alt.X("decade:N", title=decade, sort=decade_order),
                y=alt.Y("count():Q", title=axis),
                color=alt.Color("type_label:N", title=kind, sort=type_order),
                tooltip=[alt.Tooltip("decade:N", title=decade), alt.Tooltip("type_label:N", title=kind),
                         alt.Tooltip("count():Q", title=axis)])
    )
    alt_text = words("alt.decade_chart", lang, counts=_counted(counts, decade_order, lang))
    return chart("literature.overview.decade_chart", spec, title=title, alt=alt_text)


def glossary_table(terms: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The glossary in the reader's language: that language's term first, sorted on it, then the other two."""
    resource = codebook()["glossary"]
    columns = [lang, *[other for other in i18n.LANGUAGES if other != lang], "definition", "source"]
    shown = terms[columns].fillna("—").sort_values(lang, key=lambda s: s.str.lower()).reset_index(drop=True)
    shown.columns = [resource.field(c).title(lang) for c in columns]
    return shown
