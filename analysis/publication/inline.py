"""Results in a page's prose, as readers see them, in the book and in JupyterLab: one inline expression per value.

A page prints a published number with ``{eval}`n("survey.response.rate")``` and words the analysis chose with
``{eval}`label("survey.typology.most_common")```, after its first code cell imports them
(``from analysis.publish import label, n``). Two readers, one form:

- in JupyterLab (``make lab``), jupyterlab-myst evaluates each expression in the page's kernel when its cell is run:
  :func:`n` and :func:`label` ask the registry and return the text as the book prints it;
- the build never asks the kernel: our Sphinx extension (``sphinxext/printed.py``) reads the expression with
  :func:`parse` and takes the value from the registry (its results cache) in the edition's language, so the page's
  execution stays cached and each value it prints is part of its freshness key.

Only those two calls are expressions of this book; anything else is refused (by the build and by
``python -m analysis lint``), so an expression is never code run at build time.

``python -m analysis.publication.inline PAGE …`` rewrites a page's ``{glue}`key``` roles into this form (and drops
its ``glue_numbers``/``glue_labels`` calls from its code cells).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROLE = re.compile(r"\{eval\}`([^`]*)`")
EXPRESSION = re.compile(r"""\A\s*(n|label)\(\s*(["'])([\w.-]+)\2\s*\)\s*\Z""")
KIND = {"n": "number", "label": "text"}  # what each function prints
FUNCTION = {kind: function for function, kind in KIND.items()}
FORM = 'n("key") for a number, label("key") for words the analysis chose'


def parse(expression: str) -> tuple[str, str] | None:
    """``(function, key)`` of an inline expression of this book, or None if it is none."""
    found = EXPRESSION.match(expression)
    return (found.group(1), found.group(3)) if found else None


def expression(kind: str, key: str) -> str:
    """The expression that prints the result ``key`` of ``kind`` ("number" or "text")."""
    return f'{FUNCTION[kind]}("{key}")'


def refused(expression_text: str) -> str:
    """Why ``expression_text`` is no expression of this book."""
    return f"{{eval}}`{expression_text}` is no expression of this book: write {FORM}"


def misused(function: str, key: str, kind: str) -> str | None:
    """What is wrong in printing the result ``key`` of ``kind`` with ``function`` (None if nothing)."""
    if KIND[function] == kind:
        return None
    if kind in FUNCTION:
        return f"{key} is a {kind}: write {{eval}}`{expression(kind, key)}`"
    return f'{key} is a {kind}: show it in a code cell with show("{key}")'


def shown(result, lang: str) -> str:
    """What a reader sees of ``result`` in ``lang``: a number formatted for the language, or the words themselves."""
    return result.formatted(lang) if result.kind == "number" else result.value


def _get(key: str, kind: str, lang: str):
    from analysis.results import registry  # here: the build's readers of expressions import this module too

    result = registry.get(key, lang)
    problem = misused(FUNCTION[kind], key, result.kind)
    if problem:
        raise TypeError(problem)
    return result


def n(key: str, lang: str = "en") -> str:
    """The published number ``key`` as the book prints it in ``lang`` (for ``{eval}`n("key")``` in JupyterLab)."""
    from analysis.publication.display import Formatted  # shown without quotes

    return Formatted(shown(_get(key, "number", lang), lang))


def label(key: str, lang: str = "en") -> str:
    """The words the analysis chose for ``key``, in ``lang`` (for ``{eval}`label("key")``` in JupyterLab)."""
    from analysis.publication.display import Formatted

    return Formatted(shown(_get(key, "text", lang), lang))


# -- From glue to inline expressions ----------------------------------------------------------------------------

GLUE_ROLE = re.compile(r"\{glue(?::(?:any)?)?\}`([\w.-]+)`")
GLUE_CALL = re.compile(r"^glue_(?:numbers|labels)\([^)\n]*\)\n", re.M)
IMPORT = re.compile(r"^from analysis\.publish import (.+)\n(?:\n(?=\n*\Z))?", re.M)
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\n?(?:\n(?=\S|\n))?", re.M | re.S)


def convert(source: str, kinds: dict[str, str]) -> tuple[str, list[str]]:
    """``source`` with each ``{glue}`key``` of a result of ``kinds`` (key -> kind) as an inline expression, its code
    cells' ``glue_numbers``/``glue_labels`` calls dropped (a cell left empty goes) and ``label``/``n`` imported
    in place of those two; and the keys left as they were (no published number or label: the page keeps its glue)."""
    left: list[str] = []

    def role(match: re.Match) -> str:
        key = match.group(1)
        if kinds.get(key) not in FUNCTION:
            left.append(key)
            return match.group(0)
        return f"{{eval}}`{expression(kinds[key], key)}`"

    converted = GLUE_ROLE.sub(role, source)
    used = {parsed[0] for parsed in map(parse, ROLE.findall(converted)) if parsed}
    if left or not used and not GLUE_CALL.search(converted):
        return converted, left

    def names(match: re.Match) -> str:
        imported = [name.strip() for name in match.group(1).split(",")]
        kept = {name for name in imported if name not in ("glue_numbers", "glue_labels")} | used
        return "from analysis.publish import " + ", ".join(sorted(kept, key=str.lower)) + "\n" if kept else ""

    def cell(match: re.Match) -> str:
        code = GLUE_CALL.sub("", IMPORT.sub(names, match.group(1), count=1))
        if not [line for line in code.splitlines() if line.strip() and not line.startswith(":")]:
            return ""  # it only glued
        code = re.sub(r"\n\n+\Z", "\n", code)
        return match.group(0).replace(match.group(1), code, 1)

    return CODE_CELL.sub(cell, converted), left


def _kind(key: str) -> str | None:
    from analysis.results import registry  # not the pins: a page imports this module, and pinning moves no page

    try:
        return registry.get(key).kind
    except KeyError:
        return None


def main(argv: list[str]) -> int:
    """Convert the pages named in ``argv`` in place; say which keys stay glued."""
    sources = {name: Path(name).read_text(encoding="utf-8") for name in argv}
    kinds = {key: _kind(key) for source in sources.values() for key in GLUE_ROLE.findall(source)}
    status = 0
    for name, source in sources.items():
        path = Path(name)
        converted, left = convert(source, kinds)
        if converted != source:
            path.write_text(converted, encoding="utf-8")
        if left:
            print(f"{name}: left as glue (no published number or label): {', '.join(sorted(set(left)))}",
                  file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
