"""EPUB output that passes epubcheck: no scripts, no stylesheet the EPUB lacks, a spine that finds every page
wherever the edition's root page is, and pages that say their language."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from sphinx.application import Sphinx

SCRIPT_ELEMENT = re.compile(r"<script\b.*?</script>", re.S)


def _is_epub(app: Sphinx) -> bool:
    return app.builder.name.startswith("epub")


def without_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """EPUB pages carry no scripts (epubcheck OPF-014) and no stylesheet the EPUB does not contain (RSC-007)."""
    if not _is_epub(app):
        return
    context["script_files"] = []
    context["body"] = SCRIPT_ELEMENT.sub("", context.get("body", ""))  # e.g. sphinx-thebe's inline config
    static = Path(app.outdir) / "_static"
    context["css_files"] = [css for css in context.get("css_files", [])
                            if (static / Path(str(css.filename)).name).exists()]


def toc_from_nested_root(app: Sphinx) -> None:
    """Sphinx prefixes the root page's folder to every toc link (``editions/report/../../chapters/x``);
    normalised, the spine and the navigation find the pages (epubcheck OPF-049) wherever the root is."""
    if not _is_epub(app):
        return
    add_files = app.builder.toc_add_files

    def toc_add_files(refnodes):
        for node in refnodes:
            page, hash_, fragment = node["refuri"].partition("#")
            node["refuri"] = posixpath.normpath(page) + hash_ + fragment
        add_files(refnodes)

    app.builder.toc_add_files = toc_add_files


def page_language(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """EPUB pages say their language (the EPUB builder's <html> tag has none; WCAG 3.1.1)."""
    if _is_epub(app):
        lang = app.config.language or "en"
        context["html_tag"] = app.builder.html_tag.replace("<html ", f'<html lang="{lang}" xml:lang="{lang}" ', 1)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", toc_from_nested_root)
    app.connect("html-page-context", without_scripts)
    app.connect("html-page-context", page_language)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
