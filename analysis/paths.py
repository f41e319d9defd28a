"""Every path the project uses, in one place."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DATAPACKAGE = DATA / "datapackage.json"
RESULTS = ROOT / "results"
CHAPTERS = ROOT / "chapters"
EDITIONS = ROOT / "editions"
BUILD = ROOT / "_build"
CACHE = BUILD / ".cache"
PLANTED_TRUTH = ROOT / "tests" / "planted"
ANALYSIS = ROOT / "analysis"
