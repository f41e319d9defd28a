"""The built artifacts as the tests read them, and each external check of one made once per test run.

epubcheck and Ace on an EPUB, pdfua on a PDF, axe (with the other checks of a page in Chromium) on an edition's HTML
take seconds to minutes each; several tests assert on their findings. :func:`checked` runs a check of an artifact
once per run, whichever test and xdist worker asks first (the others wait for it under a lock and read its result
from ``_build/checks/``); a new run, or a rebuilt artifact, checks again. :func:`once_per_run` does the same for
other work several tests read, such as the one cold computation of every result (tests/results/test_pins.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from unittest import mock

from analysis import paths
from analysis.publication import editions

CHECKS = paths.BUILD / "checks"
# One test run: the same in every xdist worker of a run (pytest-xdist sets it); a run without xdist is one process.
RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


def published(edition: str, fmt: str) -> Path:
    """Where the built artifact is read: the HTML's index page, or the PDF or EPUB in _build/publish/."""
    built = editions.artifact(edition, fmt)
    return built if fmt == "html" else editions.PUBLISH / built.name


def _files_key(path: Path) -> str:
    """This run, and the artifact as it is now: a PDF's or an EPUB's bytes (builds are reproducible: a rebuild that
    changes nothing checks nothing again), an HTML build's files by name, size and time."""
    if path.suffix != ".html":
        return hashlib.sha256(RUN.encode() + path.read_bytes()).hexdigest()
    stats = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(path.parent.rglob("*")) if p.is_file()]
    return hashlib.sha256(json.dumps([RUN, stats]).encode()).hexdigest()


def _once(name: str, key: str, make: Callable[[], dict]) -> dict:
    """``make()``, or what it returned for the same ``key`` (``_build/checks/<name>.json``), whoever asked first."""
    CHECKS.mkdir(parents=True, exist_ok=True)
    stored = CHECKS / f"{name}.json"
    with open(CHECKS / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stored.exists():
            found = json.loads(stored.read_text(encoding="utf-8"))
            if found["key"] == key:
                return found["result"]
        stored.unlink(missing_ok=True)
        result = make()
        stored.write_text(json.dumps({"key": key, "result": result}, ensure_ascii=False), encoding="utf-8")
        return result


def checked(edition: str, fmt: str, checker: str, check: Callable[[], dict]) -> dict:
    """``check()`` of the edition's artifact in ``fmt`` by ``checker``, made once per run and artifact."""
    return _once(f"{edition}.{fmt}.{checker}", _files_key(published(edition, fmt)), check)


def once_per_run(name: str, make: Callable[[Path], dict]) -> tuple[Path, dict]:
    """``make(folder)`` once per test run, whichever test and worker asks first, into a folder of its own
    (``_build/checks/<name>/``); the others wait for it, then read the folder and the dict it returned."""
    folder = CHECKS / name

    def made() -> dict:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return make(folder)

    return folder, _once(name, RUN, made)


def a11y_of(edition: str, fmt: str) -> dict:
    """The accessibility counts of ``make a11y`` (tests/a11y.py) for the edition's artifact in ``fmt``: pdfua and the
    tagged structure of a PDF, Ace and epubcheck of an EPUB, axe on every page of the HTML (from the browser sweep
    of tests/publication/test_browser.py, which opens every page once for all its checks)."""
    from tests import a11y

    if fmt == "pdf":
        return checked(edition, fmt, "pdfua", lambda: a11y.check_pdf(published(edition, fmt)))
    if fmt == "epub":
        return checked(edition, fmt, "ace-epubcheck", lambda: a11y.check_epub(published(edition, fmt)))
    return a11y.check_html(edition)


# What of this repository's cache serves a copy of it: whatever is named by content, not by place. Only the memo
# of code keys (codekeys.json) is left out: it names files by path and inode, so it serves no other folder.
SEEDED = ("results", "charts", "checked", "static")


def seed_results_cache(cache: Path) -> None:
    """This repository's cache (warm after ``make all``) copied into ``cache``, the results cache of a copy of the
    repository: each cached run is checked against the copy's own files and code before it serves
    (analysis/results/freshness.py), so the copy computes again only what its changes move; its rendered charts,
    each named by its spec (analysis/publication/charts.py), so the copy renders only the charts it changes; the
    marks of data that passed validation, each named by the data's content and the validator's code
    (analysis/codekeys.py), so the copy validates only data it changed; and the Vega bundle, named by vl-convert's
    version (analysis/publication/sphinxext/offline_charts.py)."""
    for kind in SEEDED:
        if (paths.CACHE / kind).is_dir():
            shutil.copytree(paths.CACHE / kind, cache / kind, dirs_exist_ok=True)


def generated(seed: int, shape) -> tuple[Path, Path]:
    """The data folder the generator writes for ``seed`` and ``shape`` (analysis/data/simulate.py), and a results
    cache of its own, seeded with this repository's (what reads only the reference files is not computed again),
    holding every result computed on those data in every language; made once per run, whichever test asks first.
    The tests that check every result on a data set and the builds on it (tests/study/test_shapes_recompute.py,
    tests/publication/test_shapes_build.py) then share one computation, made in one process: there the plan of the
    linked case tables is made once for every language, where each edition's build (one language each, in a
    process of its own) would make it again."""
    from analysis.data.simulate import simulate
    from analysis.results import registry

    def make(folder: Path) -> dict:
        simulate(folder / "data", None, seed=seed, shape=shape)
        seed_results_cache(folder / "cache")
        with mock.patch.dict(os.environ, BBOX_DATA_DIR=str(folder / "data"), BBOX_CACHE_DIR=str(folder / "cache")):
            registry.compute_all()
        return {}

    folder, _ = once_per_run(f"generated-{seed}-{hashlib.sha256(repr(shape).encode()).hexdigest()[:12]}", make)
    return folder / "data", folder / "cache"


# What a copy of the repository leaves out: build output, the environment, history and the checkers' Node modules
# (84 MB in 6,700 files, read by no build).
NOT_COPIED = shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__", "node_modules", ".pytest_cache")


def repository_copy(target: Path, seeded: Iterable[str] = ()) -> Path:
    """A copy of the repository at ``target``, its results cache seeded (:func:`seed_results_cache`) and, for each
    edition in ``seeded``, its build seeded too (:func:`seed_edition`)."""
    shutil.copytree(paths.ROOT, target, ignore=NOT_COPIED)
    seed_results_cache(target / "_build" / ".cache")
    for edition in seeded:
        seed_edition(target, edition)
    return target


def seed_edition(repo: Path, edition: str) -> None:
    """This repository's last build of ``edition`` (warm after ``make all``) as the copy ``repo``'s: the edition's
    execution cache and its record of what each page read when it executed. The copy's build checks each page's
    record against the copy's own sources, code, data and results before its cached execution serves
    (analysis/publication/sphinxext/freshness.py), so the copy executes again exactly the pages its changes reach
    (which is what the tests of freshness assert) and never shows what this repository computed unless the
    copy would compute the same. Read under the edition's build lock: never half a cache being written."""
    from analysis.results import pagekeys

    built = editions.edition_dir(edition)
    if not (built / ".jupyter_cache").is_dir() or not pagekeys.record_path(edition).is_file():
        return  # never built here: the copy builds it cold
    with open(built / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.copytree(built / ".jupyter_cache", repo / "_build" / edition / ".jupyter_cache")
        record = repo / "_build" / "shown" / pagekeys.record_path(edition).name
        record.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pagekeys.record_path(edition), record)
