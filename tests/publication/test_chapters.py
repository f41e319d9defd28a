"""Chapters are notebooks that authors open in JupyterLab: the MyST Markdown <-> ipynb round trip is lossless, and
their code only asks the public surface, analysis.publish."""

from __future__ import annotations

import ast

import jupytext
import pytest

from analysis import paths, publish

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
