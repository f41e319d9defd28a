"""Pins and provenance: published results are pinned, a moved number is caught and shown where it appears."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.publication import lint
from analysis.producers import PRODUCERS
from analysis.results import pins, precision, registry
from tests.checks import once_per_run, seed_results_cache
from tests.results import noise


def run_analysis(*args, data_dir: Path | None = None, cache_dir: Path | None = None, shown_dir: Path | None = None):
    env = dict(os.environ)
    if data_dir:
        env["BBOX_DATA_DIR"] = str(data_dir)
    if cache_dir:
        env["BBOX_CACHE_DIR"] = str(cache_dir)
    if shown_dir:
        env["BBOX_SHOWN_DIR"] = str(shown_dir)
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env,
                          cwd=paths.ROOT)


@pytest.mark.recompute  # every published result, from the build's cache (warm after make all, as in make test)
def test_published_results_equal_their_pins():
    run = run_analysis("verify")
    assert run.returncode == 0, run.stderr


@pytest.mark.recompute  # every published result verified; what read the changed file is computed again
def test_a_changed_data_value_fails_verify_and_names_the_keys_and_pages(data_copy, tmp_path, monkeypatch):
    frame = data_copy / "reference" / "pcsw_frame.csv"
    table = pd.read_csv(frame)
    table.loc[table.region == "FL", "municipalities"] += 1
    table.to_csv(frame, index=False, lineterminator="\n")
    # where the numbers are shown: as a build of the book and of the Dutch brochure would have recorded it
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path / "shown"))
    pins.write_record("book", {"chapters/context": ["reference.frame.fl", "reference.frame.total"], "index": []})
    pins.write_record("brochure-nl", {"editions/brochure/nl": ["reference.frame.total"]})
    # The build's cache, which keys on the files' content and not on their folder: only the results that read the
    # changed file are computed again (the one cold computation of a run is test_results_do_not_depend_on_locale…).
    seed_results_cache(tmp_path / "cache")
    run = run_analysis("verify", data_dir=data_copy, cache_dir=tmp_path / "cache", shown_dir=tmp_path / "shown")
    assert run.returncode == 1
    assert "reference.frame.fl: 300 (shown as 300) → 301 (shown as 301)\n      shown in: chapters/context [book]" in run.stderr
    assert "reference.frame.total" in run.stderr
    assert "shown in: chapters/context [book]; editions/brochure/nl [brochure-nl]" in run.stderr
    assert "reference.frame.fl#provenance: data reference/pcsw_frame.csv" in run.stderr  # its hash moved
    # restored data: verify passes again
    frame = Path("reference") / "pcsw_frame.csv"
    (data_copy / frame).write_bytes((paths.data_dir() / frame).read_bytes())
    assert run_analysis("verify", data_dir=data_copy, cache_dir=tmp_path / "cache").returncode == 0


def test_pin_diff_describes_moves():
    changes = pins.diff({"a": "1", "b": "x\ny", "c": "3"}, {"a": "2", "b": "x\nz", "d": "4"})
    assert [c.describe() for c in changes] == ["a: 1 → 2", "b: 1 line(s) changed, first y → z",
                                              "c: no longer computed", "d: new result"]


def test_pin_diff_describes_tables_of_unequal_length():
    old = "Region,n\nFlanders,300\nWallonia,262\nBrussels,19\n"
    grown = "Region,n\nFlanders,300\nGerman-speaking,9\nWallonia,262\nBrussels,19\n"
    assert pins.Change("t", old, grown).describe() == "t: 1 line(s) changed, first (nothing) → German-speaking,9"
    shrunk = "Region,n\nWallonia,262\nBrussels,20\n"
    assert pins.Change("t", old, shrunk).describe() == "t: 2 line(s) changed, first Flanders,300 → (nothing)"


def test_verify_compares_provenance(tmp_path):
    """A result computed by another function, or from other data, differs from its pin even if its value does not."""
    copy = tmp_path / "results"
    shutil.copytree(paths.RESULTS, copy)
    provenance = json.loads((copy / "provenance.json").read_text(encoding="utf-8"))
    function = provenance["reference.frame.total"]["function"]
    provenance["reference.frame.total"]["function"] = "analysis.study.reference.other"
    provenance["reference.frame.total"]["data"]["reference/pcsw_frame.csv"] = "0000000000"
    (copy / "provenance.json").write_text(json.dumps(provenance), encoding="utf-8")
    changes = pins.diff(pins.read(paths.RESULTS), pins.read(copy))
    assert [c.key for c in changes] == ["reference.frame.total#provenance"]
    described = changes[0].describe()
    assert f"function {function} → analysis.study.reference.other" in described
    assert "reference/pcsw_frame.csv" in described and "→ 0000000000" in described


# -- One cold computation of every result, as another machine would make it -----------------------------------

def _comma_locale(directory: Path) -> dict[str, str]:
    """A German locale (decimal comma, other collation), compiled with localedef into ``directory``: no root
    needed, whatever locales the machine has installed (it needs the `locales` package's sources)."""
    made = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", str(directory / "de_DE.UTF-8")],
                          capture_output=True, text=True)
    assert (directory / "de_DE.UTF-8").exists(), f"localedef could not make de_DE.UTF-8: {made.stderr}"
    return {"LOCPATH": str(directory), "LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"}


