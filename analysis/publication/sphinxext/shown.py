"""Where each result is shown: every build records the keys each page prints or shows.

A page shows a table, chart or key figure with a hidden glue named ``bbox-shown:<key>``
(``analysis.publication.display.record_shown``), and prints a number or a label with a ``{glue}`` role, which
marks what it pasted with its key (``printed.KEY``). A page that glues every number under a prefix
(``glue_numbers("survey")``) but prints three of them is recorded with those three. The printed keys are kept in
the build environment when a page is read (so pages taken from the cache keep theirs); after reading, this writes
``{page: [key, …]}`` for the edition, which the drift report of ``make pin``/``make verify``
(``analysis.results.pins.where_shown``) and ``python -m analysis keys`` read.
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx

from analysis.publication.display import SHOWN_PREFIX
from analysis.publication.sphinxext.printed import KEY
from analysis.results import pins


def printed(env) -> dict[str, list[str]]:
    """The keys each page's prose pasted, by page (kept in the build environment)."""
    if not hasattr(env, "bbox_printed"):
        env.bbox_printed = {}
    return env.bbox_printed


def collect(app: Sphinx, doctree: nodes.document) -> None:
    printed(app.env)[app.env.docname] = sorted({node[KEY] for node in doctree.findall(nodes.Element) if node.get(KEY)})


def forget(app: Sphinx, env, docname: str) -> None:
    printed(env).pop(docname, None)


def merge(app: Sphinx, env, docnames, other) -> None:
    printed(env).update({doc: keys for doc, keys in printed(other).items() if doc in docnames})


def record(app: Sphinx, env) -> None:
    data = NbMetadataCollector.get_doc_data(env)
    pages = {docname: [key.removeprefix(SHOWN_PREFIX) for key in data.get(docname, {}).get("glue", [])
                       if key.startswith(SHOWN_PREFIX)] + printed(env).get(docname, [])
             for docname in sorted(env.found_docs)}
    pins.write_record(app.config.bbox_edition, pages)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", forget)
    app.connect("env-merge-info", merge)
    app.connect("env-updated", record)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
