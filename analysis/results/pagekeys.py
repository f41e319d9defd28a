"""Which pages must execute again, and why: a page keys on what it read when it last executed, by value.

jupyter-cache keys an executed page on its code cells. The build adds a hidden cell holding a token, and each
build records per edition and page (``<shown dir>/<edition>.reads.json``, beside the record of ``shown.py``):

- ``cells``: the page's code cells; ``modules``: the package modules they import, and ``display``: the key of
  every module those import (:mod:`analysis.codekeys`: comments and docstrings are no part of it, nor are the fixed
  strings, which reach a page as words read, by key and language), but the study's (its code reaches a page as
  results, by value, or as a code read the display code notes);
- ``reads``: everything the page read while it executed, noted by its kernel (:mod:`analysis.reads`):
  each result with its digest (as a reader sees it, at the pinned precision), the set of keys under each prefix
  it asked for, each file (by content; a data file by its place in the data folder in use, so that pointing
  ``BBOX_DATA_DIR`` elsewhere is a change exactly where a file differs), each study module it computed with and
  each fixed string it read;
- ``token``: the token of that execution.

A page keeps its token while its cells, its display code and every read are unchanged: its execution is taken
from the cache. Otherwise it gets the token of the current state (:func:`state_token`: every module's key and
every data file), and executes; the causes are the messages of the build and of ``python -m analysis why``.
A page without a record (never built) simply executes.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from pathlib import Path

from analysis import codekeys, i18n, paths
from analysis.reads import MARKER
from analysis.results import freshness

CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.M | re.S)
PACKAGE = "analysis"


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


# -- The record ----------------------------------------------------------------------------------------

def record_path(edition: str) -> Path:
    from analysis.results import pins

    return pins.record_dir() / f"{edition}.reads.json"


def read_record(edition: str) -> dict:
    """``{"pages": {page: entry}, "executed": {page: [cause, …]}}`` of the edition's last build (empty if none)."""
    path = record_path(edition)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"pages": {}, "executed": {}}


def write_record(edition: str, record: dict) -> None:
    path = record_path(edition)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


# -- What the page's source says ------------------------------------------------------------------------

def code_cells(source: str) -> list[str]:
    """The code of each code cell (its option lines left out)."""
    cells = []
    for body in CODE_CELL.findall(source):
        lines = body.splitlines()
        while lines and lines[0].startswith(":"):
            lines.pop(0)
        cells.append("\n".join(lines))
    return cells


def cells_digest(source: str) -> str:
    return _digest(code_cells(source))


def imported_modules(source: str) -> list[str]:
    """The package modules the page's code cells import (cells that are not Python are skipped)."""
    found = set()
    for cell in code_cells(source):
        try:
            tree = ast.parse(cell)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            found.update(n for n in names if n.split(".")[0] == PACKAGE)
    return sorted(found)


STUDY = f"{PACKAGE}.study"  # its code reaches a page through results (by value) or a code read (reads.code)


def display_keys(modules) -> dict[str, str]:
    """The key of each module a page's code runs at display time, the study's modules left out (the fixed strings
    are no part of any module's key: a page keys on each string it read), so adding a result or a string executes
    only the pages that read it."""
    return {module: key for module, key in codekeys.module_keys(modules).items()
            if module != STUDY and not module.startswith(STUDY + ".")}


