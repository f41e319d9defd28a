"""Releases recorded in the repository, and the changelog of published numbers between them.

``make release VERSION=x.y`` (``python -m analysis.publication.releases release x.y``) refuses unless the working tree
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

from analysis.publication.releases.changes import (Moved, changelog, changelog_anchor, changes_frame, diff_path,
                                                   latest_number_changes, moved_since, notes, places, prose_changes)
from analysis.publication.releases.making import (check_version, release, set_package_version, update_citation,
                                                  write_record, write_zenodo, zenodo_metadata)
from analysis.publication.releases.record import (RELEASES, Release, ReleaseError, package_version, previous,
                                                  reader_view, recorded, snapshot)

__all__ = ["Moved", "changelog", "changelog_anchor", "changes_frame", "diff_path", "latest_number_changes",
           "moved_since", "notes", "places", "prose_changes", "check_version", "release", "set_package_version",
           "update_citation", "write_record", "write_zenodo", "zenodo_metadata", "RELEASES", "Release",
           "ReleaseError", "package_version", "previous", "reader_view", "recorded", "snapshot"]
