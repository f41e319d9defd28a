"""Links keep their address: a URL with ``&`` (``…?COD=B2/191/P3/BBOX&l=nl``) reaches the HTML, the PDF's link
annotation and the EPUB as written.

myst-parser 3 stores a Markdown link's address HTML-escaped in the document (``refuri = escapeHtml(uri)``), and
every writer escapes it again for its own format: ``&amp;amp;`` in HTML, ``&amp;`` in the PDF's link target. The
document should hold the address itself; this undoes that one escape, exactly (``html.unescape`` would also read
``&copy=2`` as "©=2"). After markdown-it's ``normalizeLink`` a link's ``<``, ``>`` and ``"`` are percent-encoded,
so ``&amp;`` is the only entity it can hold; the others are undone too, in case.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

MARKDOWN_IT_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&"))  # &amp; last


def unescaped(uri: str) -> str:
    for entity, char in MARKDOWN_IT_ESCAPES:
        uri = uri.replace(entity, char)
    return uri


def addresses_as_written(app: Sphinx, doctree: nodes.document) -> None:
    """Every link read from a page holds its address, not the address escaped for HTML."""
    for node in doctree.findall(nodes.reference):
        if "&" in node.get("refuri", ""):
            node["refuri"] = unescaped(node["refuri"])


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", addresses_as_written)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
