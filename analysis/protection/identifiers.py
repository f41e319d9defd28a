"""A check that data and built publications hold no direct identifiers of the people in the study.

:func:`find` looks in a text for e-mail addresses, Belgian phone numbers, Belgian national register (and BIS)
numbers and IBANs (both with their mod-97 check, so that other long numbers do not count), Belgian street
addresses, and the real names of interviewees: the values of any field the codebook flags ``"realName": true``.
:func:`scan` applies it to files: CSV/JSON/Markdown as text, HTML and EPUB pages as text, PDFs through
``pdftotext``, and reports each identifier found as an :class:`analysis.problems.Problem` with the identifier
masked, so that the report does not spread what it found. ``python -m analysis scan-identifiers [PATHS]`` runs it
on ``data/`` and every built artifact.

Regular expressions say which shapes of text are candidates; libraries say whether a candidate is a number of
its kind: python-stdnum for the national register and BIS numbers and for the IBAN, phonenumbers for reading a
phone number's prefixes (+32, 0032, the trunk zero, "(0)").
"""

from __future__ import annotations

import csv
import html
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from stdnum import iban
from stdnum.be import bis, nn

from analysis import paths
from analysis.problems import Problem

TEXT_SUFFIXES = {".csv", ".json", ".md", ".txt", ".yml", ".yaml", ".bib", ".tex"}
PAGE_SUFFIXES = {".html", ".xhtml", ".htm"}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# +32 / 0032 / 0, then the digits in groups with single spaces, dots, slashes or hyphens between them.
PHONE = re.compile(r"(?<![\w.+/-])(?:(?:\+|00)32[ .]?(?:\(0\)[ ]?)?|0)\d(?:[ ./-]?\d){7,8}(?![\w]|[./-]\d)")
# YY.MM.DD-XXX.CC in any mix of separators, or eleven digits.
NATIONAL_NUMBER = re.compile(r"(?<![\w.,/-])\d{2}[. ]?\d{2}[. ]?\d{2}[ .-]?\d{3}[. ]?\d{2}(?![\w]|[.,/-]\d)")
IBAN = re.compile(r"(?<![A-Za-z0-9+/])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])")
_FR_STREET = r"(?:Rue|Avenue|Av\.|Boulevard|Bd|Chaussée|Place|Square|Chemin|Allée|Quai|Impasse|Clos|Drève|Rempart)"
_NL_STREET = r"[A-Z][a-zà-ÿ'-]*(?:straat|laan|lei|plein|weg|steenweg|dreef|kaai|singel|plaats|baan|markt|hof)"
STREET = re.compile(
    rf"\b(?:{_FR_STREET}(?: (?:de la|de l'|de|du|des|d'|aux|au|la|le|les))?(?: [A-Z][\w'-]+){{1,3}}"
    rf"|{_NL_STREET}),? \d{{1,4}}(?: ?[A-Za-z])?(?:(?: ?(?:bus|boîte|bte|b)\.? ?\d{{1,4}}))?\b")


@dataclass(frozen=True)
class Identifier:
    """A direct identifier found in a text: what kind it is, the text found and the line it is on."""

    line: int
    kind: str
    value: str

    @property
    def masked(self) -> str:
        keep = 2 if len(self.value) > 6 else 1
        return self.value[:keep] + re.sub(r"[A-Za-z0-9]", "*", self.value[keep:])

    def problem(self, where: str) -> Problem:
        """The identifier as a problem of the file (or page, or member) ``where``, masked."""
        return Problem(where, self.line, None, f"{self.kind}: {self.masked}")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def is_national_number(candidate: str) -> bool:
    """A Belgian national register or BIS number: its check digits and a possible birth date (stdnum).

    stdnum reads a day beyond the month's end as "day unknown"; the register never writes a day above 31, so
    such a number is refused here, as a date no register number holds.
    """
    digits = _digits(candidate)
    if len(digits) != 11 or int(digits[4:6]) > 31:
        return False
    return nn.is_valid(digits) or bis.is_valid(digits)


def is_iban(candidate: str) -> bool:
    """An IBAN: a country of the IBAN registry, its account-number structure and the mod-97 check (stdnum).

    ``check_country=False`` leaves out stdnum's national checks, which for Belgium also require the bank code to
    be in stdnum's list of banks: an account at a bank missing from that list must still be found.
    """
    return iban.is_valid(candidate, check_country=False)


