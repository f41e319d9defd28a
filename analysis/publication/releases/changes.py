"""The changelog between two recorded releases: every published number, table cell and chart datum that moved, as
readers see it and where it is shown; the pages whose prose changed; and the release notes that say both."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import i18n
from analysis.publication import prose
from analysis.publication.downloads import NUMBER
from analysis.publication.releases.record import RELEASES, Release, previous, recorded


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
