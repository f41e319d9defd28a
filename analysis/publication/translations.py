"""Translation as a workflow: English is the source, and every Dutch and French segment says which English it translates.

``editions/translations.yml`` names each English source file and its translations. A segment is

- in a Markdown page: the prose after a ``% segment: <id>`` comment line (a MyST comment, so no edition shows it),
  up to the next marker or code cell. English and its translations carry the same ids; every line of prose must
  belong to a segment, so nothing escapes the check;
- in a fixed-strings file (``analysis/i18n/<lang>.yml``): one key and its string.

``editions/translations.lock.yml`` records, for each translated segment, a hash of the English it was made from.
When the English changes, the segment is stale::

    python -m analysis translations            # lists every stale, missing or unknown segment; fails if any
    python -m analysis translations --accept editions/brochure/nl.md intro   # after re-translating (or to keep it)
    python -m analysis translations --accept     # every stale segment of every file

Why hashes in a lock file rather than gettext catalogs (sphinx-intl): the pages are MyST notebooks whose code cells
differ per language (``LANG = "nl"``) and whose numbers are glued, so a catalog would have to hold whole
paragraphs with roles in them and the translated pages would no longer be files a translator can read and
build on their own. Segment ids keep each language a normal page, and the lock file is a small diff to review.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import yaml

from analysis import paths, yaml_text
from analysis.problems import Problem, report

CONFIG = "editions/translations.yml"
LOCK = "editions/translations.lock.yml"
MARKER = re.compile(r"^%\s*segment:\s*([A-Za-z0-9_.-]+)\s*$")


class TranslationError(ValueError):
    pass


def digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def markdown_segments(path: Path, where: str) -> dict[str, str]:
    """The segments of a MyST page, by id: its prose outside front matter and code cells."""
    lines = path.read_text(encoding="utf-8").splitlines()
    segments: dict[str, list[str]] = {}
    current, fence, start = None, None, 0
    if lines and lines[0].strip() == "---":  # front matter
        start = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), len(lines) - 1) + 1
    for number, line in enumerate(lines[start:], start + 1):
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence) and stripped.rstrip("`~") == "":
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence, current = stripped[:3], None
            continue
        marker = MARKER.match(stripped)
        if marker:
            current = marker[1]
            if current in segments:
                raise TranslationError(f"{where}:{number}: segment {current!r} marked twice")
            segments[current] = []
        elif stripped:
            if current is None:
                raise TranslationError(f"{where}:{number}: prose outside a segment: put a '% segment: <id>' line "
                                       "before it (the same id in the English page and its translations)")
            segments[current].append(stripped)
    return {key: "\n".join(text) for key, text in segments.items()}


def segments(root: Path, file: str) -> dict[str, str]:
    path = root / file
    if not path.exists():
        raise TranslationError(f"{CONFIG}: {file} does not exist")
    if path.suffix in (".yml", ".yaml"):
        table = yaml_text.parse(path.read_text(encoding="utf-8")) or {}
        return {str(key): str(value) for key, value in table.items()}
    return markdown_segments(path, file)


def pairs(root: Path = paths.ROOT) -> list[tuple[str, str, str]]:
    """(English source, language, translation) for every translated file named in the config."""
    config = yaml_text.parse((root / CONFIG).read_text(encoding="utf-8")) or {}
    found = []
    for source, translations in (config.get("files") or {}).items():
        if not isinstance(translations, dict) or not translations:
            raise TranslationError(f"{CONFIG}: files.{source} must map languages to translated files")
        found += [(source, lang, target) for lang, target in translations.items()]
    return found


def _lock(root: Path) -> dict[str, dict[str, str]]:
    path = root / LOCK
    return (yaml_text.parse(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def check(root: Path = paths.ROOT) -> list[Problem]:
    """Every translated segment that is stale, missing, never accepted or translates nothing, as a problem of the
    translation whose column is the segment's id."""
    lock, problems = _lock(root), []
    for source, _, target in pairs(root):
        english, translated = segments(root, source), segments(root, target)
        problems += [Problem(target, None, key, why)
                     for key, why in _segment_problems(source, english, translated, lock.get(target) or {})]
    return problems


def _segment_problems(source: str, english: dict, translated: dict, accepted: dict):
    """(segment, what is wrong) for each segment of one translation that does not match its English."""
    for key, text in english.items():
        if key not in translated:
            yield key, f"is missing (it is in {source})"
        elif key not in accepted:
            yield key, f"was never accepted against {source}"
        elif accepted[key] != digest(text):
            yield key, f"is stale: its English in {source} changed since it was translated"
    yield from ((key, f"translates nothing: {source} has no such segment") for key in translated if key not in english)


def accept(root: Path = paths.ROOT, target: str | None = None, keys: list[str] | None = None) -> list[tuple[str, str]]:
    """Record the current English of the stale segments (of ``target``, or every file; only ``keys`` if given);
    return the (translation, segment) pairs accepted."""
    lock = _lock(root)
    targets = {t for _, _, t in pairs(root)}
    if target is not None and target not in targets:
        raise TranslationError(f"{CONFIG} names no translation {target!r} (known: {', '.join(sorted(targets))})")
    accepted = [(file, key) for source, _, file in pairs(root) if target in (None, file)
                for key in _accept_file(root, source, file, keys, lock.setdefault(file, {}))]
    _write_lock(root, lock)
    return accepted


def _accept_file(root: Path, source: str, file: str, keys: list[str] | None, accepted: dict) -> list[str]:
    """Record in ``accepted`` the English of the segments of one translation (``keys``, or all); return those
    whose recorded English changed."""
    english, translated = segments(root, source), segments(root, file)
    unknown = [k for k in keys or [] if k not in english]
    if unknown:
        raise TranslationError(f"{source} has no segment {', '.join(map(repr, unknown))}")
    changed = []
    for key in keys or english:
        if key not in translated:
            raise TranslationError(f"{file}: cannot accept segment {key!r}: it is not translated yet")
        if accepted.get(key) != digest(english[key]):
            accepted[key] = digest(english[key])
            changed.append(key)
    return changed


def _write_lock(root: Path, lock: dict) -> None:
    header = ("# Written by `python -m analysis translations --accept`: for each translated segment, a hash of the\n"
              "# English it was translated from (see analysis/publication/translations.py). Do not edit by hand.\n")
    ordered = {file: dict(sorted(lock[file].items())) for file in sorted(lock) if lock[file]}
    (root / LOCK).write_text(header + yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True), encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv and argv[0] == "accept":
        target, keys = (argv[1] if len(argv) > 1 else None), argv[2:]
        for file, key in accept(paths.ROOT, target, keys or None):
            print(f"{file}: segment {key!r} accepted")
        return 0
    if argv:
        print("usage: python -m analysis translations [accept [TRANSLATION [SEGMENT ...]]]", file=sys.stderr)
        return 2
    status = report(check(paths.ROOT), "translation segments to update (after re-translating, run "
                                        "`python -m analysis translations --accept FILE SEGMENT`)")
    if not status:
        print("every translation is up to date with its English source")
    return status
