"""The case-study and newcomer results and chapters: protected everywhere, recovering what was planted,
numbers glued rather than typed, and no small count in any built artifact."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import paths, reads
from analysis.data import load
from analysis.producers import Result
from analysis.protection import disclosure
from analysis.publication import inline, lint
from analysis.results import registry
from analysis.study import cases, newcomers
from analysis.protection.disclosure import MARK, TOTAL

CHAPTERS = [paths.CHAPTERS / "cases.md", paths.CHAPTERS / "newcomers.md"]
PLANTED = json.loads((paths.PLANTED_TRUTH / "planted.json").read_text())
REGION_NAMES = {"FL": "Flanders", "WA": "Wallonia", "BR": "Brussels-Capital"}


def _plant_typology(patch: pytest.MonkeyPatch) -> pd.Series:
    """The planted types in place of the fitted typology, so that the expected disclosure is known exactly."""
    from analysis.study import survey

    types = pd.read_csv(paths.PLANTED_TRUTH / "survey_types.csv").set_index("pcsw_id")["planted_type"]

    def typology_membership() -> pd.DataFrame:
        return pd.DataFrame({"type": "Type " + types.astype(str), "class": types, "certainty": 0.9},
                            index=types.index)

    patch.setattr(survey, "typology_membership", typology_membership)
    return types


@pytest.fixture
def planted_typology(monkeypatch):
    reads.forget()  # the parts' plans made with the fitted typology
    yield _plant_typology(monkeypatch)
    reads.forget()  # and none made with the planted one outlives the test


@pytest.fixture(scope="module")
def produced() -> dict[str, Result]:
    """Every case result, computed once for the tests of this module on the planted typology, and every newcomer
    result as published (they read no typology: the registry serves them from the results cache)."""
    reads.forget()  # the parts' plans made with the fitted typology
    with pytest.MonkeyPatch.context() as patch:
        _plant_typology(patch)
        results = [*cases.design(), *cases.dimensions(), *cases.excerpts(), *cases.typology()]
    reads.forget()  # none made with the planted typology outlives the module
    return {**{result.key: result for result in results}, **registry.under("newcomers")}


def _is_small(cell, threshold=disclosure.THRESHOLD) -> bool:
    text = str(cell).strip()
    return bool(re.fullmatch(r"\d+", text)) and 0 < int(text) < threshold


def test_every_table_with_counts_is_protected_and_shows_no_small_count(produced):
    tables = [r for r in produced.values() if r.kind == "table"]
    protected = 0
    for result in tables:
        frame = result.value
        has_counts = any(isinstance(v, (int, np.integer)) for v in frame.to_numpy().ravel())
        if has_counts:
            assert frame.attrs.get("disclosure_threshold") == disclosure.THRESHOLD, f"{result.key} is not protected"
            protected += 1
        small = [(i, c) for c in frame.columns for i, v in frame[c].items() if _is_small(v)]
        assert not small, f"{result.key} shows small counts at {small}"
    assert protected >= 10


def test_every_published_count_is_zero_or_at_least_the_threshold(produced):
    counts = [r for r in produced.values() if r.kind == "number" and r.style == "count"]
    assert counts
    for result in counts:
        assert result.value == 0 or result.value >= disclosure.THRESHOLD, f"{result.key} = {result.value}"


def test_barrier_chart_leaves_out_exactly_the_hidden_cells(produced):
    table = produced["newcomers.themes.by_region"].value
    barriers = {newcomers.compute.field(t).title() for t in newcomers.themes() if t.startswith("barrier_")}
    rows = table[table["Theme"].isin(barriers)]
    shown = {(r.Theme, r.Group) for r in rows.itertuples() if r.Share != MARK}
    hidden = {(r.Theme, r.Group) for r in rows.itertuples() if r.Share == MARK}
    plotted = {(d["Theme"], d["Group"]) for d in _chart_rows(produced["newcomers.themes.barriers"].value)}
    assert plotted == shown and hidden and not plotted & hidden


def _chart_rows(spec: dict) -> list[dict]:
    return spec["datasets"][next(iter(spec["datasets"]))]


def test_theme_prevalence_recovers_the_planted_regional_prevalence(produced):
    table = produced["newcomers.themes.by_region"].value
    misses, checked = [], 0
    for theme, by_region in PLANTED["barrier_prevalence_by_region"].items():
        for region, truth in by_region.items():
            row = table[(table["Theme"] == newcomers.compute.field(theme).title()) & (table["Group"] == REGION_NAMES[region])]
            interval = row["95% interval (Wilson)"].iloc[0]
            if interval == MARK:
                continue
            low, high = (float(v.strip(" []%")) / 100 for v in interval.split(","))
            checked += 1
            if not low <= truth <= high:
                misses.append((theme, region, truth, interval))
    assert checked >= 20
    assert len(misses) <= 0.1 * checked, misses  # a 95% interval misses now and then, not often


def test_wilson_interval_matches_known_values():
    low, high = newcomers.wilson(0, 10)
    assert low == pytest.approx(0) and high == pytest.approx(0.2775, abs=1e-4)
    low, high = newcomers.wilson(5, 10)
    assert (low, high) == pytest.approx((0.2366, 0.7634), abs=1e-4)


def test_satisfaction_recovers_the_planted_drivers(produced):
    results = produced
    # planted: satisfaction rises with trust and falls with perceived arbitrariness
    assert results["newcomers.satisfaction.trust.p"].value < 0.01
    assert results["newcomers.satisfaction.trust.effect"].value > 0.3
    assert results["newcomers.satisfaction.arbitrariness.p"].value < 0.05
    assert results["newcomers.satisfaction.arbitrariness.effect"].value < -0.2
    assert 0.7 < results["newcomers.satisfaction.alpha"].value < 1  # five items driven by one latent score
    tests = results["newcomers.satisfaction.tests"].value
    assert list(tests["Test"]) == ["Kruskal–Wallis", "Kruskal–Wallis", "Mann–Whitney", "Mann–Whitney"]


def test_typology_link_uses_the_typology_interface(planted_typology, produced):
    results = produced
    selection = results["cases.typology.selection"].value.set_index("Survey type")
    case_frame = load.table("cases")
    planted = planted_typology.loc[case_frame["pcsw_id"]].astype(str)
    # the cases name each type as the survey's tables do: "1. Type 1"
    truth = pd.crosstab((planted + ". Type " + planted).to_numpy(), case_frame["region"].to_numpy())
    if list(selection.columns) == ["Cases"]:  # by type only: the linked audit refused the split by region
        assert "type only" in results["cases.typology.selection"].note
        for type_label, n in truth.sum(axis=1).items():
            assert selection.at[type_label, "Cases"] in (MARK, n)
        assert selection.at[TOTAL, "Cases"] == len(case_frame)
    else:
        for type_label in truth.index:
            for region, name in REGION_NAMES.items():
                shown = selection.at[type_label, name]
                assert shown == MARK or shown == truth.at[type_label, region]
        assert list(selection.loc[TOTAL, list(REGION_NAMES.values())]) == \
            [int((case_frame["region"] == r).sum()) for r in REGION_NAMES]
    profile = results["cases.typology.profile"].value.set_index("Survey type")
    for type_label, n in truth.sum(axis=1).items():
        if 0 < n < disclosure.THRESHOLD:
            assert set(profile.loc[type_label]) == {MARK}, f"{type_label} has {n} cases and must be hidden"
    assert results["cases.typology.certainty"].value == pytest.approx(0.9)


def test_excerpts_are_chosen_by_code_from_cases_at_the_most_common_level():
    excerpts = cases.excerpts()[0].value
    case_frame = load.table("cases").set_index("case_id")
    coded = load.table("case_excerpts").set_index("text")
    levels = cases.compute.modal_levels(cases._plan()["cases.dimensions.table"].protected())
    assert len(excerpts) == len(cases.compute.DIMENSIONS)
    assert any(levels.values()) and None in levels.values()  # both kinds of row are checked
    for dimension, row in zip(cases.compute.DIMENSIONS, excerpts.itertuples()):
        if levels[dimension] is None:  # a hidden count withholds the level, and so the excerpt
            assert (row.Speaker, row.Excerpt) == ("–", "–")
            continue
        source = coded.loc[row.Excerpt]
        assert source["code"] == dimension
        assert case_frame.at[source["case_id"], dimension] in levels[dimension]


def test_no_excerpt_is_shown_where_none_at_the_level_passes_the_identifier_check():
    case_frame = load.table("cases").set_index("case_id")
    coded = load.table("case_excerpts").assign(text="Call me on 0470 12 34 56")  # every excerpt names a phone
    levels = {dimension: tuple(case_frame[dimension].iloc[:1]) for dimension in cases.compute.DIMENSIONS}
    chosen = cases.compute.choose_excerpts(case_frame, coded, levels)
    assert chosen["text"].isna().all() and list(chosen["level"]) == list(levels.values())
    shown = cases.present.excerpts(chosen)[0].value
    assert set(shown["Excerpt"]) == {"–"}


def test_the_excerpts_name_the_level_the_prose_names():
    """The excerpt table's level and the glued words of the chapter come from the same choice."""
    excerpts = cases.excerpts()[0].value
    for dimension, shown in zip(cases.compute.DIMENSIONS, excerpts["Most common level"]):
        assert shown == registry.get(f"cases.dimensions.modal.{dimension}").value, dimension


