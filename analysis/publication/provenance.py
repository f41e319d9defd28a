"""Where a result comes from, said two ways: as a reader cites it (the source line under every table and chart of
every edition, from the data package's ``sources``), and technically for reviewers (beside each data download and
in the book's appendix, both in the HTML only; each glued number's description in the HTML).

A result's origin is its function, the data files it read with their content hashes, the results it was
computed from (key → function) (:attr:`analysis.producers.Result.origin`), and the package version: the one that
pinned it, for an entry of ``results/provenance.json``, or this package's, for a result computed now (a result
does not carry it: :mod:`analysis.version`). :func:`sentence` is the one place that words it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from IPython.display import display

from analysis import hashing, i18n, paths, reads
from analysis.data.codebook import codebook
from analysis.publication import blocks
from analysis.publication.downloads import data_download, table_rows
from analysis.version import __version__

APPENDIX_TITLE = "Every published result, with the step of the analysis and the data that produced it"
PINS = ("numbers.json", "texts.json", "provenance.json")  # what the appendix reads in results/


def sentence(origin: Mapping, lang: str = "en") -> list:
    """The origin as inlines: ``f, g · data: a.csv (1234abcd) · bbox-analysis 0.1.0``, the function first, then
    those of the results it was computed from, each as code; data files with the first 8 digits of their hash."""
    files = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(origin["data"].items())) or "–"
    functions = list(dict.fromkeys([origin["function"], *sorted(origin.get("uses", {}).values())]))
    code = [part for function in functions for part in (", ", blocks.literal(function))][1:]
    version = origin.get("version", __version__)  # as pinned, or this package's for a result computed now
    return [*code, f" · {i18n.text('data', lang)}{i18n.text('colon', lang)}{files} · bbox-analysis {version}"]


def plain(inlines: list) -> str:
    """Inlines as plain text (a table cell)."""
    return "".join(part if isinstance(part, str) else part["text"] for part in inlines)


def line(origin: Mapping, lang: str = "en") -> dict:
    """The provenance line under a table or chart: ``Source: `` and the :func:`sentence`."""
    return blocks.paragraph(f"{i18n.text('source', lang)}{i18n.text('colon', lang)}", *sentence(origin, lang), classes=["provenance"])


LITERATURE_FILE = "references.bib"  # the literature review's entries: cited as the review, not as a data file


def cited(origin: Mapping, lang: str = "en") -> list[str]:
    """The sources of the data a result was computed from, as a reader cites them in ``lang``: each source of
    each data file's resource in the data package, marked as simulated while the resource is stand-in; the
    literature review for ``references.bib``. The codebook and the study record are no source of a figure."""
    resources = {resource.path: resource for resource in codebook().resources.values()}
    sources = []
    for name in sorted(origin["data"]):
        if name == LITERATURE_FILE:
            sources.append(i18n.text("source_literature", lang))
        elif name in resources:
            simulated = f" ({i18n.text('source_simulated', lang)})" if resources[name].standin else ""
            sources += [source + simulated for source in resources[name].cited(lang)]
    return list(dict.fromkeys(sources))


def citation(origin: Mapping, lang: str = "en") -> str:
    """The sources as publications cite them, then the processing:
    ``Bron: POD Maatschappelijke Integratie (persbericht van 14 februari 2020); verwerking BBOX``."""
    text = i18n.text("semicolon", lang).join([*cited(origin, lang), i18n.text("source_processing", lang)])
    return f"{i18n.text('source', lang)}{i18n.text('colon', lang)}{text}"


def citation_line(origin: Mapping, lang: str = "en") -> dict:
    """The source line under a table or chart, in every edition and format (:func:`citation`)."""
    return blocks.paragraph(citation(origin, lang), classes=["provenance"])


def appendix_table(directory: Path = paths.RESULTS) -> pd.DataFrame:
    """Every pinned result, the text a reader sees (or its kind) and its origin, for the provenance appendix."""
    for name in PINS:  # a page showing the appendix keys on these files (pins move no other page)
        reads.file(f"results/{name}", Path(directory) / name)
    numbers, texts, provenance = (json.loads((Path(directory) / name).read_text(encoding="utf-8")) for name in PINS)
    shown = {**{key: number["shown"] for key, number in numbers.items()}, **texts}
    return pd.DataFrame([{"Key": key, "Value": shown.get(key, origin["kind"]),
                          "Origin": plain(sentence(origin))} for key, origin in sorted(provenance.items())])


def show_appendix() -> None:
    """Display the appendix table of every pinned result (a notebook output, in every format)."""
    frame = appendix_table()
    origin = {"function": f"{__name__}.appendix_table",
              "data": {f"results/{name}": hashing.file_hash(paths.RESULTS / name) for name in PINS}}
    blocks.show(blocks.table(frame, APPENDIX_TITLE, "pinned-results"), line(origin))
    display(data_download(table_rows(frame), "pinned-results.csv", i18n.text("download_csv"), "pinned-results"),
            raw=True)
