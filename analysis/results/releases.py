"""Releases recorded in the repository, and the changelog of published numbers between them.

``make release VERSION=x.y`` (``python -m analysis.results.releases release x.y``) refuses unless the working tree
is clean and every pin verifies; then it sets the version of the package (a re-pin commit: the provenance records
it), builds each edition's HTML so that the record of where each result is shown is current, and writes
``releases/<version>/``:

- ``release.json``: version, date, the previous release, the commit released, each edition's name and language,
  each page's title, language and editions;
- ``pins.json``: every published result as a reader sees it (a number's text in each language; a table's header
  and cells; a chart's data rows), with the pages that show it;
- ``prose.json``: the text of every page of every edition, paragraph by paragraph, numbers as shown
  (:mod:`analysis.publication.prose`), so a later release can diff it;
- ``NOTES.md``: the release notes, with every number, table cell and chart datum that moved since the previous
  release, old → new, and where it is shown.

It updates ``CITATION.cff`` (version, date-released) and ``.zenodo.json``, commits, and tags ``v<version>``
when git is there. Everything a later release or the book's "What changed" page needs is in the record itself:
the changelog works on any copy, with or without git or tags.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from analysis import i18n, paths
from analysis.producers import Result
from analysis.results import pins, registry

RELEASES = paths.ROOT / "releases"
VERSION = re.compile(r"^\d+\.\d+(?:\.\d+)?$")


class ReleaseError(RuntimeError):
    """A release refused, with what to do about it."""


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def package_version(version: str) -> str:
    """The package version of a release: ``0.2`` is ``0.2.0``."""
    return version if version.count(".") == 2 else version + ".0"


def _json(data) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# -- What a reader sees -------------------------------------------------------------------------------------

def _cells(rows) -> list[list[str]]:
    return [["" if value is None else str(value) for value in row] for row in rows]


def displayed(result: Result, lang: str):
    """A result as a reader of ``lang`` sees it: a number's text; a table's or a chart's header and rows."""
    from analysis.publication import blocks
    from analysis.publication.downloads import chart_rows

    if result.kind == "number":
        return result.formatted(lang)
    if result.kind == "text":
        return result.value
    if result.kind == "table":
        block = blocks.table(result.value, result.title, "")
        return [block["header"], *block["rows"]]
    return _cells(chart_rows(result.value))


def reader_view(results: dict[str, Result]) -> dict[str, dict]:
    """Every result as readers see it, translated variants (``key@nl``) folded into their key: ``{key: {"kind",
    "title", "shown": {lang: display}}}``. A number is shown in every language's conventions; a table or chart in
    the languages it is translated into (English otherwise)."""
    view = {}
    for key, result in sorted(results.items()):
        if "@" in key:
            continue
        languages = i18n.LANGUAGES if result.kind == "number" else (
            "en", *(lang for lang in i18n.LANGUAGES if f"{key}@{lang}" in results))
        view[key] = {"kind": result.kind, "title": result.title,
                     "shown": {lang: displayed(results.get(f"{key}@{lang}", result), lang)
                               for lang in dict.fromkeys(languages)}}
    return view


# -- Editions and pages --------------------------------------------------------------------------------------

def edition_facts() -> dict[str, dict]:
    """Each edition's name and language, as its merged configuration has them."""
    from analysis.publication import editions

    book = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    facts = {}
    for name, spec in editions.editions().items():
        config = editions.merged(book, spec.get("config", {}))
        facts[name] = {"name": spec["name"], "language": config.get("sphinx", {}).get("config", {}).get("language", "en")}
    return facts


def page_facts(facts: dict[str, dict]) -> dict[str, dict]:
    """Every page of every edition: its title (first heading), language and editions."""
    from analysis.publication import editions, prose

    pages: dict[str, dict] = {}
    for edition, names in sorted(editions.pages_by_edition().items()):
        for page in sorted(names):
            entry = pages.setdefault(page, {"title": prose.title(paths.ROOT / f"{page}.md") or page,
                                            "language": facts[edition]["language"], "editions": []})
            entry["editions"].append(edition)
    return pages


def where_shown(records: dict[str, dict[str, list[str]]]) -> dict[str, list[list[str]]]:
    """``{key: [[edition, page], …]}`` from the build records of every edition."""
    where: dict[str, list[list[str]]] = {}
    for edition, pages in sorted(records.items()):
        for page, keys in sorted(pages.items()):
            for key in keys:
                where.setdefault(key, []).append([edition, page])
    return where


