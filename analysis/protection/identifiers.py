"""A check that data and built publications hold no direct identifiers of the people in the study.

:func:`find` looks in a text for e-mail addresses, Belgian phone numbers, Belgian national register numbers
and IBANs (both with their mod-97 check, so that other long numbers do not count), Belgian street addresses,
and the real names of interviewees: the values of any field the codebook flags ``"realName": true``.
:func:`scan` applies it to files: CSV/JSON/Markdown as text, HTML and EPUB pages as text, PDFs through
``pdftotext``. ``python -m analysis scan-identifiers [PATHS]`` runs it on ``data/`` and every built artifact.
Findings are reported with the identifier masked, so that the report does not spread what it found.
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

from analysis import paths

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
class Finding:
    where: str  # file, with the page or member inside it
    line: int
    kind: str
    value: str

    @property
    def masked(self) -> str:
        keep = 2 if len(self.value) > 6 else 1
        return self.value[:keep] + re.sub(r"[A-Za-z0-9]", "*", self.value[keep:])

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.kind}: {self.masked}"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def is_national_number(candidate: str) -> bool:
    """A Belgian national register (or BIS) number: a plausible birth date and the mod-97 check."""
    digits = _digits(candidate)
    if len(digits) != 11:
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    if not (month <= 12 or 20 <= month <= 32 or 40 <= month <= 52) or day > 31:
        return False
    base, check = int(digits[:9]), int(digits[9:])
    return check in (97 - base % 97, 97 - (2_000_000_000 + base) % 97)


def is_iban(candidate: str) -> bool:
    """An IBAN with a valid ISO 13616 check (the rearranged number is 1 modulo 97)."""
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def is_phone(candidate: str) -> bool:
    """A Belgian number: 8 digits after the 0 or +32 (landline), or 9 starting with 4 (mobile)."""
    digits = _digits(candidate)
    prefix = 2 if candidate.startswith("+32") else 4 if candidate.startswith("0032") else 1
    national = digits[prefix:]
    if "(0)" in candidate:  # +32 (0)2 …: the trunk zero written in brackets
        national = national[1:]
    return len(national) == 8 or (len(national) == 9 and national.startswith("4"))


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


def find(text: str, names: list[str] = (), where: str = "text") -> list[Finding]:
    """Every direct identifier in ``text`` (``names``: real names to look for as whole words)."""
    findings = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return next(i for i in range(len(line_starts), 0, -1) if line_starts[i - 1] <= offset)

    for kind, pattern, valid in CHECKS:
        for match in pattern.finditer(text):
            if valid(match.group()):
                findings.append(Finding(where, line_of(match.start()), kind, match.group()))
    for name in names:
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
            findings.append(Finding(where, line_of(match.start()), "real name", match.group()))
    return findings


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


def scan(targets=None, data_dir: Path | None = None) -> list[Finding]:
    """Every direct identifier in ``targets`` (default: data/ and every built artifact).

    Real names come from the codebook of ``data_dir``; a flagged field holding names in the scanned data is
    itself reported, since the data must not carry them.
    """
    data_dir = Path(data_dir or paths.DATA)
    names = real_names(data_dir)
    every_name = sorted({n for values in names.values() for n in values}, key=len, reverse=True)
    findings = [Finding(str(data_dir / "datapackage.json"), 0, "real-name field with values", field)
                for field, values in names.items() if values]
    for path in files(targets if targets else default_targets()):
        for where, text in _texts(path):
            findings += find(text, every_name, where)
    return findings
