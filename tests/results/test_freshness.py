"""The build never shows an out-of-date number, and a prose edit executes nothing.

Works on a copy of the repository, so that editing data and code does not touch the real one.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("freshness")]  # builds copies of the book


def build(repo: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(repo))
    env.pop("BBOX_DATA_DIR", None)
    env.pop("BBOX_CACHE_DIR", None)
    run = subprocess.run([sys.executable, "-m", "analysis.publication.editions", "build", "html", "book"], cwd=repo, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return (repo / "_build" / "book" / "build-html.log").read_text(encoding="utf-8")


def executed(log: str) -> list[str]:
    return sorted(line.split(":")[0].rsplit("/", 1)[-1] for line in log.splitlines() if "Executed notebook" in line)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("freshness") / "repo"
    shutil.copytree(paths.ROOT, target, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__"))
    build(target)
    return target


def context_page(repo: Path) -> str:
    return (repo / "_build" / "book" / "_build" / "html" / "chapters" / "context.html").read_text(encoding="utf-8")


def test_the_copy_builds_its_own_package(repo):
    assert str(repo) in subprocess.run([sys.executable, "-c", "import analysis; print(analysis.__file__)"],
                                       env=dict(os.environ, PYTHONPATH=str(repo)), capture_output=True,
                                       text=True, cwd=repo / "chapters").stdout


def test_a_noop_rebuild_executes_nothing(repo):
    assert executed(build(repo)) == []


def test_a_prose_edit_executes_nothing(repo):
    page = repo / "chapters" / "context.md"
    text = page.read_text(encoding="utf-8")
    assert "set the scale of the question" in text  # the sentence this test edits
    page.write_text(text.replace("set the scale of the question", "give the question its scale"), encoding="utf-8")
    log = build(repo)
    assert executed(log) == []
    assert "give the question its scale" in context_page(repo)


def test_a_data_edit_reexecutes_and_shows_the_new_number(repo):
    assert "300</span> in Flanders" in context_page(repo) or "300 in Flanders" in context_page(repo)
    frame = repo / "data" / "reference" / "pcsw_frame.csv"
    frame.write_text(frame.read_text(encoding="utf-8").replace("FL,300,", "FL,301,"), encoding="utf-8")
    log = build(repo)
    assert "context.md" in executed(log)
    html = context_page(repo)
    assert "301" in html and "582" in html and ">300<" not in html


def last_build(repo: Path) -> dict:
    """The build's own record of what each page read and which pages executed, and why."""
    return json.loads((repo / "_build" / "shown" / "book.reads.json").read_text(encoding="utf-8"))


def with_docstrings_edited(source: str) -> str:
    """``source`` with a word added at the start of every docstring (module, class and function)."""
    lines = source.splitlines(keepends=True)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and ast.get_docstring(node):
            string = node.body[0].value
            line = lines[string.lineno - 1]  # docstrings start after indentation only: byte and character columns agree
            opening = re.match(r"[rRuU]?(\"\"\"|'''|\"|')", line[string.col_offset:])
            at = string.col_offset + opening.end()
            lines[string.lineno - 1] = line[:at] + "Edited. " + line[at:]
    return "".join(lines)


def test_comment_and_docstring_edits_in_every_module_execute_no_page(repo):
    modules = [p for p in sorted((repo / "analysis").rglob("*.py")) if "__pycache__" not in p.parts]
    docstrings_edited = 0
    for module in modules:
        source = module.read_text(encoding="utf-8")
        edited = with_docstrings_edited(source)
        docstrings_edited += edited != source
        module.write_text(edited + "\n# an author's comment\n", encoding="utf-8")
    assert docstrings_edited > 40
    log = build(repo)
    assert last_build(repo)["executed"] == {} and executed(log) == []
    assert "0 added, 0 changed, 0 removed" in log  # no page even read again: as fast as a no-op


def test_an_edit_that_moves_no_value_executes_no_page(repo):
    module = repo / "analysis" / "study" / "reference.py"
    text = module.read_text(encoding="utf-8")
    assert "granted = years.dropna" in text
    module.write_text(text.replace("granted = years.dropna", "reported = years.dropna").replace("granted.iloc", "reported.iloc")
                      .replace("len(granted)", "len(reported)"), encoding="utf-8")
    log = build(repo)
    assert last_build(repo)["executed"] == {} and executed(log) == []


def test_a_value_moving_edit_executes_only_the_pages_that_show_it(repo):
    key = "reference.asylum.peak"
    readers = {page for page, entry in last_build(repo)["pages"].items() if f"result:{key}@en" in entry["reads"]}
    assert readers == {"chapters/context"}
    module = repo / "analysis" / "study" / "reference.py"
    text = module.read_text(encoding="utf-8")
    assert 'number("reference.asylum.peak", peak.applicants,' in text and "45,760" not in context_page(repo)
    module.write_text(text.replace('number("reference.asylum.peak", peak.applicants,',
                                   'number("reference.asylum.peak", peak.applicants + 1000,'), encoding="utf-8")
    log = build(repo)
    causes = last_build(repo)["executed"]
    assert set(causes) == readers and executed(log) == ["context.md"]
    assert f"{key} changed (analysis/study/reference)" in causes["chapters/context"]
    assert f"re-executed chapters/context: {key} changed" in log
    assert "45,760" in context_page(repo)


def test_the_build_refuses_invalid_data_with_the_validator_messages(repo):
    survey = repo / "data" / "survey.csv"
    lines = survey.read_text(encoding="utf-8").split("\n")
    lines[4] = lines[4].replace(",FL,", ",XX,").replace(",WA,", ",XX,").replace(",BR,", ",XX,")
    survey.write_text("\n".join(lines), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(repo))
    run = subprocess.run([sys.executable, "-m", "analysis.publication.editions", "build", "html", "book"], cwd=repo, env=env,
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "survey.csv:5:region: 'XX' is not a code of this column" in run.stdout + run.stderr
