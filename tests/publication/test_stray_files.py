"""The book reads only the pages its table of contents names: a chapter paired with a notebook (as the README's
"Editing a chapter" offers), JupyterLab's checkpoints, an author's scratch notebook and a copy of ``_build`` kept
under the repository never break the strict build. Built on a copy of the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.publication import editions
from tests.checks import repository_copy

pytestmark = pytest.mark.build

PAGE = "editions/report/findings"


def test_the_include_patterns_name_each_page_once():
    sources = editions.page_sources("report")
    assert sources == sorted(f"{page}.md" for page in editions.pages_by_edition()["report"])


def test_a_paired_chapter_checkpoints_and_scratch_notebooks_build_strictly(tmp_path):
    repo = repository_copy(tmp_path / "repo", seeded=["report"])
    env = dict(os.environ, PYTHONPATH=str(repo))
    env.pop("BBOX_DATA_DIR", None), env.pop("BBOX_CACHE_DIR", None)
    jupytext = Path(sys.executable).parent / "jupytext"
    subprocess.run([str(jupytext), "--set-formats", "ipynb,md:myst", f"{PAGE}.md"], cwd=repo, env=env, check=True,
                   capture_output=True)
    paired = repo / f"{PAGE}.ipynb"
    assert paired.exists() and "ipynb,md:myst" in (repo / f"{PAGE}.md").read_text(encoding="utf-8")
    notebook = paired.read_text(encoding="utf-8")
    checkpoints = repo / "editions" / "report" / ".ipynb_checkpoints"
    checkpoints.mkdir()
    (checkpoints / "findings-checkpoint.ipynb").write_text(notebook, encoding="utf-8")
    (repo / "scratch.ipynb").write_text(notebook, encoding="utf-8")
    (repo / "chapters" / "scratch.md").write_text("# Notes\n\nNot in any table of contents.\n", encoding="utf-8")
    copy = repo / "old-build" / "report" / ".jupyter_cache" / "executed"  # hidden folders too
    copy.mkdir(parents=True)
    (copy / "base.ipynb").write_text(notebook, encoding="utf-8")

    run = subprocess.run([sys.executable, "-m", "analysis.publication.editions", "build", "html", "report"], cwd=repo,
                         env=env, capture_output=True, text=True)
    log = (repo / "_build" / "report" / "build-html.log").read_text(encoding="utf-8")
    assert run.returncode == 0, run.stdout + run.stderr + log
    assert "multiple files found" not in log and "isn't included in any toctree" not in log
    html = repo / "_build" / "report" / "_build" / "html"
    assert (html / f"{PAGE}.html").exists()
    built = {str(p.relative_to(html).with_suffix("")) for p in html.rglob("*.html") if "_static" not in p.parts}
    assert built - {"index", "genindex", "search"} == editions.pages_by_edition()["report"], built  # index: a redirect
    assert json.loads(paired.read_text(encoding="utf-8")) == json.loads(notebook)  # the author's notebook untouched
