"""The study parts' convention: ``compute`` is pure (codes and numbers, no labels, no charts), ``present`` speaks the
reader's language, and every chart and table the English report shows exists in Dutch and French with no English
label left."""

from __future__ import annotations

import ast
import re

import pandas as pd
import pytest

from analysis import paths
from analysis.data import load
from analysis.data.codebook import codebook
from analysis.publication import findings, i18n
from analysis.results import registry

PARTS = sorted(path.parent.name for path in (paths.ANALYSIS / "study").glob("*/compute.py"))
DISPLAY_MODULES = ("altair", "analysis.publication", "analysis.results.registry")
LABEL_CALLS = ("label", "labels", "title", "text", "percent", "decimal", "p_value")


def test_the_survey_the_cases_and_the_reference_figures_follow_the_convention():
    assert {"survey", "cases", "reference"} <= set(PARTS)
    for part in PARTS:
        assert {"__init__.py", "compute.py", "present.py"} <= {p.name for p in (paths.ANALYSIS / "study" / part).iterdir()}


@pytest.mark.parametrize("part", PARTS)
def test_compute_imports_nothing_that_displays_and_calls_no_labels(part):
    tree = ast.parse((paths.ANALYSIS / "study" / part / "compute.py").read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [m for m in imported if m.startswith(DISPLAY_MODULES)], f"{part}/compute.py imports {imported}"
    calls = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute)}
    assert not calls & set(LABEL_CALLS), f"{part}/compute.py words or formats: {calls & set(LABEL_CALLS)}"


def _strings(value) -> set[str]:
    """Every text in a computed value: cells, column and index labels, dictionary values."""
    if isinstance(value, pd.DataFrame):
        return {v for v in [*value.columns, *value.index, *value.to_numpy().ravel()] if isinstance(v, str)}
    if isinstance(value, dict):
        return {v for v in value.values() if isinstance(v, str)}
    return set()


def _labels() -> set[str]:
    """The codebook's labels and titles in every language where they differ from the codes they stand for."""
    found = set()
    for resource in codebook().resources.values():
        for field in resource.fields:
            found |= {field.title(lang) for lang in i18n.LANGUAGES} - {field.name}
            for lang in i18n.LANGUAGES:
                found |= {label for code, label in field.labels(lang).items() if label != str(code)}
    return found


