"""What a publisher receives, the book's PDF and EPUB, speaks to readers: no word of the repository that made it
(paths, build commands, module names, the registry of results, pins), and no reviewers' appendix (those are in the
HTML, analysis/publication/sphinxext/html_only.py)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from analysis.publication import editions
from analysis.publication.lint import repository_vocabulary
from analysis.publication.sphinxext.html_only import HTML_ONLY_PAGES

REVIEWERS_APPENDICES = ("Where each number comes from", "What changed in this version")


@pytest.mark.parametrize("sentence", [
    "In this repository, every number is recomputed.",  # methods.md, as the editor found it (issue 26)
    "Any change is caught against the pins in `results/`.",
    "Each verdict names its registry key.",
    "The stand-in files are written by python -m analysis simulate.",
    "The function analysis.study.survey.typology fits the model.",
    "Run make verify before a release.",
    "The codebook is data/datapackage.json.",
])
def test_the_check_finds_repository_vocabulary(sentence):
    assert repository_vocabulary(sentence), sentence


@pytest.mark.parametrize("sentence", [
    "The council or its special committee decides; the National Register number is never recorded.",
    "PCSWs make their own rules, and a worker commits the centre only within them.",
    "The analysis of the survey shows four types, in Flanders/Wallonia alike; these findings are pinned down later.",
])
def test_the_check_leaves_ordinary_prose_alone(sentence):
    assert not repository_vocabulary(sentence), repository_vocabulary(sentence)


def _epub_chapters(path: Path) -> dict[str, str]:
    """Each chapter of the EPUB as text (tags removed), by its file name."""
    with zipfile.ZipFile(path) as epub:
        pages = {name: epub.read(name).decode("utf-8") for name in epub.namelist() if name.endswith(".xhtml")}
    return {name: re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S))
            for name, page in pages.items()}


def _pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.build
def test_the_books_pdf_and_epub_hold_no_repository_vocabulary(artifacts):
    found = [f"EPUB {name}: {hit}" for name, text in _epub_chapters(artifacts[("book", "epub")]).items()
             for hit in repository_vocabulary(" ".join(text.split()))]
    found += [f"PDF page {number}: {hit}" for number, text in enumerate(_pdf_pages(artifacts[("book", "pdf")]), 1)
              for hit in repository_vocabulary(" ".join(text.split()))]
    assert not found, f"{len(found)} use(s) of the repository's vocabulary:\n" + "\n".join(found)


@pytest.mark.build
def test_the_reviewers_appendices_are_in_the_html_only(artifacts):
    epub = _epub_chapters(artifacts[("book", "epub")])
    assert not [name for name in epub if name.removesuffix(".xhtml") in HTML_ONLY_PAGES]
    pdf = " ".join(" ".join(_pdf_pages(artifacts[("book", "pdf")])).split())
    for title in REVIEWERS_APPENDICES:
        assert not any(title in text for text in epub.values()) or all(
            f"“{title}”, in the HTML edition" in text for text in epub.values() if title in text), title
        assert pdf.count(title) == pdf.count(f"“{title}”, in the HTML edition"), title
    html = editions.artifact("book", "html").parent
    for page in HTML_ONLY_PAGES:
        assert (html / f"{page}.html").exists(), page
