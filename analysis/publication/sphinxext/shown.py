"""Where each result is shown: every build records the keys each page glued or showed.

A page glues numbers with ``analysis.publish.glue_numbers`` and marks each table, chart or key figure it shows
with a hidden glue named ``bbox-shown:<key>`` (``analysis.publication.display.record_shown``); myst-nb keeps every
page's glue keys in the build environment, also for pages taken from the execution cache. After reading, this writes
``{page: [key, …]}`` for the edition, which the drift report of ``make pin``/``make verify`` reads
(``analysis.results.pins.where_shown``): so a number glued by any call form is located.
"""

from __future__ import annotations

from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx

from analysis.reads import MARKER
from analysis.results import pins
from analysis.publication.display import SHOWN_PREFIX


def record(app: Sphinx, env) -> None:
    data = NbMetadataCollector.get_doc_data(env)
    pages = {docname: [key.removeprefix(SHOWN_PREFIX) for key in data.get(docname, {}).get("glue", [])
                       if not key.startswith(MARKER)]  # what the page read (analysis.reads)
             for docname in sorted(env.found_docs)}
    pins.write_record(app.config.bbox_edition, pages)


def setup(app: Sphinx) -> dict:
    app.connect("env-updated", record)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
