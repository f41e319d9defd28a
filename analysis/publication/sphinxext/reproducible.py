"""Byte-reproducible EPUBs: two builds of the same commit give the same file, so a release can publish checksums.

Sphinx already dates the OPF (``dcterms:modified``) by ``SOURCE_DATE_EPOCH``, which the edition builder sets to
the last commit's time (``analysis.publication.citation.source_date_epoch``). But it zips the book with
``ZipFile.write``, which stamps every entry with its file's modification time (in local time) and permissions:
two builds differ in those bytes alone. This zips the same files, in the same order (``mimetype`` first and
stored, as EPUB requires), with the build date and fixed permissions on every entry.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from sphinx.application import Sphinx

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
PERMISSIONS = 0o100644 << 16  # a regular file, rw-r--r--


def build_date() -> tuple[int, ...]:
    """The build date as a zip entry's date (UTC): ``SOURCE_DATE_EPOCH``, else the last commit's time."""
    from analysis.publication import citation

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or citation.source_date_epoch())
    return max(tuple(time.gmtime(epoch))[:6], ZIP_EPOCH)


def write_epub(outdir: Path, target: Path, files: list[str]) -> None:
    """Zip ``files`` of ``outdir`` as an EPUB into ``target``, every entry dated by :func:`build_date`."""
    date = build_date()
    names = ["mimetype", "META-INF/container.xml", "content.opf", "toc.ncx", *files]
    with ZipFile(target, "w", ZIP_DEFLATED) as epub:
        for name in dict.fromkeys(names):
            entry = ZipInfo(name, date_time=date)
            entry.compress_type = ZIP_STORED if name == "mimetype" else ZIP_DEFLATED
            entry.external_attr = PERMISSIONS
            epub.writestr(entry, (Path(outdir) / name).read_bytes())


def reproducible_zip(app: Sphinx) -> None:
    if not app.builder.name.startswith("epub"):
        return
    builder = app.builder

    def build_epub() -> None:  # replaces Sphinx's EpubBuilder.build_epub, which it calls last
        write_epub(Path(builder.outdir), Path(builder.outdir) / f"{builder.config.epub_basename}.epub", builder.files)

    builder.build_epub = build_epub


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", reproducible_zip)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
