"""The rules of each identifier check, at their edges: what a wrong bound or check digit would let through.

Check digits of a national register number (YYMMDD-SSS-CC) are 97 − (the first nine digits mod 97); for people
born from 2000 on, 97 − (2 followed by the nine digits, mod 97). Each number below was computed by that rule:
e.g. 851231123 mod 97 = 57, so 97 − 57 = 40; 2050614123 mod 97 = 76, so 97 − 76 = 21.
"""

from __future__ import annotations

import subprocess
import zipfile

import pytest

from analysis.protection import identifiers
from analysis.protection.identifiers import is_iban, is_national_number, is_phone


@pytest.mark.parametrize("number, born", [
    ("85.12.31-123.40", "31 December 1985: the last month and the last day"),
    ("85.12.15-123.35", "in December"),
    ("85.01.31-123.60", "on the 31st"),
    ("05.06.14-123.21", "from 2000 on: check digits of 2 followed by the nine digits"),
    ("05.06.14-123.89", "in 1905: the same nine digits with the check digits of before 2000"),
    ("00.12.31-002.54", "on 31 December 2000"),
    ("85.12.00-123.97", "day unknown (00); nine digits divisible by 97 give check digits 97"),
    ("85.20.14-123.24", "BIS number, sex unknown: month + 20"),
    ("85.32.14-123.11", "BIS number, sex unknown, December"),
    ("85.40.14-123.67", "BIS number, sex known: month + 40"),
    ("85.52.14-123.54", "BIS number, sex known, December"),
])
def test_national_numbers_of_every_birth_date_are_recognised(number, born):
    assert is_national_number(number), born
    assert [f.kind for f in identifiers.find(f"NN {number} noted")] == ["national register number"], born


@pytest.mark.parametrize("number, why", [
    ("85.12.31-123.41", "check digits one too high"),
    ("85.12.31-123.39", "check digits one too low"),
    ("05.06.14-123.22", "born from 2000 on, check digits one off"),
    ("85.12.32-123.10", "day 32 (check digits valid)"),
    ("85.13.14-123.72", "month 13 (check digits valid)"),
    ("85.19.00-123.49", "month 19, between the national and the BIS ranges (check digits valid)"),
    ("85.33.14-123.18", "month 33, above the first BIS range (check digits valid)"),
    ("85.39.14-123.60", "month 39, below the second BIS range (check digits valid)"),
    ("85.53.14-123.61", "month 53, above the second BIS range (check digits valid)"),
    ("99.01.01-123.22", "check digits of a birth in 2099, which has not come (stdnum's rule)"),
    ("8512311234", "one digit short (10)"),
    ("851231123400", "one digit too many (12)"),
])
def test_impossible_national_numbers_are_refused(number, why):
    assert is_national_number(number) is False, why
    if "check digits valid" in why and "2099" not in why:  # refused for its date alone: the check digits follow the official rule
        digits = "".join(ch for ch in number if ch.isdigit())
        assert int(digits[9:]) == 97 - int(digits[:9]) % 97, f"{number}: the test's check digits are wrong"


def _iban(country: str, bban: str) -> str:
    """An IBAN with valid check digits (ISO 13616: 98 − (BBAN, country, 00 as digits) mod 97)."""
    digits = int("".join(str(int(ch, 36)) for ch in bban + country + "00"))
    return f"{country}{98 - digits % 97:02d}{bban}"


def test_iban_structure_of_each_country_of_the_registry():
    assert _iban("BE", "539007547034") == "BE68539007547034"  # the registry's Belgian specimen
    assert is_iban(_iban("BE", "539007547034"))  # its bank is not in stdnum's list of Belgian banks: still found
    assert is_iban(_iban("NO", "86011117947"))  # 15 characters, the shortest IBAN
    assert is_iban(_iban("NO", "8601111794")) is False  # a Norwegian one digit short, with a valid check
    assert is_iban(_iban("BE", "5390075470341")) is False  # a Belgian one digit long, with a valid check
    assert is_iban(_iban("RU", "04452522540817810538091310419"))  # 33 characters, the longest in the registry
    assert is_iban(_iban("XX", "1" * 30)) is False  # no such country, however good its check
    assert is_iban(_iban("BE", "539007547034").replace("BE68", "BE68 "))
    assert not is_iban("BE69539007547034")


