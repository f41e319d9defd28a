"""Validated data as pandas tables. Every chapter reads its data through :func:`table`.

The whole data directory is validated once per content (a changed file is validated again); invalid
data raise :class:`~analysis.data.validate.DataError` listing every problem. Each file that is read is
recorded (:mod:`analysis.reads`) so that results name the data they came from and the caches key on its content.
Both the validation and the reads go by content, not by folder: the same files in another ``BBOX_DATA_DIR`` are the
same data, and a changed file is a change wherever it lies.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from analysis import codekeys, hashing, paths, reads
from analysis.data.codebook import codebook
from analysis.data.validate import DataError, validate


def data_dir() -> Path:
    return paths.DATA


@cache
def _validated(directory: Path, content: str) -> None:
    if codekeys.checked("valid-data", content, "analysis.data.validate"):  # this content passed this validator
        return
    problems = validate(directory)
    if problems:
        raise DataError(directory, problems)
    codekeys.checked("valid-data", content, "analysis.data.validate", passed=True)


def ensure_valid(directory: Path | None = None) -> None:
    directory = Path(directory or data_dir())
    _validated(directory, hashing.directory_hash(directory))


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
    reads.file(resource.path, path)
    return frame
