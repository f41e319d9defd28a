"""Numbers that explain themselves, in the HTML: every printed or glued number says where it comes from.

When an HTML page is written, each number a page printed or pasted (:mod:`.printed` marks it with its key) that is
a published result becomes a link to its row in the provenance appendix (the table ``pinned-results``, whose rows
get an anchor per key), described (``aria-describedby``) by a tooltip that names its key, its sources as a reader
cites them, the function that computed it and the data files with their digests. The tooltip shows on hover and on
keyboard focus, stays while the pointer is over it and goes with Escape (WCAG 1.4.13); it needs no network
(``numbers.css``, ``numbers.js``). EPUB and PDF keep the plain number: a reader of those has the appendix.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from analysis import i18n, paths
from analysis.publication import provenance, releases
from analysis.publication.sphinxext.printed import KEY, edition_language, published

APPENDIX_TABLE = "pinned-results"  # the provenance appendix's table (analysis.results.pins.show_appendix)
ROW_ID = "result-"  # the anchor of a result's row in that table: ROW_ID + key
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


class number_origin(nodes.inline):
    """A glued number and its description."""


class number_anchor(nodes.inline):
    """The focusable number: a link to its row in the appendix (``refuri``), else a focusable span."""


class number_tip(nodes.inline):
    """The description of a number (role tooltip)."""


def _visit_origin(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="bbox-number"))


def _visit_anchor(self, node):
    described = {"aria-describedby": node["tip"]}
    if node.get("refuri"):
        self.body.append(self.starttag(node, "a", "", href=node["refuri"], **described))
    else:
        self.body.append(self.starttag(node, "span", "", tabindex="0", **described))


def _depart_anchor(self, node):
    self.body.append("</a>" if node.get("refuri") else "</span>")


def _visit_tip(self, node):
    self.body.append(self.starttag(node, "span", "", role="tooltip", CLASS="bbox-number-tip"))


def _depart_span(self, node):
    self.body.append("</span>")


def published_number(key: str, lang: str):
    """The published number ``key`` as the build computed it (from the results cache), or None if ``key`` is no
    number of the registry (e.g. a message worded from results)."""
    result = published(key, lang)
    return result if result is not None and result.kind == "number" else None


def change_note(moves: list, version: str, lang: str) -> str:
    """How the number moved in the newest release, in the reader's language ("" if it did not)."""
    move = next((m for m in moves if not m.languages or lang in m.languages), None)
    if move is None:
        return ""
    if move.old is None:
        return i18n.text("number_new_in", lang, version=version)
    return i18n.text("number_changed_in", lang, version=version, old=move.old)


def explained(pasted: nodes.Element, result, tip_id: str, appendix_uri: str | None, lang: str,
              change: str = "") -> number_origin:
    """The pasted number as a link to its appendix row, described by its key, its sources as a reader cites them
    (a year or a count of the reference data names its publisher, as the line under a chart does), the function
    that computed it and its data files, and by how it moved in the newest release (``change``). Without an
    appendix (the report and the brochure, whose readers cite sources, not functions) the description is the
    number's source as a reader cites it, and only that."""
    # One text: a screen reader reads the description as a sentence, and a page's text stays tag-free around it.
    described = provenance.citation(result.origin, lang)
    if appendix_uri:
        files = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(result.data.items())) or "–"
        colon = i18n.text("colon", lang)
        described = (f"{result.key} · {described} · {i18n.text('origin_label', lang)}{colon}{result.function} · "
                     f"{i18n.text('data', lang)}{colon}{files}")
    tip = number_tip("", described + (f" · {change}" if change else ""), ids=[tip_id])
    anchor = number_anchor("", "", pasted.deepcopy(), tip=tip_id,
                           refuri=f"{appendix_uri}#{ROW_ID}{result.key}" if appendix_uri else "")
    return number_origin("", "", anchor, tip)


def _appendix_page(app: Sphinx) -> str | None:
    found = app.env.get_domain("std").labels.get(APPENDIX_TABLE)
    return found[0] if found else None


def _latest_changes(app: Sphinx):
    """The newest release and its moved numbers by key (see :func:`releases.latest_number_changes`), once per
    state of the records."""
    folder = Path(getattr(app.config, "bbox_releases", paths.ROOT / "releases"))
    state = sorted((str(p), p.stat().st_mtime_ns) for p in folder.glob("*/*.json"))
    if _changes.get("state") != state:
        _changes.update(state=state, found=releases.latest_number_changes(folder))
    return _changes["found"]


_changes: dict = {}


def _changes_page(app: Sphinx) -> str | None:
    pages = sorted(getattr(app.env, "bbox_release_pages", ()))
    return pages[0] if pages else None


def anchor_appendix_rows(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each row of the appendix table the anchor its numbers link to; a row of a number that moved in the
    newest release links to its line in the changelog ("What changed in this version")."""
    latest, changes_page = _latest_changes(app), _changes_page(app)
    version, moved = latest if latest and changes_page else (None, {})
    for table in doctree.findall(nodes.table):
        if APPENDIX_TABLE in table["ids"]:
            for row in table.findall(nodes.row):
                if row.parent.tagname == "tbody" and row.children:
                    key = row.children[0].astext().strip()
                    row["ids"].append(ROW_ID + key)
                    if key in moved:
                        link = app.builder.get_relative_uri(docname, changes_page)
                        row.children[-1][-1] += [nodes.Text(" "), nodes.reference(
                            "", i18n.text("number_changelog_link", _language(app), version=version),
                            refuri=f"{link}#{releases.changelog_anchor(version, key)}")]


def explain_numbers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In HTML pages, every glued number that is a published result explains itself."""
    if app.builder.name not in HTML_BUILDERS:
        return
    lang = _language(app)
    appendix = _appendix_page(app)
    uri = app.builder.get_relative_uri(docname, appendix) if appendix else None
    version, moved = _latest_changes(app) or (None, {})
    pasted = [node for node in doctree.findall(nodes.Element) if node.get(KEY)]
    for index, node in enumerate(pasted, start=1):
        result = published_number(node[KEY], lang)
        if result is not None:
            change = change_note(moved.get(result.key, []), version, lang)
            origin = explained(node, result, f"bbox-number-{index}", uri, lang, change)
            node.replace_self(origin)
            origin["classes"], origin["ids"] = [], []  # replace_self gave it the pasted text's
    if docname == appendix:
        anchor_appendix_rows(app, doctree, docname)


def _language(app: Sphinx) -> str:
    return edition_language(app.config)


def add_assets(app: Sphinx) -> None:
    if app.builder.name in HTML_BUILDERS:  # not in EPUB: no scripts there (and no appendix: html_only.py)
        app.add_css_file("numbers.css")
        app.add_js_file("numbers.js")


def setup(app: Sphinx) -> dict:
    for node, visit, depart in ((number_origin, _visit_origin, _depart_span),
                                (number_anchor, _visit_anchor, _depart_anchor), (number_tip, _visit_tip, _depart_span)):
        app.add_node(node, html=(visit, depart))
    app.connect("doctree-resolved", explain_numbers)
    app.connect("builder-inited", add_assets)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