@pytest.mark.parametrize("number, expected", [
    ("02 123 45 67", True),  # landline: 8 digits after the 0
    ("0470 12 34 56", True),  # mobile: 9 digits starting with 4
    ("0570 12 34 56", False),  # 9 digits not starting with 4
    ("02 123 45 6", False),  # 7 digits
    ("+32 2 123 45 67", True),
    ("+32 470 12 34 56", True),
    ("+32 2 123 45 6", False),
    ("0032 2 123 45 67", True),
    ("0032 470 12 34 56", True),
    ("0032 2 123 45 6", False),
    ("+32 (0)2 123 45 67", True),  # the trunk zero in brackets is not a digit of the number
    ("+32 (0)2 123 45 6", False),
    ("+32 02 123 45 67", True),  # the trunk zero written after the country code, as people often do
    ("0032 0470 12 34 56", True),
    ("+32 0361 48 11", False),  # after the trunk zero, one digit short
    ("007049996", False),  # 00 dials abroad: not a Belgian number
])
def test_phone_numbers_count_the_digits_after_the_prefix(number, expected):
    assert is_phone(number) is expected


def test_findings_report_the_line_they_are_on_and_mask_what_they_found():
    text = "first line\nsecond line\nthird: mail amina.haddad@example.org\nfourth: BE68 5390 0754 7034\n"
    found = identifiers.find(text)
    assert [(f.line, f.kind) for f in found] == [(3, "e-mail address"), (4, "IBAN")]
    assert str(found[0].problem("notes.md")) == "notes.md:3:-: e-mail address: am***.******@*******.***"
    long_name = identifiers.Identifier(1, "real name", "Haddad1")  # 7 characters: the first two kept
    assert long_name.masked == "Ha*****"
    short_name = identifiers.Identifier(1, "real name", "Amina1")  # 6 characters: one kept
    assert short_name.masked == "A*****"


