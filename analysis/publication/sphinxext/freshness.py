"""Executed pages stay fresh, and the build says why a page executed (the keys and causes are
:mod:`analysis.results.pagekeys`; jupyter-cache alone keys on code cells only).

- before reading (``env-get-outdated``): the notebook pages whose recorded execution no longer holds are read again;
- while reading (``source-read``): each notebook page gets a hidden cell naming its token, the value jupyter-cache
  keys on; the token is kept while nothing the page read (results by value, files, code) has changed;
- after reading (``env-updated``): each page read is recorded with what its kernel read and the results its inline
  expressions printed (read by the build, :func:`.printed.inline_reads`), and each page that
  executed is named with its causes in one line of the build's output (``re-executed <page>: <causes>``).

The key of what makes the pages on this side (this extension, its templates and scripts, the fixed strings, the
stand-in flag: :func:`rendering_key`) is a setting, so a change of any of them reads and writes every page again
(Sphinx alone would find no page out of date) and executes none.

The pages read in this build and which pages are notebooks are kept in the build environment: read in parallel,
each process's pages are merged back (``env-merge-info``), and a removed page is forgotten first. The edition's
record and the current values are this process's, made once per build.
"""

from __future__ import annotations

import hashlib
import re
import time

from sphinx.application import Sphinx
from sphinx.util import logging

from analysis import codekeys, paths
from analysis.data import codebook
from analysis.reads import MARKER
from analysis.publication.sphinxext import printed
from analysis.results import pagekeys

logger = logging.getLogger(__name__)
LINE = "re-executed "  # how the build's output names a page that executed (analysis.publication.editions prints it)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
CODE_CELL = re.compile(r"^```\{code-cell\}\s*(\S+)", re.M)
_build: dict = {}  # this process's build: its start, the edition's record, the current values


def _state(app: Sphinx) -> dict:
    if not _build:
        _build.update(started=time.time(), record=pagekeys.read_record(app.config.bbox_edition),
                      values=pagekeys.Values())
    return _build


def notebooks(env) -> set[str]:
    """The pages of the build that are notebooks."""
    if not hasattr(env, "bbox_notebooks"):
        env.bbox_notebooks = set()
    return env.bbox_notebooks


def read_now(env) -> dict:
    """The notebook pages read in this build: docname -> (source, token, causes)."""
    if not hasattr(env, "bbox_read_now"):
        env.bbox_read_now = {}
    return env.bbox_read_now


def _is_notebook(source: str) -> bool:
    match = FRONT_MATTER.match(source)
    return bool(match and "kernelspec" in match.group(1))


def outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """The notebook pages to read again, because something their recorded execution used has changed."""
    _build.clear()  # a new build (sphinx-autobuild may build again in the same process)
    read_now(env).clear()
    state = _state(app)
    candidates = notebooks(env) & set(env.found_docs) - set(added) - set(changed)
    # The record is the edition's (another environment, e.g. the preview's, may have written it last): a page is
    # current only if this environment's doctree holds the execution the record describes.
    held = getattr(env, "bbox_tokens", {})
    pages = state["record"]["pages"]
    return [doc for doc in sorted(candidates) if doc not in pages or held.get(doc) != pages[doc]["token"]
            or pagekeys.causes(pages[doc], None, state["values"])]


def add_token_cell(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append a hidden cell naming the page's token, so the cache key changes when something the page used changed."""
    if not _is_notebook(source[0]):
        return
    state = _state(app)
    entry = state["record"]["pages"].get(docname)
    found = pagekeys.causes(entry, source[0], state["values"])
    token = pagekeys.token(entry, found)
    read_now(app.env)[docname] = (source[0], token, found)
    notebooks(app.env).add(docname)
    language = (CODE_CELL.search(source[0]) or [None, "ipython3"])[1]
    source[0] = (source[0].rstrip("\n") + f"\n\n```{{code-cell}} {language}\n:tags: [remove-cell]\n"
                 f"# executed with what it reads at state {token}\n```\n")


def _executed_now(env, docname: str, started: float) -> bool:
    from myst_nb.sphinx_ import NbMetadataCollector

    run = NbMetadataCollector.get_exec_data(env, docname) or {}
    return bool(run.get("succeeded")) and (run.get("mtime") or 0) >= started


def record(app: Sphinx, env) -> None:
    """Record what each page read executed with, and say which pages executed and why."""
    from myst_nb.sphinx_ import NbMetadataCollector

    state = _state(app)
    glued = NbMetadataCollector.get_doc_data(env)
    pages, executed = state["record"]["pages"], {}
    env.bbox_tokens = dict(getattr(env, "bbox_tokens", {}))
    for docname, (source, page_token, found) in sorted(read_now(env).items()):
        markers = [k for k in glued.get(docname, {}).get("glue", []) if k.startswith(MARKER)]
        markers += sorted(printed.inline_reads(env).get(docname, ()))  # what its prose printed, read by the build
        pages[docname] = pagekeys.new_entry(source, page_token, markers, state["values"])
        env.bbox_tokens[docname] = page_token  # the execution this environment's doctree holds
        if _executed_now(env, docname, state["started"]):
            executed[docname] = found or ["its execution was not in the cache"]
            logger.info(LINE + f"{docname}: {pagekeys.summary(executed[docname])}")
    state["record"] = {"pages": {doc: entry for doc, entry in pages.items() if doc in env.found_docs},
                       "executed": executed}
    pagekeys.write_record(app.config.bbox_edition, state["record"])


def forget_page(app: Sphinx, env, docname: str) -> None:
    notebooks(env).discard(docname)
    read_now(env).pop(docname, None)


def merge_parallel_reads(app: Sphinx, env, docnames, other) -> None:
    """Take the notebook pages a parallel reading process read into the main build environment."""
    notebooks(env).update(notebooks(other) & set(docnames))
    read_now(env).update({doc: read for doc, read in read_now(other).items() if doc in docnames})


def rendering_key() -> str:
    """What the pages' HTML is made with on this side (the extension, its templates and scripts, the fixed
    strings, the stand-in flag): a change reads and writes every page again, and executes none. Study modules are
    no part of it: their results reach the pages through execution."""
    folder = codekeys.module_file(__package__).parent  # every module of the extension: some load by name only
    keys = codekeys.module_keys([f"{__package__}.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__"]
                                + [__package__], declared=False)
    kept = sorted((m, k) for m, k in keys.items() if not m.startswith("analysis.study"))
    strings = [codekeys.file_digest(path) for path in sorted(paths.STRINGS.glob("*.yml"))]  # no module's key holds them
    return hashlib.sha256(repr((kept, strings, codebook.is_standin())).encode()).hexdigest()[:16]


def rendering_setting(app: Sphinx, config) -> None:
    config.bbox_code = rendering_key()


def setup(app: Sphinx) -> dict:
    app.add_config_value("bbox_code", "", "env")
    app.connect("config-inited", rendering_setting)
    app.connect("env-get-outdated", outdated)
    app.connect("source-read", add_token_cell)
    app.connect("env-updated", record)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_parallel_reads)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
