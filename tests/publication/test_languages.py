"""Every word of a Dutch or French edition in its language, French set with its no-break spaces, and the
report's messages and implications chosen by the results in every language."""

from __future__ import annotations

import gettext
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction

from analysis import i18n, paths
from analysis.publication import citation, editions, messages, translations
from analysis.results import registry

TRANSLATED = {"report-nl": "nl", "brochure-nl": "nl", "report-fr": "fr", "brochure-fr": "fr"}
LOCALES = paths.ROOT / "editions" / "locales"
TEMPLATES = paths.ROOT / "editions" / "templates"
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-bs-title")
# Before a colon French sets a no-break space (U+00A0, or a narrow one), before ; ? ! a narrow one (or U+00A0).
NO_BREAK = "\u00a0\u202f"
BADLY_SPACED = re.compile(rf"(?:[^\s{NO_BREAK}]|(?<=\S) )[:;?!](?=[\s)»*_]|$)|«(?![{NO_BREAK}])|(?<![{NO_BREAK}])»")
URL = re.compile(r"\b(?:https?|mailto|data):\S*")


# -- French typography ---------------------------------------------------------------------------------

def spacing_problems(text: str) -> list[str]:
    """Each place in ``text`` where French wants a no-break space and has none (URLs left alone)."""
    text = URL.sub(" ", text)
    return [text[max(0, m.start() - 30):m.end() + 10] for m in BADLY_SPACED.finditer(text)]


def _prose(segment: str) -> str:
    """A MyST segment without what is not prose: roles' targets, link targets, autolinks."""
    return re.sub(r"`[^`]*`|\]\([^)]*\)|<[^>]+>", " ", segment)


def test_spacing_rule_finds_what_french_forbids_and_leaves_urls_alone():
    assert spacing_problems("Résultat : texte") and spacing_problems("Figure: titre") and spacing_problems("« cité »")
    assert spacing_problems("le CPAS ; puis") and spacing_problems("vraiment ?")
    assert not spacing_problems("Résultat\u00a0: texte") and not spacing_problems("«\u00a0cité\u00a0»")
    assert not spacing_problems("voir http://www.belspo.be/proj.asp?COD=B2 et https://x.be/a:b")
    assert not spacing_problems("le CPAS\u202f; puis, vraiment\u202f?")


def test_french_texts_set_no_break_spaces():
    """The French pages and fixed strings, segment by segment (a number or a label glued in is checked in the
    built artifacts below)."""
    problems = []
    for _, lang, target in translations.pairs():
        if lang == "fr":
            for segment, text in translations.segments(paths.ROOT, target).items():
                problems += [f"{target}: segment {segment!r}: {bad!r}" for bad in spacing_problems(_prose(text))]
    assert not problems, "\n".join(problems)


# -- The theme's words ----------------------------------------------------------------------------------

