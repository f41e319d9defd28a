"""Content fingerprints of the code and the data, the keys of every cache in the build."""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis import paths


def files_digest(files) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(f) for f in files):
        digest.update(str(path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path).encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


# Build tooling, which no chapter runs: editing it must not re-execute the chapters.
TOOLING = ("editions.py", "lint.py", "__main__.py", "sphinxext")


# Read by the short editions' pages through analysis.findings: a change must re-execute them.
KEY_FINDINGS = paths.EDITIONS / "key_findings.yml"


def code_files() -> list[Path]:
    return [p for p in paths.ANALYSIS.rglob("*") if p.is_file() and p.suffix in (".py", ".yml", ".json")
            and "__pycache__" not in p.parts and not set(TOOLING) & set(p.relative_to(paths.ANALYSIS).parts)
            ] + [KEY_FINDINGS]


def data_files(data_dir: Path | None = None) -> list[Path]:
    return [p for p in Path(data_dir or paths.data_dir()).rglob("*") if p.is_file()]


def pinned_files() -> list[Path]:
    return [p for p in paths.RESULTS.rglob("*") if p.is_file()]


def code_and_data(data_dir: Path | None = None) -> str:
    """Changes whenever a file of the ``analysis`` package, of ``data/``, the bibliography or the pins in
    ``results/`` changes."""
    return files_digest(code_files() + data_files(data_dir) + [paths.BIBLIOGRAPHY] + pinned_files())
