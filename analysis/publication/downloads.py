"""The data of a shown table or chart as a CSV download: the cells the reader sees, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from urllib.parse import quote

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


def table_rows(frame) -> list[list[str]]:
    """The header and rows of a table as the reader sees them: the one source of the table and its CSV."""
    return [[str(c) for c in frame.columns], *([str(v) for v in row] for row in frame.itertuples(index=False))]


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


def shown_rows(spec: dict, lang: str = "en") -> list[list]:
    """The data of a chart as its reader sees them, for its download: the fields its tooltips name, in their order,
    each under the title the chart gives it (the tooltip's, else an axis' or legend's; the field's own name where
    two layers title it differently), in the chart's language. Fields the chart only uses to draw (codes, citation
    keys, labels broken into lines), the names of its data sets and rows with nothing to show (a reference line)
    stay out. A number its tooltip formats (``.2f``, ``.1%``) is written as the tooltip writes it, in ``lang``
    (0,57 · 56,7 %), not as the raw share. A chart without tooltips gives all its data (:func:`chart_rows`)."""
    rows = chart_rows(spec)
    titles: dict[str, set[str]] = {}
    formats: dict[str, str] = {}
    for channel, encoding in _encodings(spec):
        field, title = encoding.get("field"), (encoding.get("title") or "").strip()
        if field and channel == "tooltip":
            titles.setdefault(field, set()).add(title)
            if encoding.get("format"):
                formats.setdefault(field, encoding["format"])
        elif field in titles and titles[field] == {""}:
            titles[field] = {title}  # an untitled tooltip: the axis' or legend's title
    header = rows[0]
    keep = [header.index(field) for field in titles if field in header]
    if not keep:
        return rows
    named = [next(iter(titles[header[i]])) or header[i] if len(titles[header[i]]) == 1 else header[i] for i in keep]
    body = [[_formatted(row[i], formats.get(header[i]), lang) for i in keep] for row in rows[1:]]
    return [named, *(row for row in body if any(cell != "" for cell in row))]


D3_FORMAT = re.compile(r"\.(\d+)([f%])")


def _formatted(value, d3_format: str | None, lang: str):
    """``value`` as a tooltip with ``d3_format`` (``.2f``, ``.1%``; others left as they are) shows it in ``lang``."""
    from analysis import i18n

    match = D3_FORMAT.fullmatch(d3_format or "")
    if match is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    decimals, kind = int(match[1]), match[2]
    return i18n.percent(value, decimals, lang) if kind == "%" else i18n.decimal(value, decimals, lang)


def _encodings(node):
    """(channel, encoding) of every encoding of a spec, tooltips first (layers, concatenations)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for channel, encoding in (node.get("encoding") or {}).items():
                for one in encoding if isinstance(encoding, list) else [encoding]:
                    if isinstance(one, dict):
                        found.append((channel, one))
            for key, value in node.items():
                if key not in ("encoding", "data", "datasets"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(node)
    return sorted(found, key=lambda pair: pair[0] != "tooltip")


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


FILE_NAME_LIMIT = 80  # characters, before ".csv"


def file_name(title: str) -> str:
    """A download's file name from the title its reader sees ("Kans op de praktijk per type" ->
    "kans-op-de-praktijk-per-type"), in plain letters every system accepts; empty where the title has none. A dash
    stays a dash ("2019–2022" -> "2019-2022"), and a long title is cut after a whole word, never inside one."""
    dashed = re.sub("[\u2010-\u2015\u2212]", "-", title)  # ASCII has no en dash: without this "2019–2022" -> "20192022"
    plain = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode().lower()
    name = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(name) <= FILE_NAME_LIMIT:
        return name
    cut = name[:FILE_NAME_LIMIT + 1]  # one more: a cut that falls just before a dash keeps its last word
    return cut.rsplit("-", 1)[0] if "-" in cut else cut[:FILE_NAME_LIMIT]


def data_download(rows: list[list], filename: str, label: str, target: str, origin: str = "") -> dict[str, str]:
    """A link to download a shown result's data as CSV: an output whose ``text/html`` the HTML builder shows,
    and whose ``text/markdown``, a MyST comment, the PDF and EPUB builders show (nothing: no link to follow).
    The link is a ``data:`` URI: it works offline and needs no file beside the page. ``origin``, the technical
    provenance (function, data digests, version), is the download's metadata for reviewers (``data-origin``, not
    shown: readers of every format get the sources as they cite them, under the result; reviewers also find it in
    the HTML appendix "Where each number comes from")."""
    href = "data:text/csv;charset=utf-8," + quote(_csv(rows), safe="")
    meta = f' data-origin="{html.escape(origin)}"' if origin else ""
    return {"text/html": f'<p class="bbox-download"><a href="{href}" download="{html.escape(filename)}" '
                         f'data-for="{html.escape(target)}"{meta}>{html.escape(label)}</a></p>',
            "text/markdown": f"% {filename}: the data download is in the HTML edition"}
