"""Data is text: a string from a data file is shown literally in every format and never becomes markup, a role,
math, TeX or script; a CSV download cannot be run as a spreadsheet formula.

Fast tests check the blocks (analysis/publication/blocks.py) and their nodes (analysis/publication/sphinxext/blocks.py) and the CSV cells;
the build test writes a hostile payload into every free-text field of a copy of the data and builds every edition
in every format from it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from docutils.core import publish_from_doctree
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from analysis import i18n, paths
from analysis.publication import blocks, display, downloads, provenance
from analysis.publication.charts import ChartOutput
from analysis.results import registry
from analysis.publication.sphinxext import blocks as sphinx_blocks
from tests.checks import repository_copy
from tests.publication.test_browser import browser, server_for  # noqa: F401 (fixtures)
from tests.publication.test_browser import wait_for_charts

HOSTILE = ["{cite}`x`", "*a*", "<b>", "<img src=x onerror=alert(1)>", "$x$", "\\section{s}", "%", "#", "|",
           "**bold**", "<script>alert(1)</script>", "&amp;", "`code`", "[link](http://x)"]


def _document() -> nodes.document:
    return new_document("test", get_default_settings(Parser))


def _render(made: list[nodes.Node], writer: str) -> str:
    document = _document()
    section = nodes.section(ids=["s"])
    section += nodes.title(text="S")
    section += made
    document += section
    quiet = {"use_latex_citations": True, "legacy_column_widths": False}  # docutils 1.0 defaults, no warnings
    return publish_from_doctree(document, writer_name=writer, settings_overrides=quiet).decode("utf-8")


def _hostile_table() -> pd.DataFrame:
    return pd.DataFrame({"Text": HOSTILE, "Two\nlines": ["a\nb"] * len(HOSTILE)})


# -- Blocks become nodes whose text is text ---------------------------------------------------------------

def test_every_hostile_cell_is_one_text_node_and_nothing_else():
    document = _document()
    [table] = sphinx_blocks.to_nodes([blocks.table(_hostile_table(), "Title *x* {cite}`y`", "t-1")], document)
    cells = [entry.astext() for entry in table.findall(nodes.entry)]
    assert cells == ["Text", "Two lines", *(c for h in HOSTILE for c in (h, "a b"))]
    for entry in table.findall(nodes.entry):
        [paragraph] = entry.children
        assert [type(child) for child in paragraph.children] == [nodes.Text]
    assert not [n for n in table.findall() if isinstance(n, (nodes.emphasis, nodes.strong, nodes.reference, nodes.raw,
                                                            nodes.math, nodes.literal, nodes.pending))]
    assert table.next_node(nodes.title).astext() == "Title *x* {cite}`y`"
    # a real table with a header, a target docutils and Sphinx (numfig, {numref}) know
    assert table.next_node(nodes.thead) and table.next_node(nodes.tbody)
    assert table["ids"] == ["t-1"] and document.nameids["t-1"] == "t-1"


def test_html_escapes_every_hostile_string():
    made = sphinx_blocks.to_nodes([blocks.table(_hostile_table(), "<b>T</b>", "t"),
                                   blocks.paragraph("Source: ", blocks.literal("<i>f</i>"), " · *data*: $x$",
                                                    classes=["provenance"])])
    page = BeautifulSoup(_render(made, "html5"), "html.parser")
    body = page.select_one("main") or page.body
    assert not body.select("b, img, script, em, strong, i, a, .math, cite")
    assert [td.get_text() for td in body.select("td")][::2] == HOSTILE
    assert body.select_one("caption").get_text() == "<b>T</b>"
    assert body.select_one("p.provenance .literal").get_text() == "<i>f</i>"
    assert body.select_one("p.provenance").get_text() == "Source: <i>f</i> · *data*: $x$"


def test_latex_escapes_every_hostile_string():
    tex = _render(sphinx_blocks.to_nodes([blocks.table(_hostile_table(), "T", "t")]), "latex")
    body = tex[tex.index("\\begin{document}"):]
    for raw in ("\\section{s}", "$x$", " % ", "{cite}"):
        assert raw not in body
    for escaped in ("\\textbackslash{}section\\{s\\}", "\\$x\\$", "\\%", "\\#", "\\{cite\\}"):
        assert escaped in body


def test_strong_cells_come_from_a_flag_not_from_markup():
    frame = pd.DataFrame({"Classes": ["1", "2", "**3**"], "BIC": ["10", "5", "7"]})
    frame.attrs["strong_cells"] = [(1, "Classes"), (1, "BIC")]
    [table] = sphinx_blocks.to_nodes([blocks.table(frame, "Fits", "fits")])
    assert [s.astext() for s in table.findall(nodes.strong)] == ["2", "5"]
    assert "**3**" in [e.astext() for e in table.findall(nodes.entry)]  # asterisks in data stay asterisks


def test_a_long_table_wraps_in_latex_and_keeps_automatic_widths_in_html():
    frame = pd.DataFrame({"Variable": [f"v{i}" for i in range(40)], "Label": ["a long label " * 8] * 40})
    [table] = sphinx_blocks.to_nodes([blocks.table(frame, "Codebook", "codebook")])
    assert {"colwidths-auto", "colwidths-given"} <= set(table["classes"])
    assert [c["colwidth"] for c in table.findall(nodes.colspec)] == [11, 53]
    assert "<colgroup>" not in _render([table], "html5")
    [short] = sphinx_blocks.to_nodes([blocks.table(frame.head(5), "Codebook", "codebook")])
    assert "colwidths-given" not in short["classes"]


def test_the_other_blocks_keep_their_text():
    made = sphinx_blocks.to_nodes([
        blocks.container(blocks.paragraph("*1*", classes=["big"]), classes=["bboxkeynumber"]),
        blocks.deflist([([blocks.strong("<b>term</b>"), " (NL: $x$)"], [blocks.paragraph("{cite}`x`")])])])
    box, dl = made
    assert box["classes"] == ["bboxkeynumber"] and box.astext() == "*1*"
    assert dl.next_node(nodes.term).astext() == "<b>term</b> (NL: $x$)"
    assert dl.next_node(nodes.definition).astext() == "{cite}`x`"


def test_a_foreign_phrase_from_data_keeps_its_text_and_its_language():
    from analysis.publication.sphinxext import language

    [para] = sphinx_blocks.to_nodes([blocks.paragraph("Frans: ", blocks.foreign("*parcours* <b>", "fr"))])
    [phrase] = para.findall(language.foreign_phrase)
    assert phrase["lang"] == "fr" and phrase.astext() == "*parcours* <b>" and para.astext() == "Frans: *parcours* <b>"


@pytest.mark.parametrize("bad, words", [
    ({"type": "markdown", "text": "*x*"}, "unknown block 'markdown'"),
    ({"type": "paragraph", "content": [{"type": "raw", "text": "<b>"}]}, "unknown inline 'raw'"),
    ({"type": "paragraph", "content": [3]}, "must be a string"),
    ({"type": "paragraph", "content": [blocks.foreign("x", "French")]}, "not a language tag: 'French'"),
    ({**blocks.table(pd.DataFrame({"a": ["1"]}), "T", "t"), "rows": [["1", "2"]]}, "a row of 2 cells under 1 columns"),
])
def test_a_malformed_block_is_refused_with_what(bad, words):
    with pytest.raises(sphinx_blocks.BlocksError, match=re.escape(words)):
        sphinx_blocks.to_nodes([bad])


def test_the_renderer_plugin_is_registered_and_first_for_any_builder():
    from myst_nb.core.render import get_mime_priority, load_mime_renders

    assert sphinx_blocks.BlocksRenderer in load_mime_renders(), "run `pip install -e .` (make setup)"
    for builder in ("html", "epub", "latex", "typst"):
        assert get_mime_priority(builder, [])[0] == blocks.MIME


def test_show_displays_blocks_only(monkeypatch):
    shown = []
    monkeypatch.setattr(blocks, "display", lambda data, raw: shown.append(data))
    monkeypatch.setattr(display, "display", lambda data, raw: shown.append(data))
    display.show("newcomers.quotes.table")
    [bundle, download] = shown
    assert list(bundle) == [blocks.MIME] and set(download) == {"text/html", "text/markdown"}
    table, *rest = bundle[blocks.MIME]["blocks"]
    assert table["type"] == "table" and table["name"] == "newcomers-quotes-table"
    assert rest[-1]["classes"] == ["provenance"]
    # readers get the sources as they cite them; the technical origin is the download's, in the HTML only
    result = registry.get("newcomers.quotes.table")
    assert "analysis." not in provenance.plain(rest[-1]["content"])
    assert provenance.plain(rest[-1]["content"]).endswith(i18n.text("source_processing"))
    link = BeautifulSoup(download["text/html"], "html.parser").select_one("p.bbox-download a")
    assert link["data-origin"].startswith("Computed by: " + result.function) and result.function not in link.get_text()
    assert result.function not in download["text/markdown"]
    assert not any("**" in cell or "`" in cell for row in table["rows"] for cell in row)
    json.dumps(bundle)  # a notebook output holds JSON


def test_in_jupyterlab_blocks_also_show_as_escaped_html_and_charts_as_their_images(monkeypatch):
    """JupyterLab has no renderer for the blocks' MIME type, nor the book's chart script: in the Lab of ``make lab``
    (BBOX_LAB=1) a table shows as HTML whose every string is text, and a chart as its SVG with its description."""
    frame = _hostile_table()
    frame.attrs["strong_cells"] = [(0, "Text")]
    shown = [blocks.table(frame, "<i>title</i>", "t"), blocks.paragraph("*note*", blocks.strong("<b>"), classes=["note"]),
             blocks.deflist([(["`term`"], [blocks.paragraph("$x$")])]), blocks.caption("{numref}`x`", "c")]
    page = BeautifulSoup(blocks.as_html(shown), "html.parser")
    cells = [td.get_text() for td in page.select("tbody td")]
    assert cells[0::2] == HOSTILE and page.select_one("tbody td strong").get_text() == HOSTILE[0]
    assert page.select_one("caption").get_text() == "<i>title</i>"
    assert [p.get_text() for p in page.select("p")] == ["*note*<b>", "$x$", "{numref}`x`"]
    assert page.select_one("dt").get_text() == "`term`"
    assert {tag.name for tag in page.find_all(True)} == {"table", "caption", "thead", "tr", "th", "tbody", "td",
                                                         "strong", "p", "dl", "dt", "dd"}
    bundles = []
    monkeypatch.setattr(blocks, "display", lambda data, raw: bundles.append(data))
    blocks.show(*shown)
    monkeypatch.setenv(blocks.LAB, "1")
    blocks.show(*shown)
    assert list(bundles[0]) == [blocks.MIME] and bundles[1]["text/html"] == blocks.as_html(shown)
    chart = ChartOutput({"mark": "bar", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}}, "alt")
    in_lab, metadata = chart._repr_mimebundle_()
    monkeypatch.delenv(blocks.LAB)
    in_book, _ = chart._repr_mimebundle_()
    assert set(in_lab) == {"image/svg+xml", "image/png"} and set(in_book) == set(in_lab) | {"text/html"}
    assert "<title>alt</title>" in in_lab["image/svg+xml"] and metadata["image/svg+xml"] == {"alt": "alt"}


# -- CSV downloads -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, written", [
    ("=1+2", "'=1+2"), ("+A1", "'+A1"), ("-A1+1", "'-A1+1"), ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("-", "'-"), ("a=1", "a=1"), ("", ""),
    # numbers stay numbers, as a table shows them or as values of a chart
    ("-4,110.9", "-4,110.9"), ("+3", "+3"), ("-0.5", "-0.5"), ("20.7%", "20.7%"), ("-1.2e-05", "-1.2e-05"),
    (-3, -3), (-0.25, -0.25), (7, 7),
])
def test_spreadsheet_formulas_are_neutralised(cell, written):
    assert downloads.spreadsheet_safe(cell) == written


def test_csv_download_holds_text_as_text():
    rows = [["Quote", "Value"], ["=cmd|' /C calc'!A0", -2], ["@x", "-1.5"], ["a,\"b\"\nc", 1.5]]
    link = BeautifulSoup(downloads.data_download(rows, "t.csv", "Download", "t")["text/html"], "html.parser").a
    text = unquote(link["href"].removeprefix("data:text/csv;charset=utf-8,"))
    assert list(csv.reader(io.StringIO(text))) == [["Quote", "Value"], ["'=cmd|' /C calc'!A0", "-2"],
                                                    ["'@x", "-1.5"], ["a,\"b\"\nc", "1.5"]]


# -- Every free-text field of every study file, through every edition and format -------------------------

def free_text_fields(descriptor: dict) -> list[tuple[str, str, str]]:
    """(resource, path, field) of each string field that holds free text: no code list, no pattern, no key."""
    found = []
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        keys = {*([schema["primaryKey"]] if isinstance(schema.get("primaryKey"), str) else schema.get("primaryKey", [])),
                *(f for fk in schema.get("foreignKeys", []) for f in
                  ([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]))}
        for field in schema["fields"]:
            constraints = field.get("constraints", {})
            if (field.get("type", "string") == "string" and not field.get("categories") and field["name"] not in keys
                    and not {"pattern", "enum", "unique"} & set(constraints)):
                found.append((resource["name"], resource["path"], field["name"]))
    return found


def payload(n: int) -> str:
    """A formula first (CSV), then HTML, an event handler, Markdown, a MyST role, TeX; a marker Z<n>Z to find it.
    No quotes, dashes or ``:;!?`` (typography and French spacing change those in a PDF, not the data's)."""
    return (f"=1+2 Z{n:02d}Z <b class=bboxpwn>b</b> <img src=x onerror=document.body.dataset.pwned=1> *a* _u_ "
            f"{{cite}}`x` $x$ \\section{{s}} % # |")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# The editions that show free text from the data (quotes, excerpts, the glossary, sources, the codebook's
# descriptions); the others show none (tested below), so the hostile build leaves them out.
FREE_TEXT_EDITIONS = ("book", "brochure-en", "brochure-nl", "brochure-fr")
LONG_TEXT = 25  # characters: a shorter value (a source, a note) may be words our own prose or the codebook uses


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """A copy of the repository whose data hold a payload in every free-text field, built in every edition that
    shows free text, in every format; returns (the copy, {field: payload})."""
    # Seeded with this repository's builds: what reads no free text is not computed or executed again.
    repo = repository_copy(tmp_path_factory.mktemp("hostile") / "repo", seeded=FREE_TEXT_EDITIONS)
    data = repo / "data"
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    payloads = {}
    for n, (resource, path, field) in enumerate(free_text_fields(descriptor)):
        frame = pd.read_csv(data / path, dtype=str, keep_default_na=False)
        frame[field] = payload(n)
        frame.to_csv(data / path, index=False, lineterminator="\n")
        payloads[f"{resource}.{field}"] = payload(n)
    for n, resource in enumerate(descriptor["resources"], start=len(payloads)):  # codebook text is data too
        resource["description"] = payload(n)
        payloads[f"datapackage.{resource['name']}.description"] = payload(n)
    (data / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(repo))
    for name in ("BBOX_DATA_DIR", "BBOX_CACHE_DIR"):
        env.pop(name, None)
    build = f"from analysis.publication import editions; editions.build_all({list(FREE_TEXT_EDITIONS)}, editions.FORMATS)"
    run = subprocess.run([sys.executable, "-c", build], cwd=repo, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    return repo, payloads


def _marked(text: str, payloads: dict[str, str]) -> dict[str, str]:
    """{field: payload} of the payloads whose marker ``text`` holds."""
    return {field: p for field, p in payloads.items() if re.search(r"Z\d\dZ", p).group() in text}


def _html_pages(repo: Path, edition: str) -> list[Path]:
    root = repo / "_build" / edition / "_build" / "html"
    return [p for p in sorted(root.rglob("*.html")) if p.relative_to(root).parts[0] not in ("_static", "_sources")]


SHOWN_IN_BOOK = ("newcomer_quotes.text", "case_excerpts.text", "glossary.en", "glossary.nl", "glossary.fr",
                 "datapackage.newcomer_quotes.description")

# In the page: the text nodes that hold a marker (one text node = nothing of the payload became an element),
# and whatever the payload could have made. A chart's spec (a JSON script element) is not text shown.
PAGE_CHECK = """
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: n =>
  n.parentElement.closest("script, style") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
const texts = [];
while (walker.nextNode()) { if (/Z\\d\\dZ/.test(walker.currentNode.data)) texts.push(walker.currentNode.data); }
return {texts: texts, injected: document.querySelectorAll(".bboxpwn, img[onerror], img[src='x']").length,
        pwned: document.body.dataset.pwned || null};
"""


def _shown_in_browser(browser, url: str, where: str, marked: dict[str, str], payloads: dict[str, str]) -> set[str]:
    """The fields a page shows as text, opened in the browser: no payload made an element or ran, none was split."""
    browser.get(url)
    assert wait_for_charts(browser), f"{where}: the page or its charts had not finished"  # a chart draws its labels late
    facts = browser.execute_script(PAGE_CHECK)
    assert facts["injected"] == 0 and facts["pwned"] is None, f"{where}: the payload made elements or ran"
    for text in facts["texts"]:
        assert any(" ".join(p.split()) in " ".join(text.split()) for p in marked.values()), \
            f"{where}: a payload is split over elements or changed: {text!r}"
    return set(_marked(" ".join(facts["texts"]), payloads))


def _in_csv_downloads(markup: str, where: str, payloads: dict[str, str]) -> set[str]:
    """The fields a page's CSV downloads hold, each as text a spreadsheet does not run."""
    fields = set()
    for link in BeautifulSoup(markup, "html.parser").select("p.bbox-download a"):
        for row in csv.reader(io.StringIO(unquote(link["href"].split(",", 1)[1]))):
            for cell in (c for c in row if re.search(r"Z\d\dZ", c)):
                # a cell may hold the payload with text of ours after it (a quote and its speaker)
                assert cell.startswith("'=") and any(cell[1:].startswith(p) for p in payloads.values()), \
                    f"{where}: CSV cell {cell!r}"
                fields |= set(_marked(cell, payloads))
    return fields


def _shown_literally_in_epub_and_pdf(built: Path, edition: str, fields: set[str], payloads: dict[str, str]) -> None:
    with zipfile.ZipFile(built / "epub" / f"bbox-{edition}.epub") as epub:
        pages = [BeautifulSoup(epub.read(n), "html.parser") for n in epub.namelist() if n.endswith(".xhtml")]
    epub_text = " ".join(" ".join(p.get_text(" ").split()) for p in pages)
    assert not any(p.select(".bboxpwn, img[onerror]") for p in pages), f"{edition}.epub: the payload made elements"
    pdf = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(built / "typst" / f"bbox-{edition}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    pdf_text = _flat(pdf.replace("-\n", ""))  # words broken at a line end
    for field in fields:
        assert " ".join(payloads[field].split()) in epub_text, f"{edition}.epub: {field} is not shown literally"
        assert _flat(payloads[field]) in pdf_text, f"{edition}.pdf: {field} is not shown literally"


@pytest.mark.build
@pytest.mark.browser
def test_hostile_text_is_shown_literally_in_every_edition_and_format(hostile_build, server_for, browser):
    repo, payloads = hostile_build
    seen, csv_fields = set(), set()
    for edition in FREE_TEXT_EDITIONS:
        built, html_fields = repo / "_build" / edition / "_build", set()
        for page in _html_pages(repo, edition):
            markup = page.read_text(encoding="utf-8")
            marked = _marked(markup, payloads)  # in text, a chart's spec or a download
            if marked:
                url = f"{server_for(built / 'html')}/{page.relative_to(built / 'html').as_posix()}"
                html_fields |= _shown_in_browser(browser, url, f"{edition} {page.name}", marked, payloads)
                csv_fields |= _in_csv_downloads(markup, f"{edition} {page.name}", payloads)
        seen |= html_fields
        print(f"{edition}: {len(html_fields)} payloads shown literally: {', '.join(sorted(html_fields))}")
        _shown_literally_in_epub_and_pdf(built, edition, html_fields, payloads)  # shown as text: EPUB and PDF too
    missing = [field for field in SHOWN_IN_BOOK if field not in seen]
    assert not missing, f"no edition shows {missing}: the test proves nothing for them"
    assert {"newcomer_quotes.text", "case_excerpts.text"} <= csv_fields, f"CSV downloads checked: {csv_fields}"
    print(f"CSV downloads hold {len(csv_fields)} payloads as text: {', '.join(sorted(csv_fields))}")


@pytest.mark.build
def test_the_editions_the_hostile_build_leaves_out_show_no_free_text(artifacts):
    """No value of a free-text field nor a codebook description (of LONG_TEXT characters or more; the glossary's
    terms aside, which are the words the prose uses) is on a page of the editions left out of the hostile build, and
    none of their pages shows the glossary."""
    from analysis.publication import editions

    descriptor = json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))
    values = {" ".join(resource["description"].split()) for resource in descriptor["resources"]}
    for resource, path, field in free_text_fields(descriptor):
        if resource != "glossary" or field not in i18n.LANGUAGES:  # a term is the word the prose uses too
            values |= {" ".join(v.split()) for v in pd.read_csv(paths.DATA / path, dtype=str, keep_default_na=False)[field]}
    values = {value for value in values if len(value) >= LONG_TEXT}
    assert len(values) > 100, "too few free-text values to tell"
    left_out = [name for name in editions.editions() if name not in FREE_TEXT_EDITIONS]
    assert left_out and set(FREE_TEXT_EDITIONS) <= set(editions.editions())
    for edition in left_out:
        root = artifacts[(edition, "html")].parent
        for page in _html_pages(paths.ROOT, edition):
            text = " ".join(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
            shown = [value[:60] for value in values if value in text]
            assert not shown, f"{edition} {page.relative_to(root)} shows free text, so the hostile build needs it: {shown}"
        sources = [paths.ROOT / f"{page}.md" for page in editions.pages_by_edition()[edition]]
        assert not [s.name for s in sources if "show_glossary" in s.read_text(encoding="utf-8")], edition


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_a_chart_download_holds_what_its_reader_sees_in_the_editions_language(lang):
    """A Dutch or French chart's CSV: the columns its tooltips show, headed by the titles the chart gives them in
    that language; no column the chart only draws with (codes, citation keys, labels broken into lines)."""
    import glob

    for path in sorted(glob.glob(str(paths.RESULTS / "charts" / f"*@{lang}.vl.json"))):
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        english = json.loads(Path(path.replace(f"@{lang}", "")).read_text(encoding="utf-8"))
        header, *rows = downloads.shown_rows(spec)
        helpers = {"item", "Heading", "Row", "BibTeX", "n", "dataset"}
        assert not helpers & set(header), (path, header)
        same_in_english = set(header) & set(downloads.shown_rows(english)[0])
        assert same_in_english <= {"Type", "Dimension", "Source"}, (path, same_in_english)  # words French shares
        codes = [cell for row in rows for cell in row if isinstance(cell, str) and re.fullmatch(r"[a-z]+_[a-z_]+", cell)]
        assert not codes, (path, codes[:3])


def test_a_layered_chart_download_names_no_data_set_and_keeps_no_empty_row():
    """Layers with their own data (bars and points, a reference line): no internal data-set names, no row with
    nothing to show, and a field two layers title differently keeps its own name rather than one layer's title."""
    factors = downloads.shown_rows(json.loads((paths.RESULTS / "charts" / "survey.factors.chart.vl.json").read_text()))
    repertoire = downloads.shown_rows(json.loads((paths.RESULTS / "charts" / "survey.repertoire.chart.vl.json").read_text()))
    for header, *rows in (factors, repertoire):
        assert "dataset" not in header and all(any(cell != "" for cell in row) for row in rows)
    header, *rows = repertoire
    assert "All PCSWs" not in header and {row[header.index("Region")] for row in rows} > {""}


def test_a_download_name_keeps_dashes_and_whole_words():
    from analysis.publication.downloads import FILE_NAME_LIMIT, file_name

    assert file_name("Leefloon 2019–2022") == "leefloon-2019-2022"
    words = "Kans dat een OCMW de praktijk toepast per type van aanpak in de enquete bij alle OCMWs van het land".split()
    name = file_name(" ".join(words))
    assert 0 < len(name) <= FILE_NAME_LIMIT
    assert name.split("-") == [w.lower() for w in words[:len(name.split("-"))]]  # whole words, none cut inside
    assert file_name("x" * 100) == "x" * FILE_NAME_LIMIT
