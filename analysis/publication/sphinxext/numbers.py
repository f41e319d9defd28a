"""Numbers that explain themselves, in the HTML: every glued number says where it comes from.

The ``{glue}`` roles keep the key of what they paste. When an HTML page is written, each pasted number that is a
published result becomes a link to its row in the provenance appendix (the table ``pinned-results``, whose rows
get an anchor per key), described (``aria-describedby``) by a tooltip that names its key, the function that
computed it and the data files with their digests. The tooltip shows on hover and on keyboard focus, stays while
the pointer is over it and goes with Escape (WCAG 1.4.13); it needs no network (``numbers.css``, ``numbers.js``).
EPUB and PDF keep the plain number: a reader of those has the appendix.
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.ext.glue.roles import PasteRoleAny, PasteTextRole
from sphinx.application import Sphinx

from analysis.publication import i18n
from analysis.results import codekeys, freshness

KEY = "bbox-key"  # the attribute a pasted number carries from the role to the writer
APPENDIX_TABLE = "pinned-results"  # the provenance appendix's table (analysis.results.pins.show_appendix)
ROW_ID = "result-"  # the anchor of a result's row in that table: ROW_ID + key
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")


def _keyed(role_class):
    """The glue role ``role_class``, marking what it pastes with the key it pasted."""

    class Keyed(role_class):
        def run(self):
            pasted, messages = super().run()
            key = self.text.rsplit(":", 1)[0] if role_class is PasteTextRole and ":" in self.text else self.text
            for node in pasted:  # the text itself: myst-nb keeps one format of the pasted bundle when writing
                for text in node.findall(nodes.inline) if isinstance(node, nodes.Element) else ():
                    text[KEY] = key.split("::")[-1]
            return pasted, messages

    return Keyed


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
    declared = codekeys.declared_producers()
    prefixes = [p for p in declared if key == p or key.startswith(p + ".")]
    if not prefixes:
        return None
    producer = declared[max(prefixes, key=len)]
    found = freshness.valid_entry(producer.prefix, producer.module, lang if producer.translated else "en")
    if found is None:  # not computed for this state: compute it (the pages were executed with it)
        from analysis.results import registry

        results = registry.under(key, lang)
    else:
        results = found.results
    result = results.get(key)
    return result if result is not None and result.kind == "number" else None


def explained(pasted: nodes.Element, result, tip_id: str, appendix_uri: str | None, lang: str) -> number_origin:
    """The pasted number as a link to its appendix row, described by its key, function and data files."""
    files = ", ".join(f"{name} ({digest[:8]})" for name, digest in sorted(result.data.items())) or "–"
    # One text: a screen reader reads the description as a sentence, and a page's text stays tag-free around it.
    tip = number_tip("", f"{result.key} · {i18n.text('source', lang)}: {result.function} · "
                         f"{i18n.text('data', lang)}: {files}", ids=[tip_id])
    anchor = number_anchor("", "", pasted.deepcopy(), tip=tip_id,
                           refuri=f"{appendix_uri}#{ROW_ID}{result.key}" if appendix_uri else "")
    return number_origin("", "", anchor, tip)


def _appendix_page(app: Sphinx) -> str | None:
    found = app.env.get_domain("std").labels.get(APPENDIX_TABLE)
    return found[0] if found else None


def anchor_appendix_rows(doctree: nodes.document) -> None:
    """Give each row of the appendix table the anchor its numbers link to."""
    for table in doctree.findall(nodes.table):
        if APPENDIX_TABLE in table["ids"]:
            for row in table.findall(nodes.row):
                if row.parent.tagname == "tbody" and row.children:
                    row["ids"].append(ROW_ID + row.children[0].astext().strip())


def explain_numbers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In HTML pages, every glued number that is a published result explains itself."""
    if app.builder.name not in HTML_BUILDERS:
        return
    lang = app.config.language if app.config.language in i18n.LANGUAGES else "en"
    appendix = _appendix_page(app)
    uri = app.builder.get_relative_uri(docname, appendix) if appendix else None
    pasted = [node for node in doctree.findall(nodes.Element) if node.get(KEY)]
    for index, node in enumerate(pasted, start=1):
        result = published_number(node[KEY], lang)
        if result is not None:
            origin = explained(node, result, f"bbox-number-{index}", uri, lang)
            node.replace_self(origin)
            origin["classes"], origin["ids"] = [], []  # replace_self gave it the pasted text's
    if docname == appendix:
        anchor_appendix_rows(doctree)


def add_assets(app: Sphinx) -> None:
    if app.builder.name in HTML_BUILDERS:  # not in EPUB: its readers have the appendix, and no scripts
        app.add_css_file("numbers.css")
        app.add_js_file("numbers.js")


def setup(app: Sphinx) -> dict:
    app.add_role("glue", _keyed(PasteRoleAny)(), override=True)
    for name, role in (("", PasteRoleAny), ("any", PasteRoleAny), ("text", PasteTextRole)):
        app.add_role_to_domain("glue", name, _keyed(role)(), override=True)
    for node, visit, depart in ((number_origin, _visit_origin, _depart_span),
                                (number_anchor, _visit_anchor, _depart_anchor), (number_tip, _visit_tip, _depart_span)):
        app.add_node(node, html=(visit, depart))
    app.connect("doctree-resolved", explain_numbers)
    app.connect("builder-inited", add_assets)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
