"""Every path the project uses, in one place.

Most are fixed, relative to the repository. Two follow the environment, read when asked and never at import:
``BBOX_DATA_DIR`` points the whole pipeline at another data directory (the study's real files, or a test's
modified copy) and ``BBOX_CACHE_DIR`` moves the caches. :func:`configured` is the one place that reads them;
:func:`data_dir`, :func:`datapackage` and :func:`cache_dir` ask it, and so do the names ``paths.DATA``,
``paths.DATAPACKAGE`` and ``paths.CACHE`` (computed on each use), so a test or a subprocess that sets a variable
is followed everywhere.
"""

import os
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
CHAPTERS = ROOT / "chapters"
EDITIONS = ROOT / "editions"
BUILD = ROOT / "_build"
PLANTED_TRUTH = ROOT / "tests" / "planted"
ANALYSIS = ROOT / "analysis"
STRINGS = ANALYSIS / "i18n"  # the fixed strings of each language (en.yml, nl.yml, fr.yml), read by key
BIBLIOGRAPHY = ROOT / "references.bib"  # where Jupyter Book reads it (bibtex_bibfiles in _config.yml)

# What the environment may move: the variable, and the folder used when it is not set.
_FROM_ENVIRONMENT = {"DATA": ("BBOX_DATA_DIR", ROOT / "data"), "CACHE": ("BBOX_CACHE_DIR", BUILD / ".cache")}


def page_sources() -> list[Path]:
    """Every page source of every edition: the book's root page, the chapters, the editions' pages and their
    configuration."""
    return sorted([ROOT / "index.md", *CHAPTERS.glob("*.md"), *EDITIONS.rglob("*.md"), *EDITIONS.rglob("*.yml")])


def configured(name: str) -> Path:
    """The folder ``name`` ("DATA" or "CACHE") as the environment sets it now."""
    variable, default = _FROM_ENVIRONMENT[name]
    return _resolved(os.environ.get(variable, str(default)), os.getcwd())


@lru_cache(maxsize=64)  # asked tens of thousands of times a build; resolving walks the file system each time
def _resolved(folder: str, cwd: str) -> Path:
    return Path(cwd, folder).resolve()


def data_dir() -> Path:
    return configured("DATA")


def datapackage() -> Path:
    return data_dir() / "datapackage.json"


def cache_dir() -> Path:
    return configured("CACHE")


DATA_PLACE = "data:"  # how a place names a file of the data folder in use


def place(path: Path) -> str:
    """A file as the caches and the build records name it. A file of the data folder in use is named by where it
    lies in that folder (``data:newcomer_quotes.csv``), so that pointing ``BBOX_DATA_DIR`` at another folder reads
    the same name there, and its content decides whether anything changed; any other file by its path (relative to
    the repository when inside it)."""
    path = Path(path).resolve()
    data = data_dir()
    if path.is_relative_to(data):
        return DATA_PLACE + path.relative_to(data).as_posix()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def located(place: str) -> Path:
    """The file a :func:`place` names now (a data file: in the data folder in use)."""
    if place.startswith(DATA_PLACE):
        return data_dir() / place.removeprefix(DATA_PLACE)
    return Path(place) if Path(place).is_absolute() else ROOT / place


def __getattr__(name: str) -> Path:
    """``paths.DATA``, ``paths.DATAPACKAGE`` and ``paths.CACHE``, resolved on each use (PEP 562)."""
    if name == "DATAPACKAGE":
        return datapackage()
    if name in _FROM_ENVIRONMENT:
        return configured(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
