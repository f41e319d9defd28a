"""The strict build says what an author forgot, each where it is typed: a glued key that is not pinned, a string
without its Dutch or French (a new result's title), a mistyped key with the closest keys; its log holds no colour
codes. Built on a copy of the repository (the report: its findings page glues reference numbers)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import edits
from tests.checks import repository_copy

pytestmark = pytest.mark.build

PAGE = "editions/report/findings.md"


def test_the_strict_build_names_what_is_missing_where_it_is_typed(tmp_path):
    repo = repository_copy(tmp_path / "repo", seeded=["report"])  # the pages not edited here execute no more
    key = edits.add_a_result(repo, languages=("en",))  # its Dutch and French titles forgotten, and not pinned
    page = repo / PAGE
    lines = page.read_text(encoding="utf-8").splitlines()
    typo_line = next(n for n, line in enumerate(lines, 1) if "{glue}`reference.income.last_year`" in line)
    paragraph_start = next(n for n in range(typo_line, 0, -1) if not lines[n - 2].strip())
    assert typo_line > paragraph_start  # the key is not on its paragraph's first line
    lines[typo_line - 1] = lines[typo_line - 1].replace("reference.income.last_year", "reference.income.last_yeer")
    total_line = next(n for n, line in enumerate(lines, 1) if "{glue}`reference.frame.total`" in line)
    lines[total_line - 1] = lines[total_line - 1].replace("{glue}`reference.frame.total`",
                                                          f"{{glue}}`reference.frame.total` ({{glue}}`{key}`)")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    title_line = next(n for n, line in enumerate((repo / "analysis/i18n/en.yml").read_text(encoding="utf-8")
                                                 .splitlines(), 1) if line.startswith(f"{key}:"))

    env = dict(os.environ, PYTHONPATH=str(repo))
    env.pop("BBOX_DATA_DIR", None), env.pop("BBOX_CACHE_DIR", None)
    run = subprocess.run([sys.executable, "-m", "analysis.publication.editions", "build", "html", "report"], cwd=repo,
                         env=env, capture_output=True, text=True)
    log = (repo / "_build" / "report" / "build-html.log").read_text(encoding="utf-8")
    assert run.returncode != 0, "the strict build passed with a mistyped key, an unpinned one and missing titles"
    warnings = [line for line in log.splitlines() if "WARNING" in line]
    assert any(f"{PAGE}:{typo_line}: WARNING: 'reference.income.last_yeer' is glued by no cell of this page; "
               "did you mean reference.income.last_year" in w for w in warnings), "\n".join(warnings)
    assert any(f"{PAGE}:{total_line}: WARNING: {key} is not pinned: run `make pin`" in w for w in warnings), warnings
    for lang, name in (("nl", "Dutch"), ("fr", "French")):
        assert any(f"analysis/i18n/en.yml:{title_line}: WARNING: '{key}' has no {name} (add it to analysis/i18n/{lang}.yml"
                   in w for w in warnings), warnings
    assert "\x1b[" not in log and "\x1b[" not in run.stdout + run.stderr
    # Built again unchanged, it fails again: a page read with a forgotten key is read again until it is fixed.
    again = subprocess.run([sys.executable, "-m", "analysis.publication.editions", "build", "html", "report"],
                           cwd=repo, env=env, capture_output=True, text=True)
    log = (repo / "_build" / "report" / "build-html.log").read_text(encoding="utf-8")
    assert again.returncode != 0 and "'reference.income.last_yeer' is glued by no cell of this page" in log