def state_token() -> str:
    """The whole state a page can read: every module of the package (by meaning) and every data file (by content,
    wherever the data folder lies)."""
    root = Path(codekeys.module_file(PACKAGE)).parent
    modules = [".".join((PACKAGE, *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
               for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts]
    files = sorted(p for p in paths.DATA.rglob("*") if p.is_file()) + [paths.BIBLIOGRAPHY]
    return _digest([codekeys.module_keys(modules), {paths.place(f): codekeys.file_digest(f) for f in files}])


# -- What a page read, now --------------------------------------------------------------------------------

def _within(key: str, prefix: str) -> bool:
    return key == prefix or key.startswith(prefix + ".")


class Values:
    """The current digests of results, producer by producer; a producer whose cached run no longer serves is
    computed again first (once), and why is kept for the messages."""

    def __init__(self) -> None:
        self.declared = codekeys.declared_producers()
        self.digests: dict[tuple[str, str], dict[str, str]] = {}
        # prefix -> what changed before its results were last computed (in this build, or before it: by `make why`)
        self.recomputed: dict[str, str] = {}

    def of_producer(self, prefix: str, lang: str) -> dict[str, str]:
        declared = self.declared[prefix]
        lang = lang if declared.translated else "en"
        if (prefix, lang) not in self.digests:
            found = freshness.valid_entry(prefix, declared.module, lang) or self._compute(prefix, lang)
            if found is not None and found.because:
                self.recomputed[prefix] = found.because
            self.digests[(prefix, lang)] = found.digests if found else {}
        return self.digests[(prefix, lang)]

    def _compute(self, prefix: str, lang: str) -> freshness.Entry | None:
        """Run a producer; if it fails, its results count as missing: the pages that read them execute, and the
        page's kernel reports the error where the author looks for it."""
        from analysis.results import registry

        module = self.declared[prefix].module
        because = freshness.why_recomputed(prefix, module, lang)
        try:
            registry._run(registry._producer_of(prefix), lang)
        except Exception as error:  # noqa: BLE001 - reported by the page's execution
            self.recomputed[prefix] = f"{because}; computing it failed: {type(error).__name__}"
            return None
        return freshness.valid_entry(prefix, module, lang)

    def result(self, key: str, lang: str) -> str:
        prefixes = [p for p in self.declared if _within(key, p)]
        if not prefixes:
            return "missing"
        return self.of_producer(max(prefixes, key=len), lang).get(key, "missing")

    def under(self, prefix: str, lang: str) -> dict[str, str]:
        return {key: digest for p in self.declared if _within(p, prefix) or _within(prefix, p)
                for key, digest in self.of_producer(p, lang).items() if _within(key, prefix)}

    def producer_of(self, key: str) -> codekeys.Declared | None:
        prefixes = [p for p in self.declared if _within(key, p)]
        return self.declared[max(prefixes, key=len)] if prefixes else None


def reads_of(markers, values: Values) -> dict[str, str]:
    """The reads a page's kernel noted (hidden glue names), each with its current digest."""
    reads = {}
    for marker in markers:
        kind, _, what = marker.removeprefix(MARKER).partition(":")
        if kind == "get":
            reads[f"result:{what}"] = values.result(*what.rsplit("@", 1))
        elif kind == "under":
            prefix, lang = what.rsplit("@", 1)
            found = values.under(prefix, lang)
            reads.update({f"result:{key}@{lang}": digest for key, digest in found.items()})
            reads[f"keys:{what}"] = _digest(sorted(found))
        elif kind in ("file", "code", "words"):
            reads[f"{kind}:{what}"] = current(f"{kind}:{what}", values)
    return reads


def current(read: str, values: Values) -> str:
    """The digest a recorded read has now."""
    kind, _, what = read.partition(":")
    if kind == "result":
        return values.result(*what.rsplit("@", 1))
    if kind == "keys":
        return _digest(sorted(values.under(*what.rsplit("@", 1))))
    if kind == "file":
        return codekeys.file_digest(paths.located(what))
    if kind == "words":
        return freshness.words_now(what)
    return codekeys.code_key(what)


def describe(read: str, values: Values) -> str:
    """A moved read as the author needs to hear it: what changed, and where to look."""
    kind, _, what = read.partition(":")
    if kind == "result":
        key = what.rsplit("@", 1)[0]
        producer = values.producer_of(key)
        if producer is None:
            return f"{key} is no longer published"
        return f"{key} changed ({values.recomputed.get(producer.prefix) or codekeys.module_place(producer.module)})"
    if kind == "keys":
        return f"the results under {what.rsplit('@', 1)[0]} are not the same keys"
    if kind == "file":
        return f"{codekeys.relative(paths.located(what))} changed"  # as it lies now, in the data folder in use
    if kind == "words":
        key, lang = what.rsplit("@", 1)
        return f"the string {key} changed (analysis/i18n/{lang}.yml)"
    return f"{codekeys.module_place(what)} changed"


def causes(entry: dict | None, source: str | None, values: Values) -> list[str]:
    """Why a page must execute again (nothing if its recorded execution still holds)."""
    if entry is None:
        return ["it has no build record"]
    found = []
    if source is not None and cells_digest(source) != entry["cells"]:
        found.append("its code cells changed")
    display = display_keys(entry["modules"])
    moved = sorted(m for m in set(display) | set(entry["display"]) if display.get(m) != entry["display"].get(m))
    if moved:
        found.append("the code it runs changed (" + summary([codekeys.module_place(m) for m in moved], ", ") + ")")
    found += [describe(read, values) for read, digest in sorted(entry["reads"].items())
              if current(read, values) != digest]
    return found


def summary(found: list[str], separator: str = "; ", shown: int = 3) -> str:
    """Causes in one line: the first few, then how many more."""
    more = len(found) - shown
    return separator.join(found[:shown]) + (f"{separator}and {more} more" if more > 0 else "")


def new_entry(source: str, token: str, markers, values: Values) -> dict:
    """A page's record after it was read: what it executed with, and everything it read."""
    modules = imported_modules(source)
    return {"token": token, "cells": cells_digest(source), "modules": modules,
            "display": display_keys(modules), "reads": reads_of(markers, values)}


def token(entry: dict | None, found: list[str]) -> str:
    """The token of the page's execution: the recorded one while nothing it used changed, else the current state's."""
    return entry["token"] if entry is not None and not found else state_token()


def why(page: str, edition: str, values: Values | None = None) -> list[str]:
    """Why ``page`` would execute again in the next build of ``edition`` (nothing: it would not)."""
    source = paths.ROOT / f"{page}.md"
    entry = read_record(edition)["pages"].get(page)
    return causes(entry, source.read_text(encoding="utf-8") if source.exists() else None, values or Values())


def is_notebook(page: str) -> bool:
    """Whether a page executes at all (a notebook: its front matter names a kernel)."""
    source = paths.ROOT / f"{page}.md"
    front = re.match(r"\A---\n(.*?)\n---\n", source.read_text(encoding="utf-8"), re.S) if source.exists() else None
    return bool(front and "kernelspec" in front.group(1))


def why_pages(pages, edition: str) -> dict[str, list[str]]:
    """:func:`why` for each notebook of ``pages`` (an edition's), the current results computed once."""
    values = Values()
    return {page: why(page, edition, values) for page in sorted(pages) if is_notebook(page)}
