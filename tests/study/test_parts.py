"""The study parts follow one convention: ``compute`` holds no words (no chart library, no fixed strings, no
labels in what it returns), ``present`` puts them in, and every chart or table the English report shows of a
part exists in Dutch and French with no English word left."""

from __future__ import annotations

import ast
import importlib
import re

import pandas as pd
import pytest

from analysis.data import load
from analysis.data.codebook import codebook
from analysis.protection.disclosure import MARK, TOTAL
from analysis.publication import findings, i18n
from analysis.results import registry

PARTS = ["literature", "newcomers", "synthesis"]
# What a compute step may not import: a chart library, the fixed strings, the result constructors that carry
# titles, and its part's presentation. (Reading published results, as the synthesis does, is computing.)
WORDS = ("altair", "analysis.publication", *(f"analysis.results.registry.{name}" for name in ("number", "table",
                                                                                               "chart", "Result")))


def _imports(module: str) -> set[str]:
    source = importlib.util.find_spec(module).origin
    tree = ast.parse(open(source, encoding="utf-8").read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


@pytest.mark.parametrize("part", PARTS)
def test_compute_imports_no_chart_library_and_no_words(part):
    imported = _imports(f"analysis.study.{part}.compute")
    assert imported, f"analysis/study/{part}/compute.py: no import found (is the parser reading the file?)"
    forbidden = sorted(name for name in imported if name.startswith(WORDS) or name.endswith(f"{part}.present"))
    assert not forbidden, f"analysis/study/{part}/compute.py imports {forbidden}"
    assert "altair" in _imports(f"analysis.study.{part}.present") or part == "synthesis"


def _display_words(lang: str = "en") -> set[str]:
    """Every fixed string of the literature and newcomer parts, and every codebook title and label, in ``lang``.

    Not the names of a chart's data columns (``newcomers.data.*``): in English they are the codes' own names
    ("theme", "share"), as the charts were first published."""
    fixed = {v for k, v in i18n.strings(lang).items() if k.startswith(("literature.", "newcomers."))
             and not k.startswith("newcomers.data.")}
    book = codebook()
    fields = [f for name in ("newcomers",) for f in book[name].fields]
    return {w for w in fixed | {f.title(lang) for f in fields} | {label for f in fields
                                                                   for label in f.labels(lang).values()}
            if re.search(r"[A-Za-z]{3}", w) and "{" not in w}


def _strings(value) -> set[str]:
    """Every text inside a computed value: frame cells, index and column names, dict and list items."""
    if isinstance(value, pd.DataFrame):
        return _strings(value.to_numpy().ravel().tolist()) | _strings(list(value.columns)) | _strings(list(value.index))
    if isinstance(value, pd.Series):
        return _strings(value.tolist()) | _strings(list(value.index))
    if isinstance(value, dict):  # keys name the values, as result keys do: not read by anyone
        return _strings(list(value.values()))
    if isinstance(value, (list, tuple)):
        return set().union(*map(_strings, value)) if value else set()
    return {value} if isinstance(value, str) else set()


def _computed_literature() -> list:
    from analysis.study.literature import compute

    entries = compute.entries()
    return [entries, compute.by_theme(entries), compute.count_table(entries, "decade", compute.decades(entries)),
            compute.theme_counts(entries), compute.decade_counts(entries), compute.overview(entries)]


def _computed_newcomers() -> list:
    from analysis.study.newcomers import compute

    people = load.table("newcomers")
    scored = compute.scored(people)
    return [compute.protected_counts(people, "legal_status", "region"), compute.prevalence_rows(people, "region"),
            compute.prevalence_rows(people, None), compute.rank_tests(scored),
            compute.satisfaction_groups(scored).drop(columns="scores"), compute.mean_intervals(
                compute.satisfaction_groups(scored)),
            compute.choose_quotes(people.set_index("interviewee_id"), load.table("newcomer_quotes"))
            .drop(columns="text")]  # the quotes are the interviewees' words, not ours


@pytest.mark.parametrize("computed", [_computed_literature, _computed_newcomers], ids=["literature", "newcomers"])
def test_compute_returns_codes_and_numbers_not_the_words_a_reader_sees(computed):
    words = _display_words() - {TOTAL, MARK}  # the disclosure markers, which present names
    found = set().union(*map(_strings, computed()))
    assert found, "the computed values hold no text at all: the test would prove nothing"
    assert not found & words, f"compute returns display strings {sorted(found & words)}"


def test_the_word_check_catches_a_label():
    assert "Language barrier" in _display_words() and "Taaldrempel" in _display_words("nl")
    assert "Language barrier" in _strings(pd.DataFrame({"theme": ["Language barrier"]}))


# -- The report's charts in Dutch and French --------------------------------------------------------------

REPORT_SHOWS = [key for part in ("literature", "newcomers") for key in findings.listed("report", "shows", part)]


def _encoded_fields(node, untitled: bool = False) -> set[str]:
    """The data fields a Vega-Lite spec encodes (their values are what the reader sees on axes and in tooltips);
    ``untitled``: only those shown under their own name (a channel without a title of its own)."""
    if isinstance(node, dict):
        encodes = isinstance(node.get("field"), str) and not (untitled and "title" in node)
        found = {node["field"]} if encodes else set()
        return found.union(*(_encoded_fields(v, untitled) for k, v in node.items() if k != "datasets"))
    if isinstance(node, list):
        return set().union(*(_encoded_fields(v, untitled) for v in node)) if node else set()
    return set()


def _spec_words(node, key: str = "") -> set[str]:
    """Titles, sort orders and other texts of a spec (not its data, field names, types or formats)."""
    if isinstance(node, dict):
        return set().union(set(), *(_spec_words(v, k) for k, v in node.items()
                                    if k not in ("datasets", "field", "type", "format", "mark", "name", "data")))
    if isinstance(node, list):
        return set().union(set(), *(_spec_words(v, key) for v in node))
    return {node} if isinstance(node, str) and key in ("title", "text", "sort", "") else set()


def _seen(result: registry.Result) -> set[str]:
    """What a reader sees of a table or chart: its title, text alternative and note; a table's headers and text
    cells; a chart's titles, category orders, the fields it shows and their values."""
    seen = {result.title, result.alt, result.note}
    if result.kind == "table":
        seen |= {str(c) for c in result.value.columns} | _strings(result.value)
    else:
        fields = _encoded_fields(result.value)
        rows = [row for rows in result.value.get("datasets", {}).values() for row in rows]
        seen |= _spec_words(result.value) | _encoded_fields(result.value, untitled=True)
        seen |= {str(row[f]) for row in rows for f in fields if f in row}
    return {s for s in seen if s and re.search(r"[A-Za-z]{3}", s) and s != MARK}


def test_the_report_shows_charts_of_these_parts():
    assert {"literature.overview.theme_chart", "newcomers.themes.barriers", "newcomers.themes.overall"} <= \
        set(REPORT_SHOWS)


@pytest.mark.parametrize("lang", ["nl", "fr"])
@pytest.mark.parametrize("key", REPORT_SHOWS)
def test_each_report_chart_exists_in_the_language_with_no_english_left(key, lang):
    english, translated = registry.get(key, "en"), registry.get(key, lang)
    assert translated.lang == lang, f"{key} is not published in {lang}"
    assert translated.kind == english.kind
    seen = _seen(translated)
    assert len(seen) >= 5, f"{key}: too little text found to judge ({seen})"
    left = sorted(_seen(english) & seen)
    assert not left, f"{key} in {lang} still shows English: {left}"
