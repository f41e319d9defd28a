"""Benchmark (not a test): the whole latent class model selection on a full census of PCSWs.

    python -m tests.bench_typology

Simulates stand-in survey data in which every PCSW of the frame responds (``simulate --respond-all``) into a
temporary copy of ``data/``, then times the selection the survey chapter runs: models with 1 to
``MAX_CLASSES`` classes, ``N_STARTS`` random starts each. Target: at most 10 s on 2 cores.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import SEED, paths
from analysis.data import load
from analysis.study.survey.compute import MAX_CLASSES, N_STARTS, practice_items
from analysis.study.survey.typology import select_lca

TARGET_SECONDS = 10.0


def census_items(directory: Path):
    data = directory / "data"
    shutil.copytree(paths.DATA, data)
    subprocess.run([sys.executable, "-m", "analysis", "simulate", str(data), "--respond-all", "--no-truth"],
                   check=True, capture_output=True, cwd=paths.ROOT)
    return practice_items(load.table("survey", data).set_index("pcsw_id"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        items = census_items(Path(tmp))
    start = time.perf_counter()
    selection = select_lca(items, range(1, MAX_CLASSES + 1), n_starts=N_STARTS, seed=SEED)
    seconds = time.perf_counter() - start
    verdict = "within" if seconds <= TARGET_SECONDS else "OVER"
    print(f"LCA model selection: {len(items)} units × {items.shape[1]} items, 1–{MAX_CLASSES} classes × "
          f"{N_STARTS} starts: {seconds:.1f} s ({verdict} the target of {TARGET_SECONDS:.0f} s); "
          f"BIC chooses {selection.best_by_bic.n_classes} classes")
    return 0  # a benchmark reports; it does not fail a run


if __name__ == "__main__":
    sys.exit(main())
