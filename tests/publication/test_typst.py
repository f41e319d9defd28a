"""The Typst route to PDF, without a Sphinx build: the template compiles to tagged PDF/UA-1 in the edition's
language, and Typst's warnings and errors reach the build (strict builds fail on them)."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import types

import pikepdf
import pytest
from sphinx.errors import SphinxError

from analysis.publication.sphinxext import typst as bbox_typst
from tests.a11y import pdf_structure

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
       '<rect width="60" height="40" fill="#0072B2"/></svg>')


def _document(folder, body: str, language: str = "nl", kind: str = "brochure"):
    """A .typ as the builder writes one (its preamble), with the project's template and metadata."""
    target = folder / "bbox-test"
    target.mkdir(parents=True)
    shutil.copytree(bbox_typst.TEMPLATES, target / "templates")
    (target / "metadata.json").write_text(json.dumps({
        "title": "Een titel", "author": "Het team", "date": {"year": 2026, "month": 11, "day": 23},
        "language": language, "kind": kind, "footer": "Vervangende gegevens: geen resultaten van de studie",
        "caption_separator": ": ", "subtitle": "Een ondertitel", "language_name": "Nederlands"}))
    (target / "chart.svg").write_text(SVG)
    (target / "bbox-test.typ").write_text(
        '#import "templates/bbox.typ": *\n#let metadata = json("metadata.json")\n'
        '#show: template.with(metadata: metadata)\n' + body, encoding="utf-8")
    return types.SimpleNamespace(outdir=str(folder))


BODY = """
#container(classes: ("bboxcover", ))[#admonition(title: [#"Let op"])[#"Vervangende gegevens"]]
#contents()
#heading(level: 1)[#"Wat de OCMW's doen"]
#par[#"Tekst met *sterren* en _lage streepjes_ en #hekjes: data blijven tekst."]
#container(classes: ("bboxkeynumbers",))[#container(classes: ("bboxkeynumber",))[#container(classes: ("bboxbignumber",))[#"39,9 %"] #par[#"van alle OCMW's"]]]
#figure(kind: image, numbering: (..n) => "3", supplement: "Figuur", caption: [#"Een grafiek"])[#image("chart.svg", alt: "Staafdiagram van één balk")]
#figure(numbering: none, table(columns: 2, table.header([#"c"], [#"d"]), [#"3"], [#"4"]))
#figure(numbering: (..n) => "1", supplement: "Tabel", caption: [#"Een tabel"], table(columns: 2, table.header([#"a"], [#"b"]), [#"1"], [#"2"]))
#note(title: [#"Let op"])[#"Een opmerking"]
#container(classes: ("bboxbackpage", ))[#container(classes: ("bboxtitlepage", ))[#par[#"Versie 0.1.0"]]]
"""


def test_template_compiles_to_tagged_pdfua_and_pdfa_in_the_edition_language(tmp_path):
    builder = _document(tmp_path, BODY)
    pdf = bbox_typst.BBoxTypstBuilder.compile(builder, "bbox-test")
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "nl" and str(doc.docinfo.Title) == "Een titel"
        metadata = doc.open_metadata()
        assert str(metadata.get("pdfuaid:part")) == "1"
        assert (str(metadata.get("pdfaid:part")), str(metadata.get("pdfaid:conformance"))) == ("2", "A")
        assert "/OutputIntents" in doc.Root  # PDF/A: the colour space the pages are printed in
    counts, alts = pdf_structure(pdf)
    assert alts == ["Staafdiagram van één balk"]
    assert counts["/Title"] == 1 and counts["/H1"] == 1 and counts["/TH"] == 4 and counts["/TOC"] == 0
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "*sterren*" in text and "#hekjes" in text  # a string is shown as is, never read as markup
    assert "Vervangende gegevens: geen resultaten van de studie" in text  # the stand-in footer
    # the numbers the writer gives (Sphinx's), none for an uncaptioned table, the language's caption words
    assert "Figuur 3: Een grafiek" in text and "Tabel 1: Een tabel" in text and text.count("Tabel ") == 1