def current_records() -> dict[str, dict[str, list[str]]]:
    """The build records of every edition, refusing when one is missing (where its numbers are shown is unknown)."""
    from analysis.publication import editions

    recorded = pins.records()
    missing = [name for name in editions.editions() if name not in recorded]
    if missing:
        raise ReleaseError(f"no build record of {', '.join(missing)} in {pins.record_dir()}: where their results are "
                           f"shown is unknown. Build them (make html EDITION=…) or run without --no-build.")
    return recorded


# -- The records ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Release:
    """One recorded release: ``releases/<version>/``."""

    version: str
    folder: Path

    def _read(self, name: str):
        return json.loads((self.folder / name).read_text(encoding="utf-8"))

    @cached_property
    def meta(self) -> dict:
        return self._read("release.json")

    @cached_property
    def pins(self) -> dict:
        return self._read("pins.json")

    @cached_property
    def prose(self) -> dict[str, list[str]]:
        return self._read("prose.json")

    @property
    def date(self) -> str:
        return self.meta["date"]


def recorded(root: Path = RELEASES) -> list[Release]:
    """Every release recorded under ``root``, oldest first."""
    found = [Release(folder.name, folder) for folder in Path(root).glob("*/")
             if VERSION.match(folder.name) and (folder / "release.json").is_file()]
    return sorted(found, key=lambda release: version_key(release.version))


def previous(release: Release, releases: list[Release]) -> Release | None:
    earlier = [other for other in releases if version_key(other.version) < version_key(release.version)]
    return earlier[-1] if earlier else None


# -- The changelog of published numbers ------------------------------------------------------------------------

@dataclass(frozen=True)
class Moved:
    """One published number, table cell or chart datum that moved between two releases, as readers see it."""

    key: str
    kind: str
    title: str
    item: str  # which cell or datum: "" for a number (or a whole result), "row · column" for a cell
    languages: tuple[str, ...]  # the languages in which it moved so (all: the same text in every language)
    old: str | None  # None: not published before
    new: str | None  # None: no longer published
    where: tuple[tuple[str, str], ...]  # (edition, page) that show it in those languages, as the newer release recorded

    @property
    def name(self) -> str:
        return " · ".join(part for part in (self.title or self.key, self.item) if part)


def changelog(old: dict[str, dict], new: dict[str, dict], languages: dict[str, str]) -> list[Moved]:
    """Every number, cell and datum whose text differs between two releases' pins (``pins.json``), in the
    languages of the editions that show it (``languages``: edition → language; every language if none shows it)."""
    moved = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before and after and before["shown"] == after["shown"]:
            continue
        entry = after or before
        where = tuple(tuple(place) for place in entry.get("where", []))
        readers = [languages[edition] for edition, _ in where if edition in languages] or list(i18n.LANGUAGES)
        moved += [Moved(key, entry["kind"], entry["title"], item, shown_in, was, now,
                        tuple(place for place in where if not shown_in or languages.get(place[0]) in shown_in))
                  for item, shown_in, was, now in _moves(before, after, set(readers))]
    return moved


def _moves(before: dict | None, after: dict | None, readers: set[str]) -> list[tuple]:
    """The differences in each language readers read it in, one entry per difference with the languages that
    share it (none named when all of them do)."""
    shown_before, shown_after = (before or {}).get("shown", {}), (after or {}).get("shown", {})
    every = list(dict.fromkeys([*shown_after, *shown_before]))
    languages = [lang for lang in every if lang in readers] or every  # shown untranslated: its one text
    grouped: dict[tuple, list[str]] = {}
    for lang in languages:
        was, now = shown_before.get(lang), shown_after.get(lang)
        if was != now:
            for difference in _differences(was, now):
                grouped.setdefault(difference, []).append(lang)
    return [(item, tuple(shared) if len(shared) < len(languages) else (), was, now)
            for (item, was, now), shared in grouped.items()]


def _differences(was, now) -> list[tuple[str, str | None, str | None]]:
    if isinstance(was, list) and isinstance(now, list):
        return _cell_moves(was, now)
    return [("", _summary(was), _summary(now))]


def _summary(shown) -> str | None:
    """A number's text, or what a whole table or chart is (when it appears or goes)."""
    if isinstance(shown, list):
        return f"{len(shown) - 1} rows: {', '.join(shown[0])}"
    return shown


