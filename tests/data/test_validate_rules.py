"""Validation faults that tests/data/test_data.py does not plant: the codebook missing or incomplete, a duplicate key
(reported exactly once), text over its maximum length, a blank row; and the exact form of what is reported."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.data.validate import DataError, validate
from analysis.problems import Problem


def _set_cell(path, line_no, column, value):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[line_no - 2, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def test_a_missing_codebook_is_the_one_problem_reported(data_copy):
    (data_copy / "datapackage.json").unlink()
    assert validate(data_copy) == [Problem("datapackage.json", None, None,
                                           "file not found (expected the codebook of the data package)")]


def test_a_codebook_that_is_not_json_names_its_line(data_copy):
    (data_copy / "datapackage.json").write_text('{\n "resources": [}', encoding="utf-8")
    assert validate(data_copy) == [Problem("datapackage.json", 2, None, "not valid JSON: Expecting value at column 16 "
                                                                        "(expected a JSON data package)")]


@pytest.mark.parametrize("descriptor, missing", [
    ({}, "'resources'"),
    ({"resources": [{"name": "cases", "path": "cases.csv"}]}, "'schema'"),
])
def test_an_incomplete_codebook_names_what_is_missing(data_copy, descriptor, missing):
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert validate(data_copy) == [Problem("datapackage.json", None, None, f"not a valid data package: missing "
                                                                           f"{missing} (expected Frictionless Data Package)")]


def test_a_duplicate_key_is_reported_exactly_once(data_copy):
    first = pd.read_csv(data_copy / "cases.csv", dtype=str).case_id[0]
    _set_cell(data_copy / "cases.csv", 4, "case_id", first)
    duplicates = [p for p in validate(data_copy) if "duplicate" in p.message]
    assert len(duplicates) == 1, "\n".join(map(str, duplicates))
    assert (duplicates[0].file, duplicates[0].row, duplicates[0].column) == ("cases.csv", 4, "case_id")
    assert duplicates[0].message.startswith(f"duplicate key {first!r} (expected each key once")


def test_text_over_its_maximum_length_is_named_and_the_maximum_itself_is_allowed(data_copy):
    _set_cell(data_copy / "case_excerpts.csv", 4, "text", "a" * 401)
    _set_cell(data_copy / "case_excerpts.csv", 5, "text", "b" * 400)
    assert validate(data_copy) == [Problem("case_excerpts.csv", 4, "text",
                                           "text of 401 characters is too long (expected at most 400)")]


@pytest.mark.parametrize("blank", ["", ",,,,,,"])
def test_a_blank_row_is_named(data_copy, blank):
    lines = (data_copy / "cases.csv").read_text(encoding="utf-8").split("\n")
    lines.insert(3, blank if blank == "" else "," * lines[0].count(","))
    (data_copy / "cases.csv").write_text("\n".join(lines), encoding="utf-8")
    assert validate(data_copy) == [Problem("cases.csv", 4, None, "row is empty (expected data or no line at all)")]


def test_a_value_under_its_minimum_says_at_least(data_copy):
    _set_cell(data_copy / "newcomers.csv", 3, "years_in_belgium", "-1")
    problems = validate(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [("newcomers.csv", 3, "years_in_belgium")]
    assert problems[0].message.startswith("-1 is out of range (expected at least ")


def test_problems_are_sorted_by_file_row_and_column_and_listed_once(data_copy):
    _set_cell(data_copy / "survey.csv", 9, "region", "XX")
    _set_cell(data_copy / "survey.csv", 3, "region", "YY")
    _set_cell(data_copy / "cases.csv", 5, "org_model", "")
    problems = validate(data_copy)
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("cases.csv", 5, "org_model"), *[("survey.csv", 3, "region")] * 2, *[("survey.csv", 9, "region")] * 2]
    assert problems[1].message == "'YY' is not a code of this column (expected one of 'FL', 'WA', 'BR')"
    assert problems[2].message.startswith("'YY' not found in reference/pcsw_frame.csv (expected an existing region")
    assert problems[0].message == "value is missing (expected a value: the column is required)"


def test_checks_across_files_wait_for_files_that_are_valid_on_their_own(data_copy):
    _set_cell(data_copy / "reference" / "pcsw_frame.csv", 4, "municipalities", "2")
    assert [p.column for p in validate(data_copy)] == ["region"]  # more respondents than PCSWs
    _set_cell(data_copy / "survey.csv", 3, "size_band", "large")
    assert [(p.file, p.column) for p in validate(data_copy)] == [("survey.csv", "size_band")]


def test_a_problem_reads_file_row_column_message_with_dashes_for_what_is_unknown(data_copy):
    assert str(Problem("cases.csv", 4, "region", "m")) == "cases.csv:4:region: m"
    assert str(Problem("cases.csv", None, None, "m")) == "cases.csv:-:-: m"
    error = DataError(data_copy, [Problem("a.csv", 2, "x", "m"), Problem("b.csv", None, None, "n")])
    assert str(error) == f"2 problem(s) in the data in {data_copy}:\n  a.csv:2:x: m\n  b.csv:-:-: n"


def test_the_shipped_data_have_no_problem():
    assert validate(paths.DATA) == []


def test_a_data_directory_without_a_listed_file_reports_only_that_file(tmp_path):
    shutil.copy(paths.DATA / "datapackage.json", tmp_path / "datapackage.json")
    problems = validate(tmp_path)
    assert problems and all(p.message.startswith("file not found (expected: datapackage.json lists it)")
                            for p in problems)
    assert {p.file for p in problems} == {r["path"] for r in json.loads(
        (paths.DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]}


def test_a_byte_order_mark_is_the_only_problem_of_an_otherwise_valid_file(data_copy):
    (data_copy / "cases.csv").write_bytes(b"\xef\xbb\xbf" + (data_copy / "cases.csv").read_bytes())
    assert validate(data_copy) == [Problem("cases.csv", 1, None,
                                           "file starts with a byte-order mark (expected UTF-8 without BOM)")]


def test_cases_are_compared_with_the_survey_in_a_package_of_just_those_two_files(data_copy):
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in ("survey", "cases")]
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    region = pd.read_csv(data_copy / "cases.csv", dtype=str).region[0]
    _set_cell(data_copy / "cases.csv", 2, "region", {"FL": "WA", "WA": "BR", "BR": "FL"}[region])
    assert [(p.file, p.row, p.column) for p in validate(data_copy)] == [("cases.csv", 2, "region")]


def test_other_constraints_and_unknown_errors_are_still_described():
    from types import SimpleNamespace

    from analysis.data.validate import _describe

    other = SimpleNamespace(type="constraint-error", cell="ab", note='constraint "minLength" is "5"')
    assert _describe(other, {}) == "'ab' breaks a constraint (expected minLength 5)"
    unknown = SimpleNamespace(type="extra-cell", note="", message="Row at position 3 has an extra value")
    assert _describe(unknown, {}) == "extra-cell: Row at position 3 has an extra value"


def test_a_region_may_answer_in_full_but_not_beyond_its_frame(data_copy):
    frame = data_copy / "reference" / "pcsw_frame.csv"
    region = pd.read_csv(frame, dtype=str).region[2]
    answering = int((pd.read_csv(data_copy / "survey.csv", dtype=str).region == region).sum())
    _set_cell(frame, 4, "municipalities", str(answering))  # every PCSW of the region answered: a census
    assert validate(data_copy) == []
    _set_cell(frame, 4, "municipalities", str(answering - 1))
    assert [str(p) for p in validate(data_copy)] == [
        f"survey.csv:-:region: {answering} respondents in {region} but only {answering - 1} PCSWs in the frame "
        f"(expected at most {answering - 1})"]


def test_every_problem_is_the_package_problem_type(data_copy):
    (data_copy / "cases.csv").write_text("case_id;region\nC01;FL\n", encoding="utf-8")
    problems = validate(data_copy)
    assert problems and all(type(p) is Problem for p in problems)
    assert str(problems[0]).startswith("cases.csv:1:-: ")