def test_a_brochure_has_a_multiple_of_four_pages_with_the_imprint_on_the_last(tmp_path):
    pdf = bbox_typst.BBoxTypstBuilder.compile(_document(tmp_path, BODY), "bbox-test")
    with pikepdf.open(pdf) as doc:
        pages = len(doc.pages)
    assert pages == 4  # cover, text, one blank page, back page
    last = subprocess.run(["pdftotext", "-f", "4", "-l", "4", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Versie 0.1.0" in last
    report = bbox_typst.BBoxTypstBuilder.compile(_document(tmp_path / "report", BODY, kind="report"), "bbox-test")
    with pikepdf.open(report) as doc:
        assert len(doc.pages) == 3  # a report is not a booklet: no blank page


def test_a_typst_warning_becomes_a_build_warning(tmp_path, caplog):
    builder = _document(tmp_path, '#text(font: "No Such Font Family")[#"x"]\n')
    with caplog.at_level(logging.WARNING):
        bbox_typst.BBoxTypstBuilder.compile(builder, "bbox-test")
    assert any("bbox-test.typ" in r.getMessage() and "no such font family" in r.getMessage().lower()
               for r in caplog.records), [r.getMessage() for r in caplog.records]


def test_a_typst_error_names_the_file(tmp_path):
    builder = _document(tmp_path, '#image("chart.svg")\n')  # no alt text: PDF/UA-1 refuses it
    with pytest.raises(SphinxError, match=r"bbox-test\.typ.*alt"):
        bbox_typst.BBoxTypstBuilder.compile(builder, "bbox-test")


@pytest.mark.parametrize("edition, kind", [("book", "book"), ("report", "report"), ("brochure-fr", "brochure")])
def test_each_edition_gets_its_layout(edition, kind):
    assert bbox_typst.edition_kind(edition) == kind


def test_the_same_sources_give_the_same_pdf(tmp_path):
    """Reproducible: the timestamp is the build date (SOURCE_DATE_EPOCH or the last commit), not the clock."""
    first = bbox_typst.BBoxTypstBuilder.compile(_document(tmp_path / "a", BODY), "bbox-test").read_bytes()
    second = bbox_typst.BBoxTypstBuilder.compile(_document(tmp_path / "b", BODY), "bbox-test").read_bytes()
    assert first == second


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
def test_registering_the_typst_translator_leaves_the_theme_its_html_translator(builder):
    """pydata-sphinx-theme wraps every table of the HTML in a container that scrolls a table wider than the column;
    it extends the builder's translator only when no translator is registered, and Typst's is: the HTML builder's
    own is registered first, so the theme extends it (cases profile table, 49 px too wide without)."""
    from pydata_sphinx_theme.translator import BootstrapHTML5TranslatorMixin, setup_translators
    from sphinx.registry import SphinxComponentRegistry
    from sphinx.writers.html5 import HTML5Translator

    registry = SphinxComponentRegistry()
    registry.add_translator("typst", bbox_typst.BBoxTypstTranslator)  # as this module's setup() registers it
    app = types.SimpleNamespace(
        registry=registry, builder=types.SimpleNamespace(name=builder, format="html",
                                                         default_translator_class=HTML5Translator),
        set_translator=lambda name, cls, override=False: registry.add_translator(name, cls, override=override))
    bbox_typst.keep_theme_html_translator(app)  # connected before the theme's handler (priority 400 < 500)
    setup_translators(app)
    translator = registry.get_translator_class(app.builder)
    assert issubclass(translator, BootstrapHTML5TranslatorMixin) and issubclass(translator, HTML5Translator)


def test_the_epub_keeps_its_own_translator():
    from sphinx.registry import SphinxComponentRegistry

    registry = SphinxComponentRegistry()
    app = types.SimpleNamespace(registry=registry, builder=types.SimpleNamespace(name="epub", format="html"),
                                set_translator=lambda *args, **kwargs: pytest.fail("the EPUB's translator changed"))
    bbox_typst.keep_theme_html_translator(app)
    assert "epub" not in registry.translators
