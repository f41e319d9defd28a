"""The check of the bibliography (``python -m analysis bibcheck``): every problem as ``file:line:key: message``.

Rules:

- every key cited in any edition's sources (:func:`analysis.paths.page_sources`: the book's root page, the
  chapters and the edition pages) is in the bibliography;
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
from pathlib import Path

from analysis import paths
from analysis.problems import Problem
from analysis.study.literature.bibliography import THEMES, citations, field, parse, relative, themes_of

# Next to the bibliography: where and how each entry was verified (key, status, verified_at, what_was_seen,
# left_out), one row per entry.
VERIFICATION_NAME = "references-verification.tsv"
# Fields each entry type needs; a tuple is "one of these".
REQUIRED: dict[str, tuple] = {
    "article": ("author", "title", "journal", "year"),
    "book": (("author", "editor"), "title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "misc": ("title", ("howpublished", "url")),
}
DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    unused: list[str]
    entries: int

    @property
    def ok(self) -> bool:
        return not self.problems


def _line(entry) -> int:
    return entry.start_line + 1


def _failed_blocks(library, name: str) -> list[Problem]:
    """Blocks bibtexparser could not take: a key used twice, or text that is no entry."""
    problems = []
    for block in library.failed_blocks:
        reason = "the key is used by another entry" if type(block).__name__ == "DuplicateBlockKeyBlock" \
            else f"could not be parsed ({getattr(block, 'error', type(block).__name__)})"
        problems.append(Problem(name, block.start_line + 1, getattr(block, "key", "?"), f"duplicate entry: {reason}"))
    return problems


def _type_and_fields(entry) -> list[str]:
    kind = entry.entry_type.lower()
    if kind not in REQUIRED:
        return [f"entry type @{kind} has no rule (known: {', '.join('@' + t for t in REQUIRED)})"]
    needs = [need if isinstance(need, tuple) else (need,) for need in REQUIRED[kind]]
    return [f"@{kind} needs the field {' or '.join(options)}" for options in needs
            if not any(field(entry, f) for f in options)]


def _year_and_themes(entry) -> list[str]:
    year, themes = field(entry, "year"), themes_of(entry)
    messages = [f"year {year!r} is not a four-digit year"] if year and not re.fullmatch(r"\d{4}", year) else []
    if not themes:
        messages.append(f"no review theme: add a keywords field (one or more of {', '.join(THEMES)})")
    return messages + [f"unknown theme {theme!r} in keywords (known: {', '.join(THEMES)})"
                       for theme in themes if theme not in THEMES]


def _doi_format(entry) -> list[str]:
    doi = field(entry, "doi")
    if doi and not DOI.match(doi):
        return [f"malformed DOI {doi!r} (expected a bare DOI such as 10.1111/padm.12374, without https://doi.org/)"]
    return []


def _entry_problems(entries, name: str) -> list[Problem]:
    """Each entry on its own: type and fields, year, themes, the form of its DOI."""
    return [Problem(name, _line(entry), entry.key, message) for entry in entries
            for message in (*_type_and_fields(entry), *_year_and_themes(entry), *_doi_format(entry))]


def _normalised_title(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", title.lower()).strip()


def _is_other_edition(a, b) -> bool:
    years = field(a, "year"), field(b, "year")
    return all(years) and years[0] != years[1] and bool(field(a, "edition") or field(b, "edition"))


def _duplicates(entries, name: str) -> list[Problem]:
    """Entries that repeat an earlier one's DOI, or its title without being another edition of it."""
    problems, by_doi, by_title = [], {}, {}
    for entry in entries:
        doi = field(entry, "doi").lower()
        if doi and DOI.match(doi) and doi in by_doi:
            problems.append(Problem(name, _line(entry), entry.key,
                                    f"duplicate DOI {field(entry, 'doi')} (also {by_doi[doi].key})"))
        elif doi and DOI.match(doi):
            by_doi[doi] = entry
        title = _normalised_title(field(entry, "title"))
        problems += [Problem(name, _line(entry), entry.key, f"duplicate title (also {other.key}); if it is another "
                             "edition, give both years and an edition field")
                     for other in by_title.get(title, []) if not _is_other_edition(entry, other)]
        by_title.setdefault(title, []).append(entry)
    return problems


def _verification_rows(lines: list[str], name: str) -> tuple[dict[str, int], list[Problem]]:
    """The verification record's rows by key (their line), and the problems of each row."""
    header = lines[0].split("\t") if lines else []
    rows, problems = {}, []
    for line_no, line in enumerate(lines[1:], start=2):
        row = dict(zip(header, line.split("\t")))
        key = row.get("key", "")
        if key in rows:
            problems.append(Problem(name, line_no, key, f"second row for this key (first on line {rows[key]})"))
        rows.setdefault(key, line_no)
        if "http" not in row.get("verified_at", ""):
            problems.append(Problem(name, line_no, key, "verified_at names no address where the entry was checked"))
    return rows, problems


def _verification_problems(verification: Path, entries) -> list[Problem]:
    """Every entry has one verification row naming where it was checked, and every row an entry."""
    name = relative(verification)
    if not Path(verification).exists():
        return [Problem(name, None, None, "missing: every entry needs a row saying where it was verified")]
    rows, problems = _verification_rows(Path(verification).read_text(encoding="utf-8").splitlines(), name)
    keys = {entry.key for entry in entries}
    problems += [Problem(name, None, key, "entry has no verification row (where was it verified?)")
                 for key in sorted(keys - set(rows))]
    return problems + [Problem(name, rows[key], key, "verification row for an entry that is not in the bibliography")
                       for key in sorted(set(rows) - keys)]


def _missing_citations(cited: dict[str, list[tuple[str, int]]], keys: set[str], name: str) -> list[Problem]:
    return [Problem(file, line, key, f"cited but not in {name}")
            for key, places in sorted(cited.items()) if key not in keys for file, line in places]


def check(bib: Path | None = None, files=None, verification: Path | None = None) -> Report:
    """Check the bibliography, its verification record and every citation in ``files`` (default: every
    edition's sources)."""
    bib = Path(bib or paths.BIBLIOGRAPHY)
    name, library = relative(bib), parse(bib)
    problems = [*_failed_blocks(library, name), *_entry_problems(library.entries, name),
                *_duplicates(library.entries, name),
                *_verification_problems(Path(verification or bib.parent / VERIFICATION_NAME), library.entries)]
    keys = {entry.key for entry in library.entries}
    cited = citations(paths.page_sources() if files is None else files)
    problems += _missing_citations(cited, keys, name)
    return Report(problems, sorted(keys - set(cited)), len(library.entries))
