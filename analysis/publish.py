"""What a chapter calls to show published results: glue numbers, show tables and charts with their origin.

A chapter never computes. It asks for results by key::

    from analysis.publish import glue_numbers, show
    glue_numbers("reference")          # then write {glue}`reference.frame.total` in the prose
    show("reference.income.chart")     # a chart or table, its caption and its provenance line
"""

from __future__ import annotations

import re

import csv
import html
import io
from urllib.parse import quote

from docutils.nodes import make_id
from IPython.display import Markdown, display

from . import i18n, registry
from .charts import ChartOutput
from .disclosure import MARK


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


SHOWN_PREFIX = "bbox-shown:"  # a hidden glue marking a result a page shows (see analysis/sphinxext/shown.py)
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


def _plain(rows: list[list[str]]) -> list[list[str]]:
    """Cells without Markdown emphasis (a table marks e.g. the chosen model in bold): the data as read."""
    return [[re.sub(r"\*\*(.*?)\*\*", r"\1", cell) for cell in row] for row in rows]


def _pipe_table(frame) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    header, *rows = _cells(frame)
    lines = ["| " + " | ".join(cell(c) for c in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(lines + ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows])


def _csv(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
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


def provenance_line(result: registry.Result, lang: str = "en") -> str:
    files = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(result.data.items())) or "–"
    # the function, then those of the results it was computed from (registry.Result.uses)
    code = ", ".join(f"`{f}`" for f in dict.fromkeys([result.function, *sorted(result.uses.values())]))
    return (f"{i18n.text('source', lang)}: {code} · {i18n.text('data', lang)}: {files}"
            f" · bbox-analysis {result.version}")


def show(key: str, lang: str = "en") -> None:
    """Display the table or chart ``key`` with its caption and provenance line."""
    result = registry.get(key, lang)
    record_shown(key)
    label = key.replace(".", "-")
    filename = f"{key}.csv" if lang == "en" else f"{key}.{lang}.csv"
    note = f"{{.note}}\n{result.note}\n\n" if result.note else ""
    if result.kind == "table":
        threshold = result.value.attrs.get("disclosure_threshold")  # set by analysis.disclosure
        options = f":name: {label}\n" + (":class: bbox-protected\n" if threshold else "")
        if threshold:
            note = (f"{{.note .disclosure-note}}\n"
                    f"{i18n.text('disclosure_note', lang, mark=MARK, below=threshold)}\n\n") + note
        # A colon fence: a backtick fence's title may not hold backticks (inline code in a title).
        display(Markdown(f":::{{table}} {result.title}\n{options}\n{_pipe_table(result.value)}\n:::\n\n"
                         f"{note}{{.provenance}}\n{provenance_line(result, lang)}"))
        # raw: only the given formats, no text/plain repr that PDF and EPUB would show instead
        display(data_download(_plain(_cells(result.value)), filename, i18n.text("download_csv", lang), make_id(label)),
                raw=True)
    elif result.kind == "chart":
        chart = ChartOutput(result.value, result.alt)
        display(chart)
        display(Markdown(f"**{i18n.text('figure', lang)}: {result.title}**\n\n"
                         f"{note}{{.provenance}}\n{provenance_line(result, lang)}"))
        display(data_download(chart_rows(result.value), filename, i18n.text("download_csv", lang), chart.element_id),
                raw=True)
    else:
        raise TypeError(f"{key} is a {result.kind}: glue it with glue_numbers() and {{glue}}`{key}`")
