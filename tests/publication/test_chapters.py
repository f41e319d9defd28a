"""Chapters are notebooks that authors open in JupyterLab: the MyST Markdown <-> ipynb round trip is lossless, and
their code only asks the public surface, analysis.publish."""

from __future__ import annotations

import ast
import re

import jupytext
import pytest

from analysis import paths, publish
from analysis.publication.lint import repository_vocabulary

NOTEBOOKS = sorted(p for p in [*paths.CHAPTERS.glob("*.md"), *paths.EDITIONS.rglob("*.md")]
                   if "kernelspec" in p.read_text(encoding="utf-8").split("---")[1 if p.read_text().startswith("---") else 0])


def test_there_are_notebook_chapters():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.name)
def test_myst_notebook_round_trips_through_ipynb(page, tmp_path):
    notebook = jupytext.read(page, fmt="md:myst")
    assert notebook.cells, page
    ipynb = tmp_path / "page.ipynb"
    jupytext.write(notebook, ipynb)
    back = jupytext.read(ipynb)
    again = jupytext.writes(back, fmt="md:myst")
    assert [c.source for c in jupytext.reads(again, fmt="md:myst").cells] == [c.source for c in notebook.cells]
    assert [c.cell_type for c in back.cells] == [c.cell_type for c in notebook.cells]


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_code_only_asks_the_package(page):
    """No analysis logic in a chapter: its code cells import from analysis and call it, nothing else."""
    notebook = jupytext.read(page, fmt="md:myst")
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            assert not any(word in line for word in ("import pandas", "import numpy", "pd.", "np.", "groupby",
                                                     "read_csv")), f"{page.name}: '{line}' computes in the chapter"


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.name)
def test_pages_import_only_the_public_surface(page):
    """Every page asks analysis.publish, the one documented surface, and imports nothing else."""
    notebook = jupytext.read(page, fmt="md:myst")
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    imports = [node for node in ast.walk(ast.parse(code)) if isinstance(node, (ast.Import, ast.ImportFrom))]
    for node in imports:
        assert isinstance(node, ast.ImportFrom) and node.module == "analysis.publish", \
            f"{page.name}:{node.lineno}: imports {ast.unparse(node)!r}; pages import from analysis.publish only"
        assert all(alias.name in publish.__all__ for alias in node.names), f"{page.name}: {ast.unparse(node)}"


# -- The book's chapters are written for readers, not for developers -------------------------------------------------
# The appendices on the origin of every number and on what changed between versions describe the publication's sources
# and stay out of the PDF and the EPUB; every other page of the book is read by scholars, who meet no repository.
FOR_DEVELOPERS = ("provenance.md", "changes.md")
# The vocabulary is the one the book's built PDF and EPUB are checked against (tests/publication/test_publisher_files.py).


def _prose(page) -> str:
    """A page's text as a reader meets it: no front matter, code cells or fenced blocks, no role's target."""
    text = page.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.sub(r"\{[a-z:]+\}`[^`]*`", "", text)


BOOK_PAGES = [paths.ROOT / "index.md",
              *(p for p in sorted(paths.CHAPTERS.glob("*.md")) if p.name not in FOR_DEVELOPERS)]


@pytest.mark.parametrize("page", BOOK_PAGES, ids=lambda p: p.name)
def test_a_book_page_uses_no_repository_vocabulary(page):
    found = repository_vocabulary(_prose(page))
    assert not found, f"{page.name} speaks to developers: {found}"


def test_the_vocabulary_check_finds_what_it_looks_for(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("---\nk: v\n---\n# T\n\nRun `python -m analysis simulate`; the pins in `results/`, the registry key, the `analysis` package."
                    "\n\n```{code-cell} ipython3\nfrom analysis.publish import show\n```\n{glue}`survey.response.rate`\n",
                    encoding="utf-8")
    hits = {hit.split(" (")[0] for hit in repository_vocabulary(_prose(page))}
    assert hits == {"a file path", "a build command", "a module name", "the results registry", "pins"}
