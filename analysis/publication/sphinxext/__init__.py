"""Sphinx extension of the BBOX book: what every edition and format needs beyond Jupyter Book.

- shows data as text: tables, notes and provenance lines are document nodes, never markup (``blocks.py``);
- refuses to build on invalid data, listing every problem as ``file:row:column: message``;
- keeps executed outputs fresh: a page's execution-cache key covers what it read, by value, and the code it
  runs (``reexecution.py``; jupyter-cache alone keys on code cells only), and the build says why a page executed;
- charts work offline: the Vega libraries are shipped in ``_static`` instead of loaded from a CDN;
- the stand-in data notice on every page of every format while the data are stand-in;
- EPUB output that passes epubcheck;
- records the keys each page glued or showed (``shown.py``), so the drift report names where a result is shown;
- accessible output: chart images keep their text alternative in EPUB (alt) and PDF (/Alt), and HTML pages
  load without console errors (no duplicated inline scripts, a fixed colour mode, a favicon);
- PDF through Typst, tagged PDF/UA-1 (typst.py), and EPUB Accessibility 1.1 (epub_a11y.py);
- HTML numbers that explain themselves: key, function and data files on hover and keyboard focus (numbers.py).
"""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from analysis import paths
from analysis.data import load
from analysis.publication import charts, i18n
from analysis.publication.sphinxext import reexecution, shown

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"  # theme components made accessible (see their comments)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
SCRIPT_ELEMENT = re.compile(r"<script\b.*?</script>", re.S)
CODE_CELL = re.compile(r"^```\{code-cell\}\s*(\S+)", re.M)


def _language(app: Sphinx) -> str:
    return app.config.language if app.config.language in i18n.LANGUAGES else "en"


def refuse_invalid_data(app: Sphinx) -> None:
    try:
        load.ensure_valid()
    except load.DataError as error:
        raise ExtensionError(str(error)) from None


# -- Freshness of executed pages ------------------------------------------------------------------

def _is_notebook(source: str) -> bool:
    match = FRONT_MATTER.match(source)
    return bool(match and "kernelspec" in match.group(1))


def add_fingerprint_cell(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append a hidden cell naming the page's token, so the cache key changes when something the page used changed."""
    if not _is_notebook(source[0]):
        return
    language = (CODE_CELL.search(source[0]) or [None, "ipython3"])[1]
    token = reexecution.token(app, docname, source[0])  # kept while nothing the page used changed
    source[0] = (source[0].rstrip("\n") + f"\n\n```{{code-cell}} {language}\n:tags: [remove-cell]\n"
                 f"# executed with what it reads at state {token}\n```\n")
    app.env.bbox_notebooks = getattr(app.env, "bbox_notebooks", set()) | {docname}


def reread_when_code_or_data_change(app: Sphinx, env, added, changed, removed) -> list[str]:
    return reexecution.outdated(app, env, added, changed)  # pages whose results, files or code changed


# -- Offline charts -------------------------------------------------------------------------------

def ship_vega(app: Sphinx) -> None:
    if app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    import vl_convert as vlc

    bundle_dir = paths.CACHE / "static"
    bundle = bundle_dir / f"vega-bundle-{vlc.__version__}.js"
    if not bundle.exists():
        bundle_dir.mkdir(parents=True, exist_ok=True)
        # Wrapped in a function so that the bundle's top-level names do not clash with the theme's scripts.
        code = "(function () {\n" + vlc.javascript_bundle("window.vegaEmbed = vegaEmbed;") + "\n})();\n"
        tmp = bundle.with_suffix(".tmp")
        tmp.write_text(code, encoding="utf-8")
        tmp.replace(bundle)
    target = Path(app.outdir) / "_static"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundle, target / "vega-bundle.js")


# -- Stand-in notice ------------------------------------------------------------------------------

def standin_notice(app: Sphinx, doctree: nodes.document) -> None:
    if not load.is_standin():
        return
    lang = _language(app)
    notice = nodes.admonition(classes=["warning", "bbox-standin"])
    notice += nodes.title(text=i18n.text("standin_notice_title", lang))
    notice += nodes.paragraph(text=i18n.text("standin_notice", lang))
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        doctree.insert(0, notice)
    else:
        title_index = next((i for i, child in enumerate(section.children) if isinstance(child, nodes.title)), -1)
        section.insert(title_index + 1, notice)


# -- Title page: who wrote it, version, date, how to cite, the full book -----------------------------

