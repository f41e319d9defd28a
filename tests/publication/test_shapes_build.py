"""The book (and, on one data set, the French report) build strictly on generated data of different shapes (issue
24: any data, not one seed): every computed sentence, label, table and chart reaches a page without a warning,
whatever the number of types, lost cases, fewer interviews, a theme nobody raised or blank answers.

Each data set is one of tests/study/test_shapes_recompute.py's, with every result on it computed once per run in
every language (:func:`tests.checks.generated`), whichever of the two tests asks first: the build reads that results
cache, so it computes nothing the other test computed. The generated files are written into a copy of the
repository (the build writes its own _build/ there), then built as the team would build their own data:
``python -m analysis.publication.editions build html EDITION``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from analysis.protection.redesign import WITHHELD
from tests.checks import generated, repository_copy
from tests.study.test_shapes_recompute import DATA_SETS

BUILT = {  # the data set, the editions built on it, and what the book's case chapter must show
    # Disclosure control redesigns three case tables on this one: the selection by type only, the dimensions for all
    # regions together, and the design matrix withheld
    "lost case, 78 interviews, a silent theme, blanks, two types": (("book",), [WITHHELD, "for all regions together"]),
    # the short editions' sentences take their other form on one type (every form, in every language, of every
    # data set is checked by tests/study/test_shapes_recompute.py, without a build)
    "one planted type, no barrier raised": (("book", "report-fr"), []),
}


@pytest.mark.build
@pytest.mark.parametrize("name", BUILT, ids=list(BUILT))
def test_the_book_and_the_french_report_build_strictly_on_generated_data(tmp_path, name):
    # Seeded with this repository's builds: a page or result that reads none of the generated files (the
    # reference figures) is not executed or computed again; every one that reads them is.
    editions, shown = BUILT[name]
    data, cache = generated(*DATA_SETS[name])
    repo = repository_copy(tmp_path / "repo", seeded=editions)
    shutil.rmtree(repo / "data")
    shutil.copytree(data, repo / "data")
    env = dict(os.environ, PYTHONPATH=str(repo), BBOX_CACHE_DIR=str(cache))
    env.pop("BBOX_DATA_DIR", None)
    for edition in editions:
        run = subprocess.run([sys.executable, "-m", "analysis.publication.editions", "build", "html", edition],
                             cwd=repo, env=env, capture_output=True, text=True)
        assert run.returncode == 0, f"{name}: {edition}\n" + run.stdout[-3000:] + run.stderr[-5000:]
        assert (repo / "_build" / edition / "_build" / "html" / "index.html").exists()
    cases = (repo / "_build" / "book" / "_build" / "html" / "chapters" / "cases.html").read_text(encoding="utf-8")
    assert all(words in cases for words in shown), f"{name}: the case chapter does not show {shown}"
