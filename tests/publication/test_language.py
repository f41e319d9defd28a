"""A phrase in another language than its page's carries its language in HTML, EPUB and the tagged PDF (WCAG 3.1.2),
through the ``{lang}`` role in prose and ``language.phrase`` in code; its words stay text in every format."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pikepdf
import pytest

from analysis.publication.sphinxext import language

CONF = '''extensions = ["myst_parser", "analysis.publication.sphinxext.typst", "analysis.publication.sphinxext.language"]
language = "nl"
project = "Proef"
version = release = "0.1"
copyright = "2026"


def setup(app):
    app.add_config_value("bbox_edition", "brochure-nl", "env")
'''
PAGE = "# Proef\n\nHet {lang}`fr:parcours d'intégration <b>#x_*` is Waals.\n"


def _build(tmp_path, builder: str):
    source = tmp_path / "src"
    source.mkdir(exist_ok=True)
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.md").write_text(PAGE, encoding="utf-8")
    out = tmp_path / builder
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", builder, "-q", "-W", "-E", "-d", str(tmp_path / "doctrees"),
                          str(source), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out


@pytest.mark.build  # a small Sphinx build (about 2 s)
def test_html_marks_the_phrase_lang_and_xml_lang_and_keeps_it_text(tmp_path):
    html = (_build(tmp_path, "html") / "index.html").read_text(encoding="utf-8")
    assert ('Het <span lang="fr" xml:lang="fr">parcours d’intégration &lt;b&gt;#x_*</span> is Waals.' in html)


@pytest.mark.build  # a small Sphinx build (about 2 s)
def test_epub_marks_the_phrase_in_its_xhtml(tmp_path):
    epub = next((_build(tmp_path, "epub")).glob("*.epub"))
    with zipfile.ZipFile(epub) as book:
        page = next(book.read(name).decode() for name in book.namelist() if name.split("/")[-1] == "index.xhtml")
    assert '<span lang="fr" xml:lang="fr">parcours d’intégration &lt;b&gt;#x_*</span>' in page


@pytest.mark.build  # a small Sphinx build (about 2 s)
def test_typst_sets_the_language_of_the_phrase_and_the_pdf_tags_its_span(tmp_path):
    out = _build(tmp_path, "typst")
    typ = (out / "bbox-brochure-nl" / "bbox-brochure-nl.typ").read_text(encoding="utf-8")
    assert '#text(lang: "fr")[#"parcours d’intégration <b>#x_*"]' in typ  # a Typst string: the words stay text
    with pikepdf.open(out / "bbox-brochure-nl.pdf") as pdf:
        assert str(pdf.Root.Lang) == "nl"
        spans = [op.operands[1] for page in pdf.pages for op in pikepdf.parse_content_stream(page)
                 if op.operator == pikepdf.Operator("BDC") and isinstance(op.operands[1], pikepdf.Dictionary)]
        assert [str(span.Lang) for span in spans if "/Lang" in span] == ["fr"]


@pytest.mark.build  # a small Sphinx build (about 2 s)
def test_a_role_without_a_language_tag_fails_the_strict_build(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.md").write_text("# Proef\n\nHet {lang}`parcours d'intégration` is Waals.\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(source), str(tmp_path / "o")],
                         capture_output=True, text=True)
    assert run.returncode != 0 and "needs a language tag" in run.stderr


@pytest.mark.parametrize("tag", ["", "French", "fr_BE", "f"])
def test_code_cannot_mark_a_phrase_with_something_that_is_not_a_language_tag(tag):
    with pytest.raises(ValueError):
        language.phrase("revenu d'intégration", tag)


def test_code_marks_a_data_string_as_text():
    node = language.phrase("leefloon *niet* `markup`", "nl-BE")
    assert node["lang"] == "nl-BE" and node.astext() == "leefloon *niet* `markup`" and len(node.children) == 1
