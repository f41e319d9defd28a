"""Numbered figures and tables: a chart and its caption become one figure, and every format numbers figures and
tables as Sphinx does, with the caption words of the edition's language.

A small Sphinx project (no notebook, no book build) checks the HTML and the PDF against each other in Dutch and
French; the built book and report are checked in HTML, EPUB and PDF (``artifacts``, with the other build tests).
"""

from __future__ import annotations

import re
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from analysis.publication import editions
from analysis.publication.sphinxext import figures
from analysis.publication.sphinxext.html_only import HTML_ONLY_PAGES

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
       '<rect width="60" height="40" fill="#0072B2"/></svg>')
# The caption words each language must show, spelled out here (not read from the fixed strings they test).
WORDS = {"en": ("Figure", "Table", ": "), "nl": ("Figuur", "Tabel", ": "), "fr": ("Figure", "Tableau", "\u00a0: ")}


# -- A chart and its caption become one figure --------------------------------------------------------------

def _cell(*outputs: nodes.Node) -> tuple[nodes.document, nodes.container]:
    """A document holding one notebook cell's outputs as MyST-NB lays them out."""
    document = new_document("page.md", get_default_settings(Parser))
    cell_output = nodes.container(classes=["cell_output"], nb_element="cell_code_output")
    for output in outputs:
        bundle = nodes.container(nb_element="mime_bundle")
        bundle += output
        cell_output += bundle
    document += cell_output
    return document, cell_output


def test_a_chart_and_its_caption_become_one_named_figure():
    chart = nodes.image(uri="chart.svg", alt="Bar chart of one bar")
    provenance = nodes.paragraph(text="Source: f")
    document, cell_output = _cell(chart, nodes.container("", figures.chart_caption(title="A *chart*", target="x-y"),
                                                          provenance))
    figures.ChartFigures(document).apply()
    figure = cell_output.children[0]
    assert isinstance(figure, nodes.figure) and figure["ids"] == ["x-y"] and figure["names"] == ["x-y"]
    assert [type(c) for c in figure.children] == [nodes.container, nodes.caption]
    assert next(figure.findall(nodes.image)) is chart
    assert figure.children[1].astext() == "A *chart*"  # text, never parsed
    assert not list(document.findall(figures.chart_caption))
    assert provenance.parent is not None and provenance.parent.parent is cell_output.children[1]


def test_a_caption_without_a_chart_before_it_is_a_warning(caplog):
    document, cell_output = _cell(nodes.container("", figures.chart_caption(title="Lost", target="lost")))
    document.reporter = types.SimpleNamespace(get_source_and_line=lambda line=None: ("page.md", 1))
    with caplog.at_level("WARNING"):
        figures.ChartFigures(document).apply()
    assert not list(document.findall(nodes.figure))
    assert any("follows no chart" in record.getMessage() for record in caplog.records)


def test_html_captions_get_the_separator_and_references_do_not():
    app = types.SimpleNamespace(config=types.SimpleNamespace(language="fr"))
    context = {"body": '<span class="caption-number">Tableau 2 </span><span class="caption-text">T</span>'
                       '<a href="#t"><span class="std std-numref">Tableau 2</span></a>'}
    figures.caption_separator(app, "page", "page.html", context, None)
    assert context["body"] == ('<span class="caption-number">Tableau 2\u00a0: </span><span class="caption-text">T</span>'
                               '<a href="#t"><span class="std std-numref">Tableau 2</span></a>')


# -- A small project: HTML and PDF number alike, in the edition's language ----------------------------------------

PAGE = """\
Une page
========

.. figure:: chart.svg
   :name: first-chart
   :alt: Bar chart of one blue bar, for the test

   First chart

.. table:: First table
   :name: first-table

   ===  ===
   a    b
   ===  ===
   1    2
   ===  ===

A table without a caption, which Sphinx leaves unnumbered:

===  ===
c    d
===  ===
3    4
===  ===

.. figure:: chart.svg
   :name: second-chart
   :alt: Bar chart of one blue bar, again for the test

   Second chart

See :numref:`second-chart`.
"""

CONF = """\
project = "Test"
language = {language!r}
extensions = ["analysis.publication.sphinxext.figures", "analysis.publication.sphinxext.typst"]

def setup(app):
    app.add_config_value("bbox_edition", "report", "env")
"""


