"""Build an edition of the publication in a format: ``python -m analysis.publication.editions build FORMAT EDITION``.

Every edition's Jupyter Book configuration is derived from the book's ``_config.yml`` and the few
settings ``editions/editions.yml`` changes (``jupyter-book --config`` replaces a config file rather than
merging it, so the merged file is generated, never kept by hand). Builds run strict: any warning fails
the build. The finished artifact is copied to ``_build/publish/`` under a name that says what it is.

Its length (about 360 lines) is one concern's: deriving an edition's configuration, building its formats in one
Jupyter Book process and publishing the artifact share the merged configuration, and split they would pass it around.
"""

from __future__ import annotations

import argparse
import copy
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from analysis import paths, yaml_text
from analysis.publication import citation, kernel

FORMATS = ("html", "pdf", "epub")
BUILDERS = {"html": ["--builder", "html"], "pdf": ["--builder", "custom", "--custom-builder", "typst"],
            "epub": ["--builder", "custom", "--custom-builder", "epub"]}
# Jupyter Book's builds of one edition in one process (its start-up, seconds, paid once), each after a line naming
# its format; after ``analysis``, which keeps jsonschema from importing rfc3987-syntax (see its __init__).
FORMAT_LINE = "bbox-format: "
JUPYTER_BOOK = f"""
import json, sys, analysis
from jupyter_book.cli.main import main
from sphinx.util.console import nocolor
nocolor()  # the output goes to a log file: no colour codes in it (Jupyter Book never asks whether it is a terminal)
for fmt, args in json.loads(sys.argv[1]):
    print({FORMAT_LINE!r} + fmt, flush=True)
    print({FORMAT_LINE!r} + fmt, file=sys.stderr, flush=True)
    try:
        main(args, prog_name="jupyter-book", standalone_mode=False)
    except SystemExit as stop:
        if stop.code:
            raise
"""
PUBLISH = paths.BUILD / "publish"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # terminal colour codes


def editions() -> dict[str, dict]:
    return yaml_text.parse((paths.EDITIONS / "editions.yml").read_text(encoding="utf-8"))


def expand(edition: str) -> list[str]:
    """An edition name, or a family of them: ``brochure`` is every brochure language."""
    known = editions()
    if edition in known:
        return [edition]
    family = [name for name in known if name.startswith(edition + "-")]
    if not family:
        raise SystemExit(f"unknown edition {edition!r} (expected one of {', '.join(known)}, or 'brochure')")
    return family


def merged(base: dict, changes: dict) -> dict:
    result = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _toc_files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("root", "file"):
                files.append(value)
            else:
                files += _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            files += [item] if isinstance(item, str) else _toc_files(item)
    return files


def pages_by_edition() -> dict[str, set[str]]:
    """The pages (source paths without suffix) each edition holds."""
    pages = {}
    for name, spec in editions().items():
        toc = spec["toc"]
        data = yaml_text.parse((paths.ROOT / toc).read_text(encoding="utf-8")) if isinstance(toc, str) else toc
        pages[name] = {str(Path(f).with_suffix("")) for f in _toc_files(data)}
    return pages


SOURCE_SUFFIXES = (".md", ".ipynb")  # a page's source, the MyST file first: a paired notebook beside it is no page


def page_sources(edition: str) -> list[str]:
    """The source file of each page of ``edition``, as Sphinx's ``include_patterns``: the book reads these and
    nothing else, so a paired ``.ipynb`` beside a chapter (jupytext), ``.ipynb_checkpoints``, an author's scratch
    notebook or a copy of ``_build`` under the repository is never read as a page."""
    found = []
    for page in sorted(pages_by_edition()[edition]):
        source = next((page + suffix for suffix in SOURCE_SUFFIXES if (paths.ROOT / (page + suffix)).is_file()), None)
        found.append(source or page + SOURCE_SUFFIXES[0])  # a missing page: Sphinx names it as the toc's
    return found


