"""Numbers that explain themselves (analysis/publication/sphinxext/numbers.py), without a build: only the HTML gets
the link and the description, which name the number's key, function and data files; EPUB and PDF keep the number.
The browser test (test_browser.py) checks them by keyboard and pointer in Chromium."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from docutils import nodes
from docutils.utils import new_document

from analysis.publication import i18n
from analysis.publication.sphinxext import numbers
from analysis.results import registry

KEY = "reference.frame.total"


def page_with_a_number() -> nodes.document:
    document = new_document("chapters/context.md")
    pasted = nodes.inline("", registry.get(KEY).formatted("en"), classes=["output", "text_plain"])
    pasted[numbers.KEY] = KEY
    document += nodes.paragraph("", "Belgium had ", pasted, nodes.Text(" municipalities."))
    return document


def app_of(builder: str, appendix: str | None = "chapters/provenance") -> SimpleNamespace:
    labels = {numbers.APPENDIX_TABLE: (appendix, numbers.APPENDIX_TABLE, "")} if appendix else {}
    return SimpleNamespace(
        builder=SimpleNamespace(name=builder, get_relative_uri=lambda source, target: "provenance.html"),
        config=SimpleNamespace(language="en"),
        env=SimpleNamespace(get_domain=lambda name: SimpleNamespace(labels=labels)))


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
    assert tip.astext() == f"{KEY} · {i18n.text('source')}: {result.function} · {i18n.text('data')}: {files}"
    assert origin["classes"] == [] and origin["ids"] == []


def test_without_an_appendix_the_number_is_focusable_without_a_link():
    document = page_with_a_number()
    numbers.explain_numbers(app_of("html", appendix=None), document, "editions/brochure/en")
    [anchor] = document.findall(numbers.number_anchor)
    assert anchor["refuri"] == ""


def test_a_glued_text_that_is_no_published_number_stays_as_it_is():
    document = new_document("editions/report/index.md")
    pasted = nodes.inline("", "conditional support")
    pasted[numbers.KEY] = "message.typology.largest"
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
    numbers.anchor_appendix_rows(document)
    assert row["ids"] == [f"result-{KEY}"]
