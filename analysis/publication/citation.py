"""What every edition's title page and imprint say: the edition's title (a preview while the data are stand-in), the
build date, the version, the authors and the team, and how to cite it, from ``CITATION.cff``."""

from __future__ import annotations

import datetime
import os
import subprocess
from functools import cache

from analysis import i18n, paths, yaml_text
from analysis.data import codebook

CITATION_FILE = paths.ROOT / "CITATION.cff"


def source_date_epoch() -> int:
    """The build date as seconds since 1970: ``SOURCE_DATE_EPOCH`` if set, else the time of the last git commit.

    Building the same commit twice gives the same date (and the same bytes where the tools allow it).
    """
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        shown = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=paths.ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
        return int(shown)
    except (OSError, subprocess.CalledProcessError, ValueError):
        # Not a git checkout (e.g. an unpacked release): the release date of CITATION.cff.
        released = citation_metadata()["date-released"]
        return int(datetime.datetime.combine(released, datetime.time(), datetime.timezone.utc).timestamp())


def build_date() -> datetime.date:
    return datetime.datetime.fromtimestamp(source_date_epoch(), datetime.timezone.utc).date()


class CitationError(ValueError):
    """CITATION.cff lacks what a title page needs."""


@cache
def citation_metadata() -> dict:
    where = CITATION_FILE.name
    meta = yaml_text.parse(CITATION_FILE.read_text(encoding="utf-8"))
    for field in ("title", "authors", "version", "date-released"):
        if not meta.get(field):
            raise CitationError(f"{where}: no {field!r}")
    if not isinstance(meta["date-released"], datetime.date):
        raise CitationError(f"{where}: date-released must be a date (YYYY-MM-DD), not {meta['date-released']!r}")
    return meta


def citation(edition_title: str, date: datetime.date) -> str:
    """How to cite an edition: authors (year). Edition title, version (words in no language, so it reads in all)."""
    meta = citation_metadata()
    authors = ", ".join(a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in meta["authors"])
    return f"{authors} ({date.year}). {edition_title}, v{meta['version']}."


def _name(person: dict) -> str:
    """A CITATION.cff person as a reader sees the name (given names first), or an organisation's name."""
    return person.get("name") or f"{person['given-names']} {person['family-names']}"


def author_names() -> str:
    """Who the publication is by, as CITATION.cff lists them: the HTML footer, the EPUB creator, the PDF author."""
    return ", ".join(_name(a) for a in citation_metadata()["authors"])


def project_team(lang: str) -> str:
    """The research team with their institutions for the title page; CITATION.cff's contact is the coordinator."""
    from analysis import i18n

    meta = citation_metadata()
    coordinators = {_name(c) for c in meta.get("contact", [])}
    shown = []
    for author in meta["authors"]:
        notes = [author["affiliation"]] if author.get("affiliation") else []
        notes += [i18n.text("edition_coordinator", lang)] if _name(author) in coordinators else []
        shown.append(f"{_name(author)} ({', '.join(notes)})" if notes else _name(author))
    return i18n.text("semicolon", lang).join(shown)


def same_title(shown: str, configured: str) -> bool:
    """Whether a title as a page shows it (typographic apostrophes, French no-break spaces) is ``configured``."""
    plain = lambda text: " ".join(text.replace("\u2019", "'").split())  # noqa: E731 (str.split takes no-break spaces)
    return plain(shown) == plain(configured)


def edition_title(title: str, lang: str = "en") -> str:
    """An edition's title as published: while any study resource is stand-in data (the ``standin`` flags of
    data/datapackage.json, the one switch), it says in its language that it is a preview with simulated data."""
    return i18n.text("preview_title", lang, title=title) if codebook.is_standin() else title
