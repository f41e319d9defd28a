"""The literature part of the study: the checks of the bibliography, its overview, and the glossary of Belgian terms.

``bibliography`` reads ``references.bib``, ``check`` checks it (``python -m analysis bibcheck``), ``compute``
counts its entries, ``present`` labels and charts them in the reader's language; the producers below publish them.
"""

from __future__ import annotations

from analysis import paths, reads
from analysis.data import load
from analysis.producers import Result, number, publishes, table
from analysis.study.literature import compute, present
from analysis.study.literature.bibliography import THEMES, TYPES, citations, parse, relative, themes_of
from analysis.study.literature.check import REQUIRED, VERIFICATION_NAME, Report, check

__all__ = ["THEMES", "TYPES", "REQUIRED", "VERIFICATION_NAME", "Report", "check", "citations", "parse", "themes_of",
           "overview", "glossary"]


@publishes("literature.overview", translated=True)
def overview(lang: str = "en") -> list[Result]:
    """Counts, tables and charts of the bibliography by review theme, type and decade, in the reader's language."""
    reads.file(relative(paths.BIBLIOGRAPHY), paths.BIBLIOGRAPHY)
    entries = compute.entries()
    themes, decades = compute.by_theme(entries), compute.decades(entries)
    decade_labels = [present.decade_label(d, lang) for d in decades]
    theme_labels = [present.words(f"theme.{t}", lang) for t in THEMES]
    return [
        *present.numbers(compute.overview(entries), compute.theme_counts(entries), lang),
        table("literature.overview.by_theme", title=present.words("title.by_theme", lang),
              frame=present.count_table(compute.count_table(themes, "theme", list(THEMES)), "theme", theme_labels,
                                        lang)),
        table("literature.overview.by_decade", title=present.words("title.by_decade", lang),
              frame=present.count_table(compute.count_table(entries, "decade", decades), "decade", decade_labels,
                                        lang)),
        present.theme_chart(present.labelled(themes, lang), compute.theme_counts(entries), lang),
        present.decade_chart(present.labelled(entries, lang), compute.decade_counts(entries), lang),
    ]


@publishes("literature.glossary", translated=True)
def glossary(lang: str = "en") -> list[Result]:
    """The glossary in the reader's language: that language's term first, sorted on it, then the other two."""
    terms = load.table("glossary")
    return [
        number("literature.glossary.terms", len(terms), style="count",
               title=present.words("title.glossary_terms", lang)),
        table("literature.glossary.table", present.glossary_table(terms, lang),
              title=present.i18n.text("glossary_title", lang)),
    ]
