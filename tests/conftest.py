"""Shared fixtures. Tests that build the publication share one build per session (xdist group "artifacts")."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from analysis import paths


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target)
    return target


@pytest.fixture(scope="session")
def artifacts() -> dict[tuple[str, str], Path]:
    """Every edition in every format, built once for the session: {(edition, format): path}.

    Built once per test run even across xdist workers: with pytest 9, pytest-xdist 3.8's loadgroup does not
    keep an xdist_group on one worker (it renames ``item._nodeid``, which pytest 9 no longer reads), and two
    workers building into the same _build/ at once break each other's builds. So the first worker builds
    under a lock and the others, finding the run's stamp, use its artifacts.
    """
    from analysis.publication import editions

    def published(name: str, fmt: str) -> Path:
        built = editions.artifact(name, fmt)
        return built if fmt == "html" else editions.PUBLISH / built.name

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # the same in every worker of one run
    paths.BUILD.mkdir(exist_ok=True)
    stamp = paths.BUILD / ".artifacts-run"
    with open(paths.BUILD / ".artifacts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if run and stamp.exists() and stamp.read_text() == run:
            return {(name, fmt): published(name, fmt) for name in editions.editions() for fmt in editions.FORMATS}
        stamp.unlink(missing_ok=True)
        built = editions.build_all(list(editions.editions()), editions.FORMATS)
        if run:
            stamp.write_text(run)
        return built
