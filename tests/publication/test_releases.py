"""Releases: the record in releases/<version>/, the changelog of published numbers, the "What changed" page and the
reviewer's diff (analysis/publication/releases/, analysis/publication/prose.py, analysis/publication/sphinxext/releases.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis import i18n, paths
from analysis.publication import prose, releases
from tests.checks import seed_results_cache

# -- The changelog, on small records ------------------------------------------------------------------------

TABLE_BEFORE = [["Region", "Respondents", "Response rate"], ["Flanders", "126", "42.0%"], ["Wallonia", "96", "36.6%"]]
TABLE_AFTER = [["Region", "Respondents", "Response rate"], ["Flanders", "130", "43.3%"], ["Wallonia", "96", "36.6%"],
               ["Brussels-Capital", "10", "52.6%"]]
CHART_BEFORE = [["region", "type", "share"], ["Flanders", "A", "0.4"], ["Flanders", "B", "0.6"]]
CHART_AFTER = [["region", "type", "share"], ["Flanders", "A", "0.45"], ["Flanders", "B", "0.55"]]
EDITIONS = {"book": {"name": "Academic book", "language": "en"},
            "report-nl": {"name": "Research report (Nederlands)", "language": "nl"}}
PAGES = {"chapters/survey": {"title": "The web survey", "language": "en", "editions": ["book"]},
         "editions/report-nl/findings": {"title": "Resultaten", "language": "nl", "editions": ["report-nl"]}}
HOSTILE = "<img src=x onerror=alert(1)> *not emphasis* {cite}`nobody`"


def _pins(rate: dict, table, chart, extra: dict | None = None) -> dict:
    pins = {"survey.response.rate": {"kind": "number", "title": "Response rate", "shown": rate,
                                     "where": [["book", "chapters/survey"], ["report-nl", "editions/report-nl/findings"]]},
            "survey.response.n": {"kind": "number", "title": "Respondents", "shown": {"en": "232", "nl": "232"},
                                  "where": [["book", "chapters/survey"]]},
            "survey.response.by_region": {"kind": "table", "title": "Response by region", "shown": {"en": table},
                                          "where": [["book", "chapters/survey"]]},
            "survey.types.chart": {"kind": "chart", "title": "Types by region", "shown": {"en": chart}, "where": []}}
    return {**pins, **(extra or {})}


def _record(root: Path, version: str, date: str, pins: dict, texts: dict) -> None:
    folder = root / version
    folder.mkdir(parents=True)
    meta = {"version": version, "package_version": releases.package_version(version), "date": date, "commit": None,
            "previous": None, "editions": EDITIONS, "pages": PAGES}
    for name, data in (("release.json", meta), ("pins.json", pins), ("prose.json", texts)):
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def two_releases(tmp_path) -> Path:
    root = tmp_path / "releases"
    _record(root, "0.1", "2026-01-10",
            _pins({"en": "39.9%", "nl": "39,9 %", "fr": "39,9 %"}, TABLE_BEFORE, CHART_BEFORE,
                  {"survey.gone": {"kind": "number", "title": "Dropped", "shown": {"en": "7"}, "where": []}}),
            {"chapters/survey": ["The web survey", "The response rate was 39.9% in all.", "A paragraph that goes."],
             "editions/report-nl/findings": ["Resultaten", "De respons was 39,9 %."]})
    _record(root, "0.2", "2026-02-01",
            _pins({"en": "41.2%", "nl": "41,2 %", "fr": "41,2 %"}, TABLE_AFTER, CHART_AFTER),
            {"chapters/survey": ["The web survey", f"The response rate was 41.2% in all. {HOSTILE}"],
             "editions/report-nl/findings": ["Resultaten", "De respons was 39,9 %."]})
    return root


def _moved(root: Path) -> list[releases.Moved]:
    first, second = releases.recorded(root)
    return releases.moved_since(second, first)


def test_a_moved_number_is_named_with_its_old_and_new_text_in_each_language_and_where_it_is_shown(two_releases):
    rate = [m for m in _moved(two_releases) if m.key == "survey.response.rate"]
    # Shown in the English book and the Dutch report: the two texts, each for its readers; French shows it nowhere.
    assert {(m.languages, m.old, m.new) for m in rate} == {(("en",), "39.9%", "41.2%"), (("nl",), "39,9 %", "41,2 %")}
    release = releases.recorded(two_releases)[1]
    # Each text with the pages that show it so.
    assert {m.languages: releases.places(m.where, release) for m in rate} == {
        ("en",): ["Academic book: The web survey"], ("nl",): ["Research report (Nederlands): Resultaten"]}


def test_table_cells_and_chart_data_that_moved_are_named_by_row_and_column(two_releases):
    moved = {(m.key, m.item): (m.old, m.new) for m in _moved(two_releases)}
    assert moved[("survey.response.by_region", "Flanders · Respondents")] == ("126", "130")
    assert moved[("survey.response.by_region", "Flanders · Response rate")] == ("42.0%", "43.3%")
    assert moved[("survey.response.by_region", "Brussels-Capital")] == (
        None, "Region: Brussels-Capital; Respondents: 10; Response rate: 52.6%")
    # A chart's rows are labelled by their text columns (region and type), not by the first one alone.
    assert moved[("survey.types.chart", "Flanders · A · share")] == ("0.4", "0.45")
    assert moved[("survey.types.chart", "Flanders · B · share")] == ("0.6", "0.55")
    assert moved[("survey.gone", "")] == ("7", None)
    assert not any(key in ("survey.response.n",) or item.startswith("Wallonia") for key, item in moved)


def test_release_notes_list_every_moved_value_and_every_changed_page(two_releases):
    first, second = releases.recorded(two_releases)
    notes = releases.notes(second, first)
    assert "- 39.9% → 41.2% (en)" in notes and "- 39,9 % → 41,2 % (nl)" in notes
    assert "- Flanders · Respondents: 126 → 130" in notes
    assert "Shown in: Academic book: The web survey; Research report (Nederlands): Resultaten." in notes
    assert "- 126 → 130" not in notes  # a cell is named by its row and column
    assert "The web survey (`chapters/survey`)" in notes and "editions/report-nl/findings" not in notes.split("## Prose")[1]
    assert "first recorded release" in releases.notes(first, None)


# -- The prose digest and the reviewer's diff ------------------------------------------------------------------

PAGE = """---
kernelspec:
  name: python3
