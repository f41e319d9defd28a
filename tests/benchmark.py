"""Build benchmark: prints figures for the current tree (``make bench``); not a test, machines are noisy.

Works on a copy of the repository: cold build of every artifact, no-op rebuild, rebuild after a prose edit,
rebuild after an analysis edit (and which notebooks re-executed), HTML weight per page, and the typology's
model selection when its benchmark exists. Targets: prose edit within 1.2× of a no-op rebuild; every artifact
cold in under 3 minutes on 2 cores.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths


def timed_build(repo: Path, fmt: str, edition: str) -> tuple[float, list[str]]:
    env = dict(os.environ, PYTHONPATH=str(repo))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis.publication.editions", "build", fmt, edition], cwd=repo, env=env,
                   check=True, capture_output=True)
    seconds = time.perf_counter() - start
    executed = []
    for log in (repo / "_build").glob("*/build-*.log"):
        if log.stat().st_mtime >= time.time() - seconds - 1:
            executed += [line.split(":")[0].rsplit("/", 1)[-1] for line in log.read_text().splitlines()
                         if "Executed notebook" in line]
    return seconds, sorted(set(executed))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(paths.ROOT, repo, ignore=shutil.ignore_patterns("_build", ".venv", ".git", "__pycache__"))
        cold, _ = timed_build(repo, "all", "all")
        artifacts = sorted((repo / "_build" / "publish").iterdir())
        print(f"cold build, every edition in every format ({len(artifacts)} files + HTML): {cold:.1f} s "
              f"(target < 180 s)")
        noop, ran = timed_build(repo, "html", "book")
        print(f"no-op rebuild (HTML book): {noop:.1f} s, notebooks executed: {ran or 'none'}")
        page = repo / "chapters" / "context.md"
        page.write_text(page.read_text().replace("Together they form", "Together, they form"))
        prose, ran = timed_build(repo, "html", "book")
        print(f"prose-edit rebuild: {prose:.1f} s = {prose / noop:.2f}× no-op (target ≤ 1.2×), "
              f"notebooks executed: {ran or 'none'}")
        module = repo / "analysis" / "reference.py"
        module.write_text(module.read_text() + "\n# benchmark edit\n")
        code, ran = timed_build(repo, "html", "book")
        print(f"analysis-edit rebuild: {code:.1f} s, notebooks executed: {', '.join(ran) or 'none'}")
        html = repo / "_build" / "book" / "_build" / "html"
        static = sum(f.stat().st_size for f in (html / "_static").rglob("*") if f.is_file())
        print(f"HTML weight per page (book; shared _static/ {static / 1e6:.2f} MB, loaded once):")
        for page in sorted(html.rglob("*.html")):
            if "_static" not in page.parts and page.name not in ("genindex.html", "search.html"):
                print(f"  {page.relative_to(html)}: {page.stat().st_size / 1e3:.0f} kB")
        for artifact in artifacts:
            print(f"  {artifact.name}: {artifact.stat().st_size / 1e3:.0f} kB")
    bench_typology = Path(__file__).with_name("bench_typology.py")
    if bench_typology.exists():
        subprocess.run([sys.executable, "-m", "tests.bench_typology"], cwd=paths.ROOT, check=True)


if __name__ == "__main__":
    main()
