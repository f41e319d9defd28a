"""Pins and provenance: published results are pinned, a moved number is caught and shown where it appears."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from functools import wraps
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.publication import lint
from analysis.results import pins, precision, registry


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


@pytest.mark.build  # recomputes every published result from a cold cache (a minute or more)
def test_published_results_equal_their_pins(tmp_path):
    run = run_analysis("verify", cache_dir=tmp_path / "cache")
    assert run.returncode == 0, run.stderr


@pytest.mark.build  # recomputes every published result from a cold cache (a minute or more)
def test_a_changed_data_value_fails_verify_and_names_the_keys_and_pages(data_copy, tmp_path, monkeypatch):
    frame = data_copy / "reference" / "pcsw_frame.csv"
    table = pd.read_csv(frame)
    table.loc[table.region == "FL", "municipalities"] += 1
    table.to_csv(frame, index=False, lineterminator="\n")
    # where the numbers are shown: as a build of the book and of the Dutch brochure would have recorded it
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path / "shown"))
    pins.write_record("book", {"chapters/context": ["reference.frame.fl", "reference.frame.total"], "index": []})
    pins.write_record("brochure-nl", {"editions/brochure/nl": ["reference.frame.total"]})
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


@pytest.mark.build  # recomputes every published result from a cold cache (a minute or more)
def test_two_clean_runs_write_byte_identical_results(tmp_path):
    script = ("import sys; from pathlib import Path; from analysis.results import pins; "
              "pins.write(pins.compute(), Path(sys.argv[1]))")
    for run in ("a", "b"):
        env = dict(os.environ, BBOX_CACHE_DIR=str(tmp_path / f"cache-{run}"))
        subprocess.run([sys.executable, "-c", script, str(tmp_path / run / "results")], check=True, env=env,
                       cwd=paths.ROOT)
    first = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    second = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert first == second and first
    for name in first:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


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


# -- Pins hold what a reader sees: floating-point noise moves nothing, a visible change is named ---------------

NOISE = 1 + 1e-12  # a relative change far larger than the last-bit differences between CPUs and BLAS builds


PERTURBED = {"floats": 0, "renamed data sets": 0}  # what _with_noise changed, so the test proves something


def _noisy(value):
    if isinstance(value, float):
        PERTURBED["floats"] += value != value * NOISE
        return value * NOISE
    if isinstance(value, dict):
        return {k: _noisy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_noisy(v) for v in value]
    return value


def _altair_name(values) -> str:
    """The name Altair gives an inline data set: a hash of its unrounded values (altair's _dataset_name)."""
    return "data-" + hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _with_noise(result: registry.Result) -> registry.Result:
    """``result`` as another machine might compute it: every float off by a relative 1e-12."""
    if result.kind == "number":
        return replace(result, value=_noisy(result.value))
    if result.kind == "text":
        return result  # words: nothing a machine could compute differently
    if result.kind == "table":
        frame = result.value.copy()
        for column in frame.columns:
            frame[column] = frame[column].map(lambda v: _noisy(v) if isinstance(v, float) else v)
        return replace(result, value=frame)
    spec = _noisy(result.value)
    names = {old: _altair_name(values) for old, values in spec.get("datasets", {}).items()}
    PERTURBED["renamed data sets"] += sum(old != new for old, new in names.items())
    text = json.dumps(spec)
    for old, new in names.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return replace(result, value=json.loads(text))


def _every_producer_with_noise(monkeypatch) -> None:
    monkeypatch.setattr(registry, "_memory", {})
    monkeypatch.setattr(registry, "_producers", dict(registry.producers()))
    for prefix, producer in registry.producers().items():
        original = producer.function

        @wraps(original)
        def noisy(*args, _original=original, **kwargs):
            return [_with_noise(result) for result in _original(*args, **kwargs)]

        monkeypatch.setitem(registry._producers, prefix, replace(producer, function=noisy))
    PERTURBED.update({"floats": 0, "renamed data sets": 0})


def test_floating_point_noise_leaves_the_pins_byte_identical_and_a_visible_change_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("BBOX_CACHE_DIR", str(tmp_path / "cache"))
    _every_producer_with_noise(monkeypatch)
    results = pins.compute()
    assert PERTURBED["floats"] > 100 and PERTURBED["renamed data sets"] >= 5, PERTURBED  # the noise was there
    written = tmp_path / "results"
    pins.write(results, written)
    files = sorted(p.relative_to(written) for p in written.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(paths.RESULTS) for p in paths.RESULTS.rglob("*") if p.is_file())
    for name in files:
        assert (written / name).read_bytes() == (paths.RESULTS / name).read_bytes(), f"{name} moved with noise"

    # A change a reader would see: a share 0.2 percentage points higher, a bar of a chart 10% longer.
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


def _comma_locale(directory: Path) -> dict[str, str]:
    """A German locale (decimal comma, other collation), compiled with localedef into ``directory``: no root
    needed, whatever locales the machine has installed (it needs the `locales` package's sources)."""
    made = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", str(directory / "de_DE.UTF-8")],
                          capture_output=True, text=True)
    assert (directory / "de_DE.UTF-8").exists(), f"localedef could not make de_DE.UTF-8: {made.stderr}"
    return {"LOCPATH": str(directory), "LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"}


def test_results_do_not_depend_on_locale_or_time_zone(tmp_path):
    (tmp_path / "locales").mkdir()
    env = dict(os.environ, **_comma_locale(tmp_path / "locales"), TZ="Pacific/Kiritimati",
               BBOX_CACHE_DIR=str(tmp_path / "cache"))
    script = ("import locale, sys, time; from pathlib import Path; "
              "print(locale.setlocale(locale.LC_ALL, ''), locale.localeconv()['decimal_point'], time.strftime('%z')); "
              "from analysis.results import pins; pins.write(pins.compute(), Path(sys.argv[1]))")
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "results")], capture_output=True, text=True,
                         env=env, cwd=paths.ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[:3] == ["de_DE.UTF-8", ",", "+1400"]  # the run really had another locale and zone
    files = sorted(p.relative_to(paths.RESULTS) for p in paths.RESULTS.rglob("*") if p.is_file())
    for name in files:
        assert (tmp_path / "results" / name).read_bytes() == (paths.RESULTS / name).read_bytes(), name


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
