"""Edits an author makes, applied to a copy of the repository: shared by the freshness tests and the benchmark."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PROSE = ("chapters/context.md", "set the scale of the question", "give the question its scale")
MOVED = "reference.asylum.peak"  # the published value that move_a_value moves (by 1,000 applicants)
MOVED_IN = "analysis/study/reference/present"  # the module move_a_value edits, as the build names it
MOVED_FROM, MOVED_TO = 'number("reference.asylum.peak", s["peak"],', 'number("reference.asylum.peak", s["peak"] + 1000,'


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer holds {old!r}: update tests/edits.py"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_prose(repo: Path) -> None:
    replace_once(repo / PROSE[0], PROSE[1], PROSE[2])


def with_docstrings_edited(source: str) -> str:
    """``source`` with a word added at the start of every docstring (module, class and function)."""
    lines = source.splitlines(keepends=True)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and ast.get_docstring(node):
            string = node.body[0].value
            line = lines[string.lineno - 1]  # docstrings start after indentation only: byte and character columns agree
            opening = re.match(r"[rRuU]?(\"\"\"|'''|\"|')", line[string.col_offset:])
            at = string.col_offset + opening.end()
            lines[string.lineno - 1] = line[:at] + "Edited. " + line[at:]
    return "".join(lines)


def edit_comments_and_docstrings(repo: Path) -> int:
    """A comment line and an edited docstring in every module of ``analysis``; how many docstrings changed."""
    changed = 0
    for module in sorted((repo / "analysis").rglob("*.py")):
        if "__pycache__" in module.parts:
            continue
        source = module.read_text(encoding="utf-8")
        edited = with_docstrings_edited(source)
        changed += edited != source
        module.write_text(edited + "\n# an author's comment\n", encoding="utf-8")
    return changed


def refactor_without_moving_values(repo: Path) -> None:
    """Rename a variable of a producer: its code changes, none of its results does."""
    module = repo / "analysis" / "study" / "reference" / "compute.py"
    text = module.read_text(encoding="utf-8")
    assert "granted = years.dropna" in text, "update tests/edits.py"
    module.write_text(text.replace("granted = years.dropna", "reported = years.dropna")
                      .replace("granted.iloc", "reported.iloc").replace("len(granted)", "len(reported)"), encoding="utf-8")


def move_a_value(repo: Path) -> str:
    """Change a producer so that one published number moves; returns its key."""
    replace_once(repo / f"{MOVED_IN}.py", MOVED_FROM, MOVED_TO)
    return MOVED


def edit_data(repo: Path) -> None:
    """One more PCSW in Flanders (300 → 301): every result computed from the frame moves."""
    replace_once(repo / "data" / "reference" / "pcsw_frame.csv", "FL,300,", "FL,301,")


INCOME = ("116,172", "116,173")  # the integration-income beneficiaries of 2015 as the book shows them, before and after


def edit_income(repo: Path) -> None:
    """One more integration-income beneficiary in 2015 (116,172 → 116,173): the pages showing that series move,
    and only they (the book's context and data chapters, the reports' findings and summary)."""
    replace_once(repo / "data" / "reference" / "integration_income.csv", "2015,116172,", "2015,116173,")


ADDED = "reference.frame.largest"  # the published number that add_a_result adds, as the README's recipe says
ADDED_TITLES = {"en": "PCSWs in the region with the most", "nl": "OCMW’s in het gewest met de meeste",
                "fr": "CPAS dans la région qui en compte le plus"}


def add_a_result(repo: Path, languages=("en", "nl", "fr")) -> str:
    """Add one published number as "Adding a result" in the README says: the result where its part makes the others,
    its title in each of ``languages``' strings; returns its key. (Pinning and gluing it are the caller's.)"""
    replace_once(repo / "analysis" / "study" / "reference" / "present.py",
                 '        *[number(f"reference.frame.{row.region.lower()}"',
                 f'        number("{ADDED}", frame["municipalities"].max(), style="count",\n'
                 f'               title=i18n.text("{ADDED}", lang)),\n'
                 '        *[number(f"reference.frame.{row.region.lower()}"')
    for lang in languages:
        strings = repo / "analysis" / "i18n" / f"{lang}.yml"
        replace_once(strings, "\nreference.frame.region:", f'\n{ADDED}: "{ADDED_TITLES[lang]}"\nreference.frame.region:')
    return ADDED
