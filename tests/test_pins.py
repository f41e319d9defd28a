"""Pins and provenance: published results are pinned, a moved number is caught and shown where it appears."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import lint, paths, pins


def run_analysis(*args, data_dir: Path | None = None, cache_dir: Path | None = None):
    env = dict(os.environ)
    if data_dir:
        env["BBOX_DATA_DIR"] = str(data_dir)
    if cache_dir:
        env["BBOX_CACHE_DIR"] = str(cache_dir)
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env,
                          cwd=paths.ROOT)


@pytest.mark.build  # recomputes every published result from a cold cache (a minute or more)
def test_published_results_equal_their_pins(tmp_path):
    run = run_analysis("verify", cache_dir=tmp_path / "cache")
    assert run.returncode == 0, run.stderr


@pytest.mark.build  # recomputes every published result from a cold cache (a minute or more)
def test_a_changed_data_value_fails_verify_and_names_the_keys_and_pages(data_copy, tmp_path):
    frame = data_copy / "reference" / "pcsw_frame.csv"
    table = pd.read_csv(frame)
    table.loc[table.region == "FL", "municipalities"] += 1
    table.to_csv(frame, index=False, lineterminator="\n")
    run = run_analysis("verify", data_dir=data_copy, cache_dir=tmp_path / "cache")
    assert run.returncode == 1
    assert "reference.frame.fl: 300 (shown as 300) → 301 (shown as 301)" in run.stderr
    assert "reference.frame.total" in run.stderr
    assert "chapters/context [book" in run.stderr
    # restored data: verify passes again
    (data_copy / "reference" / "pcsw_frame.csv").write_bytes((paths.DATA / "reference" / "pcsw_frame.csv").read_bytes())
    assert run_analysis("verify", data_dir=data_copy, cache_dir=tmp_path / "cache").returncode == 0


@pytest.mark.build  # recomputes every published result from a cold cache (a minute or more)
def test_two_clean_runs_write_byte_identical_results(tmp_path):
    script = ("import sys; from pathlib import Path; from analysis import pins; "
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
    assert [c.describe() for c in changes] == ["a: 1 → 2", "b: 1 line(s) changed", "c: no longer computed",
                                              "d: new result"]


def test_every_pinned_result_has_its_origin():
    table = pins.appendix_table()
    assert len(table) == len(pins.read(paths.RESULTS))
    assert table["Origin"].str.match(r"analysis\.\w+\.\w+ on .+\(\w{8}\)").all()


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
    found = [(f.line, f.number) for f in lint.typed_numbers([page])]
    assert found == [(12, "27.4%"), (15, "0.03")]


def test_no_typed_numbers_in_any_edition():
    assert lint.typed_numbers() == [], "\n".join(map(str, lint.typed_numbers()))