def _cell_moves(was: list[list[str]], now: list[list[str]]) -> list[tuple[str, str | None, str | None]]:
    """Cell by cell: rows matched by their label, cells by their column's name."""
    moves = [("columns", " | ".join(was[0]), " | ".join(now[0]))] if was[0] != now[0] else []
    rows_before, rows_after = _labelled(was, now)
    for label in dict.fromkeys([*rows_after, *rows_before]):
        row_before, row_after = rows_before.get(label), rows_after.get(label)
        if row_before is None or row_after is None:
            moves.append((label, _row_text(row_before), _row_text(row_after)))
            continue
        moves += [(f"{label} · {column}", row_before.get(column), row_after.get(column))
                  for column in dict.fromkeys([*row_after, *row_before])
                  if row_before.get(column) != row_after.get(column)]
    return moves


def _row_text(row: dict[str, str] | None) -> str | None:
    return None if row is None else "; ".join(f"{column}: {value}" for column, value in row.items())


def _labelled(was: list[list[str]], now: list[list[str]]) -> tuple[dict, dict]:
    """Each table's rows as ``{label: {column: cell}}``, labelled by the first way that is unique in both: the
    first cell, the cells of the columns that hold no number (a chart's category and series), the row's place."""
    from analysis.publication.downloads import NUMBER

    tables = [[dict(zip(rows[0], row)) for row in rows[1:]] for rows in (was, now)]
    text_columns = [column for column in dict.fromkeys([*was[0], *now[0]])
                    if all(not NUMBER.fullmatch(row.get(column, "")) for rows in tables for row in rows)]
    ways = [lambda row, place: next(iter(row.values()), ""),
            lambda row, place: " · ".join(row.get(column, "") for column in text_columns) if text_columns else None,
            lambda row, place: f"row {place + 1}"]
    for label in ways:
        labelled = [{label(row, place): row for place, row in enumerate(rows)} for rows in tables]
        if all(None not in found and len(found) == len(rows) for found, rows in zip(labelled, tables)):
            return labelled[0], labelled[1]
    raise AssertionError("rows labelled by their place are always unique")


def places(where, release: Release) -> list[str]:
    """Where a result is shown, as readers name it: the edition, then the page's title."""
    editions, pages = release.meta["editions"], release.meta["pages"]
    return [f"{editions.get(edition, {}).get('name', edition)}: {pages.get(page, {}).get('title', page)}"
            for edition, page in where]


def moved_since(release: Release, earlier: Release) -> list[Moved]:
    languages = {name: facts["language"] for name, facts in release.meta["editions"].items()}
    return changelog(earlier.pins, release.pins, languages)


def prose_changes(release: Release, earlier: Release) -> list[dict]:
    """Each page whose text changed: its title, language, words added and removed, and the diff."""
    from analysis.publication import prose

    changed = []
    for page in sorted(set(release.prose) | set(earlier.prose)):
        before, after = earlier.prose.get(page, []), release.prose.get(page, [])
        if before == after:
            continue
        facts = release.meta["pages"].get(page) or earlier.meta["pages"][page]
        diffed = prose.page_diff(before, after)
        changed.append({"page": page, "title": facts["title"], "language": facts["language"],
                        "words": prose.counts(diffed), "diff": diffed})
    return changed


def diff_path(version: str, page: str) -> str:
    """Where the reviewer's diff of ``page`` in ``version`` lands in the HTML build, from its root."""
    return f"releases/{version}/{page}.html"


def changelog_anchor(version: str, key: str) -> str:
    """The id of ``key``'s first line in the changelog of ``version`` (the "What changed" page)."""
    return f"changed-{version}-{key}"


def latest_number_changes(root: Path = RELEASES) -> tuple[str, dict[str, list[Moved]]] | None:
    """The newest recorded release and the numbers that moved in it, by key; None before a second release."""
    found = recorded(root)
    earlier = previous(found[-1], found) if found else None
    if earlier is None:
        return None
    by_key: dict[str, list[Moved]] = {}
    for moved in moved_since(found[-1], earlier):
        if moved.kind == "number":
            by_key.setdefault(moved.key, []).append(moved)
    return found[-1].version, by_key


def changes_frame(moved: list[Moved], release: Release):
    """The changelog as a table readers read: the result (its key, the languages if not all), where it is
    shown, before, after."""
    import pandas as pd

    rows = [{"Result": f"{m.title or m.key} ({m.key})" + (f": {m.item}" if m.item else "")
                       + (f" [{', '.join(m.languages)}]" if m.languages else ""),
             "Shown in": "; ".join(places(m.where, release)) or "no page of the last build",
             "Before": "not published" if m.old is None else m.old,
             "After": "no longer published" if m.new is None else m.new} for m in moved]
    return pd.DataFrame(rows, columns=["Result", "Shown in", "Before", "After"])


