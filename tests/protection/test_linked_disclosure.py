"""Disclosure control across linked outputs: the integer-programme audit of every suppressed cell against
everything published with it, on the pinned results and on a planted small region; and no unit-level rows in
the pins."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import paths
from analysis.protection import disclosure, linked, redesign
from analysis.protection.disclosure import MARK, TOTAL
from analysis.study import cases, survey
from analysis.study import linked as study_linked
from analysis.study import redesigned
from analysis.study.cases import ladders
from analysis.study.cases import linked as cases_linked


@pytest.fixture(scope="module")
def pinned():
    return linked.published_from_pins(paths.RESULTS)


# -- The audit itself, on hand-made constraints ----------------------------------------------------------------

def _one_table_model(rows, hidden_cells) -> linked.Model:
    """A table with totals whose ``hidden_cells`` are suppressed, as a model."""
    model = linked.Model()
    block = model.block("t", {"row": list(range(len(rows))), "col": list(range(len(rows[0])))})
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            model.cell(f"[{i}, {j}]", block.sum(row=i, col=j), MARK if (i, j) in hidden_cells else value)
        model.equal(block.sum(row=i), sum(row))
    for j in range(len(rows[0])):
        model.equal(block.sum(col=j), sum(r[j] for r in rows))
    return model


def test_the_audit_computes_the_interval_of_each_hidden_cell():
    model = _one_table_model([[3, 7], [6, 9]], {(0, 0), (0, 1), (1, 0), (1, 1)})
    assert linked.ranges(model) == {"[0, 0]": (0, 9), "[0, 1]": (1, 10), "[1, 0]": (0, 9), "[1, 1]": (6, 15)}
    assert linked.audit(model) == []
    model = _one_table_model([[3, 7], [6, 9]], {(0, 0), (0, 1)})  # one row hidden: both recomputed
    assert {f.cell: (f.low, f.high) for f in linked.audit(model)} == {"[0, 0]": (3, 3), "[0, 1]": (7, 7)}


@pytest.mark.parametrize("low, high, problem", [
    (2, 2, "one value"), (0, 1, "two adjacent"), (3, 4, "two adjacent"), (1, 4, "inside 1..4"), (2, 3, "adjacent")])
def test_an_interval_that_narrows_a_hidden_count_fails(low, high, problem):
    assert problem in disclosure.verdict(low, high, 5)


@pytest.mark.parametrize("low, high", [(0, 2), (0, 4), (1, 5), (4, 9), (3, 12)])
def test_an_interval_that_leaves_a_hidden_count_open_passes(low, high):
    assert disclosure.verdict(low, high, 5) == ""


def test_a_percentage_of_a_shown_group_is_read_as_the_count_it_rounds_from():
    model = linked.Model()
    block = model.block("s", {"type": ["a", "b"]})
    model.equal(block.sum(), 10)
    model.share(block.sum(type="a"), block.sum(), "10.0%", "share")
    model.cell("a", block.sum(type="a"), MARK)
    assert linked.ranges(model) == {"a": (1, 1)}
    with pytest.raises(ValueError, match=r"share: '10,0 %' is not a percentage"):
        model.share(block.sum(type="a"), block.sum(), "10,0 %", "share")


# -- The published results ------------------------------------------------------------------------------------

def test_every_linked_set_of_the_pinned_results_passes_the_audit(pinned):
    report = study_linked.audit_published(pinned)
    assert set(report) == set(study_linked.LINKED_SETS)
    for name, findings in report.items():
        assert findings == [], f"{name}: " + "; ".join(map(str, findings))
    for name, (_, build) in study_linked.LINKED_SETS.items():
        assert len(build(pinned).cells) >= 10, f"{name}: the audit must see the hidden cells of the stand-in data"


def test_the_case_selection_by_region_would_be_narrowed_by_the_survey(pinned):
    """The finding of issue 13 on the shipped data: split by region, the case selection has a Brussels cell
    that the survey's types by region cap at 0 or 1; published by type only, nothing is narrowed."""
    published = dict(pinned)
    assert list(published["cases.typology.selection"].columns) == ["Survey type", "Cases"]
    rows = [*published["survey.typology.sizes"]["Class"].map(cases_linked._type_label), TOTAL]
    published["cases.typology.selection"] = pd.DataFrame({  # what disclosure.protect alone published before
        "Survey type": rows, "Flanders": [MARK, MARK, MARK, MARK, "8"], "Wallonia": [MARK, MARK, MARK, MARK, "7"],
        "Brussels-Capital": [MARK, MARK, "0", MARK, "5"], TOTAL: [MARK, "6", MARK, "6", "20"]})
    findings = linked.audit(cases_linked.model(published))
    assert [(f.cell, f.low, f.high) for f in findings] == [
        (f"cases.typology.selection[{rows[0]}, Brussels-Capital]", 0, 1)]


