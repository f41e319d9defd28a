"""The HTML sidebar links the index of terms (templates/sbt-sidebar-nav.html) when the edition indexes any term."""

from __future__ import annotations

from sphinx.application import Sphinx


def index_of_terms_link(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The book indexes terms; the short editions index none, and an empty index is no help."""
    context["bbox_index_of_terms"] = any(app.env.get_domain("index").entries.values())


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", index_of_terms_link)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
