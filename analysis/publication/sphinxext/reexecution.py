"""The build's side of value-level freshness (the keys and causes are :mod:`analysis.results.pagekeys`).

- before reading (``env-get-outdated``): the pages whose recorded execution no longer holds are read again;
- while reading (``source-read``): each page gets its token (the hidden cell jupyter-cache keys on);
- after reading (``env-updated``): each page read is recorded with what its kernel read, and each page that
  executed is named with its causes in one line of the build's output (``re-executed <page>: <causes>``).

State lives in this process for one build: Sphinx reads the pages of a Jupyter Book one after another.
"""

from __future__ import annotations

import hashlib
import time

from sphinx.application import Sphinx
from sphinx.util import logging

from analysis.results import codekeys, freshness, pagekeys

logger = logging.getLogger(__name__)
LINE = "re-executed "  # how the build's output names a page that executed (analysis.publication.editions prints it)
_build: dict = {}  # this process's build: its start, the edition's record, the current values, the pages read


def _state(app: Sphinx) -> dict:
    if not _build:
        _build.update(started=time.time(), record=pagekeys.read_record(app.config.bbox_edition),
                      values=pagekeys.Values(), pages={})
    return _build


def outdated(app: Sphinx, env, added, changed) -> list[str]:
    """The notebook pages to read again, because something their recorded execution used has changed."""
    _build.clear()  # a new build (sphinx-autobuild may build again in the same process)
    state = _state(app)
    notebooks = getattr(env, "bbox_notebooks", set()) & set(env.found_docs) - set(added) - set(changed)
    # The record is the edition's (another environment, e.g. the preview's, may have written it last): a page is
    # current only if this environment's doctree holds the execution the record describes.
    held = getattr(env, "bbox_tokens", {})
    pages = state["record"]["pages"]
    return [doc for doc in sorted(notebooks) if doc not in pages or held.get(doc) != pages[doc]["token"]
            or pagekeys.causes(pages[doc], None, state["values"])]


def token(app: Sphinx, docname: str, source: str) -> str:
    """The token of the page's execution (see :func:`analysis.results.pagekeys.token`)."""
    state = _state(app)
    entry = state["record"]["pages"].get(docname)
    found = pagekeys.causes(entry, source, state["values"])
    state["pages"][docname] = (source, pagekeys.token(entry, found), found)
    return state["pages"][docname][1]


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
    for docname, (source, page_token, found) in sorted(state["pages"].items()):
        markers = [k for k in glued.get(docname, {}).get("glue", []) if k.startswith(freshness.MARKER)]
        pages[docname] = pagekeys.new_entry(source, page_token, markers, state["values"])
        env.bbox_tokens[docname] = page_token  # the execution this environment's doctree holds
        if _executed_now(env, docname, state["started"]):
            executed[docname] = found or ["its execution was not in the cache"]
            logger.info(LINE + f"{docname}: {pagekeys.summary(executed[docname])}")
    state["record"] = {"pages": {doc: entry for doc, entry in pages.items() if doc in env.found_docs},
                       "executed": executed}
    pagekeys.write_record(app.config.bbox_edition, state["record"])


def rendering_key() -> str:
    """What the pages' HTML is made with on this side (the extension, its templates and scripts, the fixed
    strings, the stand-in flag): a change reads and writes every page again, and executes none. Study modules are
    no part of it: their results reach the pages through execution."""
    from analysis.data import load

    folder = codekeys.module_file(__package__).parent  # every module of the extension: some load by name only
    keys = codekeys.module_keys([f"{__package__}.{p.stem}" for p in folder.glob("*.py") if p.stem != "__init__"]
                                + [__package__], declared=False)
    kept = sorted((m, k) for m, k in keys.items() if not m.startswith("analysis.study"))
    return hashlib.sha256(repr((kept, load.is_standin())).encode()).hexdigest()[:16]
