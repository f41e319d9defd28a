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
    for name in (terminology.TABLE, terminology.EDITIONS, terminology.GLOSSARY, translations.CONFIG, translations.LOCK,
                 "data/datapackage.json",
                 *{f for source, _, target in translations.pairs() for f in (source, target)}):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(paths.ROOT / name, tmp_path / name)
    return tmp_path


def problems_after_edit(tmp_path, file: str, old: str, new: str) -> list[str]:
    """What the terminology check finds in a copy of the repository where ``file`` says ``new`` for ``old``."""
    root = _copy(tmp_path)
    terminology.table.cache_clear()
    text = (root / file).read_text(encoding="utf-8")
    assert old in text
    (root / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return terminology.check(root)


@pytest.mark.parametrize("file, old, new, expected", [
    ("analysis/i18n/nl.yml", "gesimuleerde gegevens, aangemaakt", "vervangende gegevens, aangemaakt",
     "'vervangende gegevens'"),
    ("editions/brochure/fr.md", "travaillent avec les primo-arrivants", "travaillent avec les nouveaux arrivants",
     "'nouveaux arrivants'"),
    ("editions/report-nl/index.md", "openbare centra voor maatschappelijk welzijn (OCMW's)",
     "openbare centra voor maatschappelijk welzijn (CPAS)", "'CPAS'"),
    # the faults a Flemish and a Belgian-French reading found (issue 25): they cannot come back
    ("analysis/i18n/nl.yml", "wegens zijn verblijfsstatuut", "wegens zijn verblijfsstatus", "'verblijfsstatus'"),
    ("analysis/i18n/nl.yml", "types van aanpak, afgeleid", "types van lokale aanpak, afgeleid",
     "'types van lokale aanpak'"),
    ("analysis/i18n/fr.yml", "comme obstacle à l’accès au CPAS", "comme obstacle dans l’accès au CPAS",
     "\"obstacle dans l'accès\""),
    ("analysis/i18n/nl.yml", "wijzen de enquête en de interviews met nieuwkomers in dezelfde richting",
     "geven de enquête en de interviews met nieuwkomers elk gewest dezelfde rang", "'dezelfde rang'"),
    # a name marked with its language is read as its words: the markup hides no forbidden variant
    ("editions/brochure/fr.md", "le parcours d'intégration civique ({lang}`nl:inburgering`) en Flandre",
     "l'{lang}`nl:inburgering` en Flandre",
     "\"l'inburgering\""),
    # recommendations say who should do what, not what someone "can" do; no PCSW knows its type
    ("analysis/i18n/nl.yml", "De integratiediensten en de OCMW’s zouden samen moeten afspreken",
     "Samen kunnen de integratiediensten en de OCMW’s afspreken", "'kunnen de integratiediensten'"),
    ("analysis/i18n/nl.yml", "De integratiediensten en de OCMW’s zouden samen moeten afspreken",
     "Wij raden de integratiediensten en de OCMW’s aan om samen af te spreken", "'wij raden'"),
    ("analysis/i18n/fr.yml", "Les services d’intégration et les CPAS devraient convenir ensemble",
     "Les services d’intégration et les CPAS peuvent convenir ensemble",
     "\"les services d'intégration et les CPAS peuvent\""),
    ("editions/report-nl/index.md", "Elke aanbeveling noemt wie ze aanspreekt",
     "Elk OCMW kan zijn aanpak vergelijken met die van de andere types.", "'elk OCMW kan zijn aanpak vergelijken'"),
    ("editions/report-fr/index.md", "Chaque recommandation désigne l'acteur auquel elle s'adresse",
     "Chaque CPAS peut comparer sa pratique à celle des autres types.", "'chaque CPAS peut comparer'"),
    # a closed compound in Dutch
    ("analysis/i18n/nl.yml", "Wat de latenteklassenanalyse vindt", "Wat de latente-klassenanalyse vindt",
     "'latente-klassenanalyse'"),
    # the council or its committee decides, not the social worker
    ("analysis/i18n/nl.yml", "en zou het bijzonder comité voor de sociale dienst elk jaar",
     "zodat twee maatschappelijk werkers op dezelfde manier beslissen, en zou het bijzonder comité elk jaar",
     "'twee maatschappelijk werkers'"),
    ("analysis/i18n/fr.yml", "le comité spécial du service social devrait vérifier chaque année",
     "afin que deux assistants sociaux statuent de la même manière, le comité devrait vérifier chaque année",
     "'deux assistants sociaux'"),
    # one body per task: the council lays down the rules, the special committee checks the files
    ("analysis/i18n/nl.yml", "zou de raad voor maatschappelijk welzijn schriftelijk moeten vastleggen",
     "zou de OCMW-raad of het bijzonder comité voor de sociale dienst schriftelijk moeten vastleggen",
     "'De OCMW-raad of het bijzonder comité'"),
    # the circular on the GPMI exists: the PPS should update it
    ("analysis/i18n/fr.yml", "Le SPP Intégration sociale devrait actualiser sa circulaire",
     "Le SPP Intégration sociale publie une circulaire", "'publie une circulaire'"),
    # the Walloon programme has a Dutch name; hidden counts are the statistical secret; the period is the research's
    ("analysis/i18n/nl.yml", "Het verplichte Waalse integratietraject voor nieuwkomers",
     "Het parcours d’intégration voor nieuwkomers", "\"het parcours d'intégration\""),
    ("analysis/i18n/nl.yml", "Drempel voor het statistisch geheim", "Drempel voor statistische geheimhouding",
     "'statistische geheimhouding'"),
    ("analysis/i18n/fr.yml", "CPAS par région pendant la recherche", "CPAS par région pendant l’étude",
     "\"pendant l'étude\""),
    # an edition is named as a reader names it, not by its file
    ("editions/brochure/nl.md", "Deze brochure bestaat ook in het Frans en in het Engels.",
     "Deze brochure bestaat ook in het Frans en in het Engels (bbox-brochure-fr, bbox-brochure-en).",
     "'bbox-brochure-fr'"),
    # one label per survey type and per coded barrier, in tables and sentences alike
    ("analysis/i18n/fr.yml", "offre réduite dans tous les domaines",
     "en retrait des autres dans tous les domaines", "'en retrait des autres'"),
    # a type marked by one practice reads as French and Dutch write it, not as a quoted survey item
    ("analysis/i18n/fr.yml", 'survey.type.item: "{item}"', 'survey.type.item: "marqué par la pratique « {item} »"',
     "'marqué par la pratique'"),
    ("analysis/i18n/nl.yml", '"gericht op {item}"', '"vooral gericht op {item}"', "'vooral gericht op'"),
    ("analysis/i18n/nl.yml", 'theme.barrier_arbitrariness: "ervaren willekeur"',
     'theme.barrier_arbitrariness: "beslissingen die willekeurig lijken"', "'beslissingen die willekeurig lijken'"),
    ("analysis/i18n/fr.yml", 'theme.barrier_arbitrariness: "l’arbitraire perçu"',
     'theme.barrier_arbitrariness: "des décisions perçues comme arbitraires"',
     "'décisions perçues comme arbitraires'"),
])
def test_a_forbidden_variant_is_named_with_file_and_segment(tmp_path, file, old, new, expected):
    problems = problems_after_edit(tmp_path, file, old, new)
    assert any(p.startswith(f"{file}: segment") and expected in p for p in problems), problems


@pytest.mark.parametrize("lang, old, new, expected", [
    ("nl", "bijzonder comité voor de sociale dienst,", "bijzonder comité voor de sociale dienst (BCSD),", "'BCSD'"),
])
def test_a_forbidden_variant_in_the_glossary_is_named(tmp_path, lang, old, new, expected):
    """The brochures' glossaries show the glossary's names of the terms: they follow the terminology too."""
    problems = problems_after_edit(tmp_path, terminology.GLOSSARY, old, new)
    assert any(p.startswith(f"{terminology.GLOSSARY} ({lang}): segment") and expected in p for p in problems), problems


@pytest.mark.parametrize("lang, old, new, expected", [
    ("nl", "Omkadering van de beoordelingsruimte", "Omkadering van de discretie", "'discretie'"),
    ("fr", "Encadrement de la marge d’appréciation", "Encadrement de la discrétion", "'discrétion'"),
    ("nl", "in teamoverleg bepaald", "in het team onderhandeld", "'in het team onderhandeld'"),
    ("fr", "concertation en équipe", "négociée en équipe", "'négociée en équipe'"),
    ("fr", "concertation en équipe", "concertée en équipe", "'concertée en équipe'"),
    ("nl", "gewestelijke dienst voor arbeidsbemiddeling", "regionale dienst voor arbeidsbemiddeling",
     "'regionale dienst voor arbeidsbemiddeling'"),
    ("nl", "Tewerkstelling via art. 60, § 7", "Tewerkstelling onder art. 60, § 7", "'tewerkstelling onder art. 60'"),
    ("fr", "l’art. 60, § 7 pour", "l’art. 60 §7 pour", "'art. 60 §7'"),
    ("nl", "niet-naleven van het GPMI", "niet-naleven van het integratieproject", "'het integratieproject'"),
    ("nl", "niet-naleven van het GPMI", "niet naleven van het GPMI", "'niet naleven'"),
    ("fr", "non-respect du PIIS", "non-respect du projet d’intégration", "\"du projet d'intégration\""),
    ("fr", '"label_fr": "Région de Bruxelles-Capitale"', '"label_fr": "Bruxelles-Capitale"', "'· Bruxelles-Capitale'"),
    ("nl", "Aanvullende hulp die het bijzonder comité geval per geval toekent",
     "Extra hulp per geval beslist door het bijzonder comité", "'extra hulp per geval'"),
])
def test_a_forbidden_variant_in_the_codebook_is_named(tmp_path, lang, old, new, expected):
    """Tables and charts show the codebook's titles and labels: they follow the terminology too."""
    problems = problems_after_edit(tmp_path, "data/datapackage.json", old, new)
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


@pytest.mark.parametrize("lang, old, new, expected", [
    ("nl", "Onderzoeksrapport: de OCMW’s en nieuwkomers", "Onderzoeksrapport: de OCMW’s en nieuwe migranten/vluchtelingen",
     "'nieuwe migranten'"),
    ("fr", "Rapport de recherche\u00a0: les CPAS et les primo-arrivants", "Rapport de recherche\u00a0: les CPAS et les nouveaux migrants/réfugiés",
     "'nouveaux migrants'"),
])
def test_a_forbidden_variant_in_an_edition_title_is_named(tmp_path, lang, old, new, expected):
    """A cover speaks the edition's terms: nieuwkomers / primo-arrivants, as the pages do (issue 25)."""
    problems = problems_after_edit(tmp_path, terminology.EDITIONS, old, new)
    assert any(p.startswith(f"{terminology.EDITIONS} ({lang}): segment") and expected in p for p in problems), problems


def test_a_dutch_or_french_percent_never_breaks_from_its_number():
    """"95 %" is set with a no-break space in Dutch and French (issue 25): an ordinary one lets a line break there."""
    import re

    broken = re.compile(r"\d %")
    problems = []
    for _, lang, target in translations.pairs():
        problems += [f"{target}: {segment}" for segment, text in translations.segments(paths.ROOT, target).items()
                     if broken.search(text)]
    for lang in ("nl", "fr"):
        problems += [f"data/datapackage.json ({lang}): {segment}"
                     for segment, text in terminology.codebook_segments(paths.ROOT, lang).items() if broken.search(text)]
    assert not problems, "\n".join(problems)
    assert broken.search("95 % (Wilson)") and not broken.search("95\u00a0% (Wilson)")
