"""Byte-reproducible artifacts: two builds of the same commit give identical EPUB and PDF files, so a release can
publish checksums (analysis/publication/sphinxext/reproducible.py; the PDF's date is Typst's timestamp)."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest

from analysis import paths
from analysis.publication import citation, editions
from analysis.publication.sphinxext import reproducible

EDITION = "brochure-en"  # the shortest edition


def _book_files(folder: Path) -> list[str]:
    (folder / "META-INF").mkdir(parents=True)
    files = {"mimetype": "application/epub+zip", "META-INF/container.xml": "<container/>", "content.opf": "<package/>",
             "toc.ncx": "<ncx/>", "index.xhtml": "<html/>", "nav.xhtml": "<nav/>"}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return ["index.xhtml", "nav.xhtml"]


def test_epub_zip_entries_carry_the_build_date_not_the_files_times(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC (an even second: zip steps)
    files = _book_files(tmp_path / "book")
    reproducible.write_epub(tmp_path / "book", tmp_path / "first.epub", files)
    for path in (tmp_path / "book").rglob("*"):
        os.utime(path, (1, 1))  # files written at another time, with other permissions
        path.chmod(0o600 if path.is_file() else 0o700)
    reproducible.write_epub(tmp_path / "book", tmp_path / "second.epub", files)
    assert (tmp_path / "first.epub").read_bytes() == (tmp_path / "second.epub").read_bytes()
    with zipfile.ZipFile(tmp_path / "first.epub") as epub:
        entries = epub.infolist()
    assert [e.filename for e in entries] == ["mimetype", "META-INF/container.xml", "content.opf", "toc.ncx",
                                             "index.xhtml", "nav.xhtml"]
    assert entries[0].compress_type == zipfile.ZIP_STORED and entries[1].compress_type == zipfile.ZIP_DEFLATED
    assert {e.date_time for e in entries} == {(2023, 11, 14, 22, 13, 20)}


def _zip_dates(epub: Path) -> set[tuple]:
    with zipfile.ZipFile(epub) as book:
        return {entry.date_time for entry in book.infolist()}


def _built_apart(folder: Path, monkeypatch) -> dict[str, Path]:
    """The edition built as EPUB and PDF into ``folder`` instead of ``_build/``, its build record kept there too: the
    run's artifacts and records stay as they are for the tests reading them meanwhile. Its pages execute anew
    there; the results come from the build's cache."""
    monkeypatch.setattr(paths, "BUILD", folder)
    monkeypatch.setattr(editions, "PUBLISH", folder / "publish")
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(folder / "shown"))
    return editions.build_formats(EDITION, ["epub", "pdf"])


@pytest.mark.build
def test_two_builds_of_the_same_commit_give_identical_files(artifacts, tmp_path, monkeypatch):
    """The EPUB and the PDF as built for this run, and built again in a folder of their own (both formats in one
    process, the pages executed anew), byte for byte."""
    date = time.gmtime(citation.source_date_epoch())[:6]
    zip_date = (*date[:5], date[5] // 2 * 2)  # a zip entry's time counts in steps of 2 s
    first = {fmt: artifacts[(EDITION, fmt)] for fmt in ("epub", "pdf")}
    if _zip_dates(first["epub"]) != {zip_date}:  # built at another commit (pytest run by hand): build this one
        with monkeypatch.context() as apart:
            first = _built_apart(tmp_path / "first", apart)
    time.sleep(2)  # every file of the second build is written at another time (zip times count in 2 s steps)
    again = _built_apart(tmp_path / "again", monkeypatch)
    for fmt, path in first.items():
        assert again[fmt] != path and again[fmt].read_bytes() == path.read_bytes(), \
            f"two builds of {EDITION} as {fmt} differ"
    assert _zip_dates(again["epub"]) == {zip_date}
