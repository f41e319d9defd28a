"""The editions: every language complete, the short editions showing the registry's numbers, every artifact sound."""

from __future__ import annotations

import json
import re
import string
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from analysis import i18n, paths
from analysis.data import codebook, load
from analysis.publication import blocks, citation, editions, findings, messages
from analysis.results import registry
from analysis.version import __version__

BROCHURES = {f"brochure-{lang}": lang for lang in i18n.LANGUAGES}
REPORTS = {"report": "en", "report-nl": "nl", "report-fr": "fr"}
BROCHURE_PAGE_BUDGET = 8  # A4 pages


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _plain(text: str) -> str:
    """Text with every kind of space as one plain space, to compare numbers across formats."""
    text = text.replace("\u2019", "'")  # Typst prints ' as a typographic apostrophe
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text)


# -- The fixed strings of each language -------------------------------------------------------------------

def test_every_language_has_every_fixed_string_with_the_same_placeholders():
    english = i18n.strings("en")
    for lang in i18n.LANGUAGES:
        table = i18n.strings(lang)
        assert set(table) == set(english), f"analysis/i18n/{lang}.yml: missing {set(english) - set(table)}, extra {set(table) - set(english)}"
        for key, value in table.items():
            assert isinstance(value, str) and value.strip(), f"analysis/i18n/{lang}.yml: {key} is empty"
            assert _placeholders(value) == _placeholders(english[key]), f"analysis/i18n/{lang}.yml: {key} placeholders"


def test_fixed_strings_are_translated_not_copied():
    # Short words may legitimately be the same ("Source", "Version {version} · {date}"); sentences may not.
    english = i18n.strings("en")
    for lang in ("nl", "fr"):
        copied = [key for key, value in i18n.strings(lang).items() if value == english[key] and len(value) > 30]
        assert not copied, f"analysis/i18n/{lang}.yml repeats the English of {copied}"


# -- What the short editions list -------------------------------------------------------------------------

def test_every_listed_finding_is_a_published_result_of_the_right_kind():
    for edition in findings.SHORT_EDITIONS:
        for key in findings.listed(edition, "numbers"):
            assert registry.get(key).kind == "number", key
        for key in findings.listed(edition, "shows"):
            assert registry.get(key).kind in ("chart", "table"), key


def test_brochure_numbers_are_report_numbers():
    assert set(findings.listed("brochure", "numbers")) <= set(findings.listed("report", "numbers"))


def test_brochure_shows_only_translated_results_and_labels_every_number():
    for lang in i18n.LANGUAGES:
        for key in findings.listed("brochure", "shows"):
            assert registry.get(key, lang).lang == lang, f"{key} is not translated into {lang}"
        for key in findings.listed("brochure", "numbers"):
            assert i18n.text(f"finding.{key}", lang)


def test_glossary_terms_exist_in_every_language():
    terms = load.table("glossary").set_index("term_id")
    for term_id in findings.key_findings()["glossary"]:
        for lang in i18n.LANGUAGES:
            assert isinstance(terms.loc[term_id, lang], str) and terms.loc[term_id, lang], (term_id, lang)
            assert i18n.text(f"glossary.{term_id}", lang)


def test_a_glossary_entry_neither_repeats_a_gloss_nor_puts_brackets_beside_or_inside_brackets():
    terms = load.table("glossary").set_index("term_id")
    for term_id in terms.index:
        for lang in i18n.LANGUAGES:
            term, names = findings.glossary_entry(terms.loc[term_id], lang)
            others = i18n.text("semicolon", lang).join(name for _, name in names)
            _, gloss = findings.split_gloss(term)
            assert gloss.casefold() not in others.casefold() or not gloss, (term, others)
            assert term.count("(") <= 1 and all(name.count("(") <= 1 for _, name in names)
            assert not any(name.startswith("(") for _, name in names), others
            for other in ("nl", "fr"):  # Belgium's other language is always named
                if other != lang:
                    assert findings.split_gloss(terms.loc[term_id, other])[0] in dict(names)[other], (term_id, lang, other)