COLD_RUN = """
import json, locale, sys, time
from pathlib import Path
seen = {"locale": locale.setlocale(locale.LC_ALL, ""), "decimal point": locale.localeconv()["decimal_point"],
        "zone": time.strftime("%z")}
from analysis.producers import PRODUCERS
from analysis.results import pins
from tests.results import noise
PRODUCERS.update(noise.noisy_producers())
pins.write(pins.compute(), Path(sys.argv[1]))
print(json.dumps({**seen, "perturbed": noise.PERTURBED}))
"""


def _cold_run(folder: Path) -> dict:
    """Every result computed from a cold cache in a new process as another machine might compute it: in a German
    locale (decimal comma), in the time zone UTC+14, every float a producer returns off by a relative 1e-12 (the last
    bits CPUs and BLAS builds differ in); the pins written from it into ``folder/results``. What the run saw."""
    (folder / "locales").mkdir()
    env = dict(os.environ, **_comma_locale(folder / "locales"), TZ="Pacific/Kiritimati",
               BBOX_CACHE_DIR=str(folder / "cache"))
    run = subprocess.run([sys.executable, "-c", COLD_RUN, str(folder / "results")], capture_output=True, text=True,
                         env=env, cwd=paths.ROOT)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def cold_run() -> tuple[Path, dict]:
    """The one cold computation of every result of a test run (tests/checks.py), shared by the tests below."""
    return once_per_run("cold-results", _cold_run)


def _differing(written: Path) -> list[str]:
    """The pinned files that ``written`` does not hold byte for byte (or lacks, or holds beyond them)."""
    pinned = sorted(p.relative_to(paths.RESULTS) for p in paths.RESULTS.rglob("*") if p.is_file())
    found = sorted(p.relative_to(written) for p in written.rglob("*") if p.is_file())
    assert pinned, "no pinned results"
    return [str(name) for name in sorted(set(pinned) | set(found)) if not (written / name).is_file()
            or not (paths.RESULTS / name).is_file() or (written / name).read_bytes() != (paths.RESULTS / name).read_bytes()]


@pytest.mark.recompute
def test_results_do_not_depend_on_locale_or_time_zone(cold_run):
    """Written in another process, locale and time zone than the pins were, the results are the pins byte for byte
    (so two clean runs agree)."""
    folder, seen = cold_run
    assert [seen["locale"], seen["decimal point"], seen["zone"]] == ["de_DE.UTF-8", ",", "+1400"]  # really another
    assert _differing(folder / "results") == []


@pytest.mark.recompute
def test_floating_point_noise_leaves_the_pins_byte_identical_and_a_visible_change_is_named(cold_run, monkeypatch,
                                                                                          tmp_path):
    folder, seen = cold_run
    assert seen["perturbed"]["floats"] > 100 and seen["perturbed"]["renamed data sets"] >= 5, seen  # noise was there
    assert _differing(folder / "results") == [], "moved with noise"

    # A change a reader would see: a share 0.2 percentage points higher, a bar of a chart 10% longer. The noisy
    # results are read back from the cold run's cache (same producers, same code: nothing is computed again).
    monkeypatch.setenv("BBOX_CACHE_DIR", str(folder / "cache"))
    monkeypatch.setattr(registry, "_memory", {})
    for prefix, producer in noise.noisy_producers().items():
        monkeypatch.setitem(PRODUCERS, prefix, producer)
    results = pins.compute()
    rate = results["survey.response.rate"]
    results["survey.response.rate"] = replace(rate, value=rate.value + 0.002)
    chart = results["survey.factors.chart"]
    spec = json.loads(json.dumps(chart.value))
    name, rows = next((n, r) for n, r in spec["datasets"].items() if any("odds_ratio" in row for row in r))
    row = next(row for row in rows if "odds_ratio" in row)
    old_ratio, row["odds_ratio"] = row["odds_ratio"], round(row["odds_ratio"] * 1.1, 2)
    results["survey.factors.chart"] = replace(chart, value=spec)
    moved = tmp_path / "moved"
    pins.write(results, moved)
    changes = pins.diff(pins.read(paths.RESULTS), pins.read(moved))
    assert [c.key for c in changes] == ["survey.factors.chart", "survey.response.rate"]
    assert f'"odds_ratio": {precision.round_float(old_ratio)!r}, → "odds_ratio": {row["odds_ratio"]!r},' in \
        changes[0].describe()
    assert changes[1].describe() == (f"survey.response.rate: {precision.round_float(rate.value)!r} (shown as "
                                     f"{rate.formatted()}) → {precision.round_float(rate.value + 0.002)!r} (shown as "
                                     f"{results['survey.response.rate'].formatted()})")
    assert rate.formatted() != results["survey.response.rate"].formatted()


def test_lint_flags_typed_statistics(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "---\nkernelspec:\n  name: python3\n---\n# A page\n\n"
        "```{code-cell} ipython3\nx = 42\n```\n\n"
        "In 2019 the rate was {glue}`survey.response.rate` across the regions.\n"
        "Of the respondents, 27.4% attach conditions.\n"
        "The law of 26 May 2002 and art. 60 §7 are cited by number.\n"
        "Earlier work found 12 cases {cite}`lipsky1980street`.\n"
        "A test gave p = 0.03 here.\n"
    )
    found = [(p.row, p.message.split(" in ")[0]) for p in lint.typed_numbers([page])]
    assert found == [(12, "typed number '27.4%'"), (15, "typed number '0.03'")]


def test_no_typed_numbers_in_any_edition():
    assert lint.typed_numbers() == [], "\n".join(map(str, lint.typed_numbers()))
