"""Numbers that explain themselves (analysis/publication/sphinxext/numbers.py), without a build: only the HTML gets
the link and the description, which name the number's key, function and data files; EPUB and PDF keep the number.
The browser test (test_browser.py) checks them by keyboard and pointer in Chromium."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from docutils import nodes
from docutils.utils import new_document

from analysis import i18n, paths
from analysis.publication import provenance, releases
from analysis.publication.sphinxext import numbers
from analysis.publication.sphinxext.printed import KEY as PRINTED_KEY
from analysis.results import registry

KEY = "reference.frame.total"


def page_with_a_number() -> nodes.document:
    document = new_document("chapters/context.md")
    pasted = nodes.inline("", registry.get(KEY).formatted("en"), classes=["output", "text_plain"])
    pasted[PRINTED_KEY] = KEY
    document += nodes.paragraph("", "Belgium had ", pasted, nodes.Text(" municipalities."))
    return document


def app_of(builder: str, appendix: str | None = "chapters/provenance", releases_dir=None,
           language: str = "en") -> SimpleNamespace:
    labels = {numbers.APPENDIX_TABLE: (appendix, numbers.APPENDIX_TABLE, "")} if appendix else {}
    return SimpleNamespace(
        builder=SimpleNamespace(name=builder, get_relative_uri=lambda source, target: target.split("/")[-1] + ".html"),
        config=SimpleNamespace(language=language, bbox_releases=str(releases_dir or paths.ROOT / "releases")),
        env=SimpleNamespace(get_domain=lambda name: SimpleNamespace(labels=labels), bbox_release_pages={"chapters/changes"}))


@pytest.fixture
def two_releases(tmp_path):
    """Version 0.1 published the number as 580 (in every language), version 0.2 as the registry has it now."""
    now = {lang: registry.get(KEY, lang).formatted(lang) for lang in i18n.LANGUAGES}
    for version, shown in (("0.1", {lang: "580" for lang in i18n.LANGUAGES}), ("0.2", now)):
        folder = tmp_path / version
        folder.mkdir()
        meta = {"version": version, "package_version": releases.package_version(version), "date": "2026-01-10",
                "commit": None, "previous": None, "editions": {}, "pages": {}}
        pins = {KEY: {"kind": "number", "title": "Municipalities", "shown": shown, "where": []}}
        for name, data in (("release.json", meta), ("pins.json", pins), ("prose.json", {})):
            (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("builder", ["epub", "typst", "latex"])
def test_only_the_html_gets_the_description(builder):
    document = page_with_a_number()
    numbers.explain_numbers(app_of(builder), document, "chapters/context")
    assert not list(document.findall(numbers.number_origin))
    assert document.astext() == f"Belgium had {registry.get(KEY).formatted('en')} municipalities."


def test_the_description_names_key_function_and_data_and_links_to_the_row():
    document = page_with_a_number()
    numbers.explain_numbers(app_of("html"), document, "chapters/context")
    [origin] = document.findall(numbers.number_origin)
    [anchor] = origin.findall(numbers.number_anchor)
    [tip] = origin.findall(numbers.number_tip)
    result = registry.get(KEY)
    assert anchor["refuri"] == f"provenance.html#result-{KEY}" and anchor["tip"] == tip["ids"][0]
    assert anchor.astext() == result.formatted("en")
    files = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(result.data.items()))
    assert tip.astext() == (f"{KEY} · {provenance.citation(result.origin)} · {i18n.text('origin_label')}: "
                            f"{result.function} · {i18n.text('data')}: {files}")
    assert provenance.cited(result.origin)  # the reader's source: the publisher of the reference data, not a function
    assert origin["classes"] == [] and origin["ids"] == []


@pytest.mark.parametrize("lang, said", [("en", "changed in version 0.2, was 580"),
                                        ("nl", "gewijzigd in versie 0.2, voordien 580"),
                                        ("fr", "modifié dans la version 0.2, auparavant 580")])
def test_a_number_that_moved_in_the_newest_release_says_what_it_was(two_releases, lang, said):
    document = page_with_a_number()
    numbers.explain_numbers(app_of("html", releases_dir=two_releases, language=lang), document, "chapters/context")
    [tip] = document.findall(numbers.number_tip)
    assert tip.astext().endswith(" · " + said)


def test_a_number_that_did_not_move_says_nothing_of_releases(two_releases):
    (two_releases / "0.1" / "pins.json").write_text((two_releases / "0.2" / "pins.json").read_text(), encoding="utf-8")
    document = page_with_a_number()
    numbers.explain_numbers(app_of("html", releases_dir=two_releases), document, "chapters/context")
    [tip] = document.findall(numbers.number_tip)
    assert "version" not in tip.astext()


def test_without_an_appendix_the_number_is_focusable_without_a_link():
    """The report and the brochure have no appendix: the number cites its source, as the line under a chart does,
    and names no key, function or file digest."""
    document = page_with_a_number()
    numbers.explain_numbers(app_of("html", appendix=None), document, "editions/brochure/en")
    [anchor] = document.findall(numbers.number_anchor)
    [tip] = document.findall(numbers.number_tip)
    result = registry.get(KEY)
    assert anchor["refuri"] == ""
    assert tip.astext() == provenance.citation(result.origin) and KEY not in tip.astext()
    assert result.function not in tip.astext() and not any(d[:8] in tip.astext() for d in result.data.values())


def test_a_glued_text_that_is_no_published_number_stays_as_it_is():
    document = new_document("editions/report/index.md")
    pasted = nodes.inline("", "conditional support")
    pasted[PRINTED_KEY] = "message.typology"
    document += nodes.paragraph("", "", pasted)
    numbers.explain_numbers(app_of("html"), document, "editions/report/index")
    assert not list(document.findall(numbers.number_origin))


def test_the_rows_of_the_appendix_table_get_their_anchors():
    document = new_document("chapters/provenance.md")
    table = nodes.table(ids=[numbers.APPENDIX_TABLE])
    group = nodes.tgroup(cols=2)
    row = nodes.row("", nodes.entry("", nodes.paragraph(text=KEY)), nodes.entry("", nodes.paragraph(text="581")))
    group += nodes.tbody("", row)
    table += group
    document += table
    numbers.anchor_appendix_rows(app_of("html"), document, "chapters/provenance")
    assert row["ids"] == [f"result-{KEY}"]


def test_the_appendix_row_of_a_moved_number_links_to_its_line_in_the_changelog(two_releases):
    document = new_document("chapters/provenance.md")
    table = nodes.table(ids=[numbers.APPENDIX_TABLE])
    group = nodes.tgroup(cols=2)
    moved = nodes.row("", nodes.entry("", nodes.paragraph(text=KEY)), nodes.entry("", nodes.paragraph(text="581")))
    still = nodes.row("", nodes.entry("", nodes.paragraph(text="reference.frame.flanders")),
                      nodes.entry("", nodes.paragraph(text="300")))
    group += nodes.tbody("", moved, still)
    table += group
    document += table
    numbers.anchor_appendix_rows(app_of("html", releases_dir=two_releases), document, "chapters/provenance")
    [link] = moved.findall(nodes.reference)
    assert link["refuri"] == f"changes.html#{releases.changelog_anchor('0.2', KEY)}"
    assert link.astext() == "changed in version 0.2: what changed"
    assert not list(still.findall(nodes.reference))
