"""The academic book as a monograph: its structure, no unsupported claim, the synthesis agreeing with the chapters,
one computed answer per aim, and no placeholder in any artifact."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from analysis import paths
from analysis.publication import citation, editions
from analysis.results import registry
from analysis.study import synthesis
from analysis.study.synthesis.present import ANSWER, SHOWN_IN
from analysis.publication.lint import prose_lines

# Sentences that neither the stand-in data nor a source supported (issue 15); none may come back.
UNSUPPORTED = [
    "The study followed",
    "Many interviewees are refugees",
    "The survey was addressed to every PCSW",
    "asked every PCSW",
    "vroeg elk OCMW",
    "a demandé à chaque CPAS",
    "interviewed managers, social workers and partner organisations",  # typed; now named from the data
    "Cases were drawn from the PCSWs that answered the survey",
    "Each case PCSW also answered the survey",
    "Their main instrument, the integration income",
    "most often as an integration income",
    "Newcomers are a large part of that growth",
    "figures in the next chapter",
]
PLACEHOLDERS = ["not yet included", "TODO", "nog niet in deze editie", "ne figurent pas encore"]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_toc_holds_the_monograph_in_order():
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"].split("/")[-1] for part in toc["parts"] for c in part["chapters"]]
    expected = ["abstract", "abbreviations", "introduction", "context", "literature", "theory", "methods", "survey",
                "cases", "newcomers", "synthesis", "conclusions"]
    assert [f for f in files if f in expected] == expected
    appendices = next(part for part in toc["parts"] if part["caption"] == "Appendices")
    assert {"glossary", "data"} <= {c["file"].split("/")[-1] for c in appendices["chapters"]}
    assert files.index("conclusions") < files.index("glossary")


@pytest.mark.parametrize("claim", UNSUPPORTED)
def test_unsupported_claim_is_gone_from_every_source(claim):
    for path in paths.page_sources():
        prose = _flat(" ".join(line for _, line in prose_lines(path.read_text(encoding="utf-8"))))
        assert claim.lower() not in prose.lower(), f"{path.name} still says {claim!r}"


def _by_region():
    """The joint display by region as region rows and "Strand: measure" columns (it is printed transposed)."""
    shown = registry.get("synthesis.joint.region").value
    shown = shown.assign(name=shown["Strand"] + ": " + shown["Measure"]).drop(columns=["Strand", "Measure"])
    return shown.set_index("name").T


def test_joint_display_by_region_agrees_with_the_chapters_numbers():
    shown = _by_region()
    codes = {"Flanders": "fl", "Wallonia": "wa", "Brussels-Capital": "br"}
    assert list(shown.index) == list(codes)
    for region, code in codes.items():
        # the numbers the survey and newcomer chapters glue, by a different route than the tables read here
        assert shown.at[region, "Survey: response rate"] == registry.get(f"survey.response.rate_{code}").formatted()
        assert shown.at[region, "Newcomers: interviewees"] == registry.get(f"newcomers.sample.{code}").formatted()
        rights = registry.get("survey.repertoire.table.rights").value.set_index("Practice")
        assert shown.at[region, "Survey: conditions beyond the legal minimum"] == rights.at[synthesis.TOPICS[0][1], region]
    cases_total = registry.get("cases.design.matrix").value.set_index("Region")["Total"]
    assert [str(v) for v in cases_total.loc[list(codes)]] == list(shown["Cases: PCSWs studied"])
    assert sum(int(v) for v in shown["Cases: PCSWs studied"]) == registry.get("cases.design.n").value


def test_agreement_column_follows_the_ranks_of_both_strands():
    shown = _by_region()
    rights = registry.get("survey.repertoire.table.rights").value.set_index("Practice").loc[synthesis.TOPICS[0][1]]
    themes = registry.get("newcomers.themes.by_region").value
    pressure = themes[themes["Theme"] == "Pressure of conditions"].set_index("Group")["Share"]
    regions = list(shown.index)
    def ranks(values):
        numbers = [float(values[r].rstrip("%")) for r in regions]
        return [sorted(numbers, reverse=True).index(v) for v in numbers]
    expected = ["yes" if a == b else "no" for a, b in zip(ranks(rights), ranks(pressure))]
    assert list(shown["Conditions: same rank in both strands"]) == expected
    assert expected.count("yes") == registry.get("synthesis.joint.agree").value


def test_joint_display_by_topic_agrees_with_the_chapters_numbers():
    shown = registry.get("synthesis.joint.topic").value.set_index("Topic")
    theme_keys = {"Pressure of conditions": "conditionality_pressure", "Language barrier": "barrier_language",
                  "Support received beyond money": "support_received", "Perceived arbitrariness": "barrier_arbitrariness"}
    for topic, row in shown.iterrows():
        key = f"newcomers.themes.share.{theme_keys[row['Newcomers: theme']]}"
        assert row["Newcomers: share who raised it"] == registry.get(key).formatted(), topic


def test_joint_display_by_type_keeps_hidden_cells_hidden():
    shown = registry.get("synthesis.joint.type").value
    profile = registry.get("cases.typology.profile").value.set_index("Survey type")
    for _, row in shown.iterrows():
        name = row["Survey type"]  # the cases name the types as the survey does ("1. …")
        assert row["Cases: PCSWs of the type"] == str(profile.at[name, "Cases"])
        assert row["Survey: estimated share"] != ""


def test_each_aim_has_a_computed_answer():
    answers = registry.get("synthesis.answers.table").value
    assert len(answers) == 3 == registry.get("synthesis.answers.aims").value
    column = ANSWER
    assert registry.get("survey.typology.n_classes").formatted() in answers.at[0, column]
    assert registry.get("survey.factors.extra_conditions.or").formatted() in answers.at[1, column]
    assert registry.get("newcomers.satisfaction.trust.effect").formatted() in answers.at[2, column]
    # what an answer rests on is named for readers (a chapter and its tables), never by a result key
    assert not any(re.search(r"\b\w+\.\w+\.\w+", shown) for shown in answers[SHOWN_IN])


def test_study_record_shows_empty_values_as_to_be_completed(tmp_path):
    record = tmp_path / "record.yml"
    record.write_text("- item: Ethics approval reference(s)\n  value:\n- item: Survey fieldwork period\n"
                      "  value: '*March* 2021'\n", encoding="utf-8")
    frame = synthesis.study_record(record)
    assert list(frame["Value"]) == [synthesis.TO_COMPLETE, "*March* 2021"]  # text kept as read
    record.write_text("- item: Survey fieldwork period\n  when: 2021\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"record.yml: entry 1"):
        synthesis.study_record(record)
    record.write_text("- item: Survey population\n  value:\n  assumed: every PCSW invited\n"
                      "- item: Survey fieldwork period\n  value:\n", encoding="utf-8")
    frame = synthesis.study_record(record)
    assert list(frame.iloc[:, 1]) == ["every PCSW invited", "–"]  # an assumption is shown beside, never as, a value
    assert list(frame["Value"]) == [synthesis.TO_COMPLETE] * 2
    record.write_text("- item: Survey population\n  value:\n  assumed: [1]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"entry 1 \(Survey population\): assumed must be text"):
        synthesis.study_record(record)


def test_the_repository_record_invents_nothing():
    """Until the research team fills it in, every item of the study record reads 'to be completed'."""
    frame = synthesis.study_record()
    assert len(frame) and (frame["Value"] == synthesis.TO_COMPLETE).sum() == registry.get("synthesis.record.open").value


# -- Built artifacts ------------------------------------------------------------------------------

def _built_texts(artifacts) -> dict[str, str]:
    texts = {}
    for (edition, fmt), path in artifacts.items():
        if fmt == "html":
            for page in Path(path).parent.rglob("*.html"):
                if "_static" not in page.parts:
                    texts[f"{edition}:{page.name}"] = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        elif fmt == "pdf":
            texts[f"{edition}.pdf"] = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                                     check=True).stdout
        elif fmt == "epub":
            with zipfile.ZipFile(path) as epub:
                for name in epub.namelist():
                    if name.endswith(".xhtml"):
                        texts[f"{edition}.epub:{name}"] = BeautifulSoup(epub.read(name), "html.parser").get_text(" ")
    return texts


@pytest.mark.build
def test_no_unsupported_claim_nor_placeholder_in_any_built_artifact(artifacts):
    for where, text in _built_texts(artifacts).items():
        flat = _flat(text)
        for phrase in UNSUPPORTED + PLACEHOLDERS:
            assert phrase.lower() not in flat.lower(), f"{where} says {phrase!r}"


@pytest.mark.build
def test_conclusions_page_shows_one_answer_per_aim(artifacts):
    page = Path(artifacts[("book", "html")]).parent / "chapters" / "conclusions.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    table = next(t for t in soup.find_all("table") if ANSWER in t.get_text())
    rows = table.find("tbody").find_all("tr")
    answers = registry.get("synthesis.answers.table").value
    assert [_flat(r.find_all("td")[1].get_text()).strip() for r in rows] == \
        list(answers[ANSWER])


# -- Who the book is by, and the index of terms in the navigation ---------------------------------------

def test_citation_names_the_research_team_as_the_checked_project_description_does():
    """CITATION.cff is the one place naming the authors: the team of the BELSPO project description, whose checked
    bibliography entry lists the same partners (initials only: nothing beyond the source is filled in)."""
    from analysis.study.literature import bibliography

    meta = citation.citation_metadata()
    authors = [(a["given-names"], a["family-names"]) for a in meta["authors"]]
    assert authors == [("P.", "De Cuyper"), ("A.", "Franssen"), ("J.-M.", "Lafleur")]
    assert [a["affiliation"] for a in meta["authors"]] == \
        ["HIVA – KU Leuven", "Université Saint-Louis – Bruxelles", "CEDEM – Université de Liège"]
    assert [c["family-names"] for c in meta["contact"]] == ["De Cuyper"]  # the coordinator
    source = next(e for e in bibliography.parse(paths.BIBLIOGRAPHY).entries if e.key == "belspo2019bbox")
    partners = source.fields_dict["note"].value
    assert all(f"{given} {family}" in partners for given, family in authors), partners
    assert citation.author_names() == "P. De Cuyper, A. Franssen, J.-M. Lafleur"
    assert citation.project_team("nl").startswith("P. De Cuyper (HIVA – KU Leuven, coördinator); A. Franssen")


@pytest.mark.build
def test_footer_and_title_page_name_the_team_from_the_citation_file(artifacts):
    for name in ("book", "report-fr"):
        lang = "fr" if name.endswith("-fr") else "en"
        html = Path(artifacts[(name, "html")]).parent
        toc = editions.editions()[name]["toc"]
        first = html / ((toc["root"] if isinstance(toc, dict) else "index") + ".html")
        assert _flat(citation.project_team(lang)) in _flat(BeautifulSoup(first.read_text(encoding="utf-8"),
                                                                  "html.parser").get_text(" ")), name
        for page in html.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            if "_static" in page.parts or 'http-equiv="Refresh"' in text:  # the redirect to a nested root page
                continue
            footer = BeautifulSoup(text, "html.parser").select_one(".component-author")
            assert footer is not None and _flat(footer.get_text(" ")).strip().endswith(citation.author_names()), page
            assert "publication team" not in footer.get_text().lower(), page


def _sidebar_index_links(page: Path) -> list[str]:
    nav = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("nav.bd-docs-nav")
    return [a["href"] for a in nav.select(".bbox-sidenav-index a")] if nav else []


@pytest.mark.build
def test_sidebar_links_the_index_of_terms_where_the_edition_has_one(artifacts):
    book = Path(artifacts[("book", "html")]).parent
    pages = [p for p in book.rglob("*.html") if "_static" not in p.parts and p.name != "search.html"]
    assert len(pages) > 10
    for page in pages:
        links = _sidebar_index_links(page)
        assert len(links) == 1, page
        target = page if links[0] == "#" else page.parent / links[0]  # the index page links to itself as "#"
        assert target.resolve() == (book / "genindex.html").resolve(), (page, links)
    index = BeautifulSoup((book / "genindex.html").read_text(encoding="utf-8"), "html.parser")
    assert index.select("ul.bbox-index li a"), "the index of terms the sidebar links to is empty"
    report = Path(artifacts[("report", "html")]).parent
    assert not any(_sidebar_index_links(p) for p in report.rglob("*.html")), "a short edition links an empty index"
