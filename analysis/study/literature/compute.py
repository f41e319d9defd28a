"""The overview of the bibliography, computed: entries by type, theme and decade, and the counts the chapter
glues. Codes only (theme keywords, entry types, decades as years); the words are in :mod:`.present`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.study.literature.bibliography import THEMES, TYPES, field, parse, themes_of

ALL = "all"  # the column of a count table that sums the types


def entries(bib: Path | None = None) -> pd.DataFrame:
    """One row per entry: key, type, year (missing if the source showed none), themes, DOI, decade (a year)."""
    rows = []
    for entry in parse(bib).entries:
        year = field(entry, "year")
        rows.append({"key": entry.key, "type": entry.entry_type.lower(),
                     "year": int(year) if year.isdigit() else pd.NA,
                     "themes": themes_of(entry), "doi": bool(field(entry, "doi"))})
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    frame["decade"] = frame["year"] // 10 * 10
    return frame


def by_theme(entries: pd.DataFrame) -> pd.DataFrame:
    """One row per entry and theme: a reference with two themes counts under both."""
    return entries.explode("themes").rename(columns={"themes": "theme"})


def decades(entries: pd.DataFrame) -> list:
    """The decades of publication in order, the undated entries (missing decade) last."""
    found = entries["decade"]
    return sorted(int(d) for d in found.dropna().unique()) + ([pd.NA] if found.isna().any() else [])


def count_table(frame: pd.DataFrame, rows: str, order: list) -> pd.DataFrame:
    """References by ``rows`` (in ``order``) and type, with the column :data:`ALL` summing the types."""
    counts = (frame.groupby([rows, "type"], dropna=False).size().unstack(fill_value=0)
              .reindex(index=order, columns=list(TYPES), fill_value=0))
    counts[ALL] = counts.sum(axis=1)
    return counts


def theme_counts(entries: pd.DataFrame) -> pd.Series:
    """References per theme, in the order of :data:`THEMES`."""
    return by_theme(entries).groupby("theme").size().reindex(list(THEMES), fill_value=0)


def decade_counts(entries: pd.DataFrame) -> pd.Series:
    """References per decade, in the order of :func:`decades`."""
    return entries.groupby("decade", dropna=False).size().reindex(decades(entries))


def overview(entries: pd.DataFrame) -> dict[str, float]:
    """The counts the chapter glues: entries, themes, entries under several themes, the share with a DOI, the
    first and last year, the undated entries."""
    dated = entries["year"].dropna()
    return {"entries": len(entries), "themes": len(THEMES), "multi_theme": int((entries["themes"].map(len) > 1).sum()),
            "with_doi": float(entries["doi"].mean()), "first_year": int(dated.min()), "last_year": int(dated.max()),
            "undated": int(entries["year"].isna().sum())}