def test_computed_results_hold_codes_and_numbers_not_labels():
    from analysis.study.cases import compute as cases
    from analysis.study.reference import compute as reference
    from analysis.study.survey import compute as survey

    respondents = load.table("survey").set_index("pcsw_id")
    case_frame = load.table("cases")
    typed = case_frame.assign(**{"class": [1, 2] * (len(case_frame) // 2), "certainty": 0.9})
    computed = [
        survey.response_by_region(respondents["region"], load.table("pcsw_frame").set_index("region")["municipalities"]),
        survey.prevalence(survey.practice_items(respondents), respondents["region"]),
        survey.type_shares(respondents["region"], pd.Series(1, index=respondents.index)),
        survey.practice_models(respondents), survey.reliability(respondents),
        cases.dimension_counts(case_frame), cases.type_profiles(typed, [1, 2]), cases.cases_by_type(typed, [1, 2]),
        cases.choose_excerpts(case_frame.set_index("case_id"), load.table("case_excerpts")).drop(columns="text"),
        *cases.design_tables(case_frame), reference.income_summary(load.table("integration_income")),
        reference.asylum_summary(load.table("asylum")),
    ]
    labels = _labels()
    for value in computed:
        assert not _strings(value) & labels, _strings(value) & labels


# -- The report's charts and tables in Dutch and French -----------------------------------------------------

TRANSLATED_PARTS = ("context", "survey", "cases")  # the parts whose report results are translated


def _nominal_fields(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        if node.get("type") in ("nominal", "ordinal") and isinstance(node.get("field"), str):
            found.add(node["field"])
        for value in node.values():
            _nominal_fields(value, found)
    elif isinstance(node, list):
        for item in node:
            _nominal_fields(item, found)
    return found


def _titles(node, found: list[str]) -> list[str]:
    """Titles of a spec (chart, axes, legends, headers) and tooltip entries (their title, else their field)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                found.append(value)
            elif key == "title" and isinstance(value, dict) and isinstance(value.get("text"), str):
                found.append(value["text"])
            elif key == "tooltip":
                entries = value if isinstance(value, list) else [value]
                found += [e.get("title", e.get("field")) for e in entries if isinstance(e, dict)]
            if key not in ("datasets", "data"):
                _titles(value, found)
    elif isinstance(node, list):
        for item in node:
            _titles(item, found)
    return [t for t in found if isinstance(t, str)]


def visible(result: registry.Result) -> set[str]:
    """What a reader of a chart or table reads: its title, note and alt text, a chart's titles, tooltips and
    categories, a table's headers and text cells."""
    texts = {result.title, result.note, result.alt}
    if result.kind == "chart":
        spec = result.value
        texts |= set(_titles(spec, []))
        fields = _nominal_fields(spec, set())
        rows = [row for values in spec.get("datasets", {}).values() for row in values]
        texts |= {str(row[f]) for row in rows for f in fields if f in row}
    else:
        texts |= {str(c) for c in result.value.columns}
        texts |= {v for v in result.value.to_numpy().ravel() if isinstance(v, str)}
    return {t for t in texts if t}


# Words that are the same in English and the language, by design: a label equal to its English is otherwise a
# string left untranslated.
SHARED = {"nl": {"Type"}, "fr": {"Type", "Total", "Dimension", "organisation"}}


def _shared(lang: str) -> set[str]:
    return SHARED[lang]


def _english(text: str, shared: set[str]) -> bool:
    return text not in shared and len(re.findall(r"[^\W\d_]", text)) >= 2


REPORT_SHOWS = [key for part in TRANSLATED_PARTS for key in findings.listed("report", "shows", part)]


@pytest.mark.parametrize("lang", ["nl", "fr"])
@pytest.mark.parametrize("key", REPORT_SHOWS)
def test_every_chart_and_table_of_the_report_exists_in_dutch_and_french_with_no_english_left(key, lang):
    english, translated = registry.get(key), registry.get(key, lang)
    assert translated.lang == lang and translated.kind == english.kind
    assert translated.value is not english.value
    shown, shared = visible(translated), _shared(lang)
    leaked = {t for t in visible(english) if _english(t, shared)
              and (t in shown or (len(t) >= 12 and any(t in s for s in shown)))}
    assert not leaked, f"{key}@{lang} still shows English: {sorted(leaked)}"
    if translated.kind == "chart":
        assert translated.value["config"]["locale"] == i18n.vega_locale(lang)  # numbers as the language writes them
        assert "locale" not in english.value["config"] or key == "reference.income.chart"


def test_the_report_lists_charts_of_every_translated_part():
    charts = [key for key in REPORT_SHOWS if registry.get(key).kind == "chart"]
    assert {"reference.income.chart", "survey.typology.profiles_chart", "survey.membership.region.chart",
            "cases.dimensions.chart"} <= set(charts)


def test_a_chart_left_in_english_is_caught():
    english = registry.get("survey.membership.region.chart")
    leaked = {t for t in visible(english) if _english(t, _shared("nl")) and t in visible(english)}
    assert "Types of PCSW by region" in leaked and "Share of responding PCSWs" in leaked


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_every_translated_report_chart_renders(lang):
    """A label used as a field name must not break the chart (an apostrophe is an access path to Vega-Lite)."""
    import vl_convert as vlc

    for key in REPORT_SHOWS:
        result = registry.get(key, lang)
        if result.kind == "chart":
            assert vlc.vegalite_to_svg(result.value).lstrip().startswith("<svg"), key
