"""What a page shows: numbers glued into its prose, tables and charts with their caption, notes, provenance line and
data download, each recorded as shown on the page (for the drift report)."""

from __future__ import annotations

from docutils.nodes import make_id
from IPython.display import display

from analysis import i18n
from analysis.producers import Result
from analysis.protection.disclosure import MARK
from analysis.publication import blocks, provenance
from analysis.publication.charts import ChartOutput
from analysis.publication.downloads import data_download, file_name, shown_rows, table_rows
from analysis.results import registry


class Formatted(str):
    """A formatted number whose plain-text form has no quotes, so ``{glue}`` shows it as it is."""

    def __repr__(self) -> str:
        return str(self)


def glue_texts(texts: dict[str, str]) -> list[str]:
    """Glue each text under its key for ``{glue}`` in a page's prose (plain text, never parsed as markup)."""
    from myst_nb import glue

    for key, value in texts.items():
        glue(key, Formatted(value), display=False)
    return list(texts)


def in_prose(result: Result, lang: str = "en") -> str:
    """A number as a sentence says it: a count in words up to twenty (``i18n.in_words``: "in twintig OCMW's",
    "dans vingt CPAS"), any other number as formatted. Key figures and tables keep their digits."""
    if result.style == "count" and result.value is not None:
        return i18n.in_words(result.value, lang)
    return result.formatted(lang)


def glue_numbers(prefix: str, lang: str = "en") -> list[str]:
    """Glue every number result under ``prefix``, as a sentence of ``lang`` says it (:func:`in_prose`), under its key."""
    return glue_texts({key: in_prose(result, lang) for key, result in sorted(registry.under(prefix, lang).items())
                       if result.kind == "number"})


def glue_labels(prefix: str, lang: str = "en") -> list[str]:
    """Glue every text result under ``prefix`` (words the analysis chose, in ``lang``) under its key."""
    return glue_texts({key: result.value for key, result in sorted(registry.under(prefix, lang).items())
                       if result.kind == "text"})


SHOWN_PREFIX = "bbox-shown:"  # a hidden glue marking a result a page shows (see sphinxext/shown.py)
_recorded: set[str] = set()  # in this kernel: one marker per key and page


def record_shown(*keys: str) -> None:
    """Mark ``keys`` as shown on the page being executed: the build records it for the drift report."""
    from myst_nb import glue

    for key in keys:
        if key not in _recorded:
            _recorded.add(key)
            glue(SHOWN_PREFIX + key, key, display=False)


def show(key: str, lang: str = "en") -> None:
    """Display the table or chart ``key`` with its caption, notes and source line, as document blocks (data is
    text). The source line cites the sources as a reader does, in every edition and format; the technical origin
    (function, data digests, version) is the data download's metadata, in the HTML only."""
    result = registry.get(key, lang)
    record_shown(key)
    source = provenance.citation_line(result.origin, lang)
    if result.kind == "table":
        _show_table(result, lang, source)
    elif result.kind == "chart":
        _show_chart(result, lang, source)
    else:
        glue = "glue_labels" if result.kind == "text" else "glue_numbers"
        raise TypeError(f"{key} is a {result.kind}: glue it with {glue}() and {{glue}}`{key}`")


def _notes(result: Result, lang: str) -> list[dict]:
    """The result's note, after a note on hidden small counts where disclosure control hid some."""
    notes = [blocks.paragraph(result.note, classes=["note"])] if result.note else []
    threshold = result.value.attrs.get("disclosure_threshold") if result.kind == "table" else None
    # set by analysis.protection.disclosure; said only where a cell is hidden (a note on an "x" no cell shows misleads)
    if threshold and result.value.astype(str).eq(MARK).any().any():
        notes.insert(0, blocks.paragraph(i18n.text("disclosure_note", lang, mark=MARK, below=threshold),
                                         classes=["note", "disclosure-note"]))
    return notes


def _download(result: Result, rows: list[list], target: str, lang: str) -> None:
    filename = f"{file_name(result.title) or result.key}.csv"
    origin = f"{i18n.text('origin_label', lang)}{i18n.text('colon', lang)}{provenance.plain(provenance.sentence(result.origin, lang))}"
    # raw: only the given formats, no text/plain repr that PDF and EPUB would show instead
    display(data_download(rows, filename, i18n.text("download_csv", lang), target, origin=origin), raw=True)


def _show_table(result: Result, lang: str, source: dict) -> None:
    label = result.key.replace(".", "-")
    protected = ["bbox-protected"] if result.value.attrs.get("disclosure_threshold") else []
    blocks.show(blocks.table(result.value, result.title, label, classes=protected), *_notes(result, lang), source)
    _download(result, table_rows(result.value), make_id(label), lang)


def _show_chart(result: Result, lang: str, source: dict) -> None:
    chart = ChartOutput(result.value, result.alt)
    display(chart)
    # the caption makes the chart a numbered figure (analysis/publication/sphinxext/figures.py)
    blocks.show(blocks.caption(result.title, result.key.replace(".", "-")), *_notes(result, lang), source)
    _download(result, shown_rows(result.value, lang), chart.element_id, lang)
