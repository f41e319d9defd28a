"""The study parts follow one convention: ``compute`` holds no words (no chart library, no fixed strings, no
labels in what it returns: codes and numbers), ``present`` puts them in, in the reader's language; and every chart
and table the English report shows exists in Dutch and French with no English word left, and renders."""

from __future__ import annotations

import ast
import importlib.util
import re

import pandas as pd
import pytest

from analysis import i18n, paths
from analysis.data import load
from analysis.data.codebook import codebook
from analysis.producers import Result
from analysis.protection.disclosure import MARK, TOTAL
from analysis.publication import chartchecks, findings
from analysis.results import registry

STUDY = paths.ANALYSIS / "study"
PARTS = sorted(path.parent.name for path in STUDY.glob("*/__init__.py"))
# What a compute step may not import: a chart library, the fixed strings, anything from the registry (the result
# constructors carry titles) and its part's presentation. Reading published results through the registry module,
# as the synthesis does, is computing.
WORDS = ("altair", "analysis.publication", "analysis.producers.", "analysis.charts", "analysis.i18n")
# Calls that word or format a value (a field's label or title, a formatted number).
LABEL_CALLS = {"label", "labels", "title", "text", "percent", "decimal", "p_value"}


def test_the_six_study_parts_each_register_compute_and_present():
    assert {"survey", "cases", "reference", "literature", "newcomers", "synthesis"} <= set(PARTS)
    for part in PARTS:
        assert {"__init__.py", "compute.py", "present.py"} <= {p.name for p in (STUDY / part).iterdir()}, part


def _syntax(part: str, module: str) -> ast.Module:
    return ast.parse((STUDY / part / f"{module}.py").read_text(encoding="utf-8"))


