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
"""

from __future__ import annotations

from IPython.display import display

MIME = "application/vnd.bbox.blocks+json"


def strong(text: str) -> dict:
    return {"type": "strong", "text": str(text)}


def literal(text: str) -> dict:
    return {"type": "literal", "text": str(text)}


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
    """Display blocks as one notebook output of :data:`MIME` only (no text/plain repr for a builder to fall back on)."""
    display({MIME: {"blocks": list(blocks)}}, raw=True)
