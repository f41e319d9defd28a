"""The literature part of the study: checks of the bibliography, its overview, and the glossary of Belgian terms.

The bibliography is ``references.bib`` at the root of the repository (Jupyter Book reads it there). Each entry
names its review themes in its ``keywords`` field, so the overview is computed from the data, never counted by
hand. ``python -m analysis bibcheck`` runs :func:`check` and prints every problem as ``file:line: key: message``.

Rules of the check (see :func:`check`):

- every key cited in any edition's sources (``index.md``, ``chapters/*.md``, ``editions/**/*.md``) is in the
  bibliography;
- every entry has the fields its type requires (:data:`REQUIRED`), a known type, and known themes;
- no duplicates: by key, by DOI, or by normalised title. Two entries with the same title are allowed only as
  editions of one work: both give a year, the years differ and at least one names its ``edition`` (Lipsky's
  1980 book and its 2010 expanded edition are two references; the same work entered twice is not);
- DOIs are bare and well-formed (``10.NNNN/…``, no ``https://doi.org/`` prefix);
- every entry has a row in ``references-verification.tsv`` saying where it was verified, and every row an entry;
- entries cited nowhere are *reported*, not refused: the bibliography page lists cited entries only, so an
  unused entry is simply not shown; the report says which ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import altair as alt
import bibtexparser
import pandas as pd
from bibtexparser.middlewares import LatexDecodingMiddleware

from analysis import paths
from analysis.data import load
from analysis.publication import i18n
from analysis.data.codebook import codebook
from analysis.results.registry import Result, chart, number, publishes, table

BIBLIOGRAPHY = paths.BIBLIOGRAPHY
# Next to the bibliography: where and how each entry was verified (key, status, verified_at, what_was_seen,
# left_out), one row per entry.
VERIFICATION_NAME = "references-verification.tsv"

# Review themes: keyword in the bib entry -> heading of the chapter section.
THEMES = {
    "street-level": "Street-level bureaucracy and discretion",
    "deservingness": "Welfare deservingness",
    "welfare-access": "Migrants' access to social protection",
    "local-integration": "Local integration policies",
    "belgian-pcsw": "The Belgian PCSW context",
    "sources": "Legal texts, official sources and statistics",
    "methods": "Methods and data protection",
}

# Fields each entry type needs; a tuple is "one of these".
REQUIRED: dict[str, tuple] = {
    "article": ("author", "title", "journal", "year"),
    "book": (("author", "editor"), "title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "misc": ("title", ("howpublished", "url")),
}
TYPE_LABELS = {"article": "Journal article", "book": "Book", "incollection": "Book chapter",
               "techreport": "Report", "misc": "Other (legal text, web page, statistics)"}

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    unused: list[str]
    entries: int

    @property
    def ok(self) -> bool:
        return not self.problems


# -- Reading --------------------------------------------------------------------------------------

def _relative(path: Path) -> str:
    path = Path(path)
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


@cache
def _parsed(path: Path, content: str):
    return bibtexparser.parse_string(content, append_middleware=[LatexDecodingMiddleware()])


def parse(path: Path = BIBLIOGRAPHY):
    """The bibliography as a bibtexparser library (LaTeX accents decoded)."""
    return _parsed(Path(path), Path(path).read_text(encoding="utf-8"))


def _field(entry, name: str) -> str:
    field = entry.fields_dict.get(name)
    return str(field.value).strip() if field is not None else ""


def themes_of(entry) -> list[str]:
    return [k.strip() for k in _field(entry, "keywords").split(",") if k.strip()]


def sources(root: Path | None = None) -> list[Path]:
    """Every Markdown source of every edition: the book's root page, the chapters and the edition pages."""
    root = Path(root or paths.ROOT)
    return sorted([root / "index.md", *(root / "chapters").glob("*.md"), *(root / "editions").rglob("*.md")])


def citations(files) -> dict[str, list[tuple[str, int]]]:
    """``{key: [(file, line), …]}`` of every ``{cite}`` role in ``files``."""
    found: dict[str, list[tuple[str, int]]] = {}
    for path in files:
        for line_no, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            for match in CITE.finditer(line):
                for key in match.group(1).split(","):
                    if key.strip():
                        found.setdefault(key.strip(), []).append((_relative(path), line_no))
    return found


# -- Checking -------------------------------------------------------------------------------------

