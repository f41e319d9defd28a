"""Shared fixtures, and the check that keeps ``make test-fast`` fast.

Marks (pyproject.toml): ``build`` for a test that builds an edition or a Sphinx project, or reads the built editions
(the ``artifacts`` fixture); ``browser`` for one that drives Chromium; ``recompute`` for one that recomputes every
published result. ``make test-fast`` leaves the three out, so a test that builds or recomputes without its mark would
make it slow: such a test fails here, naming what it called (:func:`_refusing`).

The built editions: ``make test`` builds every edition in every format (``make all``) before the test workers start,
and says so with ``BBOX_ARTIFACTS_BUILT=1``; the tests only read them, on both workers at once. Run by hand without
it, the first worker that needs them builds them, once per run, while the other waits.

A check of an artifact by an external checker (epubcheck, Ace, pdfua; axe in Chromium) runs once per artifact and
run: :func:`tests.checks.checked`.

On two workers (:func:`pytest_xdist_make_scheduler`): the tests that share a module-scoped fixture (a built copy of
the repository) run on one worker, so it is made once; the slow tests are handed out first
(:func:`pytest_collection_modifyitems`), so the fast ones fill the gaps at the end instead of one worker finishing a
long build alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis import paths
from tests.checks import published

ARTIFACTS_BUILT = "BBOX_ARTIFACTS_BUILT"  # set by `make test`, after `make all`


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target)
    return target


# -- The built editions ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def artifacts() -> dict[tuple[str, str], Path]:
    """Every edition in every format: {(edition, format): path}. Read as `make test` built them; without
    BBOX_ARTIFACTS_BUILT, built once per run (the first worker builds under a lock, the others find its stamp)."""
    from analysis.publication import editions

    every = {(name, fmt): published(name, fmt) for name in editions.editions() for fmt in editions.FORMATS}
    if os.environ.get(ARTIFACTS_BUILT):
        missing = [str(path) for path in every.values() if not path.exists()]
        assert not missing, f"{ARTIFACTS_BUILT} is set but these artifacts were not built (run `make all`): {missing}"
        return every
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # the same in every worker of one run
    paths.BUILD.mkdir(exist_ok=True)
    stamp = paths.BUILD / ".artifacts-run"
    with open(paths.BUILD / ".artifacts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if run and stamp.exists() and stamp.read_text() == run:
            return every
        stamp.unlink(missing_ok=True)
        built = editions.build_all(list(editions.editions()), editions.FORMATS)
        if run:
            stamp.write_text(run)
        return built


# -- Two workers: shared fixtures made once, the slow tests first -------------------------------------------------

SLOW = ("build", "browser", "recompute")
TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not any(item.get_closest_marker(mark) for mark in SLOW))  # stable: file order kept


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown when it is not loaded
def pytest_xdist_make_scheduler(config, log):
    """Every test of a module that defines a module-scoped fixture (a built copy of the repository) on one worker,
    every other test on its own. pytest-xdist's ``xdist_group`` marks would do this, but with pytest 9 they no
    longer reach the scheduler (xdist 3.8 renames ``item._nodeid``, which pytest 9 no longer reads)."""
    from xdist.scheduler import LoadScopeScheduling

    shared = {path.relative_to(config.rootpath).as_posix() for path in TESTS.rglob("test_*.py")
              if "node_modules" not in path.parts
              and re.search(r"fixture\(scope=.module.", path.read_text(encoding="utf-8"))}

    class SharedFixturesOnOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in shared else nodeid

    return SharedFixturesOnOneWorker(config, log)


# -- Tests that build or recompute are marked so ---------------------------------------------------------------

# What builds or recomputes, run in a subprocess: words of the command line, and the mark a test running it needs.
COMMANDS = [(("analysis.publication.editions", "build"), "build"), (("-m", "sphinx"), "build"),
            (("-m", "analysis", "verify"), "recompute"), (("-m", "analysis", "pin"), "recompute"),
            (("analysis.publication.releases", "release"), "recompute")]
SCRIPTS = [("pins.compute(", "recompute"), ("compute_all(", "recompute"), ("build_all(", "build"),
           ("build_formats(", "build")]  # in a `python -c` script


def _needs(args) -> set[str]:
    words = [str(a) for a in args] if isinstance(args, (list, tuple)) else str(args).split()
    needs = {mark for command, mark in COMMANDS
             if any(words[i:i + len(command)] == list(command) for i in range(len(words)))}
    return needs | {mark for call, mark in SCRIPTS if "-c" in words and any(call in w for w in words)}


@contextlib.contextmanager
def _refusing(item: pytest.Item):
    """While ``item`` sets up and runs: building without the mark ``build``, recomputing every result without the
    mark ``recompute`` (or ``build``: a build computes the results it shows), in this process or in a subprocess,
    fails the test, naming what it called."""
    from analysis.publication import editions
    from analysis.results import registry

    marks = {mark.name for mark in item.iter_markers()}
    if "build" in marks:
        marks.add("recompute")  # a build computes every result its pages show

    def refused(what: str, mark: str):
        pytest.fail(f"{item.nodeid} {what} but is not marked @pytest.mark.{mark} (which make test-fast leaves out)",
                    pytrace=False)

    def refusing(module, name: str, mark: str) -> Callable:
        original = getattr(module, name)

        def call(*args, **kwargs):
            if mark not in marks:
                refused(f"calls {module.__name__}.{name}", mark)
            return original(*args, **kwargs)
        return call

    class Popen(subprocess.Popen):
        def __init__(self, args, *rest, **kwargs):
            for mark in _needs(args) - marks:
                self._child_created = False  # nothing started: nothing for Popen.__del__ to wait for
                refused(f"runs {' '.join(map(str, args)) if isinstance(args, (list, tuple)) else args}", mark)
            super().__init__(args, *rest, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(editions, "build_formats", refusing(editions, "build_formats", "build"))
        patch.setattr(registry, "compute_all", refusing(registry, "compute_all", "recompute"))
        patch.setattr(subprocess, "Popen", Popen)
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    if "artifacts" in getattr(item, "fixturenames", ()) and item.get_closest_marker("build") is None:
        pytest.fail(f"{item.nodeid} reads the built editions (the artifacts fixture) but is not marked "
                    "@pytest.mark.build (which make test-fast leaves out)", pytrace=False)
    with _refusing(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _refusing(item):
        return (yield)
