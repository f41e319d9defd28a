"""Chapters are notebooks that authors open in JupyterLab: the MyST Markdown <-> ipynb round trip is lossless."""

from __future__ import annotations

import jupytext
import pytest

from analysis import paths

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