def set_build_date(app: Sphinx, config) -> None:
    """``today`` is the build date of analysis.publication.findings, in the edition's language."""
    from analysis.publication import findings

    lang = config.language if config.language in i18n.LANGUAGES else "en"
    config.today = findings.formatted_date(findings.build_date(), lang)


def _full_book_link(app: Sphinx, docname: str) -> nodes.Node:
    """A link to the book: its URL if CITATION.cff names one, else its files next to this edition's."""
    from analysis.publication import findings

    url = findings.citation_metadata().get("url")
    if url:
        return nodes.reference(text=url, refuri=url)
    if app.builder.name == "typst":  # bbox-*.pdf sit side by side in _build/publish
        return nodes.reference(text="bbox-book.pdf", refuri="bbox-book.pdf")
    if app.builder.name.startswith("epub"):  # an EPUB may only link inside itself
        return nodes.Text(i18n.text("edition_file_alongside", _language(app), file="bbox-book.epub"))
    # HTML: _build/<edition>/_build/html/ → _build/book/_build/html/
    target = "../" * (docname.count("/") + 3) + "book/_build/html/index.html"
    return nodes.reference(text="bbox-book (HTML)", refuri=target)


def note_title_page_sources(app: Sphinx, doctree: nodes.document) -> None:
    """The first page shows CITATION.cff: when it changes, the page is read and written again."""
    if app.env.docname == app.config.root_doc:
        from analysis.publication import findings

        if findings.CITATION_FILE.is_relative_to(app.srcdir):  # Sphinx tracks files of its source folder only
            app.env.note_dependency(str(findings.CITATION_FILE))


def title_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under the title of each edition's first page: authors, version and date, how to cite, the full book."""
    if docname != app.config.root_doc:
        return
    from analysis.publication import findings

    lang = _language(app)
    date = findings.build_date()
    block = nodes.container(classes=["bboxtitlepage"])
    block += nodes.paragraph(text=i18n.text("edition_byline", lang))
    block += nodes.paragraph(text=i18n.text("edition_version", lang, version=app.config.release,
                                            date=findings.formatted_date(date, lang)))
    cite = nodes.paragraph()
    cite += nodes.strong(text=i18n.text("edition_cite", lang) + ": ")
    cite += nodes.Text(findings.citation(app.config.epub_title or app.config.project, date))
    block += cite
    book = nodes.paragraph()
    if app.config.bbox_edition == "book":
        book += nodes.Text(i18n.text("edition_is_book", lang))
    else:
        book += nodes.strong(text=i18n.text("edition_full_book", lang) + ": ")
        book += _full_book_link(app, docname)
    block += book
    section = next(iter(doctree.findall(nodes.section)), None)
    parent = section if section is not None else doctree
    after = next((i for i, child in enumerate(parent.children) if isinstance(child, nodes.title)), -1)
    notice = next((i for i, child in enumerate(parent.children)
                   if isinstance(child, nodes.Element) and "bbox-standin" in child["classes"]), after)
    parent.insert(max(after, notice) + 1, block)


# -- EPUB ---------------------------------------------------------------------------------------------

def epub_without_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """EPUB pages carry no scripts (epubcheck OPF-014) and no stylesheet the EPUB does not contain (RSC-007)."""
    if not app.builder.name.startswith("epub"):
        return
    context["script_files"] = []
    context["body"] = SCRIPT_ELEMENT.sub("", context.get("body", ""))  # e.g. sphinx-thebe's inline config
    static = Path(app.outdir) / "_static"
    context["css_files"] = [css for css in context.get("css_files", [])
                            if (static / Path(str(css.filename)).name).exists()]


def epub_toc_from_nested_root(app: Sphinx) -> None:
    """Sphinx prefixes the root page's folder to every toc link (``editions/report/../../chapters/x``);
    normalised, the spine and the navigation find the pages (epubcheck OPF-049) wherever the root is."""
    if not app.builder.name.startswith("epub"):
        return
    add_files = app.builder.toc_add_files

    def toc_add_files(refnodes):
        for node in refnodes:
            page, hash_, fragment = node["refuri"].partition("#")
            node["refuri"] = posixpath.normpath(page) + hash_ + fragment
        add_files(refnodes)

    app.builder.toc_add_files = toc_add_files


# -- Accessibility -----------------------------------------------------------------------------------

