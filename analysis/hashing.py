"""The package's one file hasher, below every other module (it imports none of the package).

A file is named by the SHA-256 of its bytes: ten hex digits name a data file in a result's provenance
(``results/provenance.json``), sixteen key the caches (:func:`analysis.codekeys.file_digest`), all 64 go into
:func:`files_hash`. Every byte of a data file is data, so nothing is left out.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_hash(path: Path, length: int = 10) -> str:
    """The first ``length`` hex digits of the SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:length]


def files_hash(files, root: Path) -> str:
    """One short digest of several files (a cache key): each file's name, relative to ``root`` where it lies
    inside, with its content hash, so that adding, removing, renaming or editing a file changes it, and the same
    files in another folder do not."""
    root = Path(root)
    entries = sorted(f"{path.relative_to(root) if path.is_relative_to(root) else path}\0{file_hash(path, 64)}"
                     for path in map(Path, files))
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()[:16]


def directory_hash(directory: Path) -> str:
    """:func:`files_hash` of every file under ``directory``: its content, wherever the folder lies."""
    return files_hash((p for p in Path(directory).rglob("*") if p.is_file()), directory)
