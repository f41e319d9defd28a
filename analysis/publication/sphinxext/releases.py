"""The book's appendix "What changed in this version", and the reviewer's diff of every page, from ``releases/``.

A page holding the directive ``{release-changes}`` shows, for each recorded release (newest first), the published
numbers, table cells and chart data that moved since the previous release (old → new as readers saw them, and
where they are shown), and the pages whose text changed, each linked to its reviewer's diff. The tables are
document blocks (``analysis/publication/blocks.py``), everything else document nodes: text from the records is
text in every format.

A directive rather than a notebook cell: the records are not an input of any notebook's execution key, so a
new release re-reads the page here (``env-get-outdated``, keyed on the records' files) and executes nothing.

The HTML build writes each reviewer's diff as a standalone page, ``releases/<version>/<page>.html`` beside the
book (:func:`analysis.publication.releases.diff_path`); EPUB and PDF have no such pages, so there the links are plain
text saying where the diff is.
"""

from __future__ import annotations

import hashlib
import posixpath
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from analysis import i18n, paths
from analysis.data import codebook
from analysis.publication import blocks
from analysis.publication.sphinxext.blocks import to_nodes
from analysis.publication import releases

HTML_ONLY = "bbox-html-only"


def _releases(config) -> list[releases.Release]:
    return releases.recorded(Path(config.bbox_releases))


def _section(ids: str, title: str, *content: nodes.Node) -> nodes.section:
    section = nodes.section(ids=[nodes.make_id(ids)])
    section += nodes.title(text=title)
    section += list(content)
    return section


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _numbers(release: releases.Release, earlier: releases.Release, document) -> list[nodes.Node]:
    moved = releases.moved_since(release, earlier)
    if not moved:
        return [nodes.paragraph(text="No published number, table cell or chart datum changed.")]
    intro = blocks.paragraph(
        f"Numbers, table cells and chart data that moved: {len(moved)}, in {_count(len({m.key for m in moved}), 'result')}."
        f" Each row gives what readers saw in version {earlier.version} and what they see in version "
        f"{release.version} (in each language, where the languages differ), and the pages that show it.")
    table = blocks.table(releases.changes_frame(moved, release),
                         f"Published numbers that changed between version {earlier.version} and {release.version}",
                         f"changes-{release.version}")
    built = to_nodes([intro, table], document)
    anchor_rows(built, [m.key for m in moved], release.version)
    return built


def anchor_rows(built: list[nodes.Node], keys: list[str], version: str) -> None:
    """Give each result's first line in the changelog table the anchor its numbers link to (one row per move)."""
    rows = [row for node in built for row in node.findall(nodes.row) if row.parent.tagname == "tbody"]
    for row, key, earlier in zip(rows, keys, [None, *keys]):
        if key != earlier:
            row["ids"].append(releases.changelog_anchor(version, key))


def _prose(release: releases.Release, earlier: releases.Release, docname: str) -> list[nodes.Node]:
    changed = releases.prose_changes(release, earlier)
    if not changed:
        return [nodes.paragraph(text="No page's text changed.")]
    items = nodes.bullet_list()
    for change in changed:
        target = posixpath.relpath(releases.diff_path(release.version, change["page"]), posixpath.dirname(docname) or ".")
        words = change["words"]
        item = nodes.paragraph(text=f"{change['title']} ({change['page']}): {_count(words['added'], 'word')} added, "
                                    f"{words['removed']} removed; ")
        item += nodes.reference("", "the reviewer's diff", refuri=target, classes=[HTML_ONLY])
        items += nodes.list_item("", item)
    intro = nodes.paragraph(text=f"Pages whose text changed: {len(changed)}. Each page's reviewer's diff shows every "
                                 "word added (underlined) and removed (struck through), and says so in words.")
    return [intro, items]


def release_section(release, earlier, docname: str, document) -> nodes.section:
    ids = f"version-{release.version}"
    if earlier is None:
        return _section(ids, f"Version {release.version}", nodes.paragraph(
            text=f"Released on {release.date}. This is the first release of the publication: there is no earlier "
                 "version to compare it with, so nothing is listed as changed."))
    return _section(ids, f"Version {release.version}",
                    nodes.paragraph(text=f"Released on {release.date}, compared with version {earlier.version} "
                                         f"(released on {earlier.date})."),
                    _section(f"{ids}-numbers", "Published numbers", *_numbers(release, earlier, document)),
                    _section(f"{ids}-prose", "Prose", *_prose(release, earlier, docname)))


