"""Validated data as pandas tables. Every chapter reads its data through :func:`table`.

The whole data directory is validated once per content (a changed file is validated again); invalid
data raise :class:`~analysis.data.validate.DataError` listing every problem. Each file that is read is
recorded with a short content hash so that results can name the data they came from.
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.codebook import codebook
from analysis.data.validate import DataError, validate
from analysis.results import freshness

_reads: ContextVar[dict | None] = ContextVar("reads", default=None)


def data_dir() -> Path:
    return paths.DATA


def file_hash(path: Path, length: int = 10) -> str:
    """The package's one file hasher: the first ``length`` hex digits of the SHA-256 of a file's bytes. Ten
    digits name a data file in a result's provenance (``results/provenance.json``)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:length]


def files_hash(files, root: Path) -> str:
    """One short digest of several files (a cache key): each file's name, relative to ``root`` where it lies
    inside, with its content hash, so that adding, removing, renaming or editing a file changes it."""
    root = Path(root)
    entries = sorted(f"{path.relative_to(root) if path.is_relative_to(root) else path}\0{file_hash(path, 64)}"
                     for path in map(Path, files))
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()[:16]


def directory_hash(directory: Path) -> str:
    return files_hash((p for p in Path(directory).rglob("*") if p.is_file()), directory)


@cache
def _validated(directory: Path, content: str) -> None:
    if freshness.checked("valid-data", content, "analysis.data.validate"):  # this content passed this validator
        return
    problems = validate(directory)
    if problems:
        raise DataError(directory, problems)
    freshness.checked("valid-data", content, "analysis.data.validate", passed=True)


def ensure_valid(directory: Path | None = None) -> None:
    directory = Path(directory or data_dir())
    _validated(directory, directory_hash(directory))


def table(name: str, directory: Path | None = None) -> pd.DataFrame:
    """The resource ``name`` of the data package, validated, with integer columns as nullable integers."""
    directory = Path(directory or data_dir())
    ensure_valid(directory)
    resource = codebook(directory)[name]
    path = directory / resource.path
    dtypes = {f.name: ("Int64" if f.type == "integer" else "Float64" if f.type == "number" else "string")
              for f in resource.fields if f.type in ("integer", "number", "string")}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=list(resource.missing_values))
    for f in resource.fields:
        if f.type == "date":
            frame[f.name] = pd.to_datetime(frame[f.name])
    record_read(resource.path, path)
    return frame


def record_read(name: str, path: Path) -> None:
    """Name a file read by the result being computed (data files; also the bibliography, read outside data/)."""
    reads = _reads.get()
    if reads is not None:
        reads[name] = file_hash(path)
    freshness.note_file(path)  # the cache of the running producer (or the page) keys on the file


def record_hashes(files: dict[str, str]) -> None:
    """Name files read, with their hashes, for a result read by the result being computed (see registry.get)."""
    reads = _reads.get()
    if reads is not None:
        reads.update(files)


class recording_reads:
    """Context manager collecting ``{file: short hash}`` of every data file read inside it."""

    def __enter__(self) -> dict:
        self.files: dict[str, str] = {}
        self._token = _reads.set(self.files)
        return self.files

    def __exit__(self, *exc) -> None:
        _reads.reset(self._token)


def is_standin(directory: Path | None = None) -> bool:
    """True while any study resource is stand-in data (the manifest flag in datapackage.json)."""
    return bool(codebook(directory).standin_resources)
