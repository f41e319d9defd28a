"""What a chapter calls to show published results: glue numbers, show tables and charts with their origin.

A chapter never computes. It asks for results by key::

    from analysis.publish import glue_numbers, show
    glue_numbers("reference")          # then write {glue}`reference.frame.total` in the prose
    show("reference.income.chart")     # a chart or table, its caption and its provenance line
"""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import quote

from docutils.nodes import make_id
from IPython.display import display

from analysis.publication import blocks, i18n
from analysis.results import registry
from analysis.publication.charts import ChartOutput
from analysis.protection.disclosure import MARK


class Formatted(str):
    """A formatted number whose plain-text form has no quotes, so ``{glue}`` shows it as it is."""

    def __repr__(self) -> str:
        return str(self)


def glue_numbers(prefix: str, lang: str = "en") -> list[str]:
    """Glue every number result under ``prefix``, formatted for ``lang``, under its key."""
    from myst_nb import glue

    glued = []
    for key, result in sorted(registry.under(prefix, lang).items()):
        if result.kind == "number":
            glue(key, Formatted(result.formatted(lang)), display=False)
            glued.append(key)
    return glued


SHOWN_PREFIX = "bbox-shown:"  # a hidden glue marking a result a page shows (see analysis/publication/sphinxext/shown.py)
_recorded: set[str] = set()  # in this kernel: one marker per key and page


def record_shown(*keys: str) -> None:
    """Mark ``keys`` as shown on the page being executed: the build records it for the drift report."""
    from myst_nb import glue

    for key in keys:
        if key not in _recorded:
            _recorded.add(key)
            glue(SHOWN_PREFIX + key, key, display=False)


def _cells(frame) -> list[list[str]]:
    """The header and rows of a table as the reader sees them: the one source of the table and its CSV."""
    return [[str(c) for c in frame.columns], *([str(v) for v in row] for row in frame.itertuples(index=False))]


# A number as a table shows it (-1,234.5 · 12.5 % · 1e-05): a spreadsheet may read it, it cannot run it.
NUMBER = re.compile(r"[+-]?(?:\d[\d,.]*|\.\d+)(?:[eE][+-]?\d+)?(?: ?%)?")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet cannot run as a formula (OWASP, CSV injection): a text starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading ``'``; numbers, and texts that are numbers, stay."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[spreadsheet_safe(v) for v in row] for row in rows])
    return out.getvalue()


def chart_rows(spec: dict) -> list[list]:
    """The data a chart draws (its inline data sets), as a header and rows; a "dataset" column when several."""
    datasets = dict(sorted(spec.get("datasets", {}).items()))  # the order of the spec the page embeds
    for path, node in _inline_data(spec):
        datasets[path] = node["values"]
    columns = list(dict.fromkeys(column for rows in datasets.values() for row in rows for column in row))
    several = len(datasets) > 1
    header = (["dataset"] if several else []) + columns
    return [header, *(([name] if several else []) + ["" if row.get(c) is None else row.get(c) for c in columns]
                      for name, rows in datasets.items() for row in rows)]


def _inline_data(node, path="data"):
    """``data: {values: [...]}`` anywhere in a spec (layers, concatenations), with where it is."""
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), list):
            yield path, data
        for key, value in node.items():
            if key not in ("data", "datasets"):
                yield from _inline_data(value, f"{path}.{key}" if path != "data" else key)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _inline_data(item, f"{path}[{index}]")


def data_download(rows: list[list], filename: str, label: str, target: str) -> dict[str, str]:
    """A link to download a shown result's data as CSV: an output whose ``text/html`` the HTML builder shows,
    and whose ``text/markdown``, a MyST comment, the PDF and EPUB builders show (nothing: no link to follow).
    The link is a ``data:`` URI: it works offline and needs no file beside the page."""
    href = "data:text/csv;charset=utf-8," + quote(_csv(rows), safe="")
    return {"text/html": f'<p class="bbox-download"><a href="{href}" download="{html.escape(filename)}" '
                         f'data-for="{html.escape(target)}">{html.escape(label)}</a></p>',
            "text/markdown": f"% {filename}: the data download is in the HTML edition"}


def provenance_line(result: registry.Result, lang: str = "en") -> dict:
    """Where a result comes from: the function (as code), the data files with their digests, the package version."""
    files = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(result.data.items())) or "–"
    # the function, then those of the results it was computed from (registry.Result.uses)
    functions = list(dict.fromkeys([result.function, *sorted(result.uses.values())]))
    code = [part for function in functions for part in (", ", blocks.literal(function))][1:]
    return blocks.paragraph(f"{i18n.text('source', lang)}: ", *code,
                            f" · {i18n.text('data', lang)}: {files} · bbox-analysis {result.version}",
                            classes=["provenance"])


def show(key: str, lang: str = "en") -> None:
    """Display the table or chart ``key`` with its caption and provenance line, as document blocks (data is text)."""
    result = registry.get(key, lang)
    record_shown(key)
    label = key.replace(".", "-")
    filename = f"{key}.csv" if lang == "en" else f"{key}.{lang}.csv"
    notes = [blocks.paragraph(result.note, classes=["note"])] if result.note else []
    if result.kind == "table":
        threshold = result.value.attrs.get("disclosure_threshold")  # set by analysis.protection.disclosure
        if threshold:
            notes.insert(0, blocks.paragraph(i18n.text("disclosure_note", lang, mark=MARK, below=threshold),
                                             classes=["note", "disclosure-note"]))
        table = blocks.table(result.value, result.title, label, classes=["bbox-protected"] if threshold else [])
        blocks.show(table, *notes, provenance_line(result, lang))
        # raw: only the given formats, no text/plain repr that PDF and EPUB would show instead
        display(data_download(_cells(result.value), filename, i18n.text("download_csv", lang), make_id(label)),
                raw=True)
    elif result.kind == "chart":
        chart = ChartOutput(result.value, result.alt)
        display(chart)
        blocks.show(blocks.caption(result.title, label), *notes, provenance_line(result, lang))
        display(data_download(chart_rows(result.value), filename, i18n.text("download_csv", lang), chart.element_id),
                raw=True)
    else:
        raise TypeError(f"{key} is a {result.kind}: glue it with glue_numbers() and {{glue}}`{key}`")
