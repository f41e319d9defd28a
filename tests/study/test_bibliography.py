"""The bibliography: its checks (on the real file and on broken copies), its overview, the glossary, and a strict
build that refuses a citation of a missing key."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from analysis import i18n, paths
from analysis.results import freshness, registry
from analysis.study import literature
from analysis.data.codebook import codebook
from analysis.data.load import table

ARTICLE = """@article{newentry2020,
  keywords = {deservingness},
  author   = {Doe, Jane},
  title    = {A Title Nobody Else Has},
  journal  = {Some Journal},
  year     = {2020}
}
"""


@pytest.fixture
def bib_copy(tmp_path):
    """A writable copy of references.bib and its verification record."""
    shutil.copyfile(paths.BIBLIOGRAPHY, tmp_path / "references.bib")
    shutil.copyfile(paths.ROOT / literature.VERIFICATION_NAME, tmp_path / literature.VERIFICATION_NAME)
    return tmp_path / "references.bib"


def _add_entry(bib, text, key):
    bib.write_text(bib.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    record = bib.parent / literature.VERIFICATION_NAME
    record.write_text(record.read_text(encoding="utf-8") + f"{key}\ttest\thttps://example.org\tseen\t\n",
                      encoding="utf-8")


def _line_of(bib, key):
    for number, line in enumerate(bib.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(rf"@\w+\{{{re.escape(key)},", line):
            return number
    raise AssertionError(key)


def _problems(bib, files=()):
    return [str(p) for p in literature.check(bib, files=list(files)).problems]


def test_the_bibliography_and_every_citation_pass():
    report = literature.check()
    assert report.ok, "\n".join(map(str, report.problems))
    assert report.entries == len(literature.parse().entries)


def test_every_cited_key_of_every_edition_is_found():
    cited = literature.citations(paths.page_sources())
    keys = {entry.key for entry in literature.parse().entries}
    assert cited, "no citation found: the citation pattern no longer matches the sources"
    assert set(cited) <= keys
    assert any(file.startswith("chapters/literature.md") for places in cited.values() for file, _ in places)


def test_the_bibliography_page_shows_cited_entries_only_and_unused_ones_are_reported(bib_copy):
    # The bibliography page lists cited entries (no :all:), so an entry cited nowhere is reported, not refused.
    assert ":all:" not in (paths.CHAPTERS / "bibliography.md").read_text(encoding="utf-8")
    _add_entry(bib_copy, ARTICLE, "newentry2020")
    report = literature.check(bib_copy)
    assert report.ok, "\n".join(map(str, report.problems))
    assert "newentry2020" in report.unused


FAULTS = {
    "missing journal": (lambda t: t.replace("  journal  = {Some Journal},\n", ""), "@article needs the field journal"),
    "missing year": (lambda t: t.replace("  year     = {2020}\n", ""), "@article needs the field year"),
    "bad year": (lambda t: t.replace("{2020}", "{2020a}"), "not a four-digit year"),
    "unknown theme": (lambda t: t.replace("{deservingness}", "{deservingnes}"), "unknown theme 'deservingnes'"),
    "no theme": (lambda t: t.replace("  keywords = {deservingness},\n", ""), "no review theme"),
    "unknown type": (lambda t: t.replace("@article", "@phdthesis"), "entry type @phdthesis has no rule"),
    "malformed DOI": (lambda t: t.replace("  year", "  doi      = {https://doi.org/10.1111/padm.12374},\n  year"),
                      "malformed DOI"),
    "duplicate DOI": (lambda t: t.replace("  year", "  doi      = {10.1111/padm.12374},\n  year"),
                      "duplicate DOI 10.1111/padm.12374 (also raaphorst2018tax)"),
    "duplicate title": (lambda t: t.replace("A Title Nobody Else Has", "Street-level {B}ureaucracy and Public "
                                            "Accountability"), "duplicate title (also hupe2007street)"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_named_with_file_line_and_key(bib_copy, fault):
    change, message = FAULTS[fault]
    _add_entry(bib_copy, change(ARTICLE), "newentry2020")
    problems = _problems(bib_copy)
    expected = f"{bib_copy}:{_line_of(bib_copy, 'newentry2020')}:newentry2020: "
    assert any(p.startswith(expected) and message in p for p in problems), problems


def test_a_duplicate_key_is_refused(bib_copy):
    _add_entry(bib_copy, ARTICLE.replace("newentry2020", "hupe2007street"), "hupe2007street")
    problems = _problems(bib_copy)
    assert any(":hupe2007street: duplicate entry" in p for p in problems), problems


def test_another_edition_is_not_a_duplicate_but_the_same_work_twice_is(bib_copy):
    # The seed's two Lipsky entries are two editions (different years, one names its edition): allowed.
    assert not any("lipsky" in p for p in _problems(bib_copy))
    lipsky = """@book{lipsky1980again,
  keywords  = {street-level},
  author    = {Lipsky, Michael},
  title     = {Street-Level Bureaucracy: Dilemmas of the Individual in Public Services},
  publisher = {Russell Sage Foundation},
  year      = {1980}
}
"""
    _add_entry(bib_copy, lipsky, "lipsky1980again")
    problems = _problems(bib_copy)
    assert any(":lipsky1980again: duplicate title (also lipsky1980street" in p for p in problems), problems


def test_an_entry_without_a_verification_row_is_refused(bib_copy):
    bib_copy.write_text(bib_copy.read_text(encoding="utf-8") + "\n" + ARTICLE, encoding="utf-8")
    problems = _problems(bib_copy)
    assert any("references-verification.tsv:-:newentry2020: entry has no verification row" in p
               for p in problems), problems


def test_a_citation_of_a_missing_key_names_file_line_and_key(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# A page\n\nAs shown before {cite:p}`lipsky1980street, nosuchkey2099`.\n", encoding="utf-8")
    problems = _problems(paths.BIBLIOGRAPHY, [page])
    assert problems == [f"{page}:3:nosuchkey2099: cited but not in references.bib"]


def test_bibcheck_command_exit_codes(bib_copy):
    ok = subprocess.run([sys.executable, "-m", "analysis", "bibcheck"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    _add_entry(bib_copy, FAULTS["missing journal"][0](ARTICLE), "newentry2020")
    bad = subprocess.run([sys.executable, "-m", "analysis", "bibcheck", str(bib_copy)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "newentry2020: @article needs the field journal" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_a_changed_bibliography_recomputes_the_literature_results(bib_copy, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "BIBLIOGRAPHY", bib_copy)
    monkeypatch.setattr(paths, "CACHE", tmp_path / "cache")
    registry.under("literature.overview")
    assert freshness.valid_entry("literature.overview", "analysis.study.literature", "en") is not None
    _add_entry(bib_copy, ARTICLE, "newentry2020")
    cached = freshness.entry("literature.overview", "analysis.study.literature", "en")
    assert freshness.stale_because(cached, "en") == freshness.codekeys.relative(bib_copy)


def test_the_overview_is_computed_from_the_keywords():
    entries = literature.parse().entries
    themes = [literature.themes_of(e) for e in entries]
    assert registry.get("literature.overview.entries").value == len(entries)
    by_theme = registry.get("literature.overview.by_theme").value
    assert list(by_theme["Theme"]) == [i18n.text(f"literature.theme.{t}") for t in literature.THEMES]
    for theme in literature.THEMES:
        expected = sum(theme in t for t in themes)
        assert by_theme.set_index("Theme").loc[i18n.text(f"literature.theme.{theme}"), "All types"] == expected
        assert registry.get(f"literature.overview.theme.{theme.replace('-', '_')}").value == expected
    by_decade = registry.get("literature.overview.by_decade").value
    assert by_decade["All types"].sum() == len(entries)
    type_columns = [c for c in by_decade.columns if c not in ("Decade", "All types")]
    assert (by_decade[type_columns].sum(axis=1) == by_decade["All types"]).all()
    assert registry.get("literature.overview.multi_theme").value == sum(len(t) > 1 for t in themes)
    assert "references.bib" in registry.get("literature.overview.entries").data


def test_entries_are_put_in_decades_and_the_undated_last(bib_copy):
    _add_entry(bib_copy, ARTICLE.replace("2020}", "1999}"), "newentry2020")
    frame = literature.compute.entries(bib_copy).set_index("key")
    assert frame.loc["newentry2020", "decade"] == 1990
    assert frame.loc["lipsky1980street", "decade"] == 1980
    assert pd.isna(frame.loc["cgrs_decisions", "decade"])
    decades = literature.compute.decades(frame)
    assert decades[:2] == [1970, 1980] and 1990 in decades and pd.isna(decades[-1])
    assert [literature.present.decade_label(d, "en") for d in (1990, pd.NA)] == ["1990s", "undated"]
    assert [literature.present.decade_label(d, "nl") for d in (1990, pd.NA)] == ["jaren 1990", "zonder jaartal"]


@pytest.mark.parametrize("lang", ["en", "nl", "fr"])
def test_the_glossary_table_is_in_the_readers_language(lang):
    terms = table("glossary")
    shown = registry.get("literature.glossary.table", lang).value
    resource = codebook()["glossary"]
    assert len(shown) == len(terms) == registry.get("literature.glossary.terms", lang).value
    first = shown.columns[0]
    assert first == resource.field(lang).title(lang)
    assert list(shown[first]) == sorted(terms[lang], key=str.lower)
    assert shown.columns[-1] == resource.field("source").title(lang)


def test_every_glossary_term_is_sourced_in_three_languages():
    terms = table("glossary")
    for row in terms.itertuples():
        for column in ("en", "nl", "fr", "definition", "source"):
            assert str(getattr(row, column)).strip(), f"glossary.csv: {row.term_id}: empty {column}"
        assert all(url.strip().startswith("http") for url in row.source_url.split(" ; ")), row.term_id
    assert "article_60" in set(terms["term_id"])


@pytest.mark.build
def test_a_citation_of_a_missing_key_fails_the_strict_build(tmp_path, monkeypatch):
    """Copy the book's sources, cite a key that is not in references.bib, build strict: it fails naming the key."""
    from analysis.publication import editions

    root = tmp_path / "book"
    root.mkdir()
    for name in ("_config.yml", "index.md", "references.bib"):
        shutil.copyfile(paths.ROOT / name, root / name)
    shutil.copytree(paths.EDITIONS, root / "editions")
    (root / "chapters").mkdir()
    shutil.copyfile(paths.CHAPTERS / "bibliography.md", root / "chapters" / "bibliography.md")
    (root / "chapters" / "broken.md").write_text(
        "# A broken page\n\nThis sentence cites a reference that does not exist {cite:p}`nosuchkey2099`.\n",
        encoding="utf-8")
    (root / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: chapters/broken\n"
                                   "  - file: chapters/bibliography\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(paths, "EDITIONS", root / "editions")
    monkeypatch.setattr(paths, "BUILD", root / "_build")
    # The build's records of what each page showed go to the copy too: this repository's own, which seed the copies
    # other tests build, must not be replaced by the broken book's.
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path / "shown"))
    with pytest.raises(SystemExit) as failure:
        editions.build("book", "html")
    assert (tmp_path / "shown" / "book.json").exists()
    assert "nosuchkey2099" in str(failure.value)
    assert "could not find bibtex key" in str(failure.value)