def test_a_type_profile_names_a_level_only_when_no_count_among_its_cases_is_under_the_threshold():
    six = pd.DataFrame({"network": [1] * 6})
    assert cases.compute.modal_among(six, "network") == (1,)
    assert cases.compute.modal_among(pd.DataFrame({"network": [1] * 5 + [2]}), "network") is None
    assert cases.compute.modal_among(pd.DataFrame({"network": [1] * 5 + [2] * 5}), "network") == (1, 2)
    assert cases.compute.modal_among(six.iloc[:0], "network") == ()


# -- Chapters -------------------------------------------------------------------------------------

@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_chapter_numbers_are_printed_not_typed(chapter):
    text = chapter.read_text(encoding="utf-8")
    printed = [inline.parse(expression) for expression in inline.ROLE.findall(text)]
    assert len(printed) >= 5 and None not in printed
    for function, key in printed:
        assert registry.get(key).kind == inline.KIND[function], key
    for key in re.findall(r'show\("([a-z_.]+)"\)', text):
        assert registry.get(key).kind in ("table", "chart"), key
    assert lint.typed_numbers([chapter]) == []


def test_chapters_follow_the_context_chapter_in_the_book():
    toc = (paths.ROOT / "_toc.yml").read_text(encoding="utf-8")
    files = re.findall(r"file: (\S+)", toc)
    assert files.index("chapters/cases") > files.index("chapters/context")
    assert files.index("chapters/newcomers") == files.index("chapters/cases") + 1


