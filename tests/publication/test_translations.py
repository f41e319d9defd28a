"""Translation as a workflow: English is the source; a changed English segment makes its translations stale."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from analysis import paths
from analysis.publication import translations


def _copy(tmp_path):
    """The translation config, its lock and every file it names, in a temporary root."""
    for name in (translations.CONFIG, translations.LOCK,
                 *{f for source, _, target in translations.pairs() for f in (source, target)}):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(paths.ROOT / name, tmp_path / name)
    return tmp_path


def test_every_translation_is_up_to_date():
    problems = translations.check()
    assert not problems, "\n".join(map(str, problems)) + "\nre-translate, then: python -m analysis translations --accept"


def test_every_short_edition_page_and_fixed_string_file_is_under_translation():
    from analysis.publication import editions

    sources = {source for source, _, _ in translations.pairs()}
    targets = {target for _, _, target in translations.pairs()}
    assert "analysis/i18n/en.yml" in sources and {"analysis/i18n/nl.yml", "analysis/i18n/fr.yml"} <= targets
    for name, pages in editions.pages_by_edition().items():
        for page in pages:
            if page.startswith("editions/"):
                assert f"{page}.md" in sources | targets, f"{name}: {page}.md is not in {translations.CONFIG}"


def test_editing_one_english_sentence_makes_its_translations_stale_until_accepted(tmp_path):
    root = _copy(tmp_path)
    assert translations.check(root) == []
    english = root / "editions/brochure/en.md"
    text = english.read_text(encoding="utf-8")
    sentence = "This brochure is for the people who work with newcomers"
    assert sentence in text
    english.write_text(text.replace(sentence, "This brochure is written for everyone who works with newcomers"),
                       encoding="utf-8")
    stale = {(p.file, p.column) for p in translations.check(root)}
    assert stale == {("editions/brochure/nl.md", "intro"), ("editions/brochure/fr.md", "intro")}
    assert "is stale" in str(translations.check(root)[0])
    translations.accept(root, "editions/brochure/nl.md", ["intro"])
    assert {(p.file, p.column) for p in translations.check(root)} == {("editions/brochure/fr.md", "intro")}
    translations.accept(root)
    assert translations.check(root) == []


def test_an_edited_fixed_string_makes_its_translations_stale(tmp_path):
    root = _copy(tmp_path)
    english = root / "analysis/i18n/en.yml"
    english.write_text(english.read_text(encoding="utf-8").replace('source: "Source"', 'source: "Sources"'),
                       encoding="utf-8")
    assert {(p.file, p.column) for p in translations.check(root)} == {
        ("analysis/i18n/nl.yml", "source"), ("analysis/i18n/fr.yml", "source")}


def test_missing_and_unknown_segments_are_named(tmp_path):
    root = _copy(tmp_path)
    dutch = root / "editions/brochure/nl.md"
    dutch.write_text(dutch.read_text(encoding="utf-8").replace("% segment: practice", "% segment: praktijk"),
                     encoding="utf-8")
    found = {(p.file, p.column): p.message for p in translations.check(root)}
    assert found[("editions/brochure/nl.md", "practice")].startswith("is missing")
    assert found[("editions/brochure/nl.md", "praktijk")].startswith("translates nothing")


def test_prose_outside_a_segment_is_refused_with_its_line(tmp_path):
    root = _copy(tmp_path)
    page = root / "editions/brochure/fr.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    marker = lines.index("% segment: intro")
    del lines[marker]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(translations.TranslationError, match=rf"editions/brochure/fr.md:{marker + 1}: prose outside a segment"):
        translations.check(root)


def test_the_command_lists_stale_segments_and_fails(tmp_path, monkeypatch):
    root = _copy(tmp_path)
    english = root / "editions/report/index.md"
    english.write_text(english.read_text(encoding="utf-8").replace("## Limitations", "## Limits"), encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", root)
    assert translations.main([]) == 1
    assert translations.main(["accept", "editions/report-nl/index.md", "limitations"]) == 0
    assert {(p.file, p.column) for p in translations.check(root)} == {("editions/report-fr/index.md", "limitations")}


def test_the_repository_command_passes():
    run = subprocess.run([sys.executable, "-m", "analysis", "translations"], cwd=paths.ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
