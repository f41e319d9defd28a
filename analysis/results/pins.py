"""The pins: every published result written to ``results/``, and the diff that shows what moved.

``results/`` is committed. ``python -m analysis pin`` recomputes every result from ``data/`` and rewrites it;
``python -m analysis verify`` recomputes into a temporary folder and fails when anything differs. Both print
each change as ``key: old → new``, with the pages and editions that show it.

Layout: ``numbers.json`` (value and the text a reader sees), ``texts.json`` (the words of text results),
``tables/<key>.csv``, ``charts/<key>.vl.json``
(translated results as ``<key>@nl…``), and ``provenance.json`` (for every key: the function, the data files
with their content hash, the results it was computed from, and the package version); all of it is compared.
Every float is written at :data:`analysis.results.precision.SIGNIFICANT` significant digits (chart data sets named by
their place in the spec), so the pins are byte-identical on any machine and move only when a reader could see
a change.

Where a result is shown comes from the last build of each edition: the Sphinx extension records, per page,
every key the page glued or showed (``_build/shown/<edition>.json``, see :func:`record_path`).
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from analysis import paths
from analysis.version import __version__
from analysis.producers import Result
from analysis.results import precision, registry

README = f"""# Pinned results

Written by `make pin` (`python -m analysis pin`); checked by `make verify`. Do not edit by hand: see
analysis/results/pins.py.

Every float is rounded to {precision.SIGNIFICANT} significant digits before it is written, hashed or compared
(analysis/results/precision.py): numbers (`numbers.json`, with the text a reader sees, formatted from the unrounded
value; `texts.json` holds the words of text results, as readers see them), table cells (`tables/`) and chart data (`charts/`, whose inline data sets are named `data-1`, `data-2`,
… by their place in the spec, not by a hash of unrounded values). That is at least two digits more than any page
shows and far above floating-point noise, so these files are byte-identical on any machine, and move when a
reader could see a change. `provenance.json` names, for every result, the function, the data files (with a
content hash) and the results it was computed from; `make verify` compares it too.
"""


def _json(data) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write(results: dict[str, Result], directory: Path) -> None:
    """Write ``results`` as pins into ``directory``, replacing what was there only once all is written."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pins-", dir=directory.parent))
    (staging / "tables").mkdir()
    (staging / "charts").mkdir()
    numbers, texts, provenance = {}, {}, {}
    for key, result in sorted(results.items()):
        provenance[key] = {"kind": result.kind, "title": result.title, **result.origin, "version": __version__}
        # Rounded here too (the registry already did for tables and charts): a pin never holds noise.
        if result.kind == "number":
            numbers[key] = {"value": precision.rounded(result.value), "shown": result.formatted(result.lang)}
        elif result.kind == "text":
            texts[key] = result.value
        elif result.kind == "table":
            precision.round_frame(result.value).to_csv(staging / "tables" / f"{key}.csv", index=False,
                                                       lineterminator="\n",
                                                       float_format=f"%.{precision.SIGNIFICANT}g")
        else:
            (staging / "charts" / f"{key}.vl.json").write_text(_json(precision.round_spec(result.value)),
                                                              encoding="utf-8")
    (staging / "numbers.json").write_text(_json(numbers), encoding="utf-8")
    (staging / "texts.json").write_text(_json(texts), encoding="utf-8")
    (staging / "provenance.json").write_text(_json(provenance), encoding="utf-8")
    (staging / "README.md").write_text(README, encoding="utf-8")
    backup = directory.with_name(directory.name + ".old")
    if directory.exists():
        directory.rename(backup)
    staging.rename(directory)
    shutil.rmtree(backup, ignore_errors=True)


PROVENANCE = "#provenance"  # the suffix of a result's provenance in read()


def read(directory: Path) -> dict[str, str]:
    """Every pin as text, keyed by result key: numbers as their value, tables and charts as file contents,
    and each result's provenance under ``<key>#provenance``."""
    directory = Path(directory)
    pins = {}
    if not directory.exists():
        return pins
    numbers = json.loads((directory / "numbers.json").read_text(encoding="utf-8")) if (directory / "numbers.json").exists() else {}
    for key, number in numbers.items():
        pins[key] = f"{number['value']!r} (shown as {number['shown']})"
    if (directory / "texts.json").exists():
        pins.update(json.loads((directory / "texts.json").read_text(encoding="utf-8")))
    for path in sorted((directory / "tables").glob("*.csv")):
        pins[path.name.removesuffix(".csv")] = path.read_text(encoding="utf-8")
    for path in sorted((directory / "charts").glob("*.vl.json")):
        pins[path.name.removesuffix(".vl.json")] = path.read_text(encoding="utf-8")
    if (directory / "provenance.json").exists():
        for key, origin in json.loads((directory / "provenance.json").read_text(encoding="utf-8")).items():
            pins[key + PROVENANCE] = json.dumps(origin, sort_keys=True, ensure_ascii=False)
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
        if self.key.endswith(PROVENANCE):
            old, new = json.loads(self.old), json.loads(self.new)
            return f"{self.key}: " + "; ".join(_field_change(name, old.get(name), new.get(name))
                                               for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name))
        if "\n" in self.old or "\n" in self.new:
            old_rows, new_rows = self.old.splitlines(), self.new.splitlines()
            blocks = [op for op in difflib.SequenceMatcher(None, old_rows, new_rows, autojunk=False).get_opcodes()
                      if op[0] != "equal"]
            changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in blocks)
            if not blocks:
                return f"{self.key}: white space changed"
            _, i1, i2, j1, j2 = blocks[0]
            first = _short(old_rows[i1]) if i2 > i1 else "(nothing)"  # an insertion removed nothing
            then = _short(new_rows[j1]) if j2 > j1 else "(nothing)"
            return f"{self.key}: {changed} line(s) changed, first {first} → {then}"
        return f"{self.key}: {self.old} → {self.new}"


