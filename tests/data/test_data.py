"""The data package: the shipped data are valid, and each kind of fault gets a precise message."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from analysis import paths
from analysis.data import codebook, load
from analysis.data.simulate import simulate
from analysis.data.validate import DataError, validate


def test_shipped_data_are_valid():
    assert validate(paths.DATA) == []


def test_validate_command_exits_0_on_valid_data():
    run = subprocess.run([sys.executable, "-m", "analysis", "validate"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "valid" in run.stdout and "stand-in data" in run.stdout


def _edit_line(path, line_no, old, new):
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1], f"{old!r} not in line {line_no} of {path.name}"
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def _set_cell(path, line_no, column, value):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[line_no - 2, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


def _descriptor(data):
    return json.loads((data / "datapackage.json").read_text())


def _save_descriptor(data, descriptor):
    (data / "datapackage.json").write_text(json.dumps(descriptor))


FIRST_NON_ASCII_GLOSSARY_LINE = next(i for i, line in enumerate(
    (paths.DATA / "reference" / "glossary.csv").read_text(encoding="utf-8").splitlines(), start=1) if not line.isascii())

# Each fault: how to break a copy of data/, and (file, row, column, words the message must hold).
FAULTS = {
    "unknown code": (lambda d: _set_cell(d / "survey.csv", 5, "region", "XX"),
                     ("survey.csv", 5, "region", "not a code")),
    "wrong type": (lambda d: _set_cell(d / "survey.csv", 7, "size_band", "large"),
                   ("survey.csv", 7, "size_band", "not of type integer")),
    "out of range": (lambda d: _set_cell(d / "newcomers.csv", 3, "years_in_belgium", "7"),
                     ("newcomers.csv", 3, "years_in_belgium", "out of range")),
    "Likert out of range": (lambda d: _set_cell(d / "newcomers.csv", 4, "sat_respect", "6"),
                            ("newcomers.csv", 4, "sat_respect", "not a code")),
    "missing required value": (lambda d: _set_cell(d / "cases.csv", 4, "org_model", ""),
                               ("cases.csv", 4, "org_model", "missing")),
    "identifier form": (lambda d: _set_cell(d / "survey.csv", 2, "pcsw_id", "PCSW-1"),
                        ("survey.csv", 2, "pcsw_id", "form")),
    "duplicate key": (lambda d: _set_cell(d / "newcomers.csv", 3, "interviewee_id",
                                          pd.read_csv(d / "newcomers.csv").interviewee_id[0]),
                      ("newcomers.csv", 3, "interviewee_id", "duplicate")),
    "dangling key": (lambda d: _set_cell(d / "newcomer_quotes.csv", 2, "interviewee_id", "N999"),
                     ("newcomer_quotes.csv", 2, "interviewee_id", "not found in newcomers.csv")),
    "dangling case key": (lambda d: _set_cell(d / "case_excerpts.csv", 6, "case_id", "C99"),
                          ("case_excerpts.csv", 6, "case_id", "not found in cases.csv")),
    "missing column": (lambda d: pd.read_csv(d / "cases.csv").drop(columns="network").to_csv(d / "cases.csv", index=False),
                       ("cases.csv", 1, "network", "missing")),
    "extra column": (lambda d: pd.read_csv(d / "cases.csv").assign(notes="x").to_csv(d / "cases.csv", index=False),
                     ("cases.csv", 1, "notes", "not in the codebook")),
    "duplicate column": (lambda d: _edit_line(d / "cases.csv", 1, "network", "region"),
                         ("cases.csv", 1, "region", "appears 2 times")),
    "columns reordered": (lambda d: pd.read_csv(d / "cases.csv").iloc[:, ::-1].to_csv(d / "cases.csv", index=False),
                          ("cases.csv", 1, None, "another order")),
    "empty file": (lambda d: (d / "cases.csv").write_text(""),
                   ("cases.csv", None, None, "empty")),
    "header only": (lambda d: (d / "newcomer_quotes.csv").write_text("quote_id,interviewee_id,theme,text\n"),
                    ("newcomer_quotes.csv", None, None, "no data rows")),
    "missing file": (lambda d: (d / "newcomers.csv").unlink(),
                     ("newcomers.csv", None, None, "not found")),
    "semicolon delimiter": (lambda d: pd.read_csv(d / "reference" / "asylum.csv").to_csv(
                                d / "reference" / "asylum.csv", sep=";", index=False),
                            ("reference/asylum.csv", 1, None, "';'")),
    "decimal comma (Belgian export)": (lambda d: (d / "reference" / "pcsw_frame.csv").write_text(
                                           "region;municipalities;valid_from;valid_until;source\n"
                                           "FL;300,5;2019-01-01;2024-12-31;x\nWA;262;2019-01-01;2024-12-31;x\n"
                                           "BR;19;2019-01-01;2024-12-31;x\n"),
                                       ("reference/pcsw_frame.csv", 2, "municipalities", "decimal comma")),
    "decimal comma in a quoted cell": (lambda d: _set_cell(d / "reference" / "integration_income.csv", 3,
                                                           "beneficiaries", "127,5"),
                                       ("reference/integration_income.csv", 3, "beneficiaries", "decimal comma")),
    "byte-order mark": (lambda d: (d / "cases.csv").write_bytes(b"\xef\xbb\xbf" + (d / "cases.csv").read_bytes()),
                        ("cases.csv", 1, None, "byte-order mark")),
    "Windows-1252 encoding": (lambda d: (d / "reference" / "glossary.csv").write_bytes(
                                  (d / "reference" / "glossary.csv").read_text().encode("cp1252")),
                              ("reference/glossary.csv", FIRST_NON_ASCII_GLOSSARY_LINE, None, "not UTF-8")),
    "ragged row": (lambda d: _edit_line(d / "cases.csv", 3, ",rules", ",rules,extra"),
                   ("cases.csv", 3, None, "cells")),
    "case region differs from its survey answers": (lambda d: _set_cell(d / "cases.csv", 2, "region",
                                                    {"FL": "WA", "WA": "BR", "BR": "FL"}[pd.read_csv(d / "cases.csv").region[0]]),
                                                    ("cases.csv", 2, "region", "differs from survey.csv")),
    "more respondents than PCSWs": (lambda d: _set_cell(d / "reference" / "pcsw_frame.csv", 4, "municipalities", "2"),
                                    ("survey.csv", None, "region", "only 2 PCSWs")),
    "invalid JSON codebook": (lambda d: (d / "datapackage.json").write_text('{"resources": [}'),
                              ("datapackage.json", 1, None, "not valid JSON")),
    "stand-in flag not boolean": (lambda d: _save_descriptor(d, {**_descriptor(d), "resources": [
                                      {**r, "standin": "yes"} if r["name"] == "cases" else r
                                      for r in _descriptor(d)["resources"]]}),
                                  ("datapackage.json", None, "cases.standin", "true or false")),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_is_named_precisely(data_copy, fault):
    breaks, (file, row, column, words) = FAULTS[fault]
    breaks(data_copy)
    problems = validate(data_copy)
    assert problems, f"{fault}: no problem reported"
    matching = [p for p in problems if p.file == file and p.row == row and p.column == column and words in p.message]
    assert matching, f"{fault}: expected {file}:{row}:{column} '{words}', got:\n" + "\n".join(map(str, problems))
    assert "expected" in matching[0].message, matching[0]


def test_there_are_at_least_twenty_kinds_of_fault():
    assert len(FAULTS) >= 20


def test_validate_command_lists_problems_without_traceback(data_copy):
    FAULTS["unknown code"][0](data_copy)
    FAULTS["dangling key"][0](data_copy)
    run = subprocess.run([sys.executable, "-m", "analysis", "validate", str(data_copy)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "survey.csv:5:region:" in run.stderr and "newcomer_quotes.csv:2:interviewee_id:" in run.stderr
    # reported through the package's one reporting path (analysis.problems.report): the problems, then their count
    lines = run.stderr.strip().splitlines()
    assert lines[-1] == f"data in {data_copy}: {len(lines) - 1} problem(s)"
    assert all(re.match(r"^[^:]+:(\d+|-):[^:]+: ", line) for line in lines[:-1]), lines


def test_the_generator_starts_from_the_one_seed_of_the_package():
    import ast
    import inspect

    import analysis

    assert inspect.signature(simulate).parameters["seed"].default == analysis.SEED
    # one seed, declared once: no other module of the package assigns a number to a name ending in SEED
    declared = [f"{path.relative_to(paths.ROOT)}: {target.id}" for path in sorted(paths.ANALYSIS.rglob("*.py"))
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int)
                for target in node.targets if isinstance(target, ast.Name) and target.id.endswith("SEED")]
    assert declared == ["analysis/__init__.py: SEED"]


def test_loader_refuses_invalid_data_with_every_problem(data_copy):
    FAULTS["wrong type"][0](data_copy)
    FAULTS["out of range"][0](data_copy)
    with pytest.raises(DataError) as raised:
        load.table("survey", data_copy)
    text = str(raised.value)
    assert "survey.csv:7:size_band:" in text and "newcomers.csv:3:years_in_belgium:" in text


def test_loader_types_follow_the_codebook():
    survey = load.table("survey")
    assert str(survey["org_interpreters"].dtype) == "Int64"
    assert survey["pcsw_id"].is_unique
    assert set(survey["region"]) <= set(codebook.codebook()["survey"].field("region").codes)


def test_generator_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for target in (first, second):
        target.mkdir()
        (target / "reference").mkdir()
        (target / "datapackage.json").write_bytes(paths.DATAPACKAGE.read_bytes())
        for f in (paths.DATA / "reference").iterdir():
            (target / "reference" / f.name).write_bytes(f.read_bytes())
        simulate(target, target / "truth")
    for f in sorted(first.rglob("*.csv")):
        assert f.read_bytes() == (second / f.relative_to(first)).read_bytes(), f.name
    # and the shipped stand-in files are exactly what the default seed writes
    for name in ("survey.csv", "cases.csv", "case_excerpts.csv", "newcomers.csv", "newcomer_quotes.csv"):
        assert (first / name).read_bytes() == (paths.DATA / name).read_bytes(), f"data/{name} is not the seeded output"
    assert (first / "truth" / "survey_types.csv").read_bytes() == (paths.PLANTED_TRUTH / "survey_types.csv").read_bytes()


def test_another_seed_gives_other_data(tmp_path):
    target = tmp_path / "d"
    target.mkdir()
    (target / "reference").mkdir()
    (target / "datapackage.json").write_bytes(paths.DATAPACKAGE.read_bytes())
    for f in (paths.DATA / "reference").iterdir():
        (target / "reference" / f.name).write_bytes(f.read_bytes())
    simulate(target, None, seed=1)
    assert (target / "survey.csv").read_bytes() != (paths.DATA / "survey.csv").read_bytes()
    assert validate(target) == []


def test_standin_text_is_marked_as_placeholder():
    for name in ("case_excerpts", "newcomer_quotes"):
        texts = load.table(name)["text"]
        assert texts.str.startswith("[Stand-in").all(), name


def test_planted_structure_is_in_the_data():
    survey = load.table("survey").set_index("pcsw_id")
    types = pd.read_csv(paths.PLANTED_TRUTH / "survey_types.csv").set_index("pcsw_id")["planted_type"]
    shares = pd.crosstab(survey["region"], types.loc[survey.index].to_numpy(), normalize="index")
    assert shares.loc["FL", 2] > shares.loc["WA", 2]  # conditional activation is planted in Flanders
    assert shares.loc["BR", 1] > shares.loc["WA", 1]  # specialised services in Brussels
    newcomers = load.table("newcomers")
    language = newcomers.groupby("region")["barrier_language"].mean()
    assert language["FL"] > language["WA"]


def test_every_category_has_dutch_and_french_labels():
    for resource in codebook.codebook().resources.values():
        for field in resource.fields:
            assert field.title("nl") != field.title("en") or field.name in ("gender", "code", "source"), field.name
            for category in field.categories:
                assert category.get("label_nl") and category.get("label_fr"), (resource.name, field.name, category)
