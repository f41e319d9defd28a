"""Executed pages stay fresh: a page's execution-cache key covers the analysis package and the data, and pages
are read again when either changes (jupyter-cache alone keys on code cells only).

A hidden cell naming the fingerprint of the code and the data is appended to each notebook page, so its cache
key changes with them; when the fingerprint changes, every notebook page is read again. The fingerprint of the
code, the data and this extension (scripts, templates) is also a setting, so that a change of any of them writes
every page again (Sphinx alone would find no page out of date); the execution cache does not key on the
extension, so nothing is executed again for it.

Which pages are notebooks is kept in the build environment (``env.bbox_notebooks``): read in parallel, each
process's pages are merged back (``env-merge-info``), and a removed or re-read page is forgotten first.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

from analysis import paths
from analysis.data import load
from analysis.results import fingerprint

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
CODE_CELL = re.compile(r"^```\{code-cell\}\s*(\S+)", re.M)


def notebooks(env) -> set[str]:
    """The pages of the build that are notebooks."""
    if not hasattr(env, "bbox_notebooks"):
        env.bbox_notebooks = set()
    return env.bbox_notebooks


def _is_notebook(source: str) -> bool:
    match = FRONT_MATTER.match(source)
    return bool(match and "kernelspec" in match.group(1))


def add_fingerprint_cell(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append a hidden cell naming the code-and-data fingerprint, so the cache key changes with them."""
    if not _is_notebook(source[0]):
        return
    language = (CODE_CELL.search(source[0]) or [None, "ipython3"])[1]
    token = fingerprint.code_and_data()
    source[0] = (source[0].rstrip("\n") + f"\n\n```{{code-cell}} {language}\n:tags: [remove-cell]\n"
                 f"# executed with analysis/ and data/ at fingerprint {token}\n```\n")
    notebooks(app.env).add(docname)


def reread_when_code_or_data_change(app: Sphinx, env, added, changed, removed) -> list[str]:
    token = fingerprint.code_and_data()
    previous = getattr(env, "bbox_fingerprint", None)
    env.bbox_fingerprint = token
    if previous in (None, token):
        return []
    return sorted(notebooks(env) & set(env.found_docs) - set(added) - set(changed))


def forget_page(app: Sphinx, env, docname: str) -> None:
    notebooks(env).discard(docname)


def merge_parallel_reads(app: Sphinx, env, docnames, other) -> None:
    """Take the notebook pages a parallel reading process found into the main build environment."""
    notebooks(env).update(notebooks(other) & set(docnames))


def fingerprint_setting(app: Sphinx, config) -> None:
    """``bbox_code``: the fingerprint of the code, the data and this extension's files (see above)."""
    extension = (p for p in Path(__file__).parent.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    config.bbox_code = fingerprint.code_and_data() + load.files_hash(extension, paths.ROOT)


def setup(app: Sphinx) -> dict:
    app.add_config_value("bbox_code", "", "env")
    app.connect("config-inited", fingerprint_setting)
    app.connect("source-read", add_fingerprint_cell)
    app.connect("env-get-outdated", reread_when_code_or_data_change)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_parallel_reads)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
