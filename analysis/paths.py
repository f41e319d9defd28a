"""Every path the project uses, in one place.

``BBOX_DATA_DIR`` points the whole pipeline at another data directory (the study's real files, or a
test's modified copy); ``BBOX_CACHE_DIR`` moves the results cache.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("BBOX_DATA_DIR", ROOT / "data")).resolve()
DATAPACKAGE = DATA / "datapackage.json"
RESULTS = ROOT / "results"
CHAPTERS = ROOT / "chapters"
EDITIONS = ROOT / "editions"
BUILD = ROOT / "_build"
CACHE = Path(os.environ.get("BBOX_CACHE_DIR", BUILD / ".cache")).resolve()
PLANTED_TRUTH = ROOT / "tests" / "planted"
ANALYSIS = ROOT / "analysis"
BIBLIOGRAPHY = ROOT / "references.bib"  # where Jupyter Book reads it (bibtex_bibfiles in _config.yml)
