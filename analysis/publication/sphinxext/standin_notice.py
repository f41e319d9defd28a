"""While the data are stand-in, every page of every format says so, under its title, in the page's language."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from analysis.data import codebook
from analysis import i18n

CLASS = "bbox-standin"


def standin_notice(app: Sphinx, doctree: nodes.document) -> None:
    if not codebook.is_standin():
        return
    lang = i18n.supported(app.config.language)
    notice = nodes.admonition(classes=["warning", CLASS])
    notice += nodes.title(text=i18n.text("standin_notice_title", lang))
    notice += nodes.paragraph(text=i18n.text("standin_notice", lang))
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        doctree.insert(0, notice)
    else:
        title_index = next((i for i, child in enumerate(section.children) if isinstance(child, nodes.title)), -1)
        section.insert(title_index + 1, notice)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", standin_notice)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
