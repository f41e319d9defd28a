"""What a release records: every result as readers see it, each edition's and page's facts, where each result is
shown, and every page's text; and the releases recorded in ``releases/``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


from analysis import i18n, paths, yaml_text
from analysis.producers import Result
from analysis.publication import blocks, editions, messages, prose
from analysis.publication.downloads import chart_rows
from analysis.results import pins

RELEASES = paths.ROOT / "releases"
VERSION = re.compile(r"^\d+\.\d+(?:\.\d+)?$")


class ReleaseError(RuntimeError):
    """A release refused, with what to do about it."""


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def package_version(version: str) -> str:
    """The package version of a release: ``0.2`` is ``0.2.0``."""
    return version if version.count(".") == 2 else version + ".0"


def json_text(data) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# -- What a reader sees -------------------------------------------------------------------------------------

def _cells(rows) -> list[list[str]]:
    return [["" if value is None else str(value) for value in row] for row in rows]


def displayed(result: Result, lang: str):
    """A result as a reader of ``lang`` sees it: a number's text; a table's or a chart's header and rows."""
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
    book = yaml_text.parse((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    facts = {}
    for name, spec in editions.editions().items():
        config = editions.merged(book, spec.get("config", {}))
        facts[name] = {"name": spec["name"], "language": config.get("sphinx", {}).get("config", {}).get("language", "en")}
    return facts


def page_facts(facts: dict[str, dict]) -> dict[str, dict]:
    """Every page of every edition: its title (first heading), language and editions."""
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


def snapshot(results: dict[str, Result], records: dict[str, dict[str, list[str]]]) -> dict[str, dict]:
    """``pins.json``: every result as readers see it, with the pages that show it."""
    view, where = reader_view(results), where_shown(records)
    for key, entry in view.items():
        entry["where"] = where.get(key, [])
    return view


def prose_digest(pages: dict[str, dict], view: dict[str, dict]) -> dict[str, list[str]]:
    """``prose.json``: every page's paragraphs, glued numbers and messages as that page's readers see them."""
    summary = {lang: messages.messages(lang) for lang in sorted({facts["language"] for facts in pages.values()})}

    def lookup(lang: str):
        def shown(key: str) -> str | None:
            entry = view.get(key)
            if entry and entry["kind"] in ("number", "text"):
                return entry["shown"].get(lang, entry["shown"]["en"])
            return summary[lang].get(key)
        return shown

    return {page: prose.paragraphs((paths.ROOT / f"{page}.md").read_text(encoding="utf-8"), lookup(facts["language"]))
            for page, facts in sorted(pages.items())}
