"""The origin of a result is worded one way: under every table and chart, and in the book's appendix."""

from analysis import i18n, paths
from analysis.publication import provenance
from analysis.results import pins, registry


def test_every_pinned_result_has_its_origin():
    table = provenance.appendix_table()
    pinned = pins.read(paths.RESULTS)
    assert len(table) == len([key for key in pinned if not key.endswith(pins.PROVENANCE)])
    assert len(table) == len([key for key in pinned if key.endswith(pins.PROVENANCE)])
    assert table["Origin"].str.match(r"analysis(\.\w+)+.* · data: .+\(\w{8}\).* · bbox-analysis \S+$").all()
    selection = table.set_index("Key").at["cases.typology.selection", "Origin"]
    # the data file read through the survey typology, and the function that fitted it
    assert "survey.csv" in selection and "analysis.study.survey.typology_membership" in selection


def test_the_line_under_a_result_and_the_appendix_say_the_same():
    result = registry.get("cases.typology.selection")
    line = provenance.line(result.origin)
    assert line["classes"] == ["provenance"]
    assert [part["type"] for part in line["content"] if isinstance(part, dict)] == ["literal"] * len(
        {result.function, *result.uses.values()})  # each function as code
    appendix = provenance.appendix_table().set_index("Key").at["cases.typology.selection", "Origin"]
    assert provenance.plain(line["content"]) == f"Source: {appendix}"


def test_the_sentence_is_in_the_language_of_the_page():
    origin = {"function": "f", "data": {"a.csv": "0123456789"}, "uses": {"k": "g"}, "version": "9"}
    assert provenance.plain(provenance.sentence(origin)) == "f, g · data: a.csv (01234567) · bbox-analysis 9"
    assert provenance.plain(provenance.line(origin, "nl")["content"]) == \
        "Bron: f, g · gegevens: a.csv (01234567) · bbox-analysis 9"
    unread = {**origin, "data": {}, "uses": {}}
    assert provenance.plain(provenance.sentence(unread)) == "f · data: – · bbox-analysis 9"


def test_the_short_editions_cite_the_sources_of_the_data_package():
    """A reader's source line: each data file's sources from data/datapackage.json, in the page's language, marked
    simulated while the file is stand-in, then the processing; no function, digest or version."""
    from analysis.data.codebook import codebook

    income = codebook()["integration_income"]
    origin = {"function": "f", "data": {income.path: "0123456789", "datapackage.json": "9876543210"}, "uses": {},
              "version": "9"}
    for lang in ("en", "nl", "fr"):
        line = provenance.plain(provenance.citation_line(origin, lang)["content"])
        assert income.cited(lang) and line == (f"{i18n.text('source', lang)}{i18n.text('colon', lang)}"
                                               f"{income.cited(lang)[0]}{i18n.text('semicolon', lang)}"
                                               f"{i18n.text('source_processing', lang)}")
    assert provenance.plain(provenance.citation_line(origin, "nl")["content"]).startswith(
        "Bron: POD Maatschappelijke Integratie")
    survey = codebook()["survey"]
    cited = provenance.cited({"data": {survey.path: "0", "references.bib": "1"}}, "fr")
    simulated = " (données simulées)" if survey.standin else ""
    assert cited == ["revue de la littérature BBOX", f"{survey.cited('fr')[0]}{simulated}"]


def test_every_resource_of_the_data_package_is_cited_in_every_language():
    from analysis.data.codebook import codebook

    for resource in codebook().resources.values():
        assert resource.citations, f"data/datapackage.json: {resource.name} has no source with a citation"
        for source in resource.citations:
            assert set(source) == {"en", "nl", "fr"}, f"data/datapackage.json: {resource.name}: {source}"