# -- Release notes -------------------------------------------------------------------------------------------

MARKDOWN_SIGN = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def _md(text: str) -> str:
    """Text as Markdown text: every sign Markdown would read escaped (a cell may hold ``*`` or ``<``)."""
    return MARKDOWN_SIGN.sub(r"\\\1", str(text))


def notes(release: Release, earlier: Release | None) -> str:
    """The release notes: what changed for readers since the previous release (Markdown, every value escaped)."""
    lines = [f"# Release {release.version}", "",
             f"Released {release.date} (package version {release.meta['package_version']}"
             + (f", commit {release.meta['commit'][:12]}" if release.meta.get("commit") else "") + ")."]
    if earlier is None:
        counts = {kind: sum(entry["kind"] == kind for entry in release.pins.values()) for kind in ("number", "table", "chart")}
        lines += ["", "The first recorded release: there is no earlier release to compare it with. It publishes "
                  f"{counts['number']} numbers, {counts['table']} tables and {counts['chart']} charts "
                  f"on {len(release.prose)} pages."]
        return "\n".join(lines) + "\n"
    lines += [f"Previous release: {earlier.version} ({earlier.date})."]
    return "\n".join(lines + _numbers_notes(release, earlier) + _prose_notes(release, earlier)) + "\n"


def _numbers_notes(release: Release, earlier: Release) -> list[str]:
    moved = moved_since(release, earlier)
    lines = ["", f"## Published numbers that changed since {earlier.version}", ""]
    if not moved:
        return lines + ["No published number, table cell or chart datum changed."]
    lines.append(f"{len(moved)} numbers, table cells and chart data moved, in {len({m.key for m in moved})} results; "
                 "each as readers see it, old → new, with the pages that show it.")
    for key in dict.fromkeys(m.key for m in moved):
        items = [m for m in moved if m.key == key]
        where = places(dict.fromkeys(place for m in items for place in m.where), release)
        lines += ["", f"### {_md(items[0].title or key)} (`{key}`)", "",
                  "Shown in: " + ("; ".join(_md(place) for place in where) or "no page of the last build") + ".", ""]
        lines += [f"- {_md(m.item) + ': ' if m.item else ''}{_md(m.old or 'not published')} → "
                  f"{_md(m.new or 'no longer published')}" + (f" ({', '.join(m.languages)})" if m.languages else "")
                  for m in items]
    return lines


def _prose_notes(release: Release, earlier: Release) -> list[str]:
    changed = prose_changes(release, earlier)
    lines = ["", f"## Prose that changed since {earlier.version}", ""]
    if not changed:
        return lines + ["No page's text changed."]
    lines += [f"- {_md(c['title'])} (`{c['page']}`): {c['words']['added']} words added, {c['words']['removed']} removed"
              for c in changed]
    return lines + ["", "Each page's words added and removed are marked in the reviewer's diff of the HTML book "
                    f"(`{diff_path(release.version, '<page>')}`), linked from its appendix \"What changed in this version\"."]


# -- Recording a release ---------------------------------------------------------------------------------------

def snapshot(results: dict[str, Result], records: dict[str, dict[str, list[str]]]) -> dict[str, dict]:
    """``pins.json``: every result as readers see it, with the pages that show it."""
    view, where = reader_view(results), where_shown(records)
    for key, entry in view.items():
        entry["where"] = where.get(key, [])
    return view


def prose_digest(pages: dict[str, dict], view: dict[str, dict]) -> dict[str, list[str]]:
    """``prose.json``: every page's paragraphs, glued numbers and messages as that page's readers see them."""
    from analysis.publication import findings, prose

    messages = {lang: findings.messages(lang) for lang in sorted({facts["language"] for facts in pages.values()})}

    def lookup(lang: str):
        def shown(key: str) -> str | None:
            entry = view.get(key)
            if entry and entry["kind"] in ("number", "text"):
                return entry["shown"].get(lang, entry["shown"]["en"])
            return messages[lang].get(key)
        return shown

    return {page: prose.paragraphs((paths.ROOT / f"{page}.md").read_text(encoding="utf-8"), lookup(facts["language"]))
            for page, facts in sorted(pages.items())}


