"""The pins: every published result written to ``results/``, and the diff that shows what moved.

``results/`` is committed. ``python -m analysis pin`` recomputes every result from ``data/`` and rewrites it;
``python -m analysis verify`` recomputes into a temporary folder and fails when anything differs. Both print
each change as ``key: old → new``, with the pages and editions that show it.

Layout: ``numbers.json`` (value and the text a reader sees), ``tables/<key>.csv``, ``charts/<key>.vl.json``
(translated results as ``<key>@nl…``), and ``provenance.json`` (for every key: the function, the data files
with their content hash, and the package version). Floats are written with 6 significant digits, so the pins
do not move with the last bits of a numerical library.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import i18n, paths, registry

SIGNIFICANT = 6


def _round(value):
    if isinstance(value, float):
        return float(f"{value:.{SIGNIFICANT}g}")
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def _json(data) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write(results: dict[str, registry.Result], directory: Path) -> None:
    """Write ``results`` as pins into ``directory``, replacing what was there only once all is written."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pins-", dir=directory.parent))
    (staging / "tables").mkdir()
    (staging / "charts").mkdir()
    numbers, provenance = {}, {}
    for key, result in sorted(results.items()):
        provenance[key] = {"kind": result.kind, "title": result.title, "function": result.function,
                           "data": result.data, "version": result.version}
        if result.kind == "number":
            numbers[key] = {"value": _round(result.value), "shown": result.formatted(result.lang)}
        elif result.kind == "table":
            result.value.to_csv(staging / "tables" / f"{key}.csv", index=False, lineterminator="\n",
                                float_format=f"%.{SIGNIFICANT}g")
        else:
            (staging / "charts" / f"{key}.vl.json").write_text(_json(_round(result.value)), encoding="utf-8")
    (staging / "numbers.json").write_text(_json(numbers), encoding="utf-8")
    (staging / "provenance.json").write_text(_json(provenance), encoding="utf-8")
    (staging / "README.md").write_text(
        "# Pinned results\n\nWritten by `make pin` (`python -m analysis pin`); checked by `make verify`. "
        "Do not edit by hand: see analysis/pins.py.\n", encoding="utf-8")
    backup = directory.with_name(directory.name + ".old")
    if directory.exists():
        directory.rename(backup)
    staging.rename(directory)
    shutil.rmtree(backup, ignore_errors=True)


def read(directory: Path) -> dict[str, str]:
    """Every pin as text, keyed by result key: numbers as their value, tables and charts as file contents."""
    directory = Path(directory)
    pins = {}
    if not directory.exists():
        return pins
    numbers = json.loads((directory / "numbers.json").read_text(encoding="utf-8")) if (directory / "numbers.json").exists() else {}
    for key, number in numbers.items():
        pins[key] = f"{number['value']!r} (shown as {number['shown']})"
    for path in sorted((directory / "tables").glob("*.csv")):
        pins[path.name.removesuffix(".csv")] = path.read_text(encoding="utf-8")
    for path in sorted((directory / "charts").glob("*.vl.json")):
        pins[path.name.removesuffix(".vl.json")] = path.read_text(encoding="utf-8")
    return pins


@dataclass(frozen=True)
class Change:
    key: str
    old: str | None
    new: str | None

    def describe(self) -> str:
        if self.old is None:
            return f"{self.key}: new result"
        if self.new is None:
            return f"{self.key}: no longer computed"
        if "\n" in self.old or "\n" in self.new:
            old_rows, new_rows = self.old.splitlines(), self.new.splitlines()
            changed = sum(1 for a, b in zip(old_rows, new_rows) if a != b) + abs(len(old_rows) - len(new_rows))
            return f"{self.key}: {changed} line(s) changed"
        return f"{self.key}: {self.old} → {self.new}"


def diff(old: dict[str, str], new: dict[str, str]) -> list[Change]:
    return [Change(key, old.get(key), new.get(key)) for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]