def is_phone(candidate: str) -> bool:
    """A Belgian number: 8 digits after the 0 or +32 (landline), or 9 starting with 4 (mobile).

    phonenumbers reads the prefixes (+32, 0032, the trunk zero, "(0)"); the rule on the digits is ours, since
    phonenumbers' own validity follows the numbering plan's ranges in use, and a number in a range opened
    after its release would go unnoticed.
    """
    try:
        number = phonenumbers.parse(candidate, "BE")
    except phonenumbers.NumberParseException:
        return False
    national = str(number.national_number)
    return number.country_code == 32 and (len(national) == 8 or (len(national) == 9 and national.startswith("4")))


CHECKS = [("e-mail address", EMAIL, lambda s: True), ("phone number", PHONE, is_phone),
          ("national register number", NATIONAL_NUMBER, is_national_number), ("IBAN", IBAN, is_iban),
          ("street address", STREET, lambda s: True)]


def real_names(data_dir: Path | None = None) -> dict[str, list[str]]:
    """The values of every field flagged ``"realName": true`` in the codebook: {resource.field: names}."""
    data_dir = Path(data_dir or paths.DATA)
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    names = {}
    for resource in descriptor["resources"]:
        flagged = [f["name"] for f in resource["schema"]["fields"] if f.get("realName") is True]
        if not flagged:
            continue
        path = data_dir / resource["path"]
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for name in flagged:
            values = {row[name].strip() for row in rows if row.get(name, "").strip()}
            names[f"{resource['name']}.{name}"] = sorted(values)
    return names


def _line_numbers(text: str):
    """A function from an offset in ``text`` to the number of its line, counted from 1."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return lambda offset: next(i for i in range(len(line_starts), 0, -1) if line_starts[i - 1] <= offset)


def find(text: str, names: list[str] = ()) -> list[Identifier]:
    """Every direct identifier in ``text`` (``names``: real names to look for as whole words, in any case)."""
    line_of = _line_numbers(text)
    found = [Identifier(line_of(match.start()), kind, match.group())
             for kind, pattern, valid in CHECKS for match in pattern.finditer(text) if valid(match.group())]
    for name in names:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
            found.append(Identifier(line_of(match.start()), "real name", match.group()))
    return found


def _texts(path: Path):
    """(where, text) of each readable part of ``path``."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield str(path), path.read_text(encoding="utf-8", errors="replace")
    elif suffix in PAGE_SUFFIXES:
        yield str(path), html.unescape(path.read_text(encoding="utf-8", errors="replace"))
    elif suffix == ".epub":
        with zipfile.ZipFile(path) as book:
            for member in book.namelist():
                if Path(member).suffix.lower() in PAGE_SUFFIXES | {".ncx", ".opf", ".svg"}:
                    yield f"{path}!{member}", html.unescape(book.read(member).decode("utf-8", errors="replace"))
    elif suffix == ".pdf":
        yield str(path), pdf_text(path)


def pdf_text(path: Path) -> str:
    try:
        completed = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    except FileNotFoundError:
        raise SystemExit("pdftotext is missing: install poppler-utils (make tex)") from None
    return completed.stdout.decode("utf-8", errors="replace")


def files(targets) -> list[Path]:
    found = []
    for target in map(Path, targets):
        if not target.exists():
            raise FileNotFoundError(f"{target}: no such file or directory to scan")
        candidates = sorted(target.rglob("*")) if target.is_dir() else [target]
        found += [p for p in candidates if p.is_file()
                  and p.suffix.lower() in TEXT_SUFFIXES | PAGE_SUFFIXES | {".epub", ".pdf"}]
    return found


def default_targets() -> list[Path]:
    """data/ and every built artifact: each edition's HTML pages, and the published PDFs and EPUBs."""
    built = sorted(paths.BUILD.glob("*/_build/html")) + sorted((paths.BUILD / "publish").glob("*.pdf")) \
        + sorted((paths.BUILD / "publish").glob("*.epub"))
    return [paths.DATA, *built]


def scan(targets=None, data_dir: Path | None = None) -> list[Problem]:
    """Every direct identifier in ``targets`` (default: data/ and every built artifact), masked.

    Real names come from the codebook of ``data_dir``; a flagged field holding names in the scanned data is
    itself reported, since the data must not carry them.
    """
    data_dir = Path(data_dir or paths.DATA)
    names = real_names(data_dir)
    every_name = sorted({n for values in names.values() for n in values}, key=len, reverse=True)
    problems = [Problem(str(data_dir / "datapackage.json"), None, field, "real-name field with values")
                for field, values in names.items() if values]
    for path in files(targets if targets else default_targets()):
        for where, text in _texts(path):
            problems += [identifier.problem(where) for identifier in find(text, every_name)]
    return problems
