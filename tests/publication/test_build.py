"""Every edition in every format builds strict, and each artifact is what its readers need."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from bs4 import BeautifulSoup

from analysis.data import codebook
from analysis import i18n
from analysis.publication import citation, editions
from tests.a11y import pdf_structure

pytestmark = pytest.mark.build


def html_pages(edition: str) -> dict[str, Path]:
    root = editions.artifact(edition, "html").parent
    return {page: root / f"{page}.html" for page in editions.pages_by_edition()[edition]}


def pdf_text(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def epub_pages(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as epub:
        return {name: epub.read(name).decode("utf-8") for name in epub.namelist()
                if name.endswith(".xhtml") and not name.endswith(("genindex.xhtml", "nav.xhtml"))}


def language(edition: str) -> str:
    spec = editions.editions()[edition].get("config", {})
    return spec.get("sphinx", {}).get("config", {}).get("language", "en")


def test_every_edition_builds_in_every_format(artifacts):
    assert set(artifacts) == {(name, fmt) for name in editions.editions() for fmt in editions.FORMATS}
    for (edition, fmt), path in artifacts.items():
        assert path.exists() and path.stat().st_size > 0, (edition, fmt)
        if fmt != "html":
            assert path.name == f"bbox-{edition}.{fmt}"


@pytest.mark.parametrize("edition", editions.editions())
def test_html_has_every_page_and_runs_offline(artifacts, edition):
    for page, path in html_pages(edition).items():
        assert path.exists(), f"{edition}: {page} missing from the HTML build"
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=\"https?://", html), f"{page} loads a script from the network"
        if "bbox-chart" in html:
            assert (path.parents[page.count("/")] / "_static" / "vega-bundle.js").exists()


@pytest.mark.parametrize("edition", editions.editions())
def test_standin_notice_on_every_page_of_every_format(artifacts, edition):
    if not codebook.is_standin():
        pytest.fail("the shipped data are stand-in: the manifest flag must say so")
    lang = language(edition)
    title, footer = i18n.text("standin_notice_title", lang), i18n.text("standin_footer", lang)
    for page, path in html_pages(edition).items():
        assert title in path.read_text(encoding="utf-8"), f"{edition} HTML {page} lacks the stand-in notice"
    for name, xhtml in epub_pages(artifacts[(edition, "epub")]).items():
        assert title in xhtml, f"{edition} EPUB {name} lacks the stand-in notice"
    pages = pdf_text(artifacts[(edition, "pdf")])
    content = [i for i, text in enumerate(pages) if text.strip()]  # every page, the first one too
    normalised = [" ".join(text.replace("\u2019", "'").split()) for text in pages]  # Typst typesets ' as ’
    footer = " ".join(footer.replace("\u2019", "'").split())  # French sets a no-break space before its colon
    missing = [i + 1 for i in content if footer not in normalised[i]]
    assert not missing, f"{edition} PDF pages without the stand-in footer: {missing}"


@pytest.mark.parametrize("edition", editions.editions())
def test_pdf_embeds_fonts_and_tags_every_chart_with_its_alt_text(artifacts, edition):
    pdf = artifacts[(edition, "pdf")]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), "\n".join(fonts)
    assert not any("Type 1" in line for line in fonts), "a Type 1 font: Typst should embed OpenType only"
    charts = sum(p.read_text(encoding="utf-8").count('class="bbox-chart"') for p in html_pages(edition).values())
    counts, alts = pdf_structure(pdf)
    assert len(alts) >= charts > 0 or charts == 0 == len(alts), f"{edition}: {len(alts)} figures for {charts} charts"
    assert all(alt.strip() for alt in alts), f"{edition}: a figure without alt text"


@pytest.mark.parametrize("edition", editions.editions())
def test_pdf_is_tagged_pdfua_in_the_edition_language(artifacts, edition):
    pdf = artifacts[(edition, "pdf")]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    title = yaml.safe_load(editions.write_config(edition)[0].read_text(encoding="utf-8"))["title"]
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == language(edition)
        assert bool(doc.Root.MarkInfo.Marked) and bool(doc.Root.ViewerPreferences.DisplayDocTitle)
        assert "/Outlines" in doc.Root, "no bookmarks"
        assert str(doc.open_metadata().get("pdfuaid:part")) == "1"
        assert str(doc.docinfo.Title) == title
        # The date is the build date (SOURCE_DATE_EPOCH or the last commit), never the clock: reproducible.
        assert str(doc.docinfo.CreationDate).startswith("D:" + citation.build_date().strftime("%Y%m%d"))
    counts, _ = pdf_structure(pdf)
    assert counts["/Title"] == 1 and counts["/H1"] >= 1 and counts["/P"] > 0
    assert counts["/TH"] >= counts["/Table"], "a table without header cells"
    # pdfua's own check: test_a11y.py (tests/checks.py runs it once per PDF)


@pytest.mark.parametrize("edition", editions.editions())
def test_every_html_table_sits_in_the_theme_container_that_scrolls_a_wide_table(artifacts, edition):
    """A table wider than the page column (the cases profile table was 49 px wider) scrolls inside its own box, as
    pydata-sphinx-theme intends, instead of overflowing the column; the theme's script gives that box a keyboard
    stop when it scrolls (axe: scrollable-region-focusable)."""
    tables = 0
    for page, path in html_pages(edition).items():
        main = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("main")
        for table in main.find_all("table"):
            tables += 1
            box = table.parent
            assert box.name == "div" and "pst-scrollable-table-container" in box.get("class", []), \
                f"{edition} {page}: table {table.get('id')!r} is not in the theme's scrolling container"
    assert tables or edition.startswith("brochure"), f"{edition}: no table to check"
    css = (editions.artifact(edition, "html").parent / "_static" / "styles" / "pydata-sphinx-theme.css")
    rule = re.search(r"\.pst-scrollable-table-container\{([^}]*)\}", css.read_text(encoding="utf-8"))
    assert rule and "overflow-x:auto" in rule.group(1).replace(" ", ""), "the theme's container no longer scrolls"


@pytest.mark.parametrize("edition", editions.editions())
def test_every_figure_and_table_cites_its_sources_as_readers_do(artifacts, edition):
    """Under each figure and table, in every edition and format, the sources as a reader cites them and the
    processing; no function, file digest or package version, which the HTML gives reviewers beside each data
    download only."""
    lang = language(edition)
    source = i18n.text("source", lang) + i18n.text("colon", lang)  # "Source : " in French
    processing = i18n.text("source_processing", lang)
    technical = re.compile(r"analysis\.\w+\.|\([0-9a-f]{8}\)|bbox-analysis \d")
    for page, path in html_pages(edition).items():
        html = path.read_text(encoding="utf-8")
        # a published table is a cell's output; a table written in the prose (abbreviations, the design) cites none
        published = BeautifulSoup(html, "html.parser").select("div.cell_output table")
        shown = html.count('class="bbox-chart"') + len(published)
        lines = re.findall(r'<p class="provenance">(.*?)</p>', html, flags=re.S)
        if page.endswith("provenance"):  # the reviewers' appendix (HTML only) says how it was itself made
            continue
        assert len(lines) >= shown, f"{edition} {page}: a figure or table has no source line"
        for line in lines:
            assert line.startswith(source) and processing in line, f"{edition} {page}: {line}"
        assert not technical.search(" ".join(lines)), f"{edition} {page}: a technical provenance line"
        page_text = BeautifulSoup(html, "html.parser")
        downloads = page_text.select("p.bbox-download a")
        assert all(technical.search(a.get("data-origin", "")) for a in downloads), f"{edition} {page}: no origin"
        if edition != "book":  # the book's HTML appendix and numbers name functions, for reviewers
            main = page_text.select_one("main") or page_text
            assert not technical.search(main.get_text(" ")), f"{edition} {page}: {technical.search(main.get_text(' '))}"
    epub = "".join(epub_pages(artifacts[(edition, "epub")]).values())
    assert not technical.search(epub), f"{edition} EPUB: {technical.search(epub)}"
    assert epub.count(processing) >= epub.count("<img") - epub.count('class="logo')
    pdf = " ".join(" ".join(pdf_text(artifacts[(edition, "pdf")])).split())
    assert not technical.search(pdf), f"{edition} PDF: {technical.search(pdf).group()}"
    assert pdf.count(" ".join(processing.split())) >= len(re.findall(r"\b(?:Table|Tableau|Tabel) \d+", pdf)) // 2


@pytest.mark.parametrize("edition", editions.editions())
def test_epub_declares_its_accessibility(artifacts, edition):
    """EPUB Accessibility 1.1: the conformance claim, who checked it, and schema.org metadata, the summary in
    the edition's language; the navigation has its ARIA role and no toctree caption lacks its heading level."""
    with zipfile.ZipFile(artifacts[(edition, "epub")]) as epub:
        opf = epub.read("content.opf").decode("utf-8")
        nav = epub.read("nav.xhtml").decode("utf-8")
        pages = [epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml")]
    meta = dict.fromkeys(re.findall(r'<meta property="([^"]+)">', opf))
    for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                 "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo", "a11y:certifiedBy"):
        assert prop in meta, f"{edition}: content.opf lacks {prop}"
    assert '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>' in opf
    summary = i18n.text("epub_accessibility_summary", language(edition))
    assert summary in opf.replace("&#x27;", "'"), f"{edition}: the summary is not in the edition's language"
    assert '<nav epub:type="toc" role="doc-toc">' in nav
    assert not any(re.search(r'role="heading"(?![^>]*aria-level)', page) for page in pages)


def test_the_build_records_only_the_results_a_page_prints_or_shows(artifacts):
    """``make pin``'s "shown in" and ``python -m analysis keys`` name a page for a number only if its prose prints it:
    a page whose expressions can print any published number is recorded with those it prints."""
    from analysis.results import pins

    recorded, words = pins.records()["book"], {k for k, r in pins.pinned().items() if r.kind in ("number", "text")}
    for page, keys in recorded.items():
        source = (editions.paths.ROOT / f"{page}.md").read_text(encoding="utf-8")
        unprinted = [key for key in keys if key in words and key not in source]
        assert not unprinted, f"{page} is recorded as showing {unprinted}, which its source never names"
    survey = (editions.paths.ROOT / "chapters" / "survey.md").read_text(encoding="utf-8")
    assert 'n("survey.response.rate")' in survey and "survey.response.n_fl" not in survey
    assert "survey.response.rate" in recorded["chapters/survey"] and "survey.response.n_fl" not in recorded["chapters/survey"]
