"""Document blocks a notebook output carries as data, never as markup: data is text.

A string from a data file (a quote, an excerpt, a label, a name) may hold ``*``, ``{cite}``, ``<img ...>``,
``$``, ``\\`` or ``%``. Shown through Markdown it would become emphasis, a role, HTML or TeX. So what a chapter
shows is a small JSON tree of blocks under one MIME type; the book's Sphinx extension
(``analysis/publication/sphinxext/blocks.py``) turns it into docutils nodes whose text is text in every builder
(HTML, EPUB, LaTeX and any other), and nothing here is ever parsed.

Blocks (dicts) and inlines (a plain string, or a dict)::

    {"type": "table", "title": str, "name": str, "classes": [...], "header": [str], "rows": [[str]],
     "strong": [[row, column], ...]}              # cells shown in bold, by position in ``rows``
    {"type": "paragraph", "classes": [...], "content": [inline, ...]}
    {"type": "container", "classes": [...], "content": [block, ...]}
    {"type": "deflist", "items": [{"term": [inline, ...], "definition": [block, ...]}, ...]}
    {"type": "caption", "title": str, "name": str}  # the chart shown just before is a numbered figure
    {"type": "strong" | "literal", "text": str}  # inlines

JupyterLab has no renderer for that MIME type: in the Lab that ``make lab`` starts (``BBOX_LAB=1``), an output
also carries the same blocks as HTML (:func:`as_html`), where every string is escaped, never read as markup.
"""

from __future__ import annotations

import html
import os

from IPython.display import display

MIME = "application/vnd.bbox.blocks+json"
LAB = "BBOX_LAB"  # set by `make lab`: the kernel's outputs are also shown by JupyterLab's own renderers


def in_lab() -> bool:
    """Whether the kernel runs in the JupyterLab of ``make lab`` (not in a build, where outputs stay as they are)."""
    return os.environ.get(LAB) == "1"


def strong(text: str) -> dict:
    return {"type": "strong", "text": str(text)}


def literal(text: str) -> dict:
    return {"type": "literal", "text": str(text)}


def foreign(text: str, lang: str) -> dict:
    """Words in another language than the page's (a French name in a Dutch brochure), marked with their language
    tag so that screen readers pronounce them in it (WCAG 3.1.2)."""
    return {"type": "foreign", "text": str(text), "lang": str(lang)}


def paragraph(*content, classes: list[str] = ()) -> dict:
    return {"type": "paragraph", "classes": list(classes),
            "content": [c if isinstance(c, dict) else str(c) for c in content]}


def container(*content: dict, classes: list[str] = ()) -> dict:
    return {"type": "container", "classes": list(classes), "content": list(content)}


def deflist(items: list[tuple[list, list[dict]]]) -> dict:
    return {"type": "deflist", "items": [{"term": [c if isinstance(c, dict) else str(c) for c in term],
                                          "definition": list(definition)} for term, definition in items]}


def caption(title: str, name: str) -> dict:
    """The caption of the chart displayed just before, in the same cell: the two become one numbered figure
    (``name`` is its target for ``{numref}``; see ``analysis/publication/sphinxext/figures.py``)."""
    return {"type": "caption", "title": str(title), "name": name}


def table(frame, title: str, name: str, classes: list[str] = ()) -> dict:
    """A table block from a data frame; ``frame.attrs["strong_cells"]`` ((row, column name) pairs) are bold."""
    columns = [str(c) for c in frame.columns]
    strong_cells = [[int(row), columns.index(str(column))] for row, column in frame.attrs.get("strong_cells", ())]
    return {"type": "table", "title": str(title), "name": name, "classes": list(classes), "header": columns,
            "rows": [[str(v) for v in row] for row in frame.itertuples(index=False)], "strong": strong_cells}


def show(*blocks: dict) -> None:
    """Display blocks as one notebook output of :data:`MIME` (no text/plain repr for a builder to fall back on),
    and in JupyterLab also as escaped HTML."""
    bundle = {MIME: {"blocks": list(blocks)}}
    if in_lab():
        bundle["text/html"] = as_html(list(blocks))
    display(bundle, raw=True)


def as_html(blocks: list[dict]) -> str:
    """Blocks as HTML for JupyterLab: the same tree, every string escaped (data is text there too)."""
    return "".join(_html_block(block) for block in blocks)


def _classes(block: dict) -> str:
    return f' class="{html.escape(" ".join(block["classes"]))}"' if block.get("classes") else ""


def _html_inline(inline) -> str:
    if isinstance(inline, str):
        return html.escape(inline)
    if inline["type"] == "foreign":
        lang = html.escape(inline["lang"])
        return f'<span lang="{lang}" xml:lang="{lang}">{html.escape(inline["text"])}</span>'
    tag = {"strong": "strong", "literal": "code"}[inline["type"]]
    return f"<{tag}>{html.escape(inline['text'])}</{tag}>"


def _html_block(block: dict) -> str:
    kind = block["type"]
    if kind == "paragraph":
        return f"<p{_classes(block)}>{''.join(_html_inline(c) for c in block['content'])}</p>"
    if kind == "container":
        return f"<div{_classes(block)}>{as_html(block['content'])}</div>"
    if kind == "deflist":
        return "<dl>" + "".join(f"<dt>{''.join(_html_inline(c) for c in item['term'])}</dt>"
                                f"<dd>{as_html(item['definition'])}</dd>" for item in block["items"]) + "</dl>"
    if kind == "caption":
        return f"<p><strong>{html.escape(block['title'])}</strong></p>"
    if kind == "table":
        strong = {tuple(cell) for cell in block.get("strong", ())}
        head = "".join(f"<th>{html.escape(c)}</th>" for c in block["header"])
        body = "".join("<tr>" + "".join(
            f"<td>{'<strong>' if (r, c) in strong else ''}{html.escape(v)}{'</strong>' if (r, c) in strong else ''}</td>"
            for c, v in enumerate(row)) + "</tr>" for r, row in enumerate(block["rows"]))
        return (f"<table{_classes(block)}><caption>{html.escape(block['title'])}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    raise ValueError(f"unknown block type {kind!r}")
