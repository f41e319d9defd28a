"""The marks that keep `make test-fast` fast are checked (tests/conftest.py): a test that reads the built editions or
builds without the mark ``build``, or recomputes every result without ``recompute``, in its own process or in a
subprocess, fails, naming what it called; a marked one, and a harmless subprocess, pass."""

from __future__ import annotations

from pathlib import Path

from analysis import paths

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).with_name("conftest.py")

TESTS = '''
import subprocess, sys
import pytest
from analysis.publication import editions
from analysis import paths
from analysis.results import registry

@pytest.fixture(autouse=True)
def build_elsewhere(tmp_path, monkeypatch):  # what these tests start to build stays out of the repository's _build
    monkeypatch.setattr(paths, "BUILD", tmp_path / "_build")

def test_reads_artifacts(artifacts):
    pass

def test_builds():
    editions.build("no-such-edition", "html")

def test_recomputes():
    registry.compute_all()

def test_verifies_in_a_subprocess():
    subprocess.run([sys.executable, "-m", "analysis", "verify", "--help"], capture_output=True)

def test_computes_in_a_script():
    subprocess.run([sys.executable, "-c", "from analysis.results import pins; pins.compute()"], capture_output=True)

@pytest.mark.build
def test_marked_build():
    with pytest.raises(Exception) as raised:
        editions.build("no-such-edition", "html")
    assert "not marked" not in str(raised.value)

@pytest.mark.recompute
def test_marked_recompute(monkeypatch):
    monkeypatch.setattr(registry, "producers", lambda: {})
    assert registry.compute_all() == {}

def test_harmless_subprocess():
    assert subprocess.run([sys.executable, "-c", "print(1)"], capture_output=True, text=True).stdout == "1\\n"
'''


def test_a_test_that_builds_or_recomputes_without_its_mark_fails(pytester, monkeypatch):
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makeini("[pytest]\nmarkers =\n    build\n    browser\n    recompute\n")
    pytester.makepyfile(test_marked=TESTS)
    monkeypatch.setenv("PYTHONPATH", str(paths.ROOT))  # the conftest reads tests/checks.py
    # In a process of its own: this test's own check (it is marked neither build nor recompute) stays out of it.
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist")
    outcomes = result.parseoutcomes()
    assert (outcomes.get("failed"), outcomes.get("errors"), outcomes.get("passed")) == (4, 1, 3), result.stdout.str()
    text = result.stdout.str()
    for test, called, mark in [("test_reads_artifacts", "the artifacts fixture", "build"),
                               ("test_builds", "editions.build_formats", "build"),
                               ("test_recomputes", "registry.compute_all", "recompute"),
                               ("test_verifies_in_a_subprocess", "-m analysis verify", "recompute"),
                               ("test_computes_in_a_script", "pins.compute", "recompute")]:
        assert any(test in line and called in line and f"@pytest.mark.{mark}" in line for line in text.splitlines()), \
            (test, text)