def _catalogue(lang: str) -> dict[str, str]:
    with (LOCALES / lang / "LC_MESSAGES" / "sphinx.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and isinstance(m.id, str)}


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_theme_catalogue_is_compiled_and_translates_every_template_string(lang):
    """The .mo compiled before every build says what the .po says, and every string that editions/templates passes
    through gettext has a translation."""
    from analysis.publication import editions

    editions.compile_theme_catalogues()
    source = _catalogue(lang)
    with (LOCALES / lang / "LC_MESSAGES" / "sphinx.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = {msgid for msgid, text in source.items() if compiled.gettext(msgid) != text}
    assert not stale, f"run: pybabel compile -d editions/locales -D sphinx ({sorted(stale)})"
    assert all(source.values()), [msgid for msgid, text in source.items() if not text]
    used = {m for page in TEMPLATES.glob("*.html") for m in re.findall(r"_\('([^']+)'\)", page.read_text("utf-8"))}
    assert used and used <= set(source), sorted(used - set(source))


def english_strings(lang: str) -> set[str]:
    """What the Dutch or French theme must not show: every English msgid it translates, jupyter-book's search text,
    and the English byline of the footer."""
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    found = {msgid.replace("%(copyright)s", config["copyright"]) for msgid, text in _catalogue(lang).items()
             if text != msgid}
    return found | {"Search this book...", f"By {citation.author_names()}"}


def test_the_english_looked_for_is_what_the_themes_write():
    for lang in ("nl", "fr"):
        english = english_strings(lang)
        assert {"Toggle primary sidebar", "Main", "Search this book...", f"By {citation.author_names()}"} <= english
        assert "© Copyright 2026." in english  # the footer, with the year of _config.yml
    texts = visible_texts('<p title="Main">Terug<!-- Back to top --></p><input placeholder="Search this book...">')
    assert texts == ["Terug", "Main", "Search this book..."]


def visible_texts(markup: str | bytes) -> list[str]:
    """The text of each element of a page and of the attributes a reader hears or sees, white space collapsed
    (not the no-break spaces: they are what French typography is checked for)."""
    soup = BeautifulSoup(markup, "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    texts = [t for t in soup.find_all(string=True)
             if not isinstance(t, (Comment, Declaration, Doctype, ProcessingInstruction))]
    texts += [element[name] for element in soup.find_all(True) for name in ATTRIBUTES
              if element.has_attr(name) and element.name not in ("link", "meta")]  # <head> links are not shown
    return [re.sub(r"[ \t\r\n\f]+", " ", str(t)).strip() for t in texts if str(t).strip()]


def _pages(built: dict, edition: str) -> dict[str, str | bytes]:
    """Every HTML page of an edition (search and index pages too) and every content document of its EPUB."""
    html = built[(edition, "html")].parent
    pages = {str(p.relative_to(html)): p.read_text(encoding="utf-8") for p in html.rglob("*.html")
             if "_static" not in p.parts}
    with zipfile.ZipFile(built[(edition, "epub")]) as epub:
        pages |= {f"EPUB {name}": epub.read(name) for name in epub.namelist() if name.endswith(".xhtml")}
    return pages


@pytest.mark.build
@pytest.mark.parametrize("edition", TRANSLATED)
def test_no_english_theme_string_in_dutch_and_french_editions(artifacts, edition):
    english = english_strings(TRANSLATED[edition])
    problems = [f"{page}: {text!r}" for page, markup in _pages(artifacts, edition).items()
                for text in visible_texts(markup) if text in english or "Search this book" in text]
    assert not problems, "\n".join(problems)


@pytest.mark.build
@pytest.mark.parametrize("edition", TRANSLATED)
def test_search_page_speaks_the_edition_language(artifacts, edition):
    """The messages the search script writes (Sphinx's searchtools.js) all have a translation in the page's
    catalogue (translations.js): none falls back to English after a search."""
    static = artifacts[(edition, "html")].parent / "_static"
    script = (static / "searchtools.js").read_text(encoding="utf-8")
    wanted = set(re.findall(r'_\(\s*"([^"]+)"', script))
    catalogue = (static / "translations.js").read_text(encoding="utf-8")
    messages = json.loads(re.search(r"addTranslations\((\{.*\})\);", catalogue, re.S).group(1))["messages"]
    assert wanted and not [m for m in wanted if not messages.get(m)], [m for m in wanted if not messages.get(m)]


@pytest.mark.build
@pytest.mark.parametrize("edition", ["report-fr", "brochure-fr"])
def test_french_artifacts_set_no_break_spaces(artifacts, edition):
    """HTML and EPUB text (what the templates, the fixed strings and the pages make), code and URLs left alone."""
    problems = []
    for page, markup in _pages(artifacts, edition).items():
        soup = BeautifulSoup(markup, "html.parser")
        for code in soup(["code", "pre", "kbd", "script", "style"]):
            code.decompose()
        problems += [f"{page}: {bad!r}" for text in visible_texts(str(soup)) for bad in spacing_problems(text)]
    assert not problems, "\n".join(problems)


# -- Messages and implications ---------------------------------------------------------------------------

def test_implications_follow_the_results_they_rest_on_in_every_language():
    low, high = (registry.get(f"survey.factors.extra_conditions.or_{end}").value for end in ("low", "high"))
    basis = "linked" if messages._direction(low, high) in ("more", "less") else "unclear"  # or not estimable
    shares = {key.removeprefix("newcomers.themes.share."): r.value for key, r in registry.under("newcomers.themes").items()
              if key.startswith(messages.BARRIER_PREFIX)}
    first, second = sorted(shares, key=lambda theme: (-shares[theme], theme))[:2]
    agree, regions = registry.get("synthesis.joint.agree").value, registry.get("synthesis.joint.regions").value
    for lang in i18n.LANGUAGES:
        shown = messages.messages(lang)
        assert shown["message.implication.federal"] == i18n.text(f"implication.federal.{basis}", lang)
        # one whole sentence per remedy, the remedy for the barrier named most often first and naming who should act;
        # the next one of the same actor says "they also" instead of naming it again
        told = shown["message.implication.regions"]
        same_actor = messages.REMEDY_BY[first] == messages.REMEDY_BY[second]
        actions = [i18n.text(f"remedy.{first}", lang), i18n.text(f"remedy.{second}" + ("_also" if same_actor else ""), lang)]
        assert told.startswith(actions[0]) and actions[1] in told, told
        assert shown["message.strands.conditions"].startswith(i18n.text(
            f"message.strands.{messages.agreement(agree, regions)}", lang).split("{")[0])
    assert [messages.agreement(*case) for case in ((3, 3), (1, 3), (0, 3))] == ["all", "some", "none"]
    assert messages.agreement(0, 3, compared=False) == "hidden" == messages.agreement(3, 3, compared=False)


def test_every_barrier_has_a_remedy_and_every_report_glues_the_implications():
    themes = {key.removeprefix("newcomers.themes.share.") for key in registry.under("newcomers.themes")
              if key.startswith(messages.BARRIER_PREFIX)}
    for lang in i18n.LANGUAGES:
        assert all(i18n.text(f"remedy.{theme}", lang) for theme in themes)
    for report in ("editions/report/index.md", "editions/report-nl/index.md", "editions/report-fr/index.md"):
        text = (paths.ROOT / report).read_text(encoding="utf-8")
        for key in ("message.implication.federal", "message.implication.regions", "message.strands.conditions"):
            assert f"{{glue}}`{key}`" in text, f"{report} does not show {key}"


def test_editions_built_in_dutch_and_french_have_every_theme_setting():
    """The theme settings reach each Dutch and French edition's config (publisher, search text); the authors are
    CITATION.cff's in every language, so no edition sets its own."""
    for edition, lang in TRANSLATED.items():
        config = yaml.safe_load(editions.write_config(edition)[0].read_text(encoding="utf-8"))
        sphinx = config["sphinx"]["config"]
        assert sphinx["language"] == lang and sphinx["locale_dirs"] == ["editions/locales"]
        assert "author" not in config and "epub_author" not in sphinx
        assert sphinx["epub_publisher"] != "The BBOX publication team"
        assert config["sphinx"]["recursive_update"] is True and sphinx["html_theme_options"]["search_bar_text"]