def _field_change(name: str, old, new) -> str:
    if isinstance(old, dict) or isinstance(new, dict):
        old, new = old or {}, new or {}
        parts = [f"+{k} ({new[k]})" for k in sorted(set(new) - set(old))]
        parts += [f"-{k}" for k in sorted(set(old) - set(new))]
        parts += [f"{k} {old[k]} → {new[k]}" for k in sorted(set(old) & set(new)) if old[k] != new[k]]
        return f"{name} " + (", ".join(parts) or "recorded (none)")
    return f"{name} {old} → {new}"


def _short(row: str, width: int = 70) -> str:
    row = row.strip()
    return row if len(row) <= width else row[:width - 1] + "…"


def diff(old: dict[str, str], new: dict[str, str]) -> list[Change]:
    return [Change(key, old.get(key), new.get(key)) for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]


def record_dir() -> Path:
    """Where each edition's build records what its pages show (``BBOX_SHOWN_DIR`` moves it, e.g. in tests)."""
    return Path(os.environ.get("BBOX_SHOWN_DIR", paths.BUILD / "shown"))


def record_path(edition: str) -> Path:
    return record_dir() / f"{edition}.json"


def write_record(edition: str, pages: dict[str, list[str]]) -> None:
    """Record, for one edition's build, the keys each page glued or showed: ``{page: [key, …]}``."""
    path = record_path(edition)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(_json({page: sorted(set(keys)) for page, keys in sorted(pages.items())}), encoding="utf-8")
    tmp.replace(path)


def records() -> dict[str, dict[str, list[str]]]:
    """Every edition's build record that exists: ``{edition: {page: [key, …]}}``."""
    return {path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(record_dir().glob("*.json")) if not path.name.endswith(".reads.json")}


def where_shown(key: str, recorded: dict[str, dict[str, list[str]]] | None = None) -> list[str]:
    """The pages that glued or showed ``key`` in the last build of each edition, as ``page [edition, …]``."""
    recorded = records() if recorded is None else recorded
    editions_of: dict[str, list[str]] = {}
    for edition, pages in sorted(recorded.items()):
        for page, keys in pages.items():
            if key in keys:
                editions_of.setdefault(page, []).append(edition)
    return [f"{page} [{', '.join(editions)}]" for page, editions in sorted(editions_of.items())]


@dataclass(frozen=True)
class Pinned:
    """A pinned result as ``python -m analysis keys`` lists it."""
    key: str
    kind: str
    title: str
    shown: dict[str, str]  # language -> what a reader sees (a number's text, a text result's words), if any


def pinned(directory: Path = paths.RESULTS) -> dict[str, Pinned]:
    """Every pinned result by key (languages folded together), from ``results/``."""
    directory = Path(directory)
    load = lambda name: json.loads((directory / name).read_text(encoding="utf-8")) if (directory / name).exists() else {}  # noqa: E731
    numbers, texts, origins = load("numbers.json"), load("texts.json"), load("provenance.json")
    found: dict[str, Pinned] = {}
    for full in sorted(origins, key=lambda k: "@" in k):  # English first: its title names the result
        key, _, lang = full.partition("@")
        seen = numbers[full]["shown"] if full in numbers else texts.get(full)
        if key not in found:
            found[key] = Pinned(key, origins[full]["kind"], origins[full].get("title", ""), {})
        if seen is not None:
            found[key].shown[lang or "en"] = seen
    return found


def closest(key: str, known, n: int = 3) -> list[str]:
    """The known keys nearest to a mistyped ``key`` (difflib), best first."""
    return difflib.get_close_matches(key, list(known), n=n, cutoff=0.6)


def report(changes: list[Change], editions) -> str:
    """The changes, each with the pages that show it in the last build of each of ``editions`` (those not built are
    named as not searched)."""
    recorded = {edition: pages for edition, pages in records().items() if edition in editions}
    unbuilt = [edition for edition in editions if edition not in recorded]
    if not recorded:
        lines = [f"  (Where each result is shown is unknown: no edition has a build record in {record_dir()}; "
                 "build one, e.g. `make html`, and run this again.)"]
    else:
        lines = [f"  (Where shown: as recorded by the last build of {', '.join(sorted(recorded))}"
                 + (f"; not built, so not searched: {', '.join(unbuilt)}.)" if unbuilt else ".)")]
    for change in changes:
        line = f"  {change.describe()}"
        if recorded:
            places = where_shown(change.key.removesuffix(PROVENANCE).split("@")[0], recorded)
            line += f"\n      shown in: {'; '.join(places) if places else 'no page'}"
        lines.append(line)
    return "\n".join(lines)


def protection(directory: Path = paths.RESULTS) -> dict[str, str]:
    """The pinned tables that disclosure control published in a safer form than designed, and why (English)."""
    path = Path(directory) / "provenance.json"
    origins = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {key: origin["protection"] for key, origin in sorted(origins.items())
            if origin.get("protection") and "@" not in key}


def compute() -> dict[str, Result]:
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