# -- A planted small region ------------------------------------------------------------------------------------

REGIONS = {"FL": 60, "WA": 50, "BR": 6}
SURVEY_TYPES = {"FL": {1: 20, 2: 25, 3: 15}, "WA": {1: 20, 2: 10, 3: 20}, "BR": {1: 1, 2: 4, 3: 1}}
CASE_TYPES = {"FL": {1: 3, 2: 3, 3: 1}, "WA": {1: 2, 2: 3, 3: 1}, "BR": {1: 1, 2: 3, 3: 1}}
NAMES = {1: "alpha", 2: "beta", 3: "gamma"}


def _planted():
    """Survey respondents with a type each (Brussels: 6 respondents, one of type alpha), and cases drawn from them."""
    rows, case_ids = [], []
    for region, by_type in SURVEY_TYPES.items():
        for cls, n in by_type.items():
            for k in range(n):
                pcsw = f"{region}{cls}{k:02d}"
                rows.append({"pcsw_id": pcsw, "region": region, "size_band": 1 + k % 4, "class": cls,
                             "type": NAMES[cls]})
                if k < CASE_TYPES[region][cls]:
                    case_ids.append(pcsw)
    frame = pd.DataFrame(rows).set_index("pcsw_id")
    respondents, types = frame[["region", "size_band"]], frame[["type", "class"]]
    chosen = frame.loc[case_ids]
    by_type = pd.crosstab(chosen["type"], chosen["region"]).reindex(index=list(NAMES.values()),
                                                                   columns=list(REGIONS), fill_value=0)
    labels = {"FL": "Flanders", "WA": "Wallonia", "BR": "Brussels-Capital"}
    outputs = {
        "cases.design.n": len(chosen),
        "survey.typology.sizes": pd.DataFrame({"Class": [f"{c}. {t}" for c, t in NAMES.items()],
                                               "PCSWs assigned to this type": [int((types["class"] == c).sum())
                                                                       for c in NAMES]}),
        "survey.response.by_region": pd.DataFrame({"Region": list(labels.values()),
                                                   "Respondents": list(REGIONS.values())}),
        "survey.membership.region.table": survey.present_typology.type_shares_table(respondents, types, "region"),
        "survey.membership.size.table": survey.present_typology.type_shares_table(respondents, types, "size_band"),
    }
    return by_type, outputs


def test_a_small_region_of_the_survey_narrows_the_case_table_protected_alone():
    by_type, outputs = _planted()
    alone = disclosure.as_table(cases.present.labelled(disclosure.protect(by_type), None, "region"), "Survey type")
    assert alone.set_index("Survey type").at["alpha", "Brussels-Capital"] == MARK  # hidden by protect
    findings = linked.audit(cases_linked.model({**outputs, "cases.typology.selection": alone}))
    cells = {f.cell: (f.low, f.high) for f in findings}
    assert cells["cases.typology.selection[alpha, Brussels-Capital]"] == (0, 1)
    assert cells["cases.typology.selection[gamma, Brussels-Capital]"] == (0, 1)


def _selection(by_type: pd.DataFrame, outputs: dict) -> redesign.Choice:
    """The case selection as its ladder publishes it beside ``outputs`` (``by_type``: rows named by type)."""
    names = dict(enumerate(by_type.index, start=1))
    ladder = ladders.selection_ladder(by_type.set_axis(list(names)), names)
    return redesign.protect_together([ladder], outputs, cases_linked.model)["cases.typology.selection"]


def test_the_protected_case_selection_passes_the_linked_audit():
    by_type, outputs = _planted()
    choice = _selection(by_type, outputs)
    selection = choice.shown()
    assert choice.level.name == "by type" and choice.reason == "cases.typology.note" and choice.findings
    assert list(selection.columns) == ["Survey type", "Cases"]
    assert list(selection["Cases"]) == [MARK, 9, MARK, 18]  # gamma has 3 cases; alpha hides with it
    assert linked.audit(cases_linked.model({**outputs, "cases.typology.selection": selection})) == []


def test_with_a_larger_small_region_the_case_selection_keeps_its_regions(monkeypatch):
    monkeypatch.setitem(SURVEY_TYPES, "BR", {1: 9, 2: 12, 3: 9})
    monkeypatch.setitem(REGIONS, "BR", 30)
    by_type, outputs = _planted()
    choice = _selection(by_type, outputs)
    assert choice.level.name == "by type and region" and choice.reason == "" and not choice.findings
    selection = choice.shown()
    assert "Brussels-Capital" in selection.columns
    assert linked.audit(cases_linked.model({**outputs, "cases.typology.selection": selection})) == []


# -- No unit-level rows ---------------------------------------------------------------------------------------