---

% segment: intro
# A page

```{code-cell} ipython3
:tags: [remove-cell]
glue_numbers("survey")
print("not prose")
```

The rate is {glue}`survey.response.rate`, as **{cite:t}`smith2020`** found; see {doc}`the methods <methods>`.

:::{note}
:class: tip
A note's text is prose.
:::

- one item
- another item
"""


def test_prose_is_the_text_a_reader_reads_with_glued_numbers_shown():
    shown = {"survey.response.rate": "39,9 %"}
    assert prose.paragraphs(PAGE, shown.get) == [
        "A page", "The rate is 39,9 %, as [smith2020] found; see the methods.", "A note's text is prose.",
        "one item", "another item"]


def test_word_diff_marks_words_added_and_removed():
    diffed = prose.page_diff(["Hello world, the rate is 39.9%.", "Kept."], ["Hello brave world, the rate is 41.2%.",
                                                                              "Kept.", "New."])
    assert diffed[0] == [("same", "Hello "), ("added", "brave "), ("same", "world, the rate is "),
                         ("removed", "39.9"), ("added", "41.2"), ("same", "%.")]
    assert diffed[1:] == [[("same", "Kept.")], [("added", "New.")]]
    assert prose.counts(diffed) == {"added": 3, "removed": 1}


def test_diff_page_is_accessible_and_keeps_text_as_text():
    page = prose.diff_page("Title", "Summary", ["Notice"], ("../back.html", "Back"), "nl",
                           [[("same", "Kept "), ("removed", "old "), ("added", HOSTILE)]])
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">") and '<div lang="nl">' in page
    assert "<title>Title</title>" in page and "<main>" in page and "<h1>Title</h1>" in page
    # Said in words, not by colour alone; the page's text never becomes markup.
    assert '<del><span class="visually-hidden">start of removed text: </span>old ' in page
    assert "&lt;img src=x onerror=alert(1)&gt; *not emphasis* {cite}`nobody`" in page and "<img" not in page


# -- The "What changed" page, built strictly -------------------------------------------------------------------

def _build(source: Path, builder: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-b", builder,
                           "-d", str(out / ".doctrees"), str(source), str(out / builder)],
                          capture_output=True, text=True)


def _book(tmp_path: Path, records: Path, release: str) -> Path:
    source = tmp_path / "book"
    source.mkdir()
    shutil.copyfile(paths.CHAPTERS / "changes.md", source / "index.md")
    (source / "conf.py").write_text(
        f'extensions = ["myst_parser", "analysis.publication.sphinxext.releases"]\nbbox_releases = {str(records)!r}\n'
        f'project = "BBOX"\ncopyright = "2026"\nversion = release = {release!r}\n', encoding="utf-8")
    return source


@pytest.mark.build
def test_what_changed_page_builds_strictly_with_the_changes_and_links_to_each_diff(two_releases, tmp_path):
    source, out = _book(tmp_path, two_releases, "0.2.0"), tmp_path / "out"
    for builder in ("html", "epub"):
        built = _build(source, builder, out)
        assert built.returncode == 0, built.stderr
    page = (out / "html" / "index.html").read_text(encoding="utf-8")
    for expected in ("Version 0.2", "Version 0.1", "first release", "Response rate (survey.response.rate) [nl]",
                     "39,9 %", "41,2 %", "Flanders · Respondents", "Academic book: The web survey"):
        assert expected in page, expected
    assert 'href="releases/0.2/chapters/survey.html"' in page
    # each moved result's first line is the anchor its numbers' descriptions link to, once per result
    assert page.count(f'id="{releases.changelog_anchor("0.2", "survey.response.rate")}"') == 1
    assert f'id="{releases.changelog_anchor("0.2", "survey.response.by_region")}"' in page
    assert "editions/report-nl/findings.html" not in page  # its text did not change
    diff = (out / "html" / "releases" / "0.2" / "chapters" / "survey.html").read_text(encoding="utf-8")
    assert '<a href="../../../index.html">' in diff and "A paragraph that goes." in diff.split("<del>")[-1]
    assert "&lt;img src=x onerror=alert(1)&gt;" in diff
    epub = (out / "epub" / "index.xhtml").read_text(encoding="utf-8")
    assert "the reviewer’s diff, in the HTML edition" in epub and "releases/0.2" not in epub


@pytest.mark.build
def test_what_changed_page_of_the_first_release_says_there_is_nothing_to_compare(two_releases, tmp_path):
    shutil.rmtree(two_releases / "0.2")
    source, out = _book(tmp_path, two_releases, "0.1.0"), tmp_path / "out"
    built = _build(source, "html", out)
    assert built.returncode == 0, built.stderr
    page = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "This is the first release of the publication" in page and "not a recorded release" not in page
    assert not (out / "html" / "releases").exists()


# -- Citation metadata ------------------------------------------------------------------------------------------

def test_zenodo_metadata_come_from_the_citation_and_invent_no_doi(tmp_path):
    citation = tmp_path / "CITATION.cff"
    shutil.copyfile(paths.ROOT / "CITATION.cff", citation)
    releases.update_citation("2.3", "2027-05-04", citation)
    meta = yaml.safe_load(citation.read_text(encoding="utf-8"))
    assert (meta["version"], str(meta["date-released"])) == ("2.3.0", "2027-05-04")
    zenodo = releases.zenodo_metadata(meta)
    assert (zenodo["version"], zenodo["publication_date"], zenodo["title"]) == ("2.3.0", "2027-05-04", meta["title"])
    assert [c["name"] for c in zenodo["creators"]] == [a.get("name") or f"{a['family-names']}, {a['given-names']}"
                                                      for a in meta["authors"]] and "doi" not in zenodo
    # The rest of the file (its comments too) is kept.
    assert citation.read_text(encoding="utf-8").startswith((paths.ROOT / "CITATION.cff").read_text().split("\n")[0])


def test_the_committed_zenodo_metadata_agree_with_the_citation():
    committed = json.loads((paths.ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert committed == releases.zenodo_metadata(yaml.safe_load((paths.ROOT / "CITATION.cff").read_text("utf-8")))


def test_a_release_needs_a_proper_new_version(two_releases):
    for version, refusal in (("1", "must look like"), ("0.2", "already recorded"), ("0.1.5", "must come after")):
        with pytest.raises(releases.ReleaseError, match=refusal):
            releases.check_version(version, git=False, root=two_releases)
    releases.check_version("0.3", git=False, root=two_releases)


def test_the_version_a_release_sets_is_read_by_no_producer():
    """Setting the package version re-pins (the provenance of every result names it) but computes no result again:
    no producer imports the module that holds it, nor reads a file it is written in."""
    from analysis import codekeys
    from analysis.publication.releases.making import VERSION_FIELDS
    from analysis.results import registry

    code = codekeys.closure({producer.function.__module__ for producer in registry.producers().values()})
    assert "analysis.study" in code and "analysis.version" not in code
    read = {path.resolve() for module in code for path in codekeys.resources(module)[0]}
    assert not read & {(paths.ROOT / name).resolve() for name in VERSION_FIELDS}
    assert any(name.endswith("version.py") for name in VERSION_FIELDS)


# -- Two releases of a temporary copy, with a data change between them ---------------------------------------------

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Release test", "GIT_AUTHOR_EMAIL": "release-test@example.invalid",
                "GIT_COMMITTER_NAME": "Release test", "GIT_COMMITTER_EMAIL": "release-test@example.invalid"}
LAST_BENEFICIARIES = 160000  # the last period's integration-income beneficiaries, after the data change
PROSE_EDIT = ("Belgium had", "Belgium then had")  # a phrase the context chapter holds once


def _git(copy: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=copy, env={**os.environ, **GIT_IDENTITY}, check=True,
                          capture_output=True, text=True).stdout.strip()


def _copy_repository(target: Path) -> Path:
    """The working tree's files (tracked and new, not ignored), without its releases, as a new git repository."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=paths.ROOT, check=True,
                            capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        if not name.startswith("releases/") and (paths.ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(paths.ROOT / name, target / name)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-qm", "The publication, as copied")
    return target


def _where_shown(folder: Path) -> Path:
    """Build records of every edition: the income figures in the book's context chapter and the Dutch report."""
    from analysis.publication import editions

    records = {edition: {} for edition in editions.editions()}
    records["book"] = {"chapters/context": ["reference.income.chart", "reference.income.growth", "reference.income.last"]}
    records["report-nl"] = {"editions/report-nl/findings": ["reference.income.last"]}
    folder.mkdir()
    for edition, pages in records.items():
        (folder / f"{edition}.json").write_text(json.dumps(pages), encoding="utf-8")
    return folder


def _change_the_data(copy: Path) -> None:
    income = copy / "data" / "reference" / "integration_income.csv"
    lines = income.read_text(encoding="utf-8").splitlines()
    last = lines[-1].split(",")
    lines[-1] = ",".join([last[0], str(LAST_BENEFICIARIES), *last[2:]])
    income.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def released_copy(tmp_path_factory) -> tuple[Path, dict[str, subprocess.CompletedProcess]]:
    """Release 0.1 of a copy; change a data value, re-pin, edit a sentence; release 0.2 (refused while unfit)."""
    tmp = tmp_path_factory.mktemp("release")
    copy = _copy_repository(tmp / "copy")
    env = {key: value for key, value in os.environ.items() if key != "BBOX_DATA_DIR"}
    env.update(GIT_IDENTITY, PYTHONPATH=str(copy), BBOX_SHOWN_DIR=str(_where_shown(tmp / "shown")),
               BBOX_CACHE_DIR=str(tmp / "cache"))
    seed_results_cache(tmp / "cache")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", *args], cwd=copy, env=env, capture_output=True, text=True)

    done = {"0.1": run("analysis.publication.releases", "release", "0.1", "--no-build", "--date", "2026-01-10")}
    _change_the_data(copy)
    done["dirty"] = run("analysis.publication.releases", "release", "0.2", "--no-build")
    _git(copy, "commit", "-qam", "A data value changes")
    done["unverified"] = run("analysis.publication.releases", "release", "0.2", "--no-build")
    done["pin"] = run("analysis", "pin")
    context = copy / "chapters" / "context.md"
    prose = context.read_text(encoding="utf-8")
    assert prose.count(PROSE_EDIT[0]) == 1, f"chapters/context.md must hold {PROSE_EDIT[0]!r} once for this test"
    context.write_text(prose.replace(*PROSE_EDIT), encoding="utf-8")
    _git(copy, "commit", "-qam", "Re-pin after the data change; a sentence edited")
    cached = {str(p): p.stat().st_mtime_ns for p in (tmp / "cache" / "results").rglob("*.pickle")}
    (tmp / "cached-before-0.2.json").write_text(json.dumps(cached), encoding="utf-8")
    done["0.2"] = run("analysis.publication.releases", "release", "0.2", "--no-build", "--date", "2026-02-01")
    return copy, done


@pytest.mark.recompute
def test_release_is_refused_on_a_dirty_tree_or_pins_that_do_not_verify(released_copy):
    _, done = released_copy
    assert done["0.1"].returncode == 0, done["0.1"].stderr
    assert done["dirty"].returncode == 1 and "working tree is not clean" in done["dirty"].stderr
    assert "data/reference/integration_income.csv" in done["dirty"].stderr
    assert done["unverified"].returncode == 1 and "do not verify" in done["unverified"].stderr
    assert "reference.income.last" in done["unverified"].stderr


@pytest.mark.recompute
def test_changelog_names_each_moved_number_old_and_new_as_shown_and_where(released_copy):
    copy, done = released_copy
    assert done["0.2"].returncode == 0, done["0.2"].stdout + done["0.2"].stderr
    first, second = releases.recorded(copy / "releases")
    moved = {(m.key, m.item, m.languages): (m.old, m.new) for m in releases.moved_since(second, first)}
    pinned = json.loads((paths.RESULTS / "numbers.json").read_text(encoding="utf-8"))
    for lang in ("en", "nl"):  # the book in English, the report in Dutch: each its own text
        suffix = "" if lang == "en" else f"@{lang}"
        assert moved[("reference.income.last", "", (lang,))] == (
            pinned[f"reference.income.last{suffix}"]["shown"], i18n.decimal(LAST_BENEFICIARIES, 0, lang))
    # the last figure belongs to another published series than the first, and the rise is computed within one
    # series: the changed figure moves the last number and the chart, not the rise
    assert not any(key == "reference.income.growth" for key, _, _ in moved)
    last_period = (paths.DATA / "reference" / "integration_income.csv").read_text().splitlines()[-1].split(",")
    chart = json.loads((paths.RESULTS / "charts" / "reference.income.chart.vl.json").read_text(encoding="utf-8"))
    counted = next(name for name, value in next(iter(chart["datasets"].values()))[0].items()
                   if isinstance(value, (int, float)))  # the chart's column of beneficiaries, as its data names it
    assert moved[("reference.income.chart", f"{last_period[0]} · {counted}", ())] == (
        last_period[1], str(LAST_BENEFICIARIES))
    assert {key for key, _, _ in moved} >= {"reference.income.last", "reference.income.chart"}
    notes = (copy / "releases" / "0.2" / "NOTES.md").read_text(encoding="utf-8")
    context, report = (prose.title(paths.ROOT / f"{page}.md") for page in ("chapters/context", "editions/report-nl/findings"))
    assert (f"Shown in: Academic book: {context}; Research report (Nederlands): {report}." in notes)
    assert f"- {pinned['reference.income.last@nl']['shown']} → {i18n.decimal(LAST_BENEFICIARIES, 0, 'nl')} (nl)" in notes


@pytest.mark.recompute
def test_release_records_tags_and_cites_each_version(released_copy):
    copy, _ = released_copy
    assert _git(copy, "tag", "--list").split() == ["v0.1", "v0.2"]
    assert _git(copy, "status", "--porcelain") == ""  # everything the release wrote is committed
    assert "Re-pin: version 0.1.0 → 0.2.0" in _git(copy, "log", "--format=%s")
    assert 'version = "0.2.0"' in (copy / "pyproject.toml").read_text(encoding="utf-8")
    provenance = json.loads((copy / "results" / "provenance.json").read_text(encoding="utf-8"))
    assert {origin["version"] for origin in provenance.values()} == {"0.2.0"}
    # ... and no result was computed again for it: the cache holds what it held before release 0.2
    before = json.loads((copy.parent / "cached-before-0.2.json").read_text(encoding="utf-8"))
    assert {str(p): p.stat().st_mtime_ns for p in (copy.parent / "cache" / "results").rglob("*.pickle")} == before
    citation = yaml.safe_load((copy / "CITATION.cff").read_text(encoding="utf-8"))
    assert (citation["version"], str(citation["date-released"])) == ("0.2.0", "2026-02-01")
    assert json.loads((copy / ".zenodo.json").read_text(encoding="utf-8"))["version"] == "0.2.0"
    first, second = releases.recorded(copy / "releases")
    assert second.meta["previous"] == "0.1" and second.meta["commit"] == _git(copy, "rev-parse", "v0.2^")
    changed = {change["page"]: change for change in releases.prose_changes(second, first)}
    # The edited page, and every page whose prose glues a number that moved (in every language).
    gluing = {page for page in second.prose if any(printed in (copy / f"{page}.md").read_text(encoding="utf-8")
                                                   for name in ("last", "growth") for printed in
                                                   (f"{{glue}}`reference.income.{name}`", f'n("reference.income.{name}")'))}
    assert gluing >= {"editions/report-nl/findings", "editions/report-fr/findings"}
    assert set(changed) == {"chapters/context"} | gluing
    edited = next(paragraph for paragraph in changed["chapters/context"]["diff"] if ("added", "then ") in paragraph)
    assert not [text for kind, text in edited if kind == "removed"]
