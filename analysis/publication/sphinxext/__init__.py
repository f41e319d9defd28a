"""Sphinx extension of the BBOX book: what every edition and format needs beyond Jupyter Book, one module a concern.

- ``blocks``: data shown as text: tables, notes and provenance lines are document nodes, never markup;
- ``valid_data``: a build refuses invalid data, listing every problem as ``file:row:column: message``;
- ``freshness``: a page executes again only when something it used changed (results by value, files, code), and
  the build names each executed page and why (jupyter-cache alone keys on code cells only);
- ``bibliography``: citations resolve without scanning every installed package for pybtex's plugins each time;
- ``printed``: the ``{eval}`` role prints a published result from the registry, never from the kernel, and the
  ``{glue}`` roles keep the key of what they paste; a mistyped or unpinned key is a warning where it is typed;
- ``numbers``: in HTML, each printed or glued number explains itself (key, function, data files) on hover and
  keyboard focus;
- ``offline_charts``: charts work offline, the Vega libraries shipped in ``_static`` instead of loaded from a CDN;
- ``standin_notice``: the stand-in data notice on every page of every format while the data are stand-in;
- ``title_page``: authors, version, date, how to cite and the full book on each edition's first page;
- ``alt_text``: chart images keep their text alternative in EPUB (alt) and PDF (/Alt);
- ``navigation``: the sidebar links the index of terms where the edition has one;
- ``clean_html``: HTML pages load without console errors (a favicon, a fixed colour mode, each script once) and
  bibliography entries are list items;
- ``epub_repairs``: EPUB output that passes epubcheck; ``epub_a11y``: EPUB Accessibility 1.1;
- ``shown``: the keys each page glued or showed, so the drift report names where a result is shown;
- ``typst``: PDF through Typst, tagged PDF/UA-1;
- ``html_only``: the pages for reviewers (where each number comes from, what changed) in the HTML only, not in the
  publisher's PDF and EPUB;
- ``releases``: the "What changed in this version" page from the release records in ``releases/``;
- ``reproducible``: byte-identical EPUBs (zip entries dated from SOURCE_DATE_EPOCH);
- ``links``: a link's address reaches every format as written (``&`` escaped once, by the writer);
- ``translated``: a fixed string without its Dutch or French fails the strict build, in every language;
- ``language``: a phrase in another language than its page's (``{lang}`fr:revenu d'intégration```) carries its
  language in HTML, EPUB and PDF, so that screen readers pronounce it in that language.

Each module is an extension of its own (a small ``setup``); this one sets them up, with the house stylesheet and
the theme's templates made accessible. Every module is safe to read and write in parallel (``freshness`` merges
the one thing it keeps in the build environment).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"  # theme components made accessible (see their comments)
CONCERNS = ("blocks", "typst", "epub_a11y", "valid_data", "offline_charts", "epub_repairs", "freshness",
            "standin_notice", "title_page", "navigation", "alt_text", "clean_html", "shown", "releases", "reproducible",
            "printed", "numbers", "bibliography", "translated", "html_only", "links", "language")


def setup(app: Sphinx) -> dict:
    app.add_config_value("bbox_edition", "book", "env")
    # First in the search path: sphinx-book-theme puts its components folder ahead of ours (sbt-sidebar-nav.html)
    app.config.templates_path.insert(0, str(TEMPLATES))
    app.config.html_static_path.append(str(STATIC))
    for concern in CONCERNS:
        app.setup_extension(f"{__name__}.{concern}")
    app.add_css_file("bbox.css")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