UNIT_ID = re.compile(r"(pcsw|case|interviewee|respondent|person|quote|excerpt)[ _]?id$|^id$", re.IGNORECASE)
UNIT_VALUE = re.compile(r"^(S|C|N|Q|E)\d{2,}$")  # the study files' ids: S001, C01, N004, …


def test_no_pinned_table_has_a_column_of_unit_identifiers(pinned):
    tables = {k: v for k, v in pinned.items() if isinstance(v, pd.DataFrame)}
    assert len(tables) >= 30
    for key, frame in tables.items():
        for column in frame.columns:
            values = frame[column].astype(str)
            named_as_id = bool(UNIT_ID.search(str(column)))
            ids = values.str.fullmatch(UNIT_VALUE.pattern).mean() if len(values) else 0
            assert not named_as_id, f"results/tables/{key}.csv has a unit-identifier column {column!r}"
            assert ids < 0.5, f"results/tables/{key}.csv: column {column!r} holds unit ids ({values.iloc[0]}, …)"
    assert "survey.typology.membership" not in pinned


def test_no_pinned_chart_carries_unit_identifiers(pinned):
    charts = {k: v for k, v in pinned.items() if isinstance(v, dict)}
    assert len(charts) >= 5
    for key, spec in charts.items():
        for row in linked.chart_rows(spec):
            for field, value in row.items():
                assert not UNIT_ID.search(str(field)), f"results/charts/{key}: a data row has an id field {field!r}"
                assert not UNIT_VALUE.fullmatch(str(value)), f"results/charts/{key}: {field} = {value!r}"


def test_the_unit_level_check_catches_a_membership_table():
    membership = pd.DataFrame({"pcsw_id": ["S001", "S002"], "type": ["a", "b"]})
    assert UNIT_ID.search("pcsw_id") and membership["pcsw_id"].str.fullmatch(UNIT_VALUE.pattern).all()
    assert not UNIT_ID.search("Survey type") and not UNIT_VALUE.fullmatch("Interviewee A, Wallonia")


# -- A planted quote from a region whose count is hidden ------------------------------------------------------

def _planted_newcomers():
    """90 interviewees, 30 per region; 12 report arbitrariness: 9 in Flanders, 1 in Wallonia, 2 in Brussels
    (both regional counts hidden, with a sum of 3); the only quote on it is from a Brussels interviewee."""
    from analysis.study import newcomers

    people = []
    for region, with_theme in (("FL", 9), ("WA", 1), ("BR", 2)):
        for k in range(30):
            people.append({"interviewee_id": f"{region}{k:02d}", "region": region,
                           **{t: 0 for t in newcomers.themes()}, "barrier_arbitrariness": int(k < with_theme)})
    people = pd.DataFrame(people).set_index("interviewee_id")
    coded = pd.DataFrame({"quote_id": ["Q1"], "interviewee_id": ["BR00"], "theme": ["barrier_arbitrariness"],
                          "text": ["It depends on who you get."]})
    tables = newcomers.present.prevalence_table
    published = {"newcomers.themes.by_region": tables(newcomers.prevalence_rows(people, "region"), "region", "en"),
                 "newcomers.themes.overall": tables(newcomers.prevalence_rows(people, None), None, "en")}
    return people, coded, published


def test_a_quoted_speakers_region_is_not_named_where_the_themes_count_is_hidden():
    from analysis.study import newcomers
    from analysis.study.newcomers import linked as newcomers_linked

    people, coded, published = _planted_newcomers()
    by_region = published["newcomers.themes.by_region"].set_index(["Theme", "Group"])
    assert by_region.loc[("Perceived arbitrariness", "Brussels-Capital"), "With the theme"] == MARK
    quotes = newcomers.present.quotes_table(newcomers.choose_quotes(people, coded))
    assert list(quotes["Speaker"]) == ["Interviewee A"]
    assert linked.audit(newcomers_linked.model({**published, "newcomers.quotes.table": quotes})) == []

    named = quotes.assign(Speaker="Interviewee A, Brussels-Capital")  # what the quotes table showed before
    findings = linked.audit(newcomers_linked.model({**published, "newcomers.quotes.table": named}))
    assert [(f.cell, f.low, f.high) for f in findings] == [
        ("newcomers.themes.by_region[Perceived arbitrariness, Brussels-Capital, With the theme]", 1, 3)]


@pytest.mark.parametrize("shown, named", [
    ("low", ("low",)), ("low and medium", ("low", "medium")), ("low, medium, and high", ("low", "medium", "high")),
    ("not shown (small counts)", ()), ("none", ())])
def test_the_audit_reads_the_levels_a_profile_cell_names(shown, named):
    """A profile cell names every tied level (i18n.named): the audit reads each of them back, and none from the
    words that name none, so that a tie constrains the counts as the reader can."""
    assert cases_linked._named_levels(shown, ["low", "medium", "high"]) == named


