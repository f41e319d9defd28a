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


@pytest.mark.build
def test_an_html_only_page_leaves_the_epub_and_a_reference_to_it_says_where_it_is(tmp_path):
    """A small book built strictly: the HTML has the page and links to it; the EPUB has neither the page nor a link,
    and its reference reads as the page's title in the HTML edition."""
    import shutil
    import sys

    source = tmp_path / "book"
    (source / "chapters").mkdir(parents=True)
    (source / "index.md").write_text("# Book\n\n```{toctree}\nchapters/one\nchapters/provenance\n```\n", encoding="utf-8")
    (source / "chapters" / "one.md").write_text("# One\n\nHow each number is made: {doc}`provenance`.\n", encoding="utf-8")
    (source / "chapters" / "provenance.md").write_text("# Where each number comes from\n\nThe registry.\n",
                                                       encoding="utf-8")
    (source / "conf.py").write_text('extensions = ["myst_parser", "analysis.publication.sphinxext.html_only"]\n'
                                    'project = "BBOX"\ncopyright = "2026"\nversion = release = "1.0"\n', encoding="utf-8")
    out = tmp_path / "out"
    for builder in ("html", "epub"):
        built = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-b", builder,
                                "-d", str(out / ".doctrees"), str(source), str(out / builder)],
                               capture_output=True, text=True)
        assert built.returncode == 0, built.stderr
    assert 'href="provenance.html"' in (out / "html" / "chapters" / "one.html").read_text(encoding="utf-8")
    [epub] = (out / "epub").glob("*.epub")
    with zipfile.ZipFile(epub) as packed:
        names = packed.namelist()
        one = packed.read(next(n for n in names if n.endswith("chapters/one.xhtml"))).decode("utf-8")
        opf = packed.read(next(n for n in names if n.endswith("content.opf"))).decode("utf-8")
    assert not [name for name in names if "provenance" in name] and "provenance" not in opf
    assert "“Where each number comes from”, in the HTML edition" in one and "provenance.xhtml" not in one
    shutil.rmtree(out)
