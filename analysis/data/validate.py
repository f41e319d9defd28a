"""Validation of a data directory against its codebook, with one readable line per problem.

Cell-level checks (types, constraints, codes, primary and foreign keys) are done by the Frictionless
Data validator on the Table Schema of ``datapackage.json``. Before that, each file is checked for what
spreadsheets exported in Belgium typically get wrong (encoding, byte-order mark, ``;`` delimiter, decimal
comma) and its header is compared with the codebook; after it, values that must agree across files
are compared. Every problem names the file, the line in that file (the header is line 1) and the column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

from analysis.data import codebook as codebook_module
from analysis.problems import Problem

DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


class DataError(Exception):
    """Raised when data do not match the codebook; ``problems`` lists every problem found."""

    def __init__(self, data_dir: Path, problems: list[Problem]):
        self.data_dir = data_dir
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the data in {data_dir}:\n{lines}")


def validate(data_dir: Path) -> list[Problem]:
    """Every problem in ``data_dir`` (empty when the data are valid)."""
    data_dir = Path(data_dir)
    descriptor_path = data_dir / "datapackage.json"
    if not descriptor_path.is_file():
        return [Problem("datapackage.json", None, None, "file not found (expected the codebook of the data package)")]
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        book = codebook_module.parse(descriptor)
    except json.JSONDecodeError as e:
        return [Problem("datapackage.json", e.lineno, None, f"not valid JSON: {e.msg} at column {e.colno} (expected a JSON data package)")]
    except (KeyError, TypeError) as e:
        return [Problem("datapackage.json", None, None, f"not a valid data package: missing {e} (expected Frictionless Data Package)")]

    problems: list[Problem] = []
    readable = []
    for name, resource in book.resources.items():
        if not isinstance(descriptor["resources"][list(book.resources).index(name)].get("standin", False), bool):
            problems.append(Problem("datapackage.json", None, f"{name}.standin", "stand-in flag is not a boolean (expected true or false)"))
        found = _check_file(data_dir, resource)
        problems += found
        if not found:
            readable.append(name)
    problems += _check_cells(data_dir, descriptor, readable)
    if not problems:
        problems += _check_across_files(data_dir, book)
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def _check_file(data_dir: Path, resource) -> list[Problem]:
    path = data_dir / resource.path
    name = resource.path
    if not path.is_file():
        return [Problem(name, None, None, "file not found (expected: datapackage.json lists it)")]
    problems, text = _read_text(path, name)
    if text is None:
        return problems
    header_line = text.splitlines()[0]
    if ";" in header_line and "," not in header_line:
        return problems + _semicolon_problems(text, resource)
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) == 1:
        problems.append(Problem(name, None, None, "file has a header but no data rows (expected at least one row)"))
    problems += _header_problems(rows[0], resource.field_names, name, problems)
    for line_no, row in enumerate(rows[1:], start=2):
        if row and len(row) != len(rows[0]):
            problems.append(Problem(name, line_no, None, f"row has {len(row)} cells (expected {len(rows[0])}); "
                                                         "a decimal comma or an unquoted comma splits a cell"))
    return problems


def _read_text(path: Path, name: str) -> tuple[list[Problem], str | None]:
    """The file as text (None when it is empty or not UTF-8), and what is wrong with its bytes."""
    raw = path.read_bytes()
    if not raw.strip():
        return [Problem(name, None, None, "file is empty (expected a header line and data rows)")], None
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(name, 1, None, "file starts with a byte-order mark (expected UTF-8 without BOM)"))
        raw = raw[3:]
    try:
        return problems, raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return problems + [Problem(name, line, None, f"byte 0x{raw[e.start]:02x} is not UTF-8 (expected UTF-8 "
                                                     "encoding; re-save the file as 'CSV UTF-8')")], None


def _semicolon_problems(text: str, resource) -> list[Problem]:
    """A file exported with ';' between columns: say so, and name every decimal comma in a numeric column."""
    name = resource.path
    problems = [Problem(name, 1, None, "columns are separated by ';' (expected ',')")]
    numeric = {f.name for f in resource.fields if f.type in ("integer", "number")}
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    for line_no, row in enumerate(rows[1:], start=2):
        for column, cell in zip(rows[0], row):
            if column in numeric and DECIMAL_COMMA.match(cell.strip()):
                problems.append(Problem(name, line_no, column, f"decimal comma in {cell!r} "
                                                               f"(expected a decimal point: {cell.replace(',', '.')})"))
    return problems


def _header_problems(header: list[str], expected: list[str], name: str, found: list[Problem]) -> list[Problem]:
    """Columns repeated, missing or unknown; else (and when nothing was ``found`` before) columns out of order."""
    problems = [Problem(name, 1, column, f"column appears {count} times (expected once)")
                for column, count in Counter(header).items() if count > 1]
    problems += [Problem(name, 1, column, "column is missing (expected by the codebook)")
                 for column in expected if column not in header]
    problems += [Problem(name, 1, column or "(empty)", f"column is not in the codebook (expected one of "
                                                       f"{', '.join(expected)})")
                 for column in header if column not in expected]
    if not problems and not found and header != expected:
        problems.append(Problem(name, 1, None, f"columns are in another order (expected {', '.join(expected)})"))
    return problems


def _with_codes_as_constraints(descriptor: dict, names: list[str]) -> dict:
    """The descriptor with each field's category codes as an ``enum`` constraint, for the readable resources."""
    descriptor = json.loads(json.dumps(descriptor))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in names]
    for resource in descriptor["resources"]:
        resource.pop("standin", None)
        for f in resource["schema"]["fields"]:
            if f.get("categories"):
                f.setdefault("constraints", {})["enum"] = [c["value"] for c in f["categories"]]
            for key in list(f):
                if key.startswith(("title_", "label_")) or key in ("block", "unit"):
                    f.pop(key)
        keys = resource["schema"].get("foreignKeys", [])
        resource["schema"]["foreignKeys"] = [k for k in keys if k["reference"]["resource"] in names]
    return descriptor


