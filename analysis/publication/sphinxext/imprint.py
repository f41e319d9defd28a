"""The imprint of every edition, and the pages print gives it: funder, licence, DOI and, in print, the stand-in notice.

Every format shows the imprint under the title block of the edition's first page (the block of
``title_page`` in ``__init__.py``: authors, version and date, how to cite, the full book). The PDF lays the
same nodes out as a printed publication does (``editions/typst/bbox.typ`` styles each container):

- the book: a title page (``bboxcover``: the title, the authors, the stand-in notice as a band, the funder), then
  an imprint page (``bboximprintpage``: the title block and the imprint), then the table of contents
  (``bboxcontents``) with the lists of figures and tables after it;
- the report and the brochure: a cover (title, subtitle, language, the stand-in band, the funder), and the title
  block and imprint on the back page (``bboxbackpage``), as the design brief (shared notes) asks; the report
  has a table of contents after its cover, the brochure none.

Facts about the team and the publication come from ``CITATION.cff`` (authors, version, licence, DOI); the
sentences around them from the fixed strings of the edition's language.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from analysis.data import codebook
from analysis import i18n
from analysis.publication import citation
from analysis.publication.sphinxext.typst import edition_kind


def licence(meta: dict) -> str:
    """The code's licence as CITATION.cff names it (an SPDX identifier, or several)."""
    named = meta.get("license") or "–"
    return ", ".join(named) if isinstance(named, list) else str(named)


def imprint_block(lang: str, in_print: bool) -> nodes.container:
    """Funder, licence, DOI (or that none is assigned yet) and, in print, the stand-in notice."""
    meta = citation.citation_metadata()
    block = nodes.container(classes=["bboximprint"])
    block += nodes.paragraph(text=i18n.text("imprint_funder", lang))
    block += nodes.paragraph(text=i18n.text("imprint_licence", lang, code=licence(meta)))
    if meta.get("doi"):
        doi = nodes.paragraph(text="DOI: ")
        doi += nodes.reference(text=meta["doi"], refuri=f"https://doi.org/{meta['doi']}")
        block += doi
    else:
        block += nodes.paragraph(text=i18n.text("imprint_doi", lang))
    if in_print and codebook.is_standin():  # on screen, the notice opens every page already
        block += nodes.paragraph(text=i18n.text("standin_notice", lang), classes=["bboxstandin"])
    return block


def _first(parent: nodes.Element, condition) -> nodes.Element | None:
    return next((child for child in parent.children if condition(child)), None)


def _has_class(name: str):
    return lambda node: isinstance(node, nodes.Element) and name in node["classes"]


def add_imprint(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under the title block of the first page; in the PDF, arranged into cover, imprint or back page.
    Connected after ``title_page`` (priority 600), which adds the title block."""
    if docname != app.config.root_doc:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    parent = section if section is not None else doctree
    title_block = _first(parent, _has_class("bboxtitlepage"))
    in_print = app.builder.name == "typst"
    imprint = imprint_block(i18n.supported(app.config.language), in_print)
    parent.insert(parent.index(title_block) + 1 if title_block is not None else len(parent.children), imprint)
    if in_print:
        arrange_for_print(doctree, parent, [n for n in (title_block, imprint) if n is not None],
                          edition_kind(app.config.bbox_edition))


def arrange_for_print(doctree: nodes.document, parent: nodes.Element, colophon: list[nodes.Node], kind: str) -> None:
    """Cover, then (book) the imprint page, then the table of contents; (report, brochure) the back page."""
    notice = _first(parent, _has_class("bbox-standin"))
    cover = nodes.container(classes=["bboxcover"])
    at = next((i + 1 for i, child in enumerate(parent.children) if isinstance(child, nodes.title)), 0)
    if notice is not None:
        parent.remove(notice)
        cover += notice
    for node in colophon:
        parent.remove(node)
    page = nodes.container(classes=["bboximprintpage" if kind == "book" else "bboxbackpage"])
    page += colophon
    following = [cover]
    if kind == "book":
        following.append(page)
    else:
        doctree += page  # after every page of the edition: the back page
    if kind != "brochure":
        following.append(nodes.container(classes=["bboxcontents"]))
    for offset, node in enumerate(following):
        parent.insert(at + offset, node)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", add_imprint, priority=600)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