def describe_images(app: Sphinx, doctree: nodes.document) -> None:
    """Give a chart image the text alternative its file carries (myst-nb drops the output's alt metadata)."""
    for image in doctree.findall(nodes.image):
        if image.get("alt") or "://" in image["uri"]:
            continue
        # Sphinx's image collector has made the path relative to the source folder by now (the "*" candidate).
        found = image.get("candidates", {}).get("*")
        path = Path(app.srcdir, found) if found else Path(app.env.relfn2path(image["uri"], app.env.docname)[1])
        if path.suffix in (".png", ".svg") and path.exists():
            description = charts.embedded_description(path)
            if description:
                image["alt"] = description


def html_reader_friendly(app: Sphinx, config) -> None:
    """HTML pages without console errors: a favicon (no 404 for /favicon.ico) and a fixed light colour mode
    (without one the theme logs an error on a first visit; charts are drawn for a light background).
    The key of what makes the pages on this side (this extension, its scripts and templates, the fixed strings:
    ``reexecution.rendering_key``) is a setting, so that a change of any of them reads and writes every page again
    (Sphinx alone would find no page out of date and keep the old ones); nothing is executed again."""
    config.html_favicon = config.html_favicon or str(STATIC / "favicon.svg")
    config.html_context = {"default_mode": "light", **(config.html_context or {})}
    config.bbox_code = reexecution.rendering_key()


def epub_language(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """EPUB pages say their language (the EPUB builder's <html> tag has none; WCAG 3.1.1)."""
    if app.builder.name.startswith("epub"):
        lang = app.config.language or "en"
        context["html_tag"] = app.builder.html_tag.replace("<html ", f'<html lang="{lang}" xml:lang="{lang}" ', 1)


def favicon_at_root(app: Sphinx, exception) -> None:
    """A /favicon.ico at the root of the HTML build: browsers ask for it on pages that name no icon (the
    redirecting index.html of an edition whose first page is elsewhere), and a 404 is a console error."""
    if exception is None and app.builder.name == "html":
        from PIL import Image

        icon = Image.new("RGB", (32, 32), "#0072B2")
        icon.paste("#FFFFFF", (8, 8, 24, 24))
        icon.save(Path(app.outdir) / "favicon.ico")


def accessible_body(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """A bibliography entry is a list item: docutils gives it the deprecated role doc-biblioentry inside a
    role="list", which assistive technology does not take for an item (axe aria-required-children)."""
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def unique_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Each script once: extensions registering on every build (sphinx-thebe, togglebutton) add theirs again,
    and a second ``const THEBE_JS_URL`` is a SyntaxError in the reader's console."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # the same inline script comes once with filename None and once with "" (registered in two ways)
        identity = (str(getattr(script, "filename", script) or ""),
                    tuple(sorted(getattr(script, "attributes", {}).items())))
        if identity not in seen:
            seen.add(identity)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict:
    app.add_config_value("bbox_edition", "book", "env")
    app.setup_extension("analysis.publication.sphinxext.blocks")  # data shown as nodes, never as markup
    app.setup_extension("analysis.publication.sphinxext.typst")  # PDF through Typst (PDF/UA-1)
    app.setup_extension("analysis.publication.sphinxext.epub_a11y")  # EPUB Accessibility 1.1
    app.setup_extension("analysis.publication.sphinxext.numbers")  # HTML: each glued number explains its origin
    app.connect("builder-inited", refuse_invalid_data)
    app.connect("builder-inited", ship_vega)
    app.connect("builder-inited", epub_toc_from_nested_root)
    app.connect("source-read", add_fingerprint_cell)
    app.connect("env-get-outdated", reread_when_code_or_data_change)
    app.connect("doctree-read", standin_notice)
    app.connect("config-inited", set_build_date)
    app.connect("doctree-read", note_title_page_sources)
    app.connect("doctree-resolved", title_page)
    app.connect("html-page-context", epub_without_scripts)
    app.connect("html-page-context", unique_scripts)
    app.connect("doctree-read", describe_images)
    app.add_config_value("bbox_code", "", "env")
    app.connect("config-inited", html_reader_friendly)
    app.connect("html-page-context", accessible_body)
    app.connect("html-page-context", epub_language)
    app.connect("build-finished", favicon_at_root)
    app.connect("env-updated", shown.record)  # where each result is shown, for the drift report
    app.connect("env-updated", reexecution.record)  # what each page read, and which pages executed and why
    app.config.templates_path.append(str(TEMPLATES))
    app.config.html_static_path.append(str(STATIC))
    app.add_js_file("vega-bundle.js")
    app.add_js_file("bbox.js")
    app.add_css_file("bbox.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