def edition_dir(edition: str) -> Path:
    return paths.BUILD / edition


def compile_theme_catalogues() -> None:
    """Compile the theme's Dutch and French catalogues (``editions/locales/*/LC_MESSAGES/*.po``) where the ``.mo``
    is missing or older. Sphinx would compile an outdated one itself, in the source tree, during a build (two
    editions built side by side would write it at once); the ``.mo`` is not committed, as compiling stamps the
    time in it (a build would leave the tree changed)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted((paths.EDITIONS / "locales").glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source)
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.{threading.get_ident()}.partial")
        with partial.open("wb") as target:
            write_mo(target, catalogue)
        partial.replace(mo)  # atomic: a build reading it never sees half a file


def write_config(edition: str) -> tuple[Path, Path]:
    """Write the edition's merged ``_config.yml`` and its ``_toc.yml`` (and compile the theme's catalogues they
    name); return their paths."""
    compile_theme_catalogues()
    spec = editions()[edition]
    book = yaml_text.parse((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = merged(book, spec.get("config", {}))
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    version = sphinx.get("release", "0")
    config["title"] = citation.edition_title(config["title"], sphinx.get("language", "en"))  # says "preview" while stand-in
    sphinx["epub_basename"] = f"bbox-{edition}"
    sphinx["epub_uid"] = sphinx["epub_identifier"] = f"bbox-{edition}-{version}"
    sphinx["epub_title"] = config["title"]
    sphinx["bbox_edition"] = edition
    sphinx["include_patterns"] = page_sources(edition)
    # Each edition executes its own pages (no page is in two editions): its own execution cache lets editions
    # build side by side without two processes writing one cache database.
    config.setdefault("execute", {})["cache"] = str(edition_dir(edition) / ".jupyter_cache")
    out = edition_dir(edition) / "config"
    out.mkdir(parents=True, exist_ok=True)
    config_path, toc_path = out / "_config.yml", out / "_toc.yml"
    header = f"# Generated by analysis/publication/editions.py from _config.yml and editions/editions.yml ({edition}): do not edit.\n"
    _write_whole(config_path, header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    toc = spec["toc"]
    if isinstance(toc, str):
        _write_whole(toc_path, (paths.ROOT / toc).read_text(encoding="utf-8"))
    else:
        toc_data = {"format": "jb-book", "root": toc["root"]}
        if toc.get("chapters"):
            toc_data["chapters"] = [{"file": f} for f in toc["chapters"]]
        _write_whole(toc_path, header + yaml.safe_dump(toc_data, sort_keys=False))
    return config_path, toc_path


def _write_whole(path: Path, text: str) -> None:
    """Write ``path`` at once: a build or a test reading it while another process writes it reads the old file
    or the new one, never an empty or half-written one."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def artifact(edition: str, fmt: str) -> Path:
    built = edition_dir(edition) / "_build"
    if fmt == "html":
        return built / "html" / "index.html"
    if fmt == "pdf":
        return built / "typst" / f"bbox-{edition}.pdf"
    return built / "epub" / f"bbox-{edition}.epub"


def build(edition: str, fmt: str) -> Path:
    """Build one edition in one format (see :func:`build_formats`)."""
    return build_formats(edition, [fmt])[fmt]


def build_formats(edition: str, fmts: list[str], env: dict[str, str] | None = None) -> dict[str, Path]:
    """Build one edition in formats, in one Jupyter Book process with ``env`` (a build's environment, by default one
    of its own with a kernel server); concurrent builds of the same edition (e.g. test workers) wait in turn. Each
    format's log is ``_build/<edition>/build-<format>.log``."""
    if env is not None:
        return _build_in_turn(edition, fmts, env)
    with kernel.serving(_environment()) as env:
        return _build_in_turn(edition, fmts, env)