# -- Built artifacts ------------------------------------------------------------------------------

def _protected_keys_shown() -> dict[str, str]:
    """{key: title} of every protected table the chapters show."""
    keys = {}
    for chapter in CHAPTERS:
        for key in re.findall(r'show\("([a-z_.]+)"\)', chapter.read_text(encoding="utf-8")):
            result = registry.get(key)
            if result.kind == "table" and result.value.attrs.get("disclosure_threshold"):
                keys[key] = result.title
    return keys


def _pages(artifact: Path, fmt: str):
    """(name, markup) of each page of an HTML or EPUB artifact."""
    if fmt == "html":
        for page in sorted(artifact.parent.rglob("*.html")):
            yield str(page), page.read_text(encoding="utf-8")
    else:
        with zipfile.ZipFile(artifact) as book:
            for member in book.namelist():
                if member.endswith((".xhtml", ".html")):
                    yield member, book.read(member).decode("utf-8")


def _protected_tables_in_pages(artifact: Path, fmt: str) -> dict[str, list[str]]:
    """{table id: every cell's text} of the tables marked protected."""
    found = {}
    for name, markup in _pages(artifact, fmt):
        for table in BeautifulSoup(markup, "html.parser").select("table.bbox-protected"):
            found[table.get("id") or f"{name}#{len(found)}"] = [c.get_text(" ", strip=True)
                                                               for c in table.select("td, th")]
    return found


def _protected_tables_in_pdf(artifact: Path, titles: dict[str, str]) -> dict[str, list[str]]:
    """{key: the words from the table's caption to its source line} of each protected table found."""
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(artifact), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    pages = []
    for page in text.split("\f"):
        lines = [line for line in page.splitlines() if line.strip()]
        pages.append("\n".join(lines[:-1]))  # the last line is the footer with the page number
    words = " ".join(pages).split()
    flat = " ".join(words)
    found = {}
    for key, title in titles.items():
        at = flat.rfind(" ".join(title.split()))  # the last: the list of tables in the front matter names it first
        if at < 0:
            continue
        after = flat[at + len(" ".join(title.split())):].split()
        end = next((i for i, w in enumerate(after) if w.startswith("Source:")), len(after))
        found[key] = after[:end]
    return found


@pytest.mark.build
def test_no_built_artifact_shows_a_small_count_in_a_protected_table(artifacts):
    expected = _protected_keys_shown()
    assert len(expected) >= 10
    for (edition, fmt), artifact in artifacts.items():
        if fmt == "pdf":
            tables = _protected_tables_in_pdf(artifact, expected)
        else:
            ids = {re.sub(r"[._]", "-", key): key for key in expected}  # docutils ids: dots and underscores → -
            tables = {ids.get(i, i): cells for i, cells in _protected_tables_in_pages(artifact, fmt).items()}
        for key, cells in tables.items():
            small = [c for c in cells if _is_small(c)]
            assert not small, f"{edition} {fmt}: table {key} shows counts under the threshold: {small}"
        if edition == "book":
            missing = set(expected) - set(tables)
            assert not missing, f"book {fmt}: protected tables not found in the output: {sorted(missing)}"
            assert any(MARK in cells for cells in tables.values()), "the stand-in data hide some cells"


@pytest.mark.build
def test_no_built_artifact_holds_a_direct_identifier(artifacts):
    from analysis.protection import identifiers

    targets = [a.parent if fmt == "html" else a for (_, fmt), a in artifacts.items()]
    assert identifiers.scan(targets) == []
