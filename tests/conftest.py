"""Shared fixtures. Tests that build the publication share one build per session (xdist group "artifacts")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import paths


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


@pytest.fixture(scope="session")
def artifacts() -> dict[tuple[str, str], Path]:
    """Every edition in every format, built once for the session: {(edition, format): path}."""
    from analysis import editions

    return editions.build_all(list(editions.editions()), editions.FORMATS)
