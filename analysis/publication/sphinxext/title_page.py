"""Each edition's first page says who wrote it, its version and date, how to cite it, and where the full book is.

The date is the build date of :mod:`analysis.publication.citation` (the last commit's, reproducible), also
Sphinx's ``today``, in the edition's language.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx

from analysis import i18n

from analysis.publication import citation
from analysis.publication.sphinxext.standin_notice import CLASS as STANDIN


def set_build_date(app: Sphinx, config) -> None:
    config.today = i18n.long_date(citation.build_date(), i18n.supported(config.language))


def author_from_citation(app: Sphinx, config) -> None:
    """The footer's "By …", the EPUB's creator and the PDF's author are CITATION.cff's authors: one place."""
    config.author = citation.author_names()


def _full_book_sentence(app: Sphinx, docname: str) -> list[nodes.Node]:
    """A whole sentence saying where the book is: "The full academic book (in English) is published alongside this
    publication: <address>." Its address if CITATION.cff names one; else the book's name links its file beside this
    edition's (PDF) or its pages beside this edition's (HTML); an EPUB names it without a link. A reader never sees
    the file's name."""
    lang = i18n.supported(app.config.language)
    book = _full_book_name(app)
    url = citation.citation_metadata().get("url")
    if url:
        return _sentence(i18n.text("edition_book_at", lang), book=nodes.Text(book),
                         address=nodes.reference(text=url, refuri=url))
    if app.builder.name == "typst":  # bbox-*.pdf sit side by side in _build/publish: the book's name links its file
        return _sentence(i18n.text("edition_book_alongside", lang), book=nodes.reference(text=book, refuri="bbox-book.pdf"))
    if app.builder.name.startswith("epub"):  # an EPUB may only link inside itself: the book is named, not linked
        return _sentence(i18n.text("edition_book_alongside", lang), book=nodes.Text(book))
    # HTML: _build/<edition>/_build/html/ → _build/book/_build/html/
    target = "../" * (docname.count("/") + 3) + "book/_build/html/index.html"
    return _sentence(i18n.text("edition_book_alongside", lang), book=nodes.reference(text=book, refuri=target))


def _sentence(template: str, **parts: nodes.Node) -> list[nodes.Node]:
    """The translated sentence with each ``{name}`` replaced by its node (a link, a file name)."""
    pieces = re.split(r"\{(\w+)\}", template)  # text, name, text, name, …, text
    return [parts[piece] if i % 2 else nodes.Text(piece) for i, piece in enumerate(pieces) if piece]


def _full_book_name(app: Sphinx) -> str:
    """The book as a reader names it, not by its file: "The full academic book (in English)"."""
    lang = i18n.supported(app.config.language)
    return f"{i18n.text('edition_full_book', lang)} ({i18n.text('edition_book_language', lang)})"


def note_title_page_sources(app: Sphinx, doctree: nodes.document) -> None:
    """The first page shows CITATION.cff: when it changes, the page is read and written again."""
    if app.env.docname == app.config.root_doc and citation.CITATION_FILE.is_relative_to(app.srcdir):
        app.env.note_dependency(str(citation.CITATION_FILE))  # Sphinx tracks files of its source folder only


def _title_block(app: Sphinx, docname: str) -> nodes.container:
    lang, date = i18n.supported(app.config.language), citation.build_date()
    block = nodes.container(classes=["bboxtitlepage"])
    block += nodes.paragraph(text=i18n.text("edition_byline", lang, team=citation.project_team(lang)))
    block += nodes.paragraph(text=i18n.text("edition_version", lang, version=app.config.release,
                                            date=i18n.long_date(date, lang)))
    cite = nodes.paragraph()
    cite += nodes.strong(text=i18n.text("edition_cite", lang) + i18n.text("colon", lang))
    cite += nodes.Text(citation.citation(app.config.epub_title or app.config.project, date))
    book = nodes.paragraph()
    if app.config.bbox_edition == "book":
        book += nodes.Text(i18n.text("edition_is_book", lang))
    else:
        book += _full_book_sentence(app, docname)
    block += [cite, book]
    return block


def title_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under the title of the book's first page (and under the stand-in notice, if there is one). A report's or
    brochure's reader meets its summary first: in HTML and EPUB the block ends its first page, as it makes the PDF's
    back page."""
    if docname != app.config.root_doc:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    parent = section if section is not None else doctree
    if app.config.bbox_edition != "book" and app.builder.format == "html":
        parent.append(_title_block(app, docname))
        return
    after = next((i for i, child in enumerate(parent.children) if isinstance(child, nodes.title)), -1)
    notice = next((i for i, child in enumerate(parent.children)
                   if isinstance(child, nodes.Element) and STANDIN in child["classes"]), after)
    parent.insert(max(after, notice) + 1, _title_block(app, docname))


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", set_build_date)
    app.connect("config-inited", author_from_citation)
    app.connect("doctree-read", note_title_page_sources)
    app.connect("doctree-resolved", title_page)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
