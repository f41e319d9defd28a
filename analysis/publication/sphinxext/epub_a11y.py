"""EPUB Accessibility 1.1 for every EPUB: the conformance claim and schema.org accessibility metadata in
``content.opf``, the navigation's ARIA role, and an ``aria-level`` on toctree captions in EPUB and HTML (Ace by
DAISY and axe find none of these missing; tests/publication/test_a11y.py checks).

Sphinx has no option for arbitrary OPF ``<meta>`` elements, and it renders ``content.opf`` and ``nav.xhtml`` from
its own package templates (not from ``templates_path``). So the two files are completed right after Sphinx has
written them, before it zips the book.
"""

from __future__ import annotations

import html
from pathlib import Path

from sphinx.application import Sphinx

from analysis import i18n

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
ACCESS_MODES = ("textual", "visual")              # text, and charts that are images
ACCESS_MODES_SUFFICIENT = ("textual",)            # every chart has a text alternative
FEATURES = ("structuralNavigation", "tableOfContents", "alternativeText", "readingOrder",
            "displayTransformability")
HAZARDS = ("none",)                               # no flashing, motion or sound


def accessibility_metadata(language: str, evaluator: str) -> str:
    """The OPF ``<meta>`` elements of the accessibility claim, in the edition's language where they are prose."""
    lines = [f'<meta property="schema:accessMode">{mode}</meta>' for mode in ACCESS_MODES]
    lines += [f'<meta property="schema:accessModeSufficient">{mode}</meta>' for mode in ACCESS_MODES_SUFFICIENT]
    lines += [f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in FEATURES]
    lines += [f'<meta property="schema:accessibilityHazard">{hazard}</meta>' for hazard in HAZARDS]
    summary = html.escape(i18n.text("epub_accessibility_summary", language))
    lines.append(f'<meta property="schema:accessibilitySummary">{summary}</meta>')
    lines.append(f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>')
    lines.append(f'<meta property="a11y:certifiedBy">{html.escape(evaluator)}</meta>')
    return "\n    ".join(lines)


def complete_opf_and_nav(app: Sphinx) -> None:
    if not app.builder.name.startswith("epub"):
        return
    builder = app.builder
    build_content, build_navigation_doc = builder.build_content, builder.build_navigation_doc
    language = app.config.language if app.config.language in i18n.LANGUAGES else "en"

    def with_metadata() -> None:
        build_content()
        opf = Path(builder.outdir) / "content.opf"
        meta = accessibility_metadata(language, app.config.epub_publisher)
        text = opf.read_text(encoding="utf-8")
        if "</metadata>" not in text:
            raise RuntimeError(f"{opf}: no </metadata> to add the accessibility metadata before")
        opf.write_text(text.replace("</metadata>", f"  {meta}\n  </metadata>", 1), encoding="utf-8")

    def with_nav_role() -> None:
        build_navigation_doc()
        nav = Path(builder.outdir) / "nav.xhtml"
        text = nav.read_text(encoding="utf-8")
        nav.write_text(text.replace('<nav epub:type="toc">', '<nav epub:type="toc" role="doc-toc">'), encoding="utf-8")

    builder.build_content, builder.build_navigation_doc = with_metadata, with_nav_role


CAPTION = 'class="caption" role="heading">'
CAPTION_WITH_LEVEL = 'class="caption" role="heading" aria-level="2">'


def caption_heading_level(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Sphinx 7.4 writes a toctree caption as ``role="heading"`` without the ``aria-level`` that role requires
    (axe/Ace aria-required-attr, critical). Part captions sit under the page title: level 2. This mends the
    page body (the EPUB's root page lists the parts)..."""
    if "body" in context:
        context["body"] = context["body"].replace(CAPTION, CAPTION_WITH_LEVEL)


def caption_heading_level_in_sidebar(app: Sphinx, exception) -> None:
    """...and the HTML theme's sidebar, which the theme renders inside the page template, out of reach of
    html-page-context: the written pages are mended once the build is done."""
    if exception is not None or app.builder.name != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if CAPTION in text:
            page.write_text(text.replace(CAPTION, CAPTION_WITH_LEVEL), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", complete_opf_and_nav)
    app.connect("html-page-context", caption_heading_level)
    app.connect("build-finished", caption_heading_level_in_sidebar)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