def _build_in_turn(edition: str, fmts: list[str], env: dict[str, str]) -> dict[str, Path]:
    edition_dir(edition).mkdir(parents=True, exist_ok=True)
    with open(edition_dir(edition) / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build(edition, fmts, env)


def _environment() -> dict[str, str]:
    """The environment of a build's processes. The date on every edition is the last commit's (reproducible;
    SOURCE_DATE_EPOCH, if set, wins)."""
    return dict(os.environ, PYTHONHASHSEED="0", SOURCE_DATE_EPOCH=str(citation.source_date_epoch()))


def _split_by_format(text: str, fmts: list[str]) -> dict[str, str]:
    """The output of each format's build, from the lines that start them (none for formats not started)."""
    parts: dict[str, list[str]] = {}
    for line in text.splitlines(keepends=True):
        if line.startswith(FORMAT_LINE):
            parts[line[len(FORMAT_LINE):].strip()] = []
        elif parts:
            parts[list(parts)[-1]].append(line)
    return {fmt: "".join(parts[fmt]) for fmt in fmts if fmt in parts}


def _build(edition: str, fmts: list[str], env: dict[str, str]) -> dict[str, Path]:
    config_path, toc_path = write_config(edition)
    for fmt in set(fmts) - {"html"}:  # stale files break epubcheck; a stale PDF must not pass for a new one
        shutil.rmtree(edition_dir(edition) / "_build" / ("epub" if fmt == "epub" else "typst"), ignore_errors=True)
    builds = [(fmt, ["build", str(paths.ROOT), "--config", str(config_path), "--toc", str(toc_path),
                     "--path-output", str(edition_dir(edition)), *BUILDERS[fmt], "-W", "-n", "--keep-going"])
              for fmt in fmts]
    completed = subprocess.run([sys.executable, "-c", JUPYTER_BOOK, json.dumps(builds)], cwd=paths.ROOT, env=env,
                               capture_output=True, text=True, errors="replace")
    outputs, errors = _split_by_format(completed.stdout, fmts), _split_by_format(completed.stderr, fmts)
    failed = list(outputs)[-1] if completed.returncode != 0 and outputs else None  # the one that stopped the process
    built = {}
    for fmt in outputs:
        log = edition_dir(edition) / f"build-{fmt}.log"
        log.write_text(ANSI.sub("", outputs[fmt] + errors.get(fmt, "")), encoding="utf-8")  # a kernel's traceback too
        if fmt == failed:
            raise SystemExit(f"Building {edition} as {fmt} failed; the full log is {log}\n" + _problems(log))
        executed = [line for line in outputs[fmt].splitlines() if line.startswith("re-executed ")]
        for line in executed:  # which pages executed, and why (sphinxext/freshness.py)
            print(f"{edition} ({fmt}): {line}", flush=True)
        print(f"{edition} ({fmt}): {len(executed)} page(s) executed", flush=True)
        built[fmt] = _published(edition, fmt, log)
    if completed.returncode != 0 or set(built) != set(fmts):
        raise SystemExit(f"Building {edition} failed before any format started:\n{completed.stderr[-3000:]}")
    return built


def _problems(log: Path) -> str:
    return "\n".join([line for line in log.read_text(encoding="utf-8").splitlines()
                      if "WARNING" in line or "ERROR" in line or "CRITICAL" in line or "problem(s)" in line
                      or line.startswith("  ") and ".csv:" in line][-40:])


def _published(edition: str, fmt: str, log: Path) -> Path:
    """The artifact, copied to ``_build/publish/`` (PDF and EPUB) atomically: a reader never sees half a file."""
    result = artifact(edition, fmt)
    if not result.exists():
        raise SystemExit(f"Building {edition} as {fmt} produced no {result}; see {log}")
    if fmt == "html":
        return result
    PUBLISH.mkdir(parents=True, exist_ok=True)
    published = PUBLISH / result.name
    partial = published.with_name(published.name + ".partial")
    shutil.copyfile(result, partial)
    partial.replace(published)
    return published


def preview(edition: str, port: int) -> None:
    """Serve the edition's HTML and rebuild it, reloading the browser, whenever a source, the code or the data change."""
    config_path, toc_path = write_config(edition)
    subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "config", "sphinx", str(paths.ROOT),
                    "--config", str(config_path), "--toc", str(toc_path)], check=True, cwd=paths.ROOT)
    with (config_path.parent / "conf.py").open("a", encoding="utf-8") as conf:  # paths from the book's root
        conf.write(f"\nbibtex_bibfiles = [{str(paths.ROOT / 'references.bib')!r}]\n")
    built = edition_dir(edition) / "preview"  # its own environment: switching with `make html` rebuilds nothing
    print(f"Preview of {edition} at http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
    subprocess.run([str(Path(sys.executable).parent / "sphinx-autobuild"), str(paths.ROOT), str(built / "html"),
                    "-c", str(config_path.parent), "-d", str(built / ".doctrees"), "--host", "127.0.0.1",
                    "--port", str(port), "--watch", str(paths.ANALYSIS), "--watch", str(paths.data_dir()),
                    "--ignore", str(paths.BUILD), "--ignore", str(paths.ROOT / ".venv"), "--ignore", "*.ipynb",
                    "--ignore", str(paths.RESULTS)], cwd=paths.ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.publication.editions", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build editions in formats")
    b.add_argument("format", choices=(*FORMATS, "all"))
    b.add_argument("edition", nargs="?", default="book", help="an edition, 'brochure' (every language) or 'all'")
    c = commands.add_parser("config", help="write an edition's merged config and toc")
    c.add_argument("edition")
    commands.add_parser("list", help="list the editions")
    p = commands.add_parser("preview", help="serve an edition's HTML, rebuilt and reloaded on every change")
    p.add_argument("edition", nargs="?", default="book")
    p.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if args.command == "list":
        for name, spec in editions().items():
            print(f"{name}: {spec['name']}")
        return 0
    if args.command == "preview":
        preview(expand(args.edition)[0], args.port)
        return 0
    if args.command == "config":
        print(*write_config(args.edition), sep="\n")
        return 0
    names = list(editions()) if args.edition == "all" else expand(args.edition)
    formats = FORMATS if args.format == "all" else (args.format,)
    build_all(names, formats)
    return 0


def build_all(names: list[str], formats: tuple[str, ...], workers: int = os.cpu_count() or 1) -> dict:
    """Build editions in formats, editions side by side (``workers`` at a time, the book first: it takes longest),
    each edition's formats in one process: HTML first, which executes its pages into the edition's execution cache,
    then PDF and EPUB from it. While the book builds, every result is computed once into the results cache
    (:mod:`analysis.results.freshness`), so the other editions' pages only read them. Every page's kernel is a fork
    of one server that has imported what kernels import (:mod:`analysis.publication.kernel`)."""
    from concurrent.futures import ThreadPoolExecutor

    built = {}
    fmts = [fmt for fmt in FORMATS if fmt in formats]

    def run(name: str) -> None:
        started = time.perf_counter()
        for fmt, path in build_formats(name, fmts, env).items():
            built[(name, fmt)] = path
            print(f"{name} ({fmt}): {path.relative_to(paths.ROOT)}", flush=True)
        print(f"{name}: {', '.join(fmts)} in {time.perf_counter() - started:.0f} s", flush=True)

    first, *rest = sorted(names, key=lambda name: name != "book")
    with kernel.serving(_environment()) as env, ThreadPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(run, first)]
        if rest:  # while the book builds, every result is computed once for the other editions to read
            from analysis.results import registry  # pandas, altair: a build of one edition waits for no such import

            jobs.append(pool.submit(registry.compute_all))
        for future in jobs + [pool.submit(run, name) for name in rest]:
            future.result()
    return built


if __name__ == "__main__":
    sys.exit(main())