def test_a_glossary_names_each_other_language_name_in_its_language():
    """WCAG 3.1.2: "Frans: parcours d'intégration" in the Dutch brochure, the name marked as French (as text)."""
    shown = findings.glossary_names([("fr", "parcours d'intégration <b>"), ("en", "integration pathway")], "nl")
    foreign = [item for item in shown if isinstance(item, dict)]
    assert foreign == [blocks.foreign("parcours d'intégration <b>", "fr"), blocks.foreign("integration pathway", "en")]
    assert shown[0] == i18n.text("glossary_in.fr", "nl") + i18n.text("colon", "nl")
    assert ('<span lang="fr" xml:lang="fr">parcours d&#x27;intégration &lt;b&gt;</span>'
            in blocks.as_html([blocks.paragraph(*shown)]))


def test_key_figures_show_the_registry_value_in_each_language():
    keys = findings.listed("brochure", "numbers")
    assert keys
    for lang in i18n.LANGUAGES:
        shown = json.dumps(findings.key_figures(keys, "brochure", lang), ensure_ascii=False)
        for key in keys:
            assert registry.get(key, lang).formatted(lang) in shown
            said = findings.label(key, "brochure", lang)
            assert said in shown and "{" not in said and "}" not in said, said  # every placeholder filled


def test_a_key_figure_of_the_reference_series_says_its_years_as_the_data_give_them():
    for lang in i18n.LANGUAGES:
        for key, years in (("reference.income.first", ["first_year"]), ("reference.income.last", ["last_year"]),
                           ("reference.income.growth", ["first_year", "growth_last_year"])):
            said = findings.label(key, "report", lang)
            for year in years:
                assert registry.get(f"reference.income.{year}").formatted(lang) in said, (lang, key, said)


@pytest.mark.parametrize("change, words", [
    (lambda spec: spec["parts"].pop("survey"), "must list exactly"),
    (lambda spec: spec["parts"]["survey"].pop("brochure"), "parts.survey must have exactly report and brochure"),
    (lambda spec: spec["parts"]["cases"]["report"].update(figures=[]), "unknown list(s) figures"),
    (lambda spec: spec["parts"]["context"]["report"].update(numbers=["reference.frame.total"] * 2), "lists a key twice"),
])
def test_a_malformed_findings_file_is_refused_with_where(tmp_path, monkeypatch, change, words):
    spec = yaml.safe_load(findings.FINDINGS_FILE.read_text(encoding="utf-8"))
    change(spec)
    broken = paths.ROOT / "_build" / "test-key_findings.yml"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text(yaml.safe_dump(spec), encoding="utf-8")
    monkeypatch.setattr(findings, "FINDINGS_FILE", broken)
    findings.key_findings.cache_clear()
    try:
        with pytest.raises(findings.FindingsError, match=re.escape(words)) as error:
            findings.key_findings()
        assert "test-key_findings.yml" in str(error.value)
    finally:
        findings.key_findings.cache_clear()
        broken.unlink()


