"""The terminology table: each language's texts use its terms and none of its forbidden variants."""

from __future__ import annotations

import shutil

import pytest

from analysis import i18n, paths
from analysis.publication import terminology, translations


def test_the_table_gives_every_concept_in_every_language():
    table = terminology.table()
    for concept in ("pcsw", "integration_income", "gpmi", "newcomer", "social_worker"):
        assert concept in table
        for lang in i18n.LANGUAGES:
            assert table[concept][lang]["use"], (concept, lang)
    assert "OCMW" in table["pcsw"]["nl"]["use"] and "CPAS" in table["pcsw"]["fr"]["use"]
    assert "nouveaux arrivants" in table["newcomer"]["fr"]["avoid"]


def test_every_edition_text_uses_its_terms_and_no_forbidden_variant():
    problems = terminology.check()
    assert not problems, "\n".join(problems)


def _copy(tmp_path):
    for name in (terminology.TABLE, translations.CONFIG, translations.LOCK, "data/datapackage.json",
                 *{f for source, _, target in translations.pairs() for f in (source, target)}):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(paths.ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("file, old, new, expected", [
    ("analysis/i18n/nl.yml", "gesimuleerde gegevens, aangemaakt", "vervangende gegevens, aangemaakt",
     "'vervangende gegevens'"),
    ("editions/brochure/fr.md", "travaillent avec les primo-arrivants", "travaillent avec les nouveaux arrivants",
     "'nouveaux arrivants'"),
    ("editions/report-nl/index.md", "Openbare Centra voor Maatschappelijk Welzijn (OCMW's)",
     "Openbare Centra voor Maatschappelijk Welzijn (CPAS)", "'CPAS'"),
    # the faults a Flemish and a Belgian-French reading found (issue 25): they cannot come back
    ("analysis/i18n/nl.yml", "door zijn verblijfsstatuut", "door zijn verblijfsstatus", "'verblijfsstatus'"),
    ("analysis/i18n/nl.yml", "types van aanpak, afgeleid", "types van lokale aanpak, afgeleid",
     "'types van lokale aanpak'"),
    ("analysis/i18n/fr.yml", "comme obstacle à l’accès au CPAS", "comme obstacle dans l’accès au CPAS",
     "\"obstacle dans l'accès\""),
    ("analysis/i18n/nl.yml", "wijzen de enquête en de interviews met nieuwkomers in dezelfde richting",
     "geven de enquête en de interviews met nieuwkomers elk gewest dezelfde rang", "'dezelfde rang'"),
    ("editions/brochure/fr.md", "l'intégration civique (inburgering) en Flandre", "l'inburgering en Flandre",
     "\"l'inburgering\""),
])
def test_a_forbidden_variant_is_named_with_file_and_segment(tmp_path, file, old, new, expected):
    root = _copy(tmp_path)
    terminology.table.cache_clear()
    text = (root / file).read_text(encoding="utf-8")
    assert old in text
    (root / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = terminology.check(root)
    assert any(p.startswith(f"{file}: segment") and expected in p for p in problems), problems


@pytest.mark.parametrize("lang, old, new, expected", [
    ("nl", "Hoe de beoordelingsruimte wordt ingevuld", "Hoe discretie wordt ingevuld", "'discretie'"),
    ("fr", "Comment la marge d'appréciation est encadrée", "Comment la discrétion est cadrée", "'discrétion'"),
    ("nl", "gewestelijke dienst voor arbeidsbemiddeling", "regionale dienst voor arbeidsbemiddeling",
     "'regionale dienst voor arbeidsbemiddeling'"),
])
def test_a_forbidden_variant_in_the_codebook_is_named(tmp_path, lang, old, new, expected):
    """Tables and charts show the codebook's titles and labels: they follow the terminology too."""
    root = _copy(tmp_path)
    terminology.table.cache_clear()
    package = root / "data/datapackage.json"
    text = package.read_text(encoding="utf-8")
    assert old in text
    package.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = terminology.check(root)
    assert any(p.startswith(f"data/datapackage.json ({lang}): segment") and expected in p for p in problems), problems


def test_a_translation_that_drops_a_concept_is_named(tmp_path):
    root = _copy(tmp_path)
    terminology.table.cache_clear()
    page = root / "editions/brochure/nl.md"
    page.write_text(page.read_text(encoding="utf-8").replace("leefloon", "uitkering"), encoding="utf-8")
    problems = terminology.check(root)
    assert any(p.startswith("editions/brochure/nl.md:") and "integration_income" in p for p in problems), problems


def test_a_term_broken_over_two_lines_is_still_the_term():
    from analysis.publication.terminology import _found

    assert _found("maatschappelijk werker", "met leidinggevenden en maatschappelijk\nwerkers, onderzoeken")
    assert not _found("maatschappelijk werker", "maatschappelijkwerkers")