def _imports(part: str, module: str) -> set[str]:
    """Every name a module imports, in full (``from a.b import c``: a.b.c), relative imports resolved, also those
    inside functions."""
    found = set()
    for node in ast.walk(_syntax(part, module)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            origin = importlib.util.resolve_name("." * node.level + (node.module or ""), f"analysis.study.{part}")
            found |= {origin, *(f"{origin}.{alias.name}" for alias in node.names)}
    return found


def _forbidden(part: str) -> list[str]:
    return sorted(name for name in _imports(part, "compute")
                  if name.startswith(WORDS) or name.endswith(f"{part}.present"))


@pytest.mark.parametrize("part", PARTS)
def test_compute_imports_no_chart_library_and_no_words_and_calls_no_labels(part):
    assert _imports(part, "compute"), f"analysis/study/{part}/compute.py: no import found (is the parser reading it?)"
    assert not _forbidden(part), f"analysis/study/{part}/compute.py imports {_forbidden(part)}"
    calls = {node.func.attr for node in ast.walk(_syntax(part, "compute"))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert calls, f"analysis/study/{part}/compute.py: no call found"
    assert not calls & LABEL_CALLS, f"analysis/study/{part}/compute.py words or formats: {calls & LABEL_CALLS}"
    assert "altair" in _imports(part, "present") or part == "synthesis"  # the synthesis shows tables only


def test_the_import_check_catches_a_relative_import_inside_a_function(tmp_path, monkeypatch):
    (tmp_path / "planted").mkdir()
    (tmp_path / "planted" / "compute.py").write_text(
        "from analysis import producers\n\n\ndef f():\n    from . import present\n"
        "    from analysis.producers import chart\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "STUDY", tmp_path)
    assert _forbidden("planted") == ["analysis.producers.chart", "analysis.study.planted.present"]


def _codes(part: str) -> set[str]:
    """The names the data go by: the codebook's resources, fields and codes, and the English names of the part's
    chart data columns where they are their codes (``newcomers.data.share``: "share", as the charts were first
    published)."""
    book = codebook()
    found = set(book.resources)
    for resource in book.resources.values():
        for field in resource.fields:
            found |= {field.name, *map(str, field.labels("en"))}
    return found | {text for key, text in i18n.strings("en").items()
                    if key.startswith((f"{part}.data.", f"{part}.chart.")) and text == key.split(".")[-1]}


def _display_words(part: str) -> set[str]:
    """The words a reader sees, in every language: each codebook field's title and each code's label, and the fixed
    strings of the study parts (``<part>.*`` in ``analysis/i18n/<lang>.yml``) but for templates; not the
    codes they stand for, even where they are spelled alike, nor the disclosure markers (compute protects its
    tables, present names the markers)."""
    found = set()
    for resource in codebook().resources.values():
        for field in resource.fields:
            for lang in i18n.LANGUAGES:
                found |= {field.title(lang), *field.labels(lang).values()}
    for lang in i18n.LANGUAGES:
        found |= {text for key, text in i18n.strings(lang).items()
                  if key.split(".")[0] in PARTS and re.search(r"[A-Za-z]{3}", text) and "{" not in text}
    return found - _codes(part) - {TOTAL, MARK}


def _strings(value) -> set[str]:
    """Every text inside a value: frame cells, index and column names, series items, dict values (keys name the
    values, as result keys do: no reader sees them) and list items."""
    if isinstance(value, pd.DataFrame):
        return _strings(value.to_numpy().ravel().tolist()) | _strings(list(value.columns)) | _strings(list(value.index))
    if isinstance(value, pd.Series):
        return _strings(value.tolist()) | _strings(list(value.index))
    if isinstance(value, dict):
        return _strings(list(value.values()))
    if isinstance(value, (list, tuple)):
        return set().union(*map(_strings, value)) if value else set()
    return {value} if isinstance(value, str) else set()


def _computed_survey() -> list:
    from analysis.study.survey import compute

    respondents = load.table("survey").set_index("pcsw_id")
    return [compute.response_by_region(respondents["region"],
                                       load.table("pcsw_frame").set_index("region")["municipalities"]),
            compute.prevalence(compute.practice_items(respondents), respondents["region"]),
            compute.type_shares(respondents["region"], pd.Series(1, index=respondents.index)),
            compute.practice_models(respondents), compute.reliability(respondents)]


def _computed_cases() -> list:
    from analysis.study.cases import compute

    cases = load.table("cases")
    typed = cases.assign(**{"class": [1, 2] * (len(cases) // 2), "certainty": 0.9})
    return [compute.dimension_counts(cases), compute.type_profiles(typed, [1, 2]), compute.cases_by_type(typed, [1, 2]),
            compute.choose_excerpts(cases.set_index("case_id"), load.table("case_excerpts"),
                                    compute.modal_levels(compute.dimension_counts(cases))).drop(columns="text"),
            compute.design_matrix(cases), compute.interviews(cases)]  # the excerpts are the interviewees' words, not ours


def _computed_reference() -> list:
    from analysis.study.reference import compute

    return [compute.income_summary(load.table("integration_income")), compute.asylum_summary(load.table("asylum"))]


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
            compute.satisfaction_groups(scored).drop(columns="scores"),
            compute.mean_intervals(compute.satisfaction_groups(scored)),
            compute.choose_quotes(people.set_index("interviewee_id"), load.table("newcomer_quotes"))
            .drop(columns="text")]  # the quotes are the interviewees' words, not ours


# The synthesis's compute reads cells of what the other parts published, as the reader sees them, by design.
COMPUTED = {"survey": _computed_survey, "cases": _computed_cases, "reference": _computed_reference,
            "literature": _computed_literature, "newcomers": _computed_newcomers}


def test_every_part_but_the_synthesis_has_its_computed_values_checked():
    assert set(COMPUTED) == set(PARTS) - {"synthesis"}


@pytest.mark.parametrize("part", COMPUTED)
def test_compute_returns_codes_and_numbers_not_the_words_a_reader_sees(part):
    found = set().union(*map(_strings, COMPUTED[part]()))
    assert found, "the computed values hold no text at all: the test would prove nothing"
    shown = found & _display_words(part)
    assert not shown, f"analysis/study/{part}/compute.py returns display strings {sorted(shown)}"


def test_the_word_check_catches_a_label():
    words = _display_words("newcomers")
    assert {"Language barrier", "Taal", "Flanders", "Vlaanderen"} <= words
    assert "Language barrier" in _strings(pd.DataFrame({"theme": ["Language barrier"]}))
    assert "Vlaanderen" in _strings({"region": pd.Series([1], index=["Vlaanderen"])})


# -- The report's charts and tables in Dutch and French -----------------------------------------------------

REPORT_SHOWS = findings.listed("report", "shows")  # every part of the report
# Words that are the same in English and the language, by design: a label equal to its English is otherwise a
# string left untranslated.
SHARED = {"nl": {"Type"}, "fr": {"Type", "Total", "Dimension", "organisation", "Source"}}


def _encoded_fields(node, untitled: bool = False) -> set[str]:
    """The data fields a Vega-Lite spec encodes (their values are what the reader sees on axes, in legends and in
    tooltips); ``untitled``: only those shown under their own name (a channel without a title of its own)."""
    if isinstance(node, dict):
        encodes = isinstance(node.get("field"), str) and not (untitled and "title" in node)
        found = {node["field"]} if encodes else set()
        return found.union(*(_encoded_fields(v, untitled) for k, v in node.items() if k != "datasets"))
    if isinstance(node, list):
        return set().union(*(_encoded_fields(v, untitled) for v in node)) if node else set()
    return set()


def _spec_words(node, key: str = "") -> set[str]:
    """Titles (chart, axes, legends, headers, tooltips), sort orders and other texts of a spec (not its data,
    field names, types or formats)."""
    if isinstance(node, dict):
        return set().union(set(), *(_spec_words(v, k) for k, v in node.items()
                                    if k not in ("datasets", "field", "type", "format", "mark", "name", "data")))
    if isinstance(node, list):
        return set().union(set(), *(_spec_words(v, key) for v in node))
    return {node} if isinstance(node, str) and key in ("title", "text", "sort", "") else set()


def visible(result: Result) -> set[str]:
    """What a reader reads of a chart or table, as words (two letters or more): its title, note and text
    alternative; a table's headers, index and text cells; a chart's titles, category orders, the fields it shows
    under their own name and the values of every field it encodes."""
    texts = {result.title, result.note, result.alt}
    if result.kind == "table":
        texts |= {str(c) for c in result.value.columns} | _strings(result.value)
    else:
        spec = result.value
        rows = [row for values in spec.get("datasets", {}).values() for row in values]
        texts |= _spec_words(spec) | _encoded_fields(spec, untitled=True)
        texts |= {str(row[f]) for row in rows for f in _encoded_fields(spec) if f in row}
    return {t for t in texts if t and t != MARK and len(re.findall(r"[^\W\d_]", t)) >= 2}


def english_left(english: Result, translated: Result, lang: str) -> set[str]:
    """The English texts a translation still shows: whole, or (from twelve characters) inside a longer text."""
    shown = visible(translated)
    return {t for t in visible(english) - SHARED[lang]
            if t in shown or (len(t) >= 12 and any(t in s for s in shown))}


def test_the_report_lists_charts_of_every_part():
    charts = {key for key in REPORT_SHOWS if registry.get(key).kind == "chart"}
    assert {"reference.income.chart", "literature.overview.theme_chart", "survey.typology.profiles_chart",
            "survey.membership.region.chart", "cases.dimensions.chart", "newcomers.themes.barriers"} <= charts
    assert "newcomers.themes.overall" in REPORT_SHOWS
    assert not [part for part in findings.PARTS if not charts & set(findings.listed("report", "shows", part))]


@pytest.mark.parametrize("lang", ["nl", "fr"])
@pytest.mark.parametrize("key", REPORT_SHOWS)
def test_every_chart_and_table_of_the_report_exists_in_dutch_and_french_with_no_english_left(key, lang):
    english, translated = registry.get(key), registry.get(key, lang)
    assert translated.lang == lang, f"{key} is not published in {lang}"
    assert translated.kind == english.kind and translated.value is not english.value
    assert len(visible(translated)) >= 5, f"{key}: too little text found to judge ({visible(translated)})"
    left = english_left(english, translated, lang)
    assert not left, f"{key}@{lang} still shows English: {sorted(left)}"
    if translated.kind == "chart":
        # numbers as the language writes them, in every chart with no exception (English too, explicitly)
        assert not chartchecks.locale_problems(translated.value, lang), key
        assert not chartchecks.locale_problems(english.value, "en"), key


def test_a_chart_left_in_english_is_caught():
    english = registry.get("survey.membership.region.chart")
    left = english_left(english, english, "nl")
    assert {"Types of PCSW by region (modal class)", "Share of responding PCSWs"} <= left


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_every_translated_report_chart_renders(lang):
    """A label used as a field name must not break the chart (an apostrophe is an access path to Vega-Lite)."""
    import vl_convert as vlc

    for key in REPORT_SHOWS:
        result = registry.get(key, lang)
        if result.kind == "chart":
            assert vlc.vegalite_to_svg(result.value).lstrip().startswith("<svg"), key
