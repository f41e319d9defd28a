"""Notebook outputs of ``application/vnd.bbox.blocks+json`` (see ``analysis/publication/blocks.py``) as docutils nodes.

A MyST-NB mime renderer plugin (entry point ``myst_nb.mime_renderers`` in pyproject.toml): the blocks become a
real ``table`` (title, thead, tbody, a ``:name:`` target that ``numfig`` numbers and ``{numref}`` reaches),
paragraphs, containers, definition lists and chart captions (``figures.py`` makes each chart and its caption
a numbered figure), and every string from the data is a ``Text`` node. Each
builder escapes Text for its own format, so a quote holding ``{cite}``, ``*a*``, ``<img onerror=...>``, ``$x$``
or ``\\section`` prints those characters in HTML, EPUB, LaTeX and any builder still to come (Typst), and is
never parsed as Markdown, MyST, HTML or TeX. Nodes rather than escaped markup: one builder-neutral output, no
escaping rules per format to get right.
"""

from __future__ import annotations

import json

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from analysis.publication.blocks import MIME
from analysis.publication.sphinxext import figures, language


LONG_TABLE = 30  # rows above which Sphinx's LaTeX writer makes a longtable


class BlocksError(ValueError):
    pass


def _text(value) -> str:
    """Line breaks become spaces: a blank line would end a LaTeX table cell or caption (a table never
    showed them: the pipe tables replaced them too)."""
    if not isinstance(value, str):
        raise BlocksError(f"a {MIME} text must be a string, not {value!r}")
    return " ".join(value.splitlines())


def _inline(item) -> nodes.Node:
    if not isinstance(item, dict):
        return nodes.Text(_text(item))
    kind = item.get("type")
    if kind == "strong":
        return nodes.strong(text=_text(item["text"]))
    if kind == "literal":
        return nodes.literal(text=_text(item["text"]))
    if kind == "foreign":
        try:
            return language.phrase(_text(item["text"]), item["lang"])
        except ValueError as error:
            raise BlocksError(f"a foreign phrase in a {MIME} output: {error}") from None
    raise BlocksError(f"unknown inline {kind!r} in a {MIME} output (expected a string, strong, literal or foreign)")


def _paragraph(content, classes=()) -> nodes.paragraph:
    para = nodes.paragraph(classes=list(classes))
    para += [_inline(item) for item in content]
    return para


def _table(block: dict, document: nodes.document | None) -> nodes.table:
    header, rows = block["header"], block["rows"]
    strong = {tuple(cell) for cell in block.get("strong", ())}
    # As MyST's {table} directive makes it from a pipe table (same look in every format as before).
    table = nodes.table(classes=["colwidths-auto", *block.get("classes", ())])
    table += nodes.title(text=_text(block["title"]))
    group = nodes.tgroup(cols=len(header))
    table += group
    widths = [100 // len(header)] * len(header)
    if len(rows) > LONG_TABLE:
        # LaTeX sets a table this long as a longtable of unwrapped columns, which runs off the page (and its
        # caption with it): widths by content let it wrap. HTML and EPUB keep automatic widths (colwidths-auto
        # wins there), so only the PDF changes.
        widths = [min(max(len(_text(cell)) for cell in column), 50) + 3 for column in zip(header, *rows)]
        table["classes"].append("colwidths-given")
    group += [nodes.colspec(colwidth=width) for width in widths]

    def row(cells, index=None):
        tr = nodes.row()
        if len(cells) != len(header):
            raise BlocksError(f"table {block.get('name')!r}: a row of {len(cells)} cells under {len(header)} columns")
        for column, cell in enumerate(cells):
            content = nodes.strong(text=_text(cell)) if (index, column) in strong else nodes.Text(_text(cell))
            tr += nodes.entry("", nodes.paragraph("", "", content))
        return tr

    group += nodes.thead("", row(header))
    group += nodes.tbody("", *(row(cells, index) for index, cells in enumerate(rows)))
    if block.get("name"):
        table["names"].append(nodes.fully_normalize_name(block["name"]))
        if document is not None:
            document.note_explicit_target(table, table)
    return table


def to_nodes(blocks: list[dict], document: nodes.document | None = None) -> list[nodes.Node]:
    """Docutils nodes of ``blocks``; names become explicit targets of ``document`` when given."""
    out = []
    for block in blocks:
        kind = block.get("type")
        if kind == "table":
            out.append(_table(block, document))
        elif kind == "paragraph":
            out.append(_paragraph(block["content"], block.get("classes", ())))
        elif kind == "container":
            box = nodes.container(classes=list(block.get("classes", ())))
            box += to_nodes(block["content"], document)
            out.append(box)
        elif kind == "caption":
            out.append(figures.chart_caption(title=_text(block["title"]), target=block["name"]))
        elif kind == "deflist":
            # As MyST's deflist extension makes it.
            dl = nodes.definition_list(classes=["simple", "myst"])
            for item in block["items"]:
                term = nodes.term()
                term += [_inline(i) for i in item["term"]]
                definition = nodes.definition()
                definition += to_nodes(item["definition"], document)
                dl += nodes.definition_list_item("", term, definition)
            out.append(dl)
        else:
            raise BlocksError(f"unknown block {kind!r} in a {MIME} output "
                              f"(expected table, paragraph, container, deflist or caption)")
    return out


class BlocksRenderer:
    """The MyST-NB mime renderer plugin: first choice of every builder ("*"), the only type these outputs carry."""

    # 0: ahead of every other plugin, whatever order the installed entry points come in (myst-nb's own example
    # plugin also claims 1 for its "custommimetype").
    mime_priority_overrides = [("*", MIME, 0)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type != MIME or inline:
            return None
        content = json.loads(data.content) if isinstance(data.content, (str, bytes)) else data.content
        made = to_nodes(content["blocks"], renderer.renderer.document)
        for node in made:
            node.source, node.line = renderer.renderer.document["source"], data.line
        return made


def require_plugin(app: Sphinx) -> None:
    """Without the entry point (an install older than pyproject.toml) MyST-NB would drop these outputs silently."""
    from myst_nb.core.render import load_mime_renders

    if BlocksRenderer not in load_mime_renders():
        raise ExtensionError(f"the MyST-NB renderer of {MIME} is not installed: run `pip install -e .` "
                             f"(or `make setup`) so that its entry point in pyproject.toml is registered")


def setup(app: Sphinx) -> dict:
    app.setup_extension("analysis.publication.sphinxext.figures")  # a chart and its caption: a numbered figure
    app.connect("builder-inited", require_plugin)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