def test_real_names_are_found_as_whole_words_in_any_case():
    found = identifiers.find("Met AMINA today; Aminata is someone else.\nthen amina again", names=["Amina"])
    assert [(f.line, f.value) for f in found] == [(1, "AMINA"), (2, "amina")]


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` in Helvetica (hand-written objects and cross-reference table)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_is_scanned_through_its_text(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_minimal_pdf("Contact amina.haddad@example.org or BE68 5390 0754 7034"))
    assert "amina.haddad@example.org" in identifiers.pdf_text(pdf)
    found = identifiers.scan([tmp_path])
    assert sorted(p.message.split(":")[0] for p in found) == ["IBAN", "e-mail address"]
    assert {p.file for p in found} == {str(pdf)}


def test_missing_pdftotext_is_a_clear_error(tmp_path, monkeypatch):
    def missing(*args, **kwargs):
        raise FileNotFoundError("pdftotext")

    monkeypatch.setattr(subprocess, "run", missing)
    with pytest.raises(SystemExit, match="poppler-utils"):
        identifiers.pdf_text(tmp_path / "x.pdf")


def test_only_known_file_types_are_scanned_and_a_missing_target_is_named(tmp_path):
    for name in ("a.csv", "b.md", "c.html", "d.png", "e.py", "sub/f.json"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in identifiers.files([tmp_path])] == [
        "a.csv", "b.md", "c.html", "sub/f.json"]
    assert identifiers.files([tmp_path / "a.csv"]) == [tmp_path / "a.csv"]
    with pytest.raises(FileNotFoundError, match="nowhere"):
        identifiers.files([tmp_path / "nowhere"])


def test_html_pages_are_read_with_their_entities_decoded(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>amina.haddad&#64;example.org</p>", encoding="utf-8")
    assert [p.message.split(":")[0] for p in identifiers.scan([page])] == ["e-mail address"]


def test_the_default_targets_are_the_data_and_every_built_edition(tmp_path, monkeypatch):
    from analysis import paths

    for folder in ("book/_build/html", "report/_build/html", "publish"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("bbox-book.pdf", "bbox-book.epub", "bbox-book.docx"):
        (tmp_path / "publish" / name).write_text("x", encoding="utf-8")
    monkeypatch.setattr(paths, "BUILD", tmp_path)
    assert identifiers.default_targets() == [
        paths.DATA, tmp_path / "book/_build/html", tmp_path / "report/_build/html",
        tmp_path / "publish/bbox-book.pdf", tmp_path / "publish/bbox-book.epub"]


def test_line_numbers_hold_at_the_start_and_end_of_every_line_and_after_blank_lines():
    """An identifier at offset 0, one right after a line break, one after blank lines and one on a last line
    without a line break: each on its own line number, counted from 1."""
    text = ("amina.haddad@example.org opens the file\n"
            "BE68 5390 0754 7034\n"
            "\n\n"
            "ends with amina.haddad@example.org\n"
            "last line: BE68 5390 0754 7034")
    assert [(f.line, f.kind) for f in identifiers.find(text)] == [
        (1, "e-mail address"), (5, "e-mail address"), (2, "IBAN"), (6, "IBAN")]


def test_a_scanned_file_reports_each_finding_on_its_line(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nnothing here\nmail amina.haddad@example.org\n", encoding="utf-8")
    assert [(p.file, p.row, p.message.split(":")[0]) for p in identifiers.scan([notes])] == [
        (str(notes), 4, "e-mail address")]


def _epub(path, members: dict[str, str]):
    with zipfile.ZipFile(path, "w") as book:
        for name, text in members.items():
            book.writestr(name, text)
    return path


def test_an_epub_is_scanned_through_its_pages_navigation_package_and_drawings_only(tmp_path):
    """Pages (XHTML, entities decoded), the navigation (NCX), the package file (OPF) and SVG drawings are what a
    reader is shown of an EPUB: each is scanned, and each finding names its member and its line in it. Style
    sheets, fonts, images and the container are not text shown (their bytes could look like anything)."""
    mail, account = "amina.haddad@example.org", "BE68 5390 0754 7034"
    book = _epub(tmp_path / "bbox-x.epub", {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": f"<container>{mail}</container>",
        "EPUB/content.opf": f"<package>\n<dc:publisher>{mail}</dc:publisher>\n</package>",
        "EPUB/toc.ncx": f"<ncx>\n\n<text>{account}</text></ncx>",
        "EPUB/nav.xhtml": "<nav>\n<ol><li>Contents</li></ol></nav>",
        "EPUB/text/chapter.XHTML": f"<html>\n<body>\n<p>write to amina.haddad&#64;example.org</p>\n</body></html>",
        "EPUB/chart.svg": f"<svg>\n<desc>{account}</desc></svg>",
        "EPUB/style.css": f"/* {mail} */",
        "EPUB/notes.txt": f"{mail}",
        "EPUB/font.woff2": f"{account}",
        "EPUB/image.png": f"{mail}",
    })
    found = sorted((p.file, p.row, p.message.split(":")[0]) for p in identifiers.scan([book]))
    assert found == [(f"{book}!EPUB/chart.svg", 2, "IBAN"), (f"{book}!EPUB/content.opf", 2, "e-mail address"),
                     (f"{book}!EPUB/text/chapter.XHTML", 3, "e-mail address"), (f"{book}!EPUB/toc.ncx", 3, "IBAN")]