def write_record(version: str, date: str, commit: str | None, records: dict, root: Path = RELEASES,
                 results: dict[str, Result] | None = None) -> Release:
    """Write ``releases/<version>/``: release.json, pins.json, prose.json and NOTES.md."""
    facts = edition_facts()
    pages = page_facts(facts)
    view = snapshot(registry.compute_all() if results is None else results, records)
    earlier = [r for r in recorded(root) if version_key(r.version) < version_key(version)]
    meta = {"version": version, "package_version": package_version(version), "date": date, "commit": commit,
            "previous": earlier[-1].version if earlier else None, "editions": facts, "pages": pages}
    folder = Path(root) / version
    folder.mkdir(parents=True)
    for name, data in (("release.json", meta), ("pins.json", view), ("prose.json", prose_digest(pages, view))):
        (folder / name).write_text(_json(data), encoding="utf-8")
    release = Release(version, folder)
    (folder / "NOTES.md").write_text(notes(release, earlier[-1] if earlier else None), encoding="utf-8")
    return release


# -- Citation metadata -------------------------------------------------------------------------------------------

CITATION = paths.ROOT / "CITATION.cff"
ZENODO = paths.ROOT / ".zenodo.json"


def _set_field(text: str, pattern: str, value: str, where: str) -> str:
    """Replace the value of the one line ``pattern`` matches (groups: before, value, after), keeping the rest."""
    found = re.compile(pattern, re.M)
    if len(found.findall(text)) != 1:
        raise ReleaseError(f"{where}: expected one line matching {pattern!r} to set to {value}")
    return found.sub(lambda match: match.group(1) + value + match.group(3), text)


def update_citation(version: str, date: str, path: Path = CITATION) -> None:
    text = path.read_text(encoding="utf-8")
    text = _set_field(text, r"^(version: )(.*)()$", package_version(version), path.name)
    path.write_text(_set_field(text, r"^(date-released: )(.*)()$", date, path.name), encoding="utf-8")


def zenodo_metadata(citation: dict) -> dict:
    """Zenodo's deposit metadata from CITATION.cff (nothing added that the citation does not say: no DOI)."""
    creators = [{key: value for key, value in (("name", a.get("name") or f"{a['family-names']}, {a['given-names']}"),
                                               ("affiliation", a.get("affiliation")), ("orcid", a.get("orcid")))
                 if value} for a in citation["authors"]]
    metadata = {"title": citation["title"], "description": citation.get("abstract", citation["title"]),
                "upload_type": "software", "creators": creators, "version": str(citation["version"]),
                "publication_date": str(citation["date-released"]), "license": citation["license"],
                "keywords": list(citation.get("keywords", [])), "access_right": "open"}
    if citation.get("doi"):
        metadata["doi"] = citation["doi"]
    return metadata


def write_zenodo(citation: Path = CITATION, path: Path = ZENODO) -> None:
    path.write_text(_json(zenodo_metadata(yaml.safe_load(citation.read_text(encoding="utf-8")))), encoding="utf-8")


# The package version, wherever it is written (tests/publication/test_editions.py checks they agree).
VERSION_FIELDS = {
    "pyproject.toml": [r'^(version = ")([^"]+)(")'],
    "analysis/__init__.py": [r'^(__version__ = ")([^"]+)(")'],
    "_config.yml": [r'^(    version: ")([^"]+)(")', r'^(    release: ")([^"]+)(")',
                    r'^(    epub_uid: "bbox-book-)([^"]+)(")', r'^(    epub_identifier: "bbox-book-)([^"]+)(")'],
    "CITATION.cff": [r"^(version: )(.*)()$"],
}


def set_package_version(version: str, root: Path = paths.ROOT) -> list[str]:
    """Write the package version ``version`` wherever it is written; return the files."""
    for name, patterns in VERSION_FIELDS.items():
        path = Path(root) / name
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            text = _set_field(text, pattern, version, name)
        path.write_text(text, encoding="utf-8")
    return list(VERSION_FIELDS)


# -- git (optional: the record in releases/ is what counts) ---------------------------------------------------

def _git(*args: str, root: Path = paths.ROOT) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def in_git(root: Path = paths.ROOT) -> bool:
    try:
        return _git("rev-parse", "--is-inside-work-tree", root=root) == "true"
    except (OSError, subprocess.CalledProcessError):
        return False


def _commit(message: str, files: list[str], root: Path = paths.ROOT) -> None:
    _git("add", "--", *files, root=root)
    _git("commit", "--quiet", "-m", message, "--", *files, root=root)


# -- The release ----------------------------------------------------------------------------------------------

