"""Reading the bibliography: ``references.bib`` parsed with its LaTeX accents decoded, each entry's fields and
review themes, and the ``{cite}`` roles of the editions' sources.

The bibliography sits at the root of the repository (Jupyter Book reads it there). Each entry names its review
themes in its ``keywords`` field, so the overview is computed from the data, never counted by hand.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware

from analysis import paths

# Review themes, in the order of the chapter's sections: the keywords an entry may carry.
THEMES = ("street-level", "deservingness", "welfare-access", "local-integration", "belgian-pcsw", "sources",
          "methods")
# Entry types, in the order the overview shows them.
TYPES = ("article", "book", "incollection", "techreport", "misc")
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")


def relative(path: Path) -> str:
    """``path`` as a problem names it: relative to the repository where it lies inside it."""
    path = Path(path)
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


@cache
def _parsed(path: Path, content: str):
    return bibtexparser.parse_string(content, append_middleware=[LatexDecodingMiddleware()])


def parse(path: Path | None = None):
    """The bibliography as a bibtexparser library (LaTeX accents decoded)."""
    path = Path(path or paths.BIBLIOGRAPHY)
    return _parsed(path, path.read_text(encoding="utf-8"))


def field(entry, name: str) -> str:
    """An entry's field as text, "" when the entry does not have it."""
    found = entry.fields_dict.get(name)
    return str(found.value).strip() if found is not None else ""


def themes_of(entry) -> list[str]:
    return [k.strip() for k in field(entry, "keywords").split(",") if k.strip()]


def citations(files) -> dict[str, list[tuple[str, int]]]:
    """``{key: [(file, line), …]}`` of every ``{cite}`` role in ``files``."""
    found: dict[str, list[tuple[str, int]]] = {}
    for path in files:
        for line_no, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            for match in CITE.finditer(line):
                for key in filter(None, map(str.strip, match.group(1).split(","))):
                    found.setdefault(key, []).append((relative(path), line_no))
    return found
