"""Pages for reviewers live in the HTML only: the PDF and the EPUB, the files a publisher receives, leave them out.

The appendices "Where each number comes from" and "What changed in this version" speak the language of the
sources (functions, data digests, pinned results, release records): reviewers use them beside the HTML, where
each glued number links to its row. In the PDF and the EPUB:

- the table of contents and the reading order leave them out (their toctree entries go; the PDF, which inlines
  every page into one document, drops them; the EPUB does not pack them);
- a cross-reference to one of them reads as its title and where to find it ("“Where each number comes from”, in
  the HTML edition") rather than a link into a page that is not there;
- the lists of figures and tables leave out what they show (``figures.py`` asks :func:`in_print`).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join

from analysis import i18n

HTML_ONLY_PAGES = frozenset({"chapters/provenance", "chapters/changes"})


def in_print(app: Sphinx) -> bool:
    """Whether the builder makes a publisher's file (PDF, EPUB) rather than the HTML edition."""
    return app.builder.format != "html" or app.builder.name.startswith("epub")


def html_only(docname: str | None) -> bool:
    return docname in HTML_ONLY_PAGES


class ReferencesToHtmlOnlyPages(SphinxPostTransform):
    """In print, a reference to a page of the HTML only becomes its title and where it is."""

    default_priority = 5  # before Sphinx resolves references (10)

    def run(self, **kwargs) -> None:
        if not in_print(self.app):
            return
        lang = i18n.supported(self.config.language)
        labels = self.env.get_domain("std").labels
        for ref in list(self.document.findall(addnodes.pending_xref)):
            if ref.get("refdomain") != "std":
                continue
            target = ref.get("reftarget", "")
            if ref.get("reftype") == "doc":
                docname = docname_join(ref.get("refdoc", ""), target)
            elif ref.get("reftype") in ("ref", "numref"):
                docname = labels.get(target.lower(), (None,))[0]
            else:
                continue
            if html_only(docname):
                title = ref.astext() if ref.get("refexplicit") else self.env.titles[docname].astext()
                ref.replace_self(nodes.inline("", i18n.text("html_only_reference", lang, title=title)))


def leave_out_of_print(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The toctrees of a page in print list no page of the HTML only (the EPUB's spine and navigation are read from
    the root's); the PDF's one document, its pages already inlined, drops them."""
    if not in_print(app):
        return
    for toctree in doctree.findall(addnodes.toctree):
        toctree["entries"] = [(title, ref) for title, ref in toctree["entries"] if not html_only(ref)]
        toctree["includefiles"] = [name for name in toctree["includefiles"] if not html_only(name)]
    for page in list(doctree.findall(addnodes.start_of_file)):
        if html_only(page.get("docname")):
            page.parent.remove(page)


def epub_without_html_only_pages(app: Sphinx) -> None:
    """The EPUB packs every file of its folder: the written pages of the HTML only are removed first."""
    if not app.builder.name.startswith("epub"):
        return
    builder = app.builder
    build_content = builder.build_content

    def without_pages() -> None:
        for docname in HTML_ONLY_PAGES:
            Path(builder.outdir, docname + builder.out_suffix).unlink(missing_ok=True)
        build_content()

    builder.build_content = without_pages


def setup(app: Sphinx) -> dict:
    app.add_post_transform(ReferencesToHtmlOnlyPages)
    app.connect("doctree-resolved", leave_out_of_print)
    app.connect("builder-inited", epub_without_html_only_pages)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
