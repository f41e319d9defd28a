"""Charts as numbered figures, captions prefixed in the edition's language, and lists of figures and tables.

A chart is shown by two outputs of one notebook cell (``analysis.publish.show``): the chart (a MyST-NB mime
bundle: interactive HTML, SVG, PNG; each builder picks one) and a blocks output whose first block is its
``caption`` (``analysis/publication/blocks.py``). Right after a page is read, :class:`ChartFigures` moves the
two into one docutils ``figure`` with a ``caption`` and a ``:name:`` target, so Sphinx numbers it (``numfig``) and
``{numref}`` reaches it like any figure; the builder still picks the chart's format later. Tables from the
blocks are numbered tables already. Every format takes the numbers from Sphinx: HTML and EPUB through
``numfig``, the PDF through the Typst translator (``typst.py``), which writes Sphinx's number into each figure.

Captions read "Figure 3: …", "Figuur 3: …", "Figure 3 : …" (French puts a no-break space before the colon) and
"Table"/"Tabel"/"Tableau": the words are the fixed strings ``figure``, ``table`` and ``caption_separator``.

A page lists every numbered figure or table of the book with the directive ``bbox-list-of`` (``figure`` or
``table``): links in HTML and EPUB, Typst's outline of the figures (with their pages) in the PDF.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from analysis import i18n
from analysis.publication.sphinxext import html_only

logger = logging.getLogger(__name__)
TYPST_KINDS = {"figure": "image", "table": "table"}  # Sphinx's figure types, Typst's figure kinds
CAPTION_NUMBER = re.compile(r'(<span class="caption-number">[^<]*?) </span>')


class chart_caption(nodes.Element, nodes.General):  # noqa: N801 (docutils names nodes in lower case)
    """Placeholder from a blocks output: the caption (``title``) and target name (``target``) of the chart before it."""


class ChartFigures(SphinxTransform):
    """Each chart and its caption become one figure, before Sphinx collects targets (SphinxDomains, 850)."""

    default_priority = 400

    def apply(self, **kwargs) -> None:
        for placeholder in list(self.document.findall(chart_caption)):
            output = _cell_output(placeholder)
            chart = output.previous_sibling() if output is not None else None
            if not _is_mime_bundle(chart):
                logger.warning("the caption %r follows no chart in the same cell", placeholder["title"],
                               location=placeholder, type="bbox", subtype="figure")
            else:
                self.make_figure(chart, placeholder["title"], placeholder["target"])
            placeholder.parent.remove(placeholder)

    def make_figure(self, chart: nodes.Element, title: str, name: str) -> nodes.figure:
        figure = nodes.figure(classes=["bbox-chart-figure"])
        chart.replace_self(figure)
        figure += chart
        figure += nodes.caption("", title)
        figure["names"].append(nodes.fully_normalize_name(name))
        self.document.note_explicit_target(figure, figure)
        return figure


def _is_mime_bundle(node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "mime_bundle"


def _cell_output(node: nodes.Node) -> nodes.Element | None:
    """The output (a child of the cell's output container) that holds ``node``."""
    while node.parent is not None and node.parent.get("nb_element") != "cell_code_output":
        node = node.parent
    return node if node.parent is not None else None


# -- Caption words in the edition's language ------------------------------------------------------------

def caption_words(app: Sphinx, config) -> None:
    """Numbered figures and tables, with the words of the edition's language (Sphinx's own are "Fig." and
    "Table" in every language). Connected before Sphinx completes ``numfig_format`` (priority 800)."""
    lang = i18n.supported(config.language)
    config.numfig = True
    config.numfig_format = {**(config.numfig_format or {}),
                            "figure": i18n.text("figure", lang) + " %s", "table": i18n.text("table", lang) + " %s"}


def caption_separator(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """HTML and EPUB: "Figure 3: …" (Sphinx writes "Figure 3 …"); {numref} keeps "Figure 3" without a colon."""
    if "body" in context:
        separator = i18n.text("caption_separator", i18n.supported(app.config.language))
        context["body"] = CAPTION_NUMBER.sub(lambda m: m.group(1) + separator + "</span>", context["body"])


def number(env, docname: str, figtype: str, node: nodes.Element) -> str | None:
    """The number Sphinx gave ``node`` ("3", or "2.1" under numbered sections); None when it has none."""
    found = env.toc_fignumbers.get(docname, {}).get(figtype, {}).get(node["ids"][0]) if node["ids"] else None
    return ".".join(map(str, found)) if found else None


# -- Lists of figures and tables ------------------------------------------------------------------------------

class list_of(nodes.General, nodes.Element):  # noqa: N801
    """Placeholder of a list of every numbered ``figtype`` ("figure" or "table"), made when the page is written."""


class ListOf(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        figtype = directives.choice(self.arguments[0], tuple(TYPST_KINDS))
        list_pages(self.env).add(self.env.docname)
        return [list_of(figtype=figtype)]


def list_pages(env) -> set[str]:
    """The pages holding a list of figures or tables."""
    if not hasattr(env, "bbox_list_pages"):
        env.bbox_list_pages = set()
    return env.bbox_list_pages


def reread_lists(app: Sphinx, env, docnames: list[str]) -> None:
    """A list shows every page's figures: it is made again whenever any page is read (whatever asked for it), and
    only then, so a build that reads nothing writes nothing."""
    if docnames:
        docnames[:] = sorted(set(docnames) | (list_pages(env) & set(env.found_docs)))


def reread_lists_after_removal(app: Sphinx, env, added, changed, removed) -> list[str]:
    return sorted(list_pages(env)) if removed else []  # a removed page's figures leave the lists


def forget_page(app: Sphinx, env, docname: str) -> None:
    list_pages(env).discard(docname)


def merge_pages(app: Sphinx, env, docnames, other) -> None:
    list_pages(env).update(list_pages(other) & set(docnames))


class ResolveLists(SphinxPostTransform):
    default_priority = 20

    def run(self, **kwargs) -> None:
        for placeholder in list(self.document.findall(list_of)):
            figtype = placeholder["figtype"]
            if self.app.builder.name == "typst":  # Typst lists its figures itself, with their pages
                code = f"#outline(title: none, target: figure.where(kind: {TYPST_KINDS[figtype]}))\n"
                placeholder.replace_self(nodes.raw("", code, format="typst"))
            else:
                placeholder.replace_self(self.entries(figtype))

    def entries(self, figtype: str) -> nodes.bullet_list:
        """A link to each numbered figure (or table) of the document, in order: "Figure 3: its caption"."""
        captions = {(doc, target): title for doc, target, title in self.env.get_domain("std").labels.values()}
        found = sorted((number, doc, target) for doc, kinds in self.env.toc_fignumbers.items()
                       for target, number in kinds.get(figtype, {}).items()
                       if not (html_only.in_print(self.app) and html_only.html_only(doc)))
        prefix = self.config.numfig_format[figtype]
        separator = i18n.text("caption_separator", i18n.supported(self.config.language))
        listing = nodes.bullet_list(classes=["bbox-list-of", f"bbox-list-of-{figtype}"])
        here = self.env.docname
        for shown, doc, target in found:
            uri = self.app.builder.get_relative_uri(here, doc) + "#" + target
            text = prefix % ".".join(map(str, shown)) + separator + captions.get((doc, target), "")
            link = nodes.reference("", text, internal=True, refuri=uri)
            listing += nodes.list_item("", nodes.paragraph("", "", link))
        return listing


def setup(app: Sphinx) -> dict:
    app.add_node(chart_caption)
    app.add_node(list_of)
    app.add_transform(ChartFigures)
    app.add_post_transform(ResolveLists)
    app.add_directive("bbox-list-of", ListOf)
    app.connect("config-inited", caption_words, priority=500)
    app.connect("html-page-context", caption_separator)
    app.connect("env-before-read-docs", reread_lists)
    app.connect("env-get-outdated", reread_lists_after_removal)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_pages)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
