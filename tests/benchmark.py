"""Build benchmark (``make bench``): prints figures for the current tree; not a test, machines are noisy.

On a copy of the repository: a cold build (every edition in every format, as ``make all``; or, with
``--cold book``, the book's HTML only), then rebuilds of the book's HTML after nothing, a prose edit, a comment
and docstring edit in every module of ``analysis/``, an analysis edit that moves one published value, and a data
edit. For each rebuild: its time, its ratio to the no-op, and the pages that executed with their causes, as the
build recorded them. Then the HTML weight per page, and the typology's model selection when its benchmark
exists. Targets: a prose edit and a comment edit within 1.2× of a no-op rebuild.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths
from tests import edits
from tests.checks import NOT_COPIED


def timed_build(repo: Path, fmt: str, edition: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(repo))
    for name in ("BBOX_DATA_DIR", "BBOX_CACHE_DIR", "BBOX_SHOWN_DIR"):
        env.pop(name, None)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis.publication.editions", "build", fmt, edition], cwd=repo, env=env,
                   check=True, capture_output=True)
    return time.perf_counter() - start


def executed(repo: Path) -> dict[str, list[str]]:
    """The pages the last book build executed, with their causes (the build's own record)."""
    return json.loads((repo / "_build" / "shown" / "book.reads.json").read_text(encoding="utf-8"))["executed"]


def report(name: str, seconds: float, noop: float | None, ran: dict[str, list[str]]) -> None:
    ratio = f" = {seconds / noop:.2f}× no-op" if noop else ""
    print(f"{name}: {seconds:.1f} s{ratio}; pages executed: {len(ran) or 'none'}", flush=True)
    for page, causes in sorted(ran.items()):
        print(f"    {page}: {causes[0]}" + (f" (and {len(causes) - 1} more)" if len(causes) > 1 else ""))


REBUILDS = (("prose edit", edits.edit_prose),
            ("comment and docstring edit in every analysis module", edits.edit_comments_and_docstrings),
            ("analysis edit moving one value", edits.move_a_value),
            ("data edit", edits.edit_data))


def weights(repo: Path) -> None:
    html = repo / "_build" / "book" / "_build" / "html"
    static = sum(f.stat().st_size for f in (html / "_static").rglob("*") if f.is_file())
    print(f"HTML weight per page (book; shared _static/ {static / 1e6:.2f} MB, loaded once):")
    for page in sorted(html.rglob("*.html")):
        if "_static" not in page.parts and page.name not in ("genindex.html", "search.html"):
            print(f"  {page.relative_to(html)}: {page.stat().st_size / 1e3:.0f} kB")
    publish = repo / "_build" / "publish"
    for artifact in sorted(publish.iterdir()) if publish.exists() else []:
        print(f"  {artifact.name}: {artifact.stat().st_size / 1e3:.0f} kB")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmark", description=__doc__)
    parser.add_argument("--cold", choices=("all", "book"), default="all",
                        help="the cold build: every edition in every format (make all), or the book's HTML")
    parser.add_argument("--no-typology", action="store_true", help="skip the model-selection benchmark")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(paths.ROOT, repo, ignore=NOT_COPIED)  # cold: no cache seeded
        cold = timed_build(repo, *(("all", "all") if args.cold == "all" else ("html", "book")))
        print(f"cold build ({'make all: every edition in every format' if args.cold == 'all' else 'book HTML'}): "
              f"{cold:.1f} s", flush=True)
        noop = timed_build(repo, "html", "book")
        report("no-op rebuild (book HTML)", noop, None, executed(repo))
        for name, edit in REBUILDS:
            edit(repo)
            report(f"{name} (book HTML)", timed_build(repo, "html", "book"), noop, executed(repo))
        weights(repo)
    bench_typology = Path(__file__).with_name("bench_typology.py")
    if bench_typology.exists() and not args.no_typology:
        subprocess.run([sys.executable, "-m", "tests.bench_typology"], cwd=paths.ROOT, check=True)


if __name__ == "__main__":
    main()
