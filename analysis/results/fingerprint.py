"""Content fingerprints of the code and the data, the keys of every cache in the build.

Files are hashed by the data layer's one hasher (:func:`analysis.data.load.files_hash`).
"""

from __future__ import annotations

from pathlib import Path

from analysis import paths
from analysis.data import load

# Build tooling, which no chapter runs: editing it must not re-execute the chapters.
TOOLING = ("editions.py", "lint.py", "__main__.py", "sphinxext")


# Read by the short editions' pages through analysis.publication.findings: a change must re-execute them.
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
    return load.files_hash([*code_files(), *data_files(data_dir), paths.BIBLIOGRAPHY, *pinned_files()], paths.ROOT)