def _normalised_title(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", title.lower()).strip()


def _is_other_edition(a, b) -> bool:
    years = _field(a, "year"), _field(b, "year")
    return all(years) and years[0] != years[1] and bool(_field(a, "edition") or _field(b, "edition"))


def _verification_problems(verification: Path, entries) -> list[Problem]:
    name = _relative(verification)
    if not Path(verification).exists():
        return [Problem(name, 0, "-", "missing: every entry needs a row saying where it was verified")]
    problems, rows = [], {}
    lines = Path(verification).read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t") if lines else []
    for line_no, line in enumerate(lines[1:], start=2):
        row = dict(zip(header, line.split("\t")))
        key = row.get("key", "")
        if key in rows:
            problems.append(Problem(name, line_no, key, f"second row for this key (first on line {rows[key]})"))
        rows.setdefault(key, line_no)
        if "http" not in row.get("verified_at", ""):
            problems.append(Problem(name, line_no, key, "verified_at names no address where the entry was checked"))
    keys = {entry.key: entry.start_line + 1 for entry in entries}
    for key in sorted(set(keys) - set(rows)):
        problems.append(Problem(name, 0, key, "entry has no verification row (where was it verified?)"))
    for key in sorted(set(rows) - set(keys)):
        problems.append(Problem(name, rows[key], key, "verification row for an entry that is not in the bibliography"))
    return problems


def check(bib: Path = BIBLIOGRAPHY, files=None, verification: Path | None = None) -> Report:
    """Check the bibliography, its verification record and every citation in ``files`` (default: every
    edition's sources)."""
    bib = Path(bib)
    name = _relative(bib)
    library = parse(bib)
    problems: list[Problem] = []
    for block in library.failed_blocks:
        key = getattr(block, "key", "?")
        reason = "the key is used by another entry" if type(block).__name__ == "DuplicateBlockKeyBlock" \
            else f"could not be parsed ({getattr(block, 'error', type(block).__name__)})"
        problems.append(Problem(name, block.start_line + 1, key, f"duplicate entry: {reason}"))

    by_doi: dict[str, object] = {}
    by_title: dict[str, list] = {}
    for entry in library.entries:
        line = entry.start_line + 1
        kind = entry.entry_type.lower()
        if kind not in REQUIRED:
            problems.append(Problem(name, line, entry.key, f"entry type @{kind} has no rule (known: "
                                    f"{', '.join('@' + t for t in REQUIRED)})"))
        else:
            for need in REQUIRED[kind]:
                options = need if isinstance(need, tuple) else (need,)
                if not any(_field(entry, f) for f in options):
                    problems.append(Problem(name, line, entry.key,
                                            f"@{kind} needs the field {' or '.join(options)}"))
        year = _field(entry, "year")
        if year and not re.fullmatch(r"\d{4}", year):
            problems.append(Problem(name, line, entry.key, f"year {year!r} is not a four-digit year"))
        entry_themes = themes_of(entry)
        if not entry_themes:
            problems.append(Problem(name, line, entry.key, "no review theme: add a keywords field "
                                    f"(one or more of {', '.join(THEMES)})"))
        for theme in entry_themes:
            if theme not in THEMES:
                problems.append(Problem(name, line, entry.key, f"unknown theme {theme!r} in keywords "
                                        f"(known: {', '.join(THEMES)})"))
        doi = _field(entry, "doi")
        if doi:
            if not DOI.match(doi):
                problems.append(Problem(name, line, entry.key, f"malformed DOI {doi!r} (expected a bare "
                                        "DOI such as 10.1111/padm.12374, without https://doi.org/)"))
            elif doi.lower() in by_doi:
                problems.append(Problem(name, line, entry.key, f"duplicate DOI {doi} (also {by_doi[doi.lower()].key})"))
            else:
                by_doi[doi.lower()] = entry
        title = _normalised_title(_field(entry, "title"))
        for other in by_title.get(title, []):
            if not _is_other_edition(entry, other):
                problems.append(Problem(name, line, entry.key, f"duplicate title (also {other.key}); if it is "
                                        "another edition, give both years and an edition field"))
        by_title.setdefault(title, []).append(entry)

    problems += _verification_problems(Path(verification or bib.parent / VERIFICATION_NAME), library.entries)
    keys = {entry.key for entry in library.entries}
    cited = citations(sources() if files is None else files)
    for key, places in sorted(cited.items()):
        if key not in keys:
            for file, line in places:
                problems.append(Problem(file, line, key, f"cited but not in {name}"))
    unused = sorted(keys - set(cited))
    return Report(problems, unused, len(library.entries))


# -- Overview of the bibliography -----------------------------------------------------------------

def entries_frame(bib: Path = BIBLIOGRAPHY) -> pd.DataFrame:
    """One row per entry: key, type, year (missing if the source showed none), decade, themes, DOI."""
    rows = []
    for entry in parse(bib).entries:
        year = _field(entry, "year")
        rows.append({"key": entry.key, "type": entry.entry_type.lower(),
                     "year": int(year) if year.isdigit() else pd.NA,
                     "themes": themes_of(entry), "doi": bool(_field(entry, "doi"))})
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    frame["decade"] = frame["year"].map(lambda y: "undated" if pd.isna(y) else f"{y // 10 * 10}s")
    frame["type_label"] = frame["type"].map(TYPE_LABELS)
    return frame


def _record_bibliography_read() -> None:
    load.record_read(_relative(BIBLIOGRAPHY), BIBLIOGRAPHY)


@publishes("literature.overview")
def overview() -> list[Result]:
    _record_bibliography_read()
    entries = entries_frame()
    by_theme = entries.explode("themes").rename(columns={"themes": "theme"})
    by_theme["theme_label"] = by_theme["theme"].map(THEMES)
    theme_order = list(THEMES.values())
    type_order = [TYPE_LABELS[t] for t in TYPE_LABELS]

    theme_table = (pd.crosstab(by_theme["theme_label"], by_theme["type_label"])
                   .reindex(index=theme_order, columns=type_order, fill_value=0))
    theme_table["All types"] = theme_table.sum(axis=1)
    theme_table = theme_table.reset_index().rename(columns={"theme_label": "Theme"})
    theme_table.columns.name = None

    decades = sorted(d for d in entries["decade"].unique() if d != "undated") + \
        (["undated"] if (entries["decade"] == "undated").any() else [])
    decade_table = (pd.crosstab(entries["decade"], entries["type_label"])
                    .reindex(index=decades, columns=type_order, fill_value=0))
    decade_table["All types"] = decade_table.sum(axis=1)
    decade_table = decade_table.reset_index().rename(columns={"decade": "Decade"})
    decade_table.columns.name = None

    theme_counts = by_theme.groupby("theme_label").size().reindex(theme_order, fill_value=0)
    theme_spec = (
        alt.Chart(by_theme, title="References per review theme, by type")
        .mark_bar()
        .encode(y=alt.Y("theme_label:N", title=None, sort=theme_order),
                x=alt.X("count():Q", title="References"),
                color=alt.Color("type_label:N", title="Type", sort=type_order),
                tooltip=[alt.Tooltip("theme_label:N", title="Theme"), alt.Tooltip("type_label:N", title="Type"),
                         alt.Tooltip("count():Q", title="References")])
    )
    theme_alt = ("Horizontal bar chart of the number of references per review theme, coloured by type: "
                 + "; ".join(f"{label}: {n}" for label, n in theme_counts.items())
                 + ". A reference with two themes counts in both.")
    decade_counts = entries.groupby("decade").size().reindex(decades)
    decade_spec = (
        alt.Chart(entries, title="References per decade of publication, by type")
        .mark_bar()
        .encode(x=alt.X("decade:N", title="Decade", sort=decades),
                y=alt.Y("count():Q", title="References"),
                color=alt.Color("type_label:N", title="Type", sort=type_order),
                tooltip=[alt.Tooltip("decade:N", title="Decade"), alt.Tooltip("type_label:N", title="Type"),
                         alt.Tooltip("count():Q", title="References")])
    )
    decade_alt = ("Bar chart of the number of references per decade of publication, coloured by type: "
                  + "; ".join(f"{d}: {n}" for d, n in decade_counts.items()) + ".")
    dated = entries["year"].dropna()
    return [
        number("literature.overview.entries", len(entries), style="count", title="References in the bibliography"),
        number("literature.overview.themes", len(THEMES), style="count", title="Review themes"),
        number("literature.overview.multi_theme", (entries["themes"].map(len) > 1).sum(), style="count",
               title="References under more than one theme"),
        number("literature.overview.with_doi", entries["doi"].mean(), style="share",
               title="Share of references with a DOI"),
        number("literature.overview.first_year", dated.min(), style="year", title="Earliest publication year"),
        number("literature.overview.last_year", dated.max(), style="year", title="Latest publication year"),
        number("literature.overview.undated", entries["year"].isna().sum(), style="count",
               title="References without a publication year (web pages)"),
        *[number(f"literature.overview.theme.{theme.replace('-', '_')}", theme_counts[label], style="count",
                 title=f"References on {label.lower()}") for theme, label in THEMES.items()],
        table("literature.overview.by_theme", theme_table,
              title="References per review theme and type (a reference with two themes counts in both)"),
        table("literature.overview.by_decade", decade_table, title="References per decade of publication and type"),
        chart("literature.overview.theme_chart", theme_spec, title="References per review theme, by type",
              alt=theme_alt),
        chart("literature.overview.decade_chart", decade_spec, title="References per decade of publication, by type",
              alt=decade_alt),
    ]


# -- Glossary of Belgian terms --------------------------------------------------------------------

@publishes("literature.glossary", translated=True)
def glossary(lang: str = "en") -> list[Result]:
    """The glossary in the reader's language: that language's term first, sorted on it, then the other two."""
    terms = load.table("glossary")
    resource = codebook()["glossary"]
    languages = [lang, *[other for other in ("en", "nl", "fr") if other != lang]]
    columns = [*languages, "definition", "source"]
    shown = terms[columns].fillna("—").sort_values(lang, key=lambda s: s.str.lower()).reset_index(drop=True)
    shown.columns = [resource.field(c).title(lang) for c in columns]
    return [
        number("literature.glossary.terms", len(terms), style="count", title="Terms in the glossary"),
        table("literature.glossary.table", shown, title=i18n.text("glossary_title", lang)),
    ]