def _build(folder: Path, language: str, builder: str) -> Path:
    """Build the small project strict (a warning fails it), in its own process as every Sphinx build runs."""
    source = folder / "source"
    source.mkdir(exist_ok=True)
    (source / "conf.py").write_text(CONF.format(language=language), encoding="utf-8")
    (source / "index.rst").write_text(PAGE, encoding="utf-8")
    (source / "chart.svg").write_text(SVG, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-E", "-b", builder, str(source),
                          str(folder / builder), "-d", str(folder / "doctrees")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return folder / builder


@pytest.fixture(scope="module", params=["nl", "fr"])
def small_project(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"figures-{request.param}")
    html = (_build(folder, request.param, "html") / "index.html").read_text(encoding="utf-8")
    pdf = _build(folder, request.param, "typst") / "bbox-report.pdf"
    return request.param, html, pdf


def _plain(text: str) -> str:
    """Every kind of space as one space, typographic apostrophes as straight ones (Typst and Sphinx curl them)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).replace("\u2019", "'")


@pytest.mark.build  # four small Sphinx builds: about a minute, too slow for make test-fast
def test_html_and_pdf_number_figures_and_tables_alike_in_the_edition_language(small_project):
    language, html, pdf = small_project
    figure, table, separator = WORDS[language]
    expected = [f"{figure} 1{separator}First chart", f"{table} 1{separator}First table",
                f"{figure} 2{separator}Second chart"]
    captions = [number + text for number, text in re.findall(
        r'<span class="caption-number">([^<]*)</span><span class="caption-text">([^<]*)</span>', html)]
    assert captions == expected  # the table without a caption has no number
    assert f'<span class="std std-numref">{figure} 2</span>' in html  # a reference: no colon
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    shown = [caption for caption in map(_plain, expected) if caption in _plain(text)]
    assert shown == [_plain(caption) for caption in expected], _plain(text)
    assert len(re.findall(rf"\b(?:{figure}|{table}) \d", text)) == len(expected) + 1  # the captions and the reference
    source = next(pdf.parent.glob("*/bbox-report.typ")).read_text(encoding="utf-8")
    assert source.count("numbering: none") == 1 and 'numbering: (..n) => "2", supplement: "' + figure in source


# -- The built editions: one number per figure and table, the same in HTML, EPUB and PDF --------------------------

CAPTION = re.compile(r'<span class="caption-number">([^<]*?)(?:\u00a0)?:? </span><span class="caption-text">(.*?)</span>',
                     re.S)


def html_captions(pages: list[str]) -> list[tuple[str, str]]:
    """(number, caption) of every numbered figure and table of the pages, e.g. ("Figure 3", "Barriers …")."""
    return [(number.strip(), _plain(re.sub(r"<[^>]+>", "", text)).strip())
            for page in pages for number, text in CAPTION.findall(page)]


def _epub_pages(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as epub:
        return [epub.read(name).decode("utf-8") for name in sorted(epub.namelist()) if name.endswith(".xhtml")]


@pytest.mark.build
@pytest.mark.parametrize("edition", ["book", "report"])
def test_figures_and_tables_are_numbered_alike_in_html_epub_and_pdf(artifacts, edition):
    html_root = artifacts[(edition, "html")].parent
    html = html_captions([p.read_text(encoding="utf-8") for p in sorted(html_root.rglob("*.html"))
                          if "_static" not in p.parts and p.name != "figures-and-tables.html"])
    assert html, f"{edition}: no numbered figure or table in the HTML"
    for kind in {number.split()[0] for number, _ in html}:  # numbered 1, 2, … without gaps or repeats
        numbers = sorted(int(n.split()[1]) for n, _ in html if n.split()[0] == kind)
        assert numbers == list(range(1, len(numbers) + 1)), (edition, kind, numbers)
    # the reviewers' pages (the HTML only: sphinxext/html_only.py) come last and leave the EPUB and the PDF
    html = html_captions([p.read_text(encoding="utf-8") for p in sorted(html_root.rglob("*.html"))
                          if "_static" not in p.parts and p.name != "figures-and-tables.html"
                          and str(p.relative_to(html_root).with_suffix("")) not in HTML_ONLY_PAGES])
    epub = html_captions([p for p in _epub_pages(artifacts[(edition, "epub")]) if 'class="bbox-list-of' not in p])
    assert sorted(epub) == sorted(html), f"{edition}: the EPUB numbers differ from the HTML"
    text = _plain(subprocess.run(["pdftotext", str(artifacts[(edition, "pdf")]), "-"], capture_output=True,
                                 text=True, check=True).stdout)
    # pdftotext drops a hyphen at the end of a line (it takes it for a hyphenation): compare without hyphens
    missing = [f"{n}: {c}" for n, c in html if f"{n}: {c}".replace("-", "") not in text.replace("-", "")]
    assert not missing, f"{edition}: the PDF lacks these captions as the HTML numbers them: {missing[:5]}"
    in_pdf = set(re.findall(r"\b((?:Figure|Table) \d+): ", text))
    assert in_pdf == {n for n, _ in html}, f"{edition}: numbered captions only in the PDF: {in_pdf - {n for n, _ in html}}"


@pytest.mark.build
def test_the_book_lists_its_figures_and_tables(artifacts):
    html_root = artifacts[("book", "html")].parent
    listed = (html_root / "figures-and-tables.html").read_text(encoding="utf-8")
    shown = html_captions([p.read_text(encoding="utf-8") for p in html_root.rglob("chapters/*.html")])
    lists = "".join(re.findall(r'<ul class="[^"]*bbox-list-of.*?</ul>', listed, re.S))
    links = re.findall(r'<a class="reference internal" href="([^"]+)">([^<]+)</a>', lists)
    assert [_plain(text) for _, text in links] == \
        [f"{n}: {c}" for kind in ("Figure", "Table") for n, c in sorted(shown, key=lambda s: int(s[0].split()[1]))
         if n.startswith(kind)]
    for href, _ in links:
        page, _, target = href.partition("#")
        assert f'id="{target}"' in (html_root / page).read_text(encoding="utf-8"), href
    pages = subprocess.run(["pdftotext", str(artifacts[("book", "pdf")]), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    # A chapter opens a page (no running head there): its title is the page's first line.
    opening = [page.strip().splitlines()[0].strip() if page.strip() else "" for page in pages]
    contents, lists = opening.index("Contents"), opening.index("Figures and tables")
    assert contents < lists < opening.index("Abstract and project team"), "the lists follow the table of contents"
    assert "Figure 1 " in pages[lists] and "Table 1 " in " ".join(pages[lists:lists + 3])


def test_every_edition_numbers_figures_with_its_own_words():
    """The configuration the lists and captions read: numfig on, the words of the edition's language."""
    for edition in editions.editions():
        language = editions.editions()[edition].get("config", {}).get("sphinx", {}).get("config", {}).get("language", "en")
        config = types.SimpleNamespace(language=language, numfig=False, numfig_format={})
        figures.caption_words(None, config)
        figure, table, _ = WORDS[language]
        assert config.numfig and config.numfig_format == {"figure": f"{figure} %s", "table": f"{table} %s"}, edition