def test_editing_the_findings_list_re_executes_the_pages_that_read_it(monkeypatch, tmp_path):
    # The short editions' pages read editions/key_findings.yml at execution: it is part of the findings module's
    # code key, which a comment does not change and an edited entry does.
    from analysis import codekeys

    edited = tmp_path / "key_findings.yml"
    edited.write_text(findings.FINDINGS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setitem(codekeys.RESOURCES, findings.__name__, (edited,))
    before = codekeys.code_key(findings.__name__)
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert codekeys.code_key(findings.__name__) == before
    edited.write_text(edited.read_text(encoding="utf-8") + "extra: [1]\n", encoding="utf-8")
    assert codekeys.code_key(findings.__name__) != before


def test_a_number_listed_as_a_chart_is_refused():
    with pytest.raises(findings.FindingsError, match="list it under 'shows'"):
        findings.key_figures(["reference.income.chart"], "report", "en")


# -- Version, date and citation ---------------------------------------------------------------------------

def test_version_is_the_same_everywhere():
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    pyproject = (paths.ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = citation.citation_metadata()["version"]
    assert str(version) == __version__ == config["sphinx"]["config"]["release"]
    assert f'version = "{version}"' in pyproject


def test_build_date_is_the_last_commit_unless_set(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    last_commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=paths.ROOT, capture_output=True,
                                 text=True, check=True).stdout.strip()
    assert citation.source_date_epoch() == int(last_commit)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert str(citation.build_date()) == "2020-09-13"
    assert [i18n.long_date(citation.build_date(), lang) for lang in i18n.LANGUAGES] == [
        "September 13, 2020", "13 september 2020", "13 septembre 2020"]


# -- The built artifacts ----------------------------------------------------------------------------------

def _html_pages(index: Path, without_glossaries: bool = False) -> dict[str, str]:
    """The text of every content page of an HTML build, by path; ``without_glossaries``: without the definition
    lists of a glossary, which name each term in the other languages too."""
    pages = {}
    for page in index.parent.rglob("*.html"):
        if page.name in ("genindex.html", "search.html") or "_static" in page.parts:
            continue
        main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main")
        if main is None:
            continue
        for glossary in main.find_all("dl") if without_glossaries else ():
            glossary.decompose()
        pages[str(page.relative_to(index.parent))] = _plain(main.get_text(" "))
    assert pages, f"no pages under {index.parent}"
    return pages


def _epub_pages(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as book:
        return {name: _plain(BeautifulSoup(book.read(name), "html.parser").get_text(" "))
                for name in book.namelist() if name.endswith(".xhtml") and not name.endswith(("nav.xhtml", "genindex.xhtml"))}


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [_plain(page) for page in text.split("\f") if page.strip()]


def _language(edition: str) -> str:
    """The edition's language, from its config (editions/editions.yml)."""
    config = yaml.safe_load(editions.write_config(edition)[0].read_text(encoding="utf-8"))
    return config["sphinx"]["config"].get("language", "en")


def test_every_language_has_a_report_and_a_brochure():
    assert {name: _language(name) for name in (*REPORTS, *BROCHURES)} == {**REPORTS, **BROCHURES}


def test_no_part_of_a_short_edition_is_left_empty():
    for part in findings.PARTS:
        for edition in findings.SHORT_EDITIONS:
            assert findings.listed(edition, "numbers", part) or findings.listed(edition, "shows", part), (part, edition)
    for lang in i18n.LANGUAGES:
        assert not [key for key, value in i18n.strings(lang).items() if "not yet included" in value
                    or "pas encore" in value or "nog niet" in value], lang


def test_each_short_edition_is_cited_by_the_title_its_first_page_shows():
    """How to cite an edition, its cover and its first page name it alike: the configured title is the root page's
    heading (the book keeps its cover title over a chapter's heading)."""
    spec = editions.editions()
    for name, edition in spec.items():
        if name == "book":
            continue
        root = paths.ROOT / (edition["toc"]["root"] + ".md")
        heading = next(line[2:] for line in root.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        assert citation.same_title(heading, edition["config"]["title"]), (name, heading, edition["config"]["title"])
    assert not citation.same_title("Les CPAS en Belgique", "Les CPAS\u00a0en Wallonie")
    assert citation.same_title("De OCMW\u2019s", "De OCMW's") and citation.same_title("Rapport\u00a0: x", "Rapport : x")


def test_titles_say_preview_while_the_data_are_stand_in(monkeypatch):
    spec = editions.editions()
    for name in spec:
        lang = _language(name)
        title = yaml.safe_load(editions.write_config(name)[0].read_text(encoding="utf-8"))["title"]
        final = spec[name]["config"].get("title") or yaml.safe_load((paths.ROOT / "_config.yml").read_text())["title"]
        assert title == i18n.text("preview_title", lang, title=final), name
    monkeypatch.setattr(codebook, "is_standin", lambda directory=None: False)
    assert yaml.safe_load(editions.write_config("report-fr")[0].read_text(encoding="utf-8"))["title"] == \
        spec["report-fr"]["config"]["title"]


def test_messages_are_chosen_by_the_results_in_every_language():
    from analysis.study.survey import type_labels

    shares = {key.removeprefix(messages.SHARE_PREFIX): r.value for key, r in registry.under("newcomers.themes").items()
              if key.startswith(messages.BARRIER_PREFIX)}
    first = max(shares, key=shares.get)
    for lang in i18n.LANGUAGES:
        shown = messages.messages(lang)
        assert type_labels(lang)[1] in shown["message.typology"]
        assert registry.get("survey.typology.largest_share").formatted(lang) in shown["message.typology"]
        assert registry.get(messages.SHARE_PREFIX + first).formatted(lang) in shown["message.barriers"]
        assert i18n.text(f"theme.{first}", lang) in shown["message.barriers"]
    assert messages._direction(1.2, 3.0) == "more" and messages._direction(0.2, 0.9) == "less"
    assert messages._direction(0.8, 1.3) == "unclear"


@pytest.mark.build
def test_brochure_pdfs_are_booklets_as_designed(artifacts):
    """A4, a multiple of four pages within the budget (a booklet); the cover carries the title, the subtitle and
    the language, the back page how to cite, the licence, the funder and the stand-in notice."""
    from babel import Locale

    from analysis.publication.sphinxext.imprint import licence

    for name, lang in BROCHURES.items():
        info = subprocess.run(["pdfinfo", str(artifacts[(name, "pdf")])], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        assert pages % 4 == 0 and 4 <= pages <= BROCHURE_PAGE_BUDGET, f"{name}: {pages} pages"
        assert "(A4)" in info
        shown = _pdf_pages(artifacts[(name, "pdf")])
        assert len(shown) == pages  # blank pages before the back page still carry the stand-in footer
        cover, back = shown[0], shown[-1]
        title = yaml.safe_load(editions.write_config(name)[0].read_text(encoding="utf-8"))["title"]
        root = paths.ROOT / (editions.editions()[name]["toc"]["root"] + ".md")  # its title is the subtitle
        subtitle = next(line[2:] for line in root.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        squeezed = lambda text: re.sub(r"\s+", "", _plain(text))  # a line may break after "/" or "—"
        for expected in (title, subtitle, Locale(lang).get_display_name(lang).capitalize(),
                         i18n.text("imprint_funder", lang)):
            assert squeezed(expected) in squeezed(cover), f"{name}: the cover lacks {expected!r}"
        date = citation.build_date()
        for expected in (citation.citation(title, date), i18n.text("imprint_funder", lang), i18n.text("imprint_doi", lang),
                         i18n.text("imprint_licence", lang, code=licence(citation.citation_metadata())),
                         i18n.text("standin_notice", lang)):
            assert squeezed(expected) in squeezed(back), f"{name}: the back page lacks {expected!r}"


@pytest.mark.build
def test_short_editions_show_the_registry_numbers_in_their_language(artifacts):
    report_text = " ".join(_html_pages(artifacts[("report", "html")]).values())
    report_pdf = " ".join(_pdf_pages(artifacts[("report", "pdf")]))
    for key in findings.listed("report", "numbers"):
        shown = _plain(registry.get(key).formatted("en"))
        assert shown in report_text and shown in report_pdf, f"report lacks {key} = {shown}"
    for name, lang in {**BROCHURES, **{n: l for n, l in REPORTS.items() if l != "en"}}.items():
        html = " ".join(_html_pages(artifacts[(name, "html")]).values())
        pdf = " ".join(_pdf_pages(artifacts[(name, "pdf")]))
        epub = " ".join(_epub_pages(artifacts[(name, "epub")]).values())
        for key in findings.listed("brochure", "numbers"):
            shown = _plain(registry.get(key, lang).formatted(lang))
            for fmt, text in (("html", html), ("pdf", pdf), ("epub", epub)):
                assert shown in text, f"{name} ({fmt}) lacks {key} = {shown}"


@pytest.mark.build
def test_no_english_fixed_string_in_dutch_and_french_editions(artifacts):
    english = i18n.strings("en")
    for name, lang in {**BROCHURES, **REPORTS}.items():
        if lang == "en":
            continue
        # The literal parts of each English string that the language does not share, long enough to mean something.
        # (A fragment that the language's own strings hold is a word both languages share: "organisation" in French.)
        own = " ".join(i18n.strings(lang).values())
        fragments = {fragment.strip() for key, value in english.items() if value != i18n.strings(lang)[key]
                     for fragment in re.split(r"\{[^}]*\}", value)
                     if len(fragment.strip()) >= 12 and fragment.strip() not in own}
        # and the words the PDF's template and Typst itself print: caption words, the contents' title
        words = [rf"\b{i18n.text(key, 'en')} \d" for key in ("figure", "table") if i18n.text(key, "en") != i18n.text(key, lang)]
        words.append(r"\bContents\b")
        pages = {**_html_pages(artifacts[(name, "html")]), **_epub_pages(artifacts[(name, "epub")]),
                 **{f"PDF page {i + 1}": text for i, text in enumerate(_pdf_pages(artifacts[(name, "pdf")]))}}
        for page, text in pages.items():
            leaked = [f for f in fragments if _plain(f) in text] + [w for w in words if re.search(w, text)]
            assert not leaked, f"{name} {page}: English {leaked}"
            assert " · data: " not in text, f"{name} {page}: an English provenance line"
        assert i18n.text("standin_notice_title", lang) in " ".join(pages.values())


@pytest.mark.build
def test_stand_in_notice_in_every_edition_format_and_language(artifacts):
    if not codebook.is_standin():
        pytest.fail("the data are no longer stand-in: drop this test with the notice")
    for name in editions.editions():
        lang = _language(name)
        notice = _plain(i18n.text("standin_notice", lang))
        for page, text in {**_html_pages(artifacts[(name, "html")]), **_epub_pages(artifacts[(name, "epub")])}.items():
            if "bibliography" in page or "genindex" in page:
                continue
            assert notice in text, f"{name}: no stand-in notice on {page}"
            assert "not yet included" not in text, f"{name}: placeholder text on {page}"
        pdf = _pdf_pages(artifacts[(name, "pdf")])
        footer = _plain(i18n.text("standin_footer", lang))
        assert _plain(i18n.text("standin_notice_title", lang)) in " ".join(pdf), f"{name}.pdf: no notice"
        assert all(footer in page for page in pdf[1:]), f"{name}.pdf: a page without the stand-in footer"


@pytest.mark.build
def test_title_page_carries_version_date_citation_and_the_book(artifacts):
    date = citation.build_date()
    for name in editions.editions():
        lang = _language(name)
        first = _html_pages(artifacts[(name, "html")])
        root = editions.editions()[name]["toc"]
        root_page = (root["root"] if isinstance(root, dict) else "index") + ".html"
        text = first[root_page]
        title = yaml.safe_load((editions.write_config(name)[0]).read_text(encoding="utf-8"))["title"]
        for expected in (i18n.text("edition_version", lang, version=__version__,
                                   date=i18n.long_date(date, lang)),
                         citation.citation(title, date)):
            assert _plain(expected) in text, f"{name}: title page lacks {expected!r}"
        if name != "book":
            assert _plain(i18n.text("edition_full_book", lang)) in text
            # the colophon ends the first page (the summary comes first), as the PDF's back page
            page = BeautifulSoup((artifacts[(name, "html")].parent / root_page).read_text(encoding="utf-8"),
                                 "html.parser").find("article") or BeautifulSoup("", "html.parser")
            colophon = page.find(class_="bboxtitlepage")
            assert colophon is not None and not colophon.find_all_next(["h2", "h3"]), f"{name}: colophon not last"
        pdf_first = " ".join(_pdf_pages(artifacts[(name, "pdf")])[:2])
        assert i18n.long_date(date, lang) in pdf_first and __version__ in pdf_first, name


def forbidden_terms_in(index: Path, lang: str) -> list[str]:
    from analysis.publication import terminology

    return [f"{page}: {variant!r} ({concept})" for page, text in _html_pages(index, without_glossaries=True).items()
            for concept, languages in terminology.table().items() for variant in languages[lang]["avoid"]
            if terminology._found(variant, text)]


@pytest.mark.build
def test_no_forbidden_term_in_any_edition(artifacts):
    for name in editions.editions():
        if name == "book":
            continue  # the book is English only and quotes sources in every language
        found = forbidden_terms_in(artifacts[(name, "html")], _language(name))
        assert not found, f"{name}: " + "; ".join(found)


def test_each_edition_executes_into_its_own_cache_so_editions_build_side_by_side():
    caches = {}
    for name in editions.editions():
        config_path, _ = editions.write_config(name)
        caches[name] = yaml.safe_load(config_path.read_text(encoding="utf-8"))["execute"]["cache"]
    assert len(set(caches.values())) == len(caches)
    assert all(Path(cache).is_relative_to(editions.edition_dir(name)) for name, cache in caches.items())
    pages = editions.pages_by_edition()  # no page in two editions: no execution to share between them
    assert sum(map(len, pages.values())) == len(set().union(*pages.values()))


def test_one_process_builds_an_editions_formats_and_each_keeps_its_own_log():
    mark = editions.FORMAT_LINE
    output = f"start-up\n{mark}html\nhtml line\n{mark}pdf\npdf line 1\npdf line 2\n"
    assert editions._split_by_format(output, ["html", "pdf", "epub"]) == {
        "html": "html line\n", "pdf": "pdf line 1\npdf line 2\n"}  # epub never started: no log of its own


# A link's address as a Markdown page writes it: [text](address) or <address>
MARKDOWN_ADDRESS = re.compile(r"\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>")


def test_a_link_address_with_an_ampersand_is_held_as_written():
    """myst-parser stores a link's address escaped for HTML; the document must hold the address itself, or every
    writer escapes it once more (``&amp;amp;`` in HTML)."""
    from docutils import nodes
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    from analysis.publication.sphinxext import links

    address = "http://www.belspo.be/belspo/fedra/proj.asp?COD=B2/191/P3/BBOX&l=nl&copy=1"
    doctree = publish_doctree(f"[text]({address}) and <{address}>", parser=Parser(),
                              settings_overrides={"report_level": 5})
    links.addresses_as_written(None, doctree)
    assert [node["refuri"] for node in doctree.findall(nodes.reference)] == [address, address]


@pytest.mark.build
def test_a_link_address_with_an_ampersand_reaches_html_pdf_and_epub_intact(artifacts):
    for name in {**BROCHURES, **REPORTS}:
        written = {match.group(1) or match.group(2) for source in editions.page_sources(name)
                   for match in MARKDOWN_ADDRESS.finditer((paths.ROOT / source).read_text(encoding="utf-8"))}
        written = {address for address in written if "&" in address}
        if not written:
            continue
        html = {a["href"] for page in artifacts[(name, "html")].parent.rglob("*.html")
                for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True)}
        with zipfile.ZipFile(artifacts[(name, "epub")]) as book:
            epub = {a["href"] for page in book.namelist() if page.endswith(".xhtml")
                    for a in BeautifulSoup(book.read(page), "html.parser").find_all("a", href=True)}
        pdf = set(re.findall(rb"/URI\s*\(((?:[^()\\]|\\.)*)\)", artifacts[(name, "pdf")].read_bytes()))
        pdf = {target.decode("latin-1").replace("\\", "") for target in pdf}
        for fmt, found in (("html", html), ("epub", epub), ("pdf", pdf)):
            assert written <= found, f"{name} ({fmt}) lacks {sorted(written - found)}"
            assert not any("&amp;" in address for address in found), f"{name} ({fmt}): an address escaped twice"


def test_shares_of_one_kind_are_key_figures_largest_first_whatever_the_listed_order():
    """The barriers' shares stand in the order the data give them (as the summary ranks them), not as listed;
    a hidden share keeps the listed order (ranking would say where it falls)."""
    keys = findings.listed("brochure", "numbers")
    for lang in i18n.LANGUAGES:
        for order in (keys, keys[::-1]):
            shown = findings.ranked(order, lang)
            assert sorted(shown) == sorted(order)
            for first, second in zip(shown, shown[1:]):
                one, two = registry.get(first, lang), registry.get(second, lang)
                if first.rsplit(".", 1)[0] == second.rsplit(".", 1)[0] and first.rsplit(".", 1)[0].endswith(".share") \
                        and None not in (one.value, two.value):
                    assert one.value >= two.value, f"{lang}: {first} ({one.value}) before {second} ({two.value})"


@pytest.mark.build
def test_a_short_editions_first_page_is_titled_once_and_keeps_its_no_break_spaces(artifacts):
    for name in editions.editions():
        if name == "book":
            continue
        page = artifacts[(name, "html")].parent / f"{editions.editions()[name]['toc']['root']}.html"
        title = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").title.string
        heading = title.split(" (")[0]
        assert title.count(heading) == 1 and " \u2014 " not in title, (name, title)
        if name.endswith("-fr"):
            assert "\u00a0:" in title, (name, title)  # French typography, as in the page


FOREIGN_NAMES = {"report-nl": ("fr", "parcours d’intégration"), "report-fr": ("nl", "inburgering"),
                 "brochure-nl": ("fr", "parcours d’accueil"), "brochure-fr": ("nl", "Agentschap Integratie en Inburgering")}


def _phrases_in(markup: str | bytes, lang: str) -> set[str]:
    """The text of every span marked as written in ``lang`` (``lang`` and ``xml:lang`` alike, as XHTML needs)."""
    soup = BeautifulSoup(markup, "html.parser")
    return {span.get_text() for span in soup.find_all("span", attrs={"lang": lang, "xml:lang": lang})}


def _pdf_span_languages(pdf_path: Path) -> set[str]:
    """The languages the tagged PDF gives its marked content (Typst writes /Lang on a span's BDC properties)."""
    import pikepdf

    with pikepdf.open(pdf_path) as pdf:
        return {str(op.operands[1].Lang) for page in pdf.pages for op in pikepdf.parse_content_stream(page)
                if op.operator == pikepdf.Operator("BDC") and isinstance(op.operands[1], pikepdf.Dictionary)
                and "/Lang" in op.operands[1]}


@pytest.mark.build
def test_a_name_in_the_other_language_carries_its_language_in_every_format(artifacts):
    """WCAG 3.1.2 (Language of Parts): a screen reader pronounces the French name in a Dutch edition as French."""
    for name, (lang, phrase) in FOREIGN_NAMES.items():
        html = {path: page.read_text(encoding="utf-8") for path in [artifacts[(name, "html")].parent]
                for page in path.rglob("*.html") if "_static" not in page.parts}
        assert any(phrase in _phrases_in(page, lang) for page in html.values()), f"{name} (html): {phrase} untagged"
        with zipfile.ZipFile(artifacts[(name, "epub")]) as book:
            pages = [book.read(entry) for entry in book.namelist() if entry.endswith(".xhtml")]
        assert any(phrase in _phrases_in(page, lang) for page in pages), f"{name} (epub): {phrase} untagged"
        assert lang in _pdf_span_languages(artifacts[(name, "pdf")]), f"{name} (pdf): no span in {lang}"