def check_version(version: str, git: bool, root: Path = RELEASES) -> None:
    """Refuse a version that is malformed, already recorded or tagged, or not after the last release."""
    if not VERSION.match(version):
        raise ReleaseError(f"VERSION must look like 1.2 (or 1.2.3), not {version!r}: make release VERSION=x.y")
    earlier = recorded(root)
    if any(r.version == version for r in earlier) or (Path(root) / version).exists():
        raise ReleaseError(f"release {version} is already recorded in {Path(root) / version}")
    if earlier and version_key(version) <= version_key(earlier[-1].version):
        raise ReleaseError(f"release {version} must come after the last recorded release, {earlier[-1].version}")
    if git and subprocess.run(["git", "rev-parse", "-q", "--verify", f"refs/tags/v{version}"], cwd=paths.ROOT,
                              capture_output=True).returncode == 0:
        raise ReleaseError(f"the tag v{version} exists already, but releases/{version} does not: remove the tag "
                           f"(git tag -d v{version}) or choose another version")


def check_clean_and_verified(git: bool) -> None:
    """Refuse a dirty working tree (the release would not be a commit) and pins that do not verify."""
    if git:
        dirty = _git("status", "--porcelain").splitlines()
        if dirty:
            raise ReleaseError("the working tree is not clean; commit or stash first:\n  " + "\n  ".join(dirty[:20]))
    else:
        print("Not a git checkout: recording the release without a commit or a tag.", flush=True)
    changes = pins.verify()
    if changes:
        raise ReleaseError("the pins in results/ do not verify (run `make pin`, review and commit first):\n"
                           + pins.report(changes))


def bump_package_version(version: str, git: bool) -> None:
    """Set the package version of ``version`` and re-pin: only the provenance's version may move."""
    old = __import__("analysis").__version__
    before = pins.read(paths.RESULTS)
    files = set_package_version(package_version(version))
    subprocess.run([sys.executable, "-m", "analysis", "pin"], cwd=paths.ROOT, check=True, stdout=subprocess.DEVNULL)
    moved = [change.key for change in pins.diff(before, pins.read(paths.RESULTS))
             if not change.key.endswith(pins.PROVENANCE)]
    if moved:
        raise ReleaseError(f"setting the version moved published results (it must not): {', '.join(moved[:10])}")
    if git:
        _commit(f"Re-pin: version {old} → {package_version(version)} (the provenance of every result records the "
                "package version; no published value moved)", [*files, "results"])


def release(version: str, date: str, build: bool = True) -> Release:
    """Record ``version``: refuse unless clean and verified, set the version, record, cite, commit and tag."""
    git = in_git()
    check_version(version, git)
    check_clean_and_verified(git)
    if __import__("analysis").__version__ != package_version(version):
        bump_package_version(version, git)
    if build:
        from analysis.publication import editions

        editions.build_all(list(editions.editions()), ("html",))  # the record of where each result is shown
    recorded_release = write_record(version, date, _git("rev-parse", "HEAD") if git else None, current_records())
    update_citation(version, date)
    write_zenodo()
    if git:
        _commit(f"Release {version}", [str(recorded_release.folder.relative_to(paths.ROOT)), CITATION.name, ZENODO.name])
        _git("tag", "-a", f"v{version}", "-m", f"Release {version}")
    return recorded_release


def _date(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ReleaseError(f"the date must be YYYY-MM-DD, not {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.results.releases", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("release", help="record a release (make release VERSION=x.y)")
    making.add_argument("version")
    making.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
                        help="the release date, YYYY-MM-DD (default: today, UTC)")
    making.add_argument("--no-build", action="store_true",
                        help="use the editions' last build records of where each result is shown, without building")
    showing = commands.add_parser("notes", help="print the release notes of a recorded release")
    showing.add_argument("version")
    args = parser.parse_args(argv)
    try:
        if args.command == "notes":
            found = {r.version: r for r in recorded()}
            if args.version not in found:
                raise ReleaseError(f"no release {args.version} in {RELEASES} (recorded: {', '.join(found) or 'none'})")
            print(notes(found[args.version], previous(found[args.version], list(found.values()))), end="")
            return 0
        made = release(args.version, _date(args.date), build=not args.no_build)
    except ReleaseError as refused:
        print(f"Release refused: {refused}", file=sys.stderr)
        return 1
    print(f"Recorded release {made.version} in {made.folder.relative_to(paths.ROOT)}:\n")
    print((made.folder / "NOTES.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
