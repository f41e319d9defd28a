"""The identifier scan: it finds planted identifiers of every kind, and none in the shipped data."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from analysis import paths
from analysis.data import load
from analysis.protection import identifiers
from analysis.study import newcomers

VALID = {  # published specimen numbers (the Belgian national register's and the IBAN registry's examples)
    "e-mail address": "amina.haddad@example.org",
    "phone number": "+32 2 123 45 67",
    "national register number": "85.07.30-033.28",
    "IBAN": "BE68 5390 0754 7034",
    "street address": "Rue de la Loi 16",
}


@pytest.mark.parametrize("kind, text", [
    *VALID.items(),
    ("phone number", "0470 12 34 56"), ("phone number", "02/123.45.67"), ("phone number", "0032 470 123456"),
    ("phone number", "+32 (0)9 264 12 34"), ("national register number", "85073003328"),
    ("IBAN", "BE68539007547034"), ("street address", "Kerkstraat 12 bus 3"), ("street address", "Avenue Louise 54"),
])
def test_each_kind_is_found(kind, text):
    found = identifiers.find(f"Said in passing: {text}, then more.")
    assert [f.kind for f in found] == [kind]


@pytest.mark.parametrize("text", [
    "85.07.30-033.29",  # national register number with a wrong check
    "BE68 5390 0754 7035",  # IBAN with a wrong check
    "0.4666666666666667", "version 0.1.0", "2019-12-15", "12.345678901", "581 municipalities", "20191215",
    "S001,FL,1,0,1,0,1,1,0", "Spring 2020", "Lipsky 1980 Street-Level Bureaucracy", "p = 0.001",
    "047 12 34",  # too short for a Belgian number
])
def test_look_alikes_are_not_found(text):
    assert identifiers.find(text) == []


def test_findings_are_masked_when_reported():
    problem = identifiers.find(VALID["IBAN"])[0].problem("notes.md")
    assert VALID["IBAN"] not in str(problem) and str(problem).endswith("BE** **** **** ****")


def _kind(problem) -> str:
    """The kind of identifier a scan problem names (its message is "kind: masked value")."""
    return problem.message.split(": ", 1)[0]


def _plant(data_dir, resource: str, column: str, row: int, text: str) -> None:
    path = data_dir / f"{resource}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row][column] = f"{rows[row][column]} {text}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _add_real_name_field(data_dir, name: str) -> None:
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "newcomers")
    resource["schema"]["fields"].append({"name": "real_name", "type": "string", "title": "Real name",
                                         "realName": True})
    (data_dir / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    path = data_dir / "newcomers.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",real_name"] + [line + "," + (name if i == 4 else "") for i, line in enumerate(lines[1:])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_planted_identifiers_in_a_copy_of_the_data_are_all_found(data_copy):
    planted = [("newcomer_quotes", 3, "phone number"), ("newcomer_quotes", 10, "e-mail address"),
               ("case_excerpts", 5, "national register number"), ("case_excerpts", 9, "IBAN"),
               ("newcomer_quotes", 20, "street address")]
    for resource, row, kind in planted:
        _plant(data_copy, resource, "text", row, VALID[kind])
    _add_real_name_field(data_copy, "Amina Haddad")
    _plant(data_copy, "newcomer_quotes", "text", 30, "my neighbour amina haddad came with me")

    found = identifiers.scan([data_copy], data_dir=data_copy)
    kinds = {(p.file.rsplit("/", 1)[-1], _kind(p)) for p in found}
    for resource, _, kind in planted:
        assert (f"{resource}.csv", kind) in kinds
    assert ("newcomer_quotes.csv", "real name") in kinds  # in a quote, in any case
    assert ("newcomers.csv", "real name") in kinds  # and the data carry the name field itself
    assert any(p.message == "real-name field with values" and p.column == "newcomers.real_name" for p in found)
    lines = {(p.file.rsplit("/", 1)[-1], p.row) for p in found if _kind(p) == "phone number"}
    assert lines == {("newcomer_quotes.csv", 5)}  # header is line 1, planted row 3 is line 5


def test_the_command_fails_on_planted_identifiers_and_does_not_print_them(data_copy):
    _plant(data_copy, "newcomer_quotes", "text", 0, VALID["national register number"])
    run = subprocess.run([sys.executable, "-m", "analysis", "scan-identifiers", str(data_copy), "--data-dir",
                          str(data_copy)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "newcomer_quotes.csv:2:-: national register number: 85.**.**-***.**" in run.stderr
    assert VALID["national register number"] not in run.stderr + run.stdout


def test_the_shipped_data_hold_no_direct_identifier():
    assert identifiers.scan([paths.DATA]) == []
    run = subprocess.run([sys.executable, "-m", "analysis", "scan-identifiers", str(paths.DATA)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_quotes_that_fail_the_check_are_never_chosen(data_copy, monkeypatch):
    monkeypatch.setattr(load, "data_dir", lambda: data_copy)
    monkeypatch.setattr(paths, "DATA", data_copy)
    chosen = newcomers.quotes()[0].value
    first_quote = chosen["Quote"].iloc[0]
    quotes = load.table("newcomer_quotes")
    row = quotes.index[quotes["text"] == first_quote][0]
    _plant(data_copy, "newcomer_quotes", "text", int(row), VALID["phone number"])
    again = newcomers.quotes()[0].value
    assert first_quote not in set(again["Quote"])
    assert all(identifiers.find(text) == [] for text in again["Quote"])
    assert set(again["Theme"]) == set(chosen["Theme"])  # the theme gets another quote