class ReleaseChanges(SphinxDirective):
    """``{release-changes}``: what changed in each recorded release, newest first."""

    def run(self) -> list[nodes.Node]:
        self.env.bbox_release_pages = getattr(self.env, "bbox_release_pages", set()) | {self.env.docname}
        found = _releases(self.config)
        out: list[nodes.Node] = []
        if not any(r.meta["package_version"] == self.config.release for r in found):
            out.append(nodes.paragraph(text=f"This is version {self.config.release}, not a recorded release: the "
                                            "changes below are those of the recorded releases before it."
                                            if found else "No release has been recorded yet."))
        for release in reversed(found):
            out.append(release_section(release, releases.previous(release, found), self.env.docname,
                                       self.state.document))
        return out


def _signature(config) -> str:
    """Changes whenever a release record is added, removed or edited."""
    digest = hashlib.sha256()
    for path in sorted(Path(config.bbox_releases).glob("*/*.json")):
        digest.update(f"{path}\0{path.stat().st_size}\0{path.stat().st_mtime_ns}\0".encode())
    return digest.hexdigest()


def reread_when_records_change(app: Sphinx, env, added, changed, removed) -> list[str]:
    signature, previous = _signature(app.config), getattr(env, "bbox_releases_signature", None)
    env.bbox_releases_signature = signature
    if previous in (None, signature):
        return []
    return sorted(getattr(env, "bbox_release_pages", set()) & set(env.found_docs) - set(added) - set(changed))


def forget_page(app: Sphinx, env, docname: str) -> None:
    getattr(env, "bbox_release_pages", set()).discard(docname)


def merge_pages(app: Sphinx, env, docnames, other) -> None:
    """Parallel reading: the pages a worker found holding the directive join the main environment's."""
    env.bbox_release_pages = getattr(env, "bbox_release_pages", set()) | getattr(other, "bbox_release_pages", set())


def links_as_text_outside_html(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """EPUB and PDF carry no reviewer's diff: the link says where it is instead."""
    if app.builder.format == "html" and not app.builder.name.startswith("epub"):
        return
    for reference in list(doctree.findall(nodes.reference)):
        if HTML_ONLY in reference["classes"]:
            reference.replace_self(nodes.inline("", "the reviewer’s diff, in the HTML edition"))


def write_diffs(app: Sphinx, exception) -> None:
    """Each recorded release's reviewer's diff of every changed page, as a standalone page of the HTML build."""
    pages = getattr(app.env, "bbox_release_pages", set()) & set(app.env.found_docs)
    if exception is not None or app.builder.name != "html" or not pages:
        return
    back = app.builder.get_target_uri(sorted(pages)[0])
    found = _releases(app.config)
    shutil.rmtree(Path(app.outdir) / "releases", ignore_errors=True)  # no diff of a release no longer recorded
    for release in found:
        earlier = releases.previous(release, found)
        for change in releases.prose_changes(release, earlier) if earlier else []:
            target = Path(app.outdir) / releases.diff_path(release.version, change["page"])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_diff_html(release, earlier, change, posixpath.relpath(
                back, posixpath.dirname(releases.diff_path(release.version, change["page"])))), encoding="utf-8")


def _diff_html(release, earlier, change: dict, back: str) -> str:
    from analysis.publication import prose

    words = change["words"]
    notices = [f"{i18n.text('standin_notice_title', 'en')}: {i18n.text('standin_notice', 'en')}"] if codebook.is_standin() else []
    return prose.diff_page(
        f"{change['title']}: what changed from version {earlier.version} to {release.version}",
        f"The page {change['page']} as published in version {release.version} ({release.date}), against version "
        f"{earlier.version} ({earlier.date}): {words['added']} words added, {words['removed']} removed.",
        notices, (back, "Back to “What changed in this version”"), change["language"], change["diff"])


def setup(app: Sphinx) -> dict:
    app.add_config_value("bbox_releases", str(paths.ROOT / "releases"), "env")
    app.add_directive("release-changes", ReleaseChanges)
    app.connect("env-get-outdated", reread_when_records_change)
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("doctree-resolved", links_as_text_outside_html)
    app.connect("build-finished", write_diffs)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