# -- A planted size band with one respondent (the shape of seeds 1 and 11) -------------------------------------

def _one_respondent_in_a_size_band():
    """120 respondents of two types; the band 25,000–49,999 has one respondent, in Flanders, and it is a case. The
    survey's table by size says so (1 PCSW in that band), capping the design matrix's hidden cell at 0..1."""
    rows = []
    plan = {"FL": {1: 14, 2: 14, 3: 1, 4: 11}, "WA": {1: 20, 2: 20, 3: 0, 4: 0}, "BR": {1: 0, 2: 0, 3: 0, 4: 40}}
    for region, bands in plan.items():
        for band, n in bands.items():
            rows += [{"pcsw_id": f"{region}{band}{k:02d}", "region": region, "size_band": band,
                      "class": 1 + k % 2, "type": ("alpha", "beta")[k % 2]} for k in range(n)]
    frame = pd.DataFrame(rows).set_index("pcsw_id")
    membership = frame[["class", "type"]].assign(certainty=0.9)
    picked = {"FL": {1: 3, 2: 3, 3: 1, 4: 1}, "WA": {1: 4, 2: 3}, "BR": {4: 5}}
    chosen = [f"{region}{band}{k:02d}" for region, bands in picked.items() for band, n in bands.items() for k in range(n)]
    codes = {"org_model": ["generalist", "specialised", "mixed"], "discretion_framing": ["rules", "professional",
                                                                                        "negotiated"]}
    cases = frame.loc[chosen].reset_index().assign(
        case_id=[f"C{i:02d}" for i in range(len(chosen))], certainty=0.9,
        **{d: [codes.get(d, [1, 2, 3])[i % 3] for i in range(len(chosen))] for d in cases_linked.DIMENSIONS})
    return cases, frame[["region", "size_band"]], membership


def test_a_size_band_with_one_respondent_makes_the_design_matrix_coarser_not_the_build_stop():
    cases_frame, respondents, membership = _one_respondent_in_a_size_band()
    plan = ladders.plan(cases_frame, respondents, membership)
    matrix = plan["cases.design.matrix"]
    assert matrix.level.name != "by region and size" and matrix.reason in ("redesign.merged_sizes", "redesign.by_region")
    assert any("25,000–49,999 inhabitants" in str(f) for f in matrix.findings), matrix.record()
    assert matrix.record().startswith(f"published {matrix.level.name}")
    names = {1: "alpha", 2: "beta"}
    published = {"cases.design.n": len(cases_frame), **ladders.survey_outputs(respondents, membership, names),
                 **{key: choice.shown() for key, choice in plan.items() if not choice.withheld}}
    assert linked.audit(cases_linked.model(published)) == []
    for lang, words in (("en", "Municipality size"), ("nl", "gemeentegrootte"), ("fr", "taille de la commune")):
        note = redesigned.note(matrix, lang)
        assert words.lower() in note.lower() and "5" in note


# -- Outputs the audit once read as contradicting each other ---------------------------------------------------

def test_a_withheld_count_in_the_prose_is_a_hidden_cell_of_the_audit_not_a_contradiction():
    """Brussels with 4 interviewees: its count is withheld (None). Read as a value it made the programme infeasible;
    it is a hidden count, which the total and the other regions pin here, so the audit says so."""
    from analysis.study.newcomers import linked as newcomers_linked

    published = {"newcomers.sample.n": 30, "newcomers.sample.fl": 13, "newcomers.sample.wa": 13,
                 "newcomers.sample.br": None}
    findings = linked.audit(newcomers_linked.model(published))
    assert [(f.cell, f.low, f.high) for f in findings] == [("newcomers.sample.br", 4, 4)]
    del published["newcomers.sample.n"]  # with the total withheld too, nothing pins it
    assert linked.audit(newcomers_linked.model(published)) == []


def test_satisfaction_groups_count_only_the_interviewees_who_answered_the_scale():
    """Items of the scale may be left blank: 10 of 30 interviewees answered none, so the groups compared add up to
    20. Read as all interviewees, these sizes contradicted the sample size (the audit found the outputs
    inconsistent); read as the scored ones, they are consistent and leave the hidden sizes open."""
    from analysis.study.newcomers import linked as newcomers_linked

    groups = pd.DataFrame({"Comparison": ["Region"] * 3 + ["Trust in the PCSW"] * 2,
                           "Group": ["Flanders", "Wallonia", "Brussels-Capital", "coded", "not coded"],
                           "Interviewees": [10, MARK, MARK, 12, 8]})
    findings = linked.audit(newcomers_linked.model({"newcomers.sample.n": 30, "newcomers.satisfaction.groups": groups}))
    assert all(f.problem != linked.INCONSISTENT for f in findings)
    assert findings == []