def sources() -> list[Path]:
    """Every page source of every edition."""
    return sorted([paths.ROOT / "index.md", *paths.CHAPTERS.glob("*.md"), *paths.EDITIONS.rglob("*.md"),
                   *paths.EDITIONS.rglob("*.yml")])


def where_shown(key: str) -> list[str]:
    """The pages (and the editions holding them) whose source names ``key``, or a prefix of it that they glue."""
    from .editions import pages_by_edition

    pattern = re.compile(r"(?<![\w.])" + re.escape(key) + r"(?![\w])")
    prefixes = [key.rsplit(".", i)[0] for i in range(1, key.count(".") + 1)]
    shown = []
    editions_of = pages_by_edition()
    for source in sources():
        text = source.read_text(encoding="utf-8")
        named = pattern.search(text) or any(f'glue_numbers("{p}")' in text for p in prefixes)
        if named:
            page = source.relative_to(paths.ROOT).with_suffix("").as_posix()
            editions = sorted(e for e, pages in editions_of.items() if page in pages)
            if source.name == "key_findings.yml":  # a list of what the short editions show, not a page
                editions = _short_editions_showing(key, editions_of)
            shown.append(f"{page}" + (f" [{', '.join(editions)}]" if editions else ""))
    return shown


def _short_editions_showing(key: str, editions_of: dict[str, set[str]]) -> list[str]:
    import yaml

    listed = yaml.safe_load((paths.EDITIONS / "key_findings.yml").read_text(encoding="utf-8"))["parts"]
    kinds = {kind for part in listed.values() for kind, lists in part.items()
             if any(key in (lists.get(name) or []) for name in ("numbers", "shows"))}
    return sorted(e for e in editions_of if e.split("-")[0] in kinds)


def report(changes: list[Change]) -> str:
    lines = []
    for change in changes:
        base = change.key.split("@")[0]
        places = where_shown(base)
        lines.append(f"  {change.describe()}\n      shown in: {'; '.join(places) if places else 'no page'}")
    return "\n".join(lines)


def compute() -> dict[str, registry.Result]:
    return registry.compute_all()


def pin(directory: Path = paths.RESULTS) -> list[Change]:
    """Recompute every result, rewrite the pins and return what changed."""
    before = read(directory)
    write(compute(), directory)
    return diff(before, read(directory))


def verify(directory: Path = paths.RESULTS) -> list[Change]:
    """Recompute every result into a temporary folder and return how it differs from the pins."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "results"
        write(compute(), fresh)
        return diff(read(directory), read(fresh))


def appendix_table(directory: Path = paths.RESULTS) -> pd.DataFrame:
    """Every pinned result with its origin, for the provenance appendix."""
    provenance = json.loads((Path(directory) / "provenance.json").read_text(encoding="utf-8"))
    numbers = json.loads((Path(directory) / "numbers.json").read_text(encoding="utf-8"))
    rows = []
    for key, origin in sorted(provenance.items()):
        shown = numbers[key]["shown"] if key in numbers else f"{origin['kind']}"
        data = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(origin["data"].items()))
        rows.append({"Key": key, "Value": shown,
                     "Origin": f"{origin['function']} on {data or 'no data file'} (bbox-analysis {origin['version']})"})
    return pd.DataFrame(rows)


def show_appendix() -> None:
    """Display the appendix table of every pinned result (a notebook output, in every format)."""
    from IPython.display import display

    from . import blocks
    from .publish import _cells, data_download

    frame = appendix_table()
    blocks.show(blocks.table(frame, "Every published result, pinned in results/, with the code and data that made it",
                             "pinned-results"),
                blocks.paragraph("Source: ", blocks.literal("analysis.pins.appendix_table"),
                                 " · data: results/numbers.json, results/provenance.json", classes=["provenance"]))
    display(data_download(_cells(frame), "pinned-results.csv", i18n.text("download_csv"), "pinned-results"), raw=True)
