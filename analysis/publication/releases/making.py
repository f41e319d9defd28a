"""Making a release: refuse unless the tree is clean and every pin verifies, set the package version, record the
release in ``releases/<version>/``, update the citation metadata, commit and tag (``make release VERSION=x.y``)."""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
from pathlib import Path


from analysis import paths, yaml_text
from analysis.producers import Result
from analysis.publication import editions
from analysis.publication.releases.changes import notes
from analysis.publication.releases.record import (RELEASES, VERSION, Release, ReleaseError, current_records,
                                                  edition_facts, json_text, package_version, page_facts, previous,
                                                  prose_digest, recorded, snapshot, version_key)
from analysis.results import pins, registry
from analysis.version import __version__


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
        (folder / name).write_text(json_text(data), encoding="utf-8")
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
    path.write_text(json_text(zenodo_metadata(yaml_text.parse(citation.read_text(encoding="utf-8")))), encoding="utf-8")


# The package version, wherever it is written (tests/publication/test_editions.py checks they agree).
VERSION_FIELDS = {
    "pyproject.toml": [r'^(version = ")([^"]+)(")'],
    "analysis/version.py": [r'^(__version__ = ")([^"]+)(")'],
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
                           + pins.report(changes, editions.editions()))


def bump_package_version(version: str, git: bool) -> None:
    """Set the package version of ``version`` and re-pin: only the provenance's version may move."""
    old = __version__
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
    if __version__ != package_version(version):
        bump_package_version(version, git)
    if build:
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
    parser = argparse.ArgumentParser(prog="python -m analysis.publication.releases", description=__doc__,
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
