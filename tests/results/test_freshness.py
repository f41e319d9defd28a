"""The build never shows an out-of-date number, and executes no page it need not: not after a prose edit, nor after
a comment, a docstring or a refactor in any module that moves no published value; a value that moves executes
exactly the pages that read it, and the build says why; adding a result and pinning it execute only the pages that
list it. Asserted from the build's own record.

Works on a copy of the repository, so that editing data and code does not touch the real one.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.publication import kernel
from tests import edits
from tests.checks import repository_copy

pytestmark = pytest.mark.build  # builds copies of the book


def environment(repo: Path, data: Path | None = None) -> dict:
    """The copy's package, its own caches, and its data folder (``data/`` unless ``data`` is given)."""
    env = dict(os.environ, PYTHONPATH=str(repo))
    env.pop("BBOX_DATA_DIR", None)
    env.pop("BBOX_CACHE_DIR", None)
    if data is not None:
        env["BBOX_DATA_DIR"] = str(data)
    return env


def build(repo: Path, edition: str = "book", data: Path | None = None) -> str:
    run = subprocess.run([sys.executable, "-m", "analysis.publication.editions", "build", "html", edition], cwd=repo,
                         env=environment(repo, data), capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    log = (repo / "_build" / edition / "build-html.log").read_text(encoding="utf-8")
    assert kernel.ORDINARY not in log  # every page executed in a fork of the build's kernel server
    return log


def why(repo: Path, page: str, data: Path | None = None) -> str:
    """What ``python -m analysis why`` (``make why``) says of a page, without building."""
    run = subprocess.run([sys.executable, "-m", "analysis", "why", page, "--edition", "book"], cwd=repo,
                         env=environment(repo, data), capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def executed(log: str) -> list[str]:
    return sorted(line.split(":")[0].rsplit("/", 1)[-1] for line in log.splitlines() if "Executed notebook" in line)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    # Seeded with this repository's builds, the copy executes only what differs from them (nothing, unless this
    # repository's build is out of date); then every test below counts what its own edit executes.
    target = repository_copy(tmp_path_factory.mktemp("freshness") / "repo", seeded=["book", "report-nl"])
    build(target)
    build(target, "report-nl")  # another edition, in another language, showing some of the same results
    return target


def reader_text(page: Path) -> str:
    """A page's text as a reader reads it: tags, and the descriptions of the numbers, left out."""
    page = page.read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span[^>]*role="tooltip"[^>]*>[^<]*</span>', "", page)))


def context_page(repo: Path) -> str:
    return reader_text(repo / "_build" / "book" / "_build" / "html" / "chapters" / "context.html")


def findings_page(repo: Path, edition: str) -> str:
    return reader_text(repo / "_build" / edition / "_build" / "html" / "editions" / edition / "findings.html")


def shows(text: str, number: str) -> bool:
    return re.search(rf"(?<![\d.,]){number}(?![\d.,]\d)", text) is not None


def test_the_copy_builds_its_own_package(repo):
    assert str(repo) in subprocess.run([sys.executable, "-c", "import analysis; print(analysis.__file__)"],
                                       env=dict(os.environ, PYTHONPATH=str(repo)), capture_output=True,
                                       text=True, cwd=repo / "chapters").stdout


def test_a_noop_rebuild_executes_nothing(repo):
    assert executed(build(repo)) == []


def test_a_prose_edit_executes_nothing(repo):
    edits.edit_prose(repo)
    log = build(repo)
    assert executed(log) == []
    assert edits.PROSE[2] in context_page(repo)


def test_a_data_edit_reexecutes_and_shows_the_new_number(repo):
    before, after = edits.INCOME
    assert shows(context_page(repo), before)
    edits.edit_income(repo)
    log = build(repo)
    assert "context.md" in executed(log) and "newcomers.md" not in executed(log)
    assert "data/reference/integration_income.csv" in " ".join(last_build(repo)["executed"]["chapters/context"])
    text = context_page(repo)
    assert shows(text, after) and not shows(text, before)
    # Never stale in any edition: the Dutch report shows the new figure too, and says why its page executed.
    dutch = findings_page(repo, "report-nl")
    assert shows(dutch, dutch_number(before)) and not shows(dutch, dutch_number(after))  # built before the edit
    assert "findings.md" in executed(build(repo, "report-nl"))
    dutch = findings_page(repo, "report-nl")
    assert shows(dutch, dutch_number(after)) and not shows(dutch, dutch_number(before))
    causes = last_build(repo, "report-nl")["executed"]["editions/report-nl/findings"]
    assert "data/reference/integration_income.csv" in " ".join(causes)


def dutch_number(english: str) -> str:
    return english.replace(",", ".")


def last_build(repo: Path, edition: str = "book") -> dict:
    """The build's own record of what each page read and which pages executed, and why."""
    return json.loads((repo / "_build" / "shown" / f"{edition}.reads.json").read_text(encoding="utf-8"))


def test_comment_and_docstring_edits_in_every_module_execute_no_page(repo):
    assert edits.edit_comments_and_docstrings(repo) > 40
    log = build(repo)
    assert last_build(repo)["executed"] == {} and executed(log) == []
    assert "0 added, 0 changed, 0 removed" in log  # no page even read again: as fast as a no-op
    # (the lists of figures and tables are made again only when a page is read: see sphinxext/figures.py)


def test_an_edit_that_moves_no_value_executes_no_page(repo):
    edits.refactor_without_moving_values(repo)
    log = build(repo)
    assert last_build(repo)["executed"] == {} and executed(log) == []


def test_a_value_moving_edit_executes_only_the_pages_that_show_it(repo):
    readers = {page for page, entry in last_build(repo)["pages"].items() if f"result:{edits.MOVED}@en" in entry["reads"]}
    assert readers == {"chapters/context"} and "45,760" not in context_page(repo)
    key = edits.move_a_value(repo)  # 44,760 applicants in the peak year → 45,760
    log = build(repo)
    causes = last_build(repo)["executed"]
    assert set(causes) == readers and executed(log) == ["context.md"]
    assert f"{key} changed ({edits.MOVED_IN})" in causes["chapters/context"]
    assert f"re-executed chapters/context: {key} changed" in log
    assert "45,760" in context_page(repo)


def readers_of(repo: Path, data_file: str) -> set[str]:
    """The book's pages that read, in their last build, a result computed from ``data_file`` (by the pinned
    provenance) or the file itself."""
    provenance = json.loads((repo / "results" / "provenance.json").read_text(encoding="utf-8"))

    def from_file(read: str) -> bool:
        kind, _, what = read.partition(":")
        if kind == "file":
            return what.endswith(f":{data_file}")
        key, _, lang = what.rpartition("@")
        origin = provenance.get(f"{key}@{lang}") or provenance.get(key) or {}
        return kind == "result" and data_file in origin.get("data", {})

    return {page for page, entry in last_build(repo)["pages"].items() if any(map(from_file, entry["reads"]))}


def test_pages_follow_the_data_folder_by_content_there_and_back(repo, tmp_path):
    """The README's way in for the study's files, ``BBOX_DATA_DIR``: a folder holding the same files executes
    nothing; one where a file differs executes exactly the pages that read it, and says why; and back again.
    (The file that differs is the asylum figures, which two pages read: a file the whole book reads would test
    the same, executing every page.)"""
    same, other = (shutil.copytree(repo / "data", tmp_path / name) for name in ("A", "B"))
    figures = other / "reference" / "asylum.csv"
    assert figures.read_text(encoding="utf-8").count(",18710,") == 1
    figures.write_text(figures.read_text(encoding="utf-8").replace(",18710,", ",18711,"), encoding="utf-8")

    assert executed(build(repo, data=same)) == [] and last_build(repo)["executed"] == {}  # moved, not changed
    assert shows(context_page(repo), "18,710")
    readers = readers_of(repo, "reference/asylum.csv")
    assert "chapters/context" in readers and "chapters/newcomers" not in readers

    said = why(repo, "chapters/context", other)  # before building, make why names the file that differs
    assert "would execute again" in said and str(figures.resolve()) in said
    assert "would not execute again" in why(repo, "chapters/newcomers", other)

    log = build(repo, data=other)
    causes = last_build(repo)["executed"]
    assert set(causes) == readers and sorted(executed(log)) == sorted(f"{p.rsplit('/', 1)[-1]}.md" for p in readers)
    assert str(figures.resolve()) in " ".join(causes["chapters/context"])
    assert "re-executed chapters/context: " in log
    page = context_page(repo)
    assert shows(page, "18,711") and not shows(page, "18,710")

    build(repo, data=same)  # back: the first folder's figures again (executed again, or from the execution cache)
    assert set(last_build(repo)["executed"]) <= readers
    page = context_page(repo)
    assert shows(page, "18,710") and not shows(page, "18,711")
    assert "would not execute again" in why(repo, "chapters/context", same)


def test_adding_and_pinning_a_result_executes_only_the_pages_that_show_it(repo):
    """Adding a published result as the README's recipe says executes only the pages that read every key of its
    prefix (none of the book's: its chapters print results one by one), and pinning it only the appendix that lists
    every pin: not the whole book, as when every pin and every string moved every page."""
    build(repo)  # the edits of the tests above, built
    pages = set(last_build(repo)["pages"])
    prefix = edits.ADDED.rsplit(".", 1)[0]
    readers = {page for page, entry in last_build(repo)["pages"].items()
               if any(read.startswith("keys:") and prefix.startswith(read[5:].rsplit("@", 1)[0])
                      for read in entry["reads"])}
    # the chapters print results one by one (the introduction the number of PCSWs): they read no list of keys
    one_by_one = {page for page, entry in last_build(repo)["pages"].items()
                  if any(read.startswith(f"result:{prefix}.") for read in entry["reads"])} - readers
    assert one_by_one and len(readers) < len(pages)

    key = edits.add_a_result(repo)  # the result, and its title in English, Dutch and French
    log = build(repo)
    after_adding = set(last_build(repo)["executed"])
    assert after_adding == readers, last_build(repo)["executed"]  # so no page that prints a key one by one
    assert len(executed(log)) == len(readers)
    for page, causes in last_build(repo)["executed"].items():
        assert any(cause.startswith("the results under ") and cause.endswith(" are not the same keys")
                   for cause in causes), (page, causes)

    pinned = subprocess.run([sys.executable, "-m", "analysis", "pin"], cwd=repo, env=environment(repo),
                            capture_output=True, text=True)
    assert pinned.returncode == 0 and f"{key}: new result" in pinned.stdout, pinned.stdout + pinned.stderr
    build(repo)
    assert set(last_build(repo)["executed"]) == {"chapters/provenance"}, last_build(repo)["executed"]  # every pin
    appendix = reader_text(repo / "_build" / "book" / "_build" / "html" / "chapters" / "provenance.html")
    assert key in appendix
    print(f"pages executed: {len(after_adding)} of {len(pages)} after adding {key}, 1 after pinning it")


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