def _check_cells(data_dir: Path, descriptor: dict, names: list[str]) -> list[Problem]:
    if not names:
        return []
    import frictionless  # here, not at the top: a build whose data passed before does not need it (load.ensure_valid)

    package = frictionless.Package(_with_codes_as_constraints(descriptor, names), basepath=str(data_dir))
    report = package.validate()
    paths_by_name = {r["name"]: r["path"] for r in descriptor["resources"]}
    problems = []
    for task in report.tasks:
        file = paths_by_name.get(task.name, task.name)
        for error in task.errors:
            if error.type == "primary-key" and len(_primary_key(descriptor, task.name)) == 1:
                continue  # the single-column key is reported by the column's uniqueness check
            column = getattr(error, "field_name", None)
            if error.type == "foreign-key":
                column = ", ".join(error.field_names)
            problems.append(Problem(file, getattr(error, "row_number", None), column,
                                    _describe(error, paths_by_name)))
    return problems


def _primary_key(descriptor: dict, resource_name: str) -> list[str]:
    resource = next(r for r in descriptor["resources"] if r["name"] == resource_name)
    key = resource["schema"].get("primaryKey", [])
    return [key] if isinstance(key, str) else key


def _describe(error, paths_by_name: dict) -> str:
    cell = getattr(error, "cell", None)
    note = getattr(error, "note", "")
    if error.type == "type-error":
        if cell and DECIMAL_COMMA.match(cell):
            return f"decimal comma in {cell!r} (expected a decimal point: {cell.replace(',', '.')})"
        expected = note.split('"')[1].split("/")[0] if '"' in note else "another type"
        return f"{cell!r} is not of type {expected} (expected {expected})"
    if error.type == "constraint-error":
        if cell in (None, ""):
            return "value is missing (expected a value: the column is required)"
        if '"enum"' in note:
            codes = note.split('is "', 1)[1].rstrip('"') if 'is "' in note else ""
            return f"{cell!r} is not a code of this column (expected one of {codes.strip('[]')})"
        constraint = re.search(r'constraint "(\w+)" is "(.*)"', note)
        name, limit = constraint.groups() if constraint else ("", note)
        if name in ("minimum", "maximum"):
            return f"{cell} is out of range (expected {'at least' if name == 'minimum' else 'at most'} {limit})"
        if name == "pattern":
            return f"{cell!r} does not have the identifier's form (expected the pattern {limit})"
        if name == "maxLength":
            return f"text of {len(cell)} characters is too long (expected at most {limit})"
        return f"{cell!r} breaks a constraint (expected {name} {limit})"
    if error.type in ("primary-key", "unique-error"):
        shown = cell or ", ".join(getattr(error, "cells", []))
        return f"duplicate key {shown!r} (expected each key once; {note})"
    if error.type == "foreign-key":
        values = ", ".join(error.field_cells)
        target = paths_by_name.get(error.reference_name, error.reference_name)
        return (f"{values!r} not found in {target} (expected an existing "
                f"{', '.join(error.reference_field_names)})")
    if error.type == "blank-row":
        return "row is empty (expected data or no line at all)"
    return f"{error.type}: {note or error.message}"


def _check_across_files(data_dir: Path, book) -> list[Problem]:
    """Values that must agree between files: the case PCSWs' survey answers, and respondents vs. the frame."""
    import pandas as pd

    def read(name):
        return pd.read_csv(data_dir / book[name].path, dtype=str, keep_default_na=False)

    problems = []
    if {"cases", "survey"} <= set(book.resources):
        survey = read("survey").set_index("pcsw_id")
        for line_no, case in enumerate(read("cases").itertuples(index=False), start=2):
            if case.pcsw_id not in survey.index:
                continue
            for column in ("region", "size_band"):
                if getattr(case, column) != survey.at[case.pcsw_id, column]:
                    problems.append(Problem(book["cases"].path, line_no, column,
                                            f"{getattr(case, column)!r} differs from survey.csv for {case.pcsw_id} "
                                            f"(expected {survey.at[case.pcsw_id, column]!r})"))
    if {"survey", "pcsw_frame"} <= set(book.resources):
        frame = read("pcsw_frame").set_index("region")["municipalities"].astype(int)
        responding = read("survey")["region"].value_counts()
        for region, n in responding.items():
            if region in frame.index and n > frame[region]:
                problems.append(Problem(book["survey"].path, None, "region",
                                        f"{n} respondents in {region} but only {frame[region]} PCSWs in the frame "
                                        f"(expected at most {frame[region]})"))
    return problems
