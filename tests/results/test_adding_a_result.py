"""Adding a published result as the README's recipe says executes only the pages that read every key of its prefix
(none of the book's: its chapters print results one by one), and pinning
it only the appendix that lists every pin: not the whole book, as when every pin and every string moved every page.
Counted from the build's own record, on a copy of the repository (the book)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import edits
from tests.checks import repository_copy
from tests.results.test_freshness import build, environment, executed, reader_text

pytestmark = pytest.mark.build


def record(repo: Path) -> dict:
    return json.loads((repo / "_build" / "shown" / "book.reads.json").read_text(encoding="utf-8"))


def test_adding_and_pinning_a_result_executes_only_the_pages_that_show_it(tmp_path):
    repo = repository_copy(tmp_path / "repo", seeded=["book"])  # executes again only what the copy changes
    build(repo)
    pages = set(record(repo)["pages"])
    prefix = edits.ADDED.rsplit(".", 1)[0]
    readers = {page for page, entry in record(repo)["pages"].items()
               if any(read.startswith("keys:") and prefix.startswith(read[5:].rsplit("@", 1)[0])
                      for read in entry["reads"])}
    assert len(readers) < len(pages)  # the chapters print results one by one: none reads every key of the prefix

    key = edits.add_a_result(repo)  # the result, and its title in English, Dutch and French
    log = build(repo)
    after_adding = set(record(repo)["executed"])
    assert after_adding == readers, record(repo)["executed"]
    assert len(executed(log)) == len(readers)
    for page, causes in record(repo)["executed"].items():
        assert any(cause.startswith("the results under ") and cause.endswith(" are not the same keys")
                   for cause in causes), (page, causes)

    pinned = subprocess.run([sys.executable, "-m", "analysis", "pin"], cwd=repo, env=environment(repo),
                            capture_output=True, text=True)
    assert pinned.returncode == 0 and f"{key}: new result" in pinned.stdout, pinned.stdout + pinned.stderr
    build(repo)
    assert set(record(repo)["executed"]) == {"chapters/provenance"}, record(repo)["executed"]  # it lists every pin
    appendix = reader_text(repo / "_build" / "book" / "_build" / "html" / "chapters" / "provenance.html")
    assert key in appendix
    print(f"pages executed: {len(after_adding)} of {len(pages)} after adding {key}, 1 after pinning it")
