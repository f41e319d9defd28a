"""Numbers that explain themselves, in the HTML: every glued number says where it comes from.

A page prints a result with an inline expression, ``{eval}`n("survey.response.rate")``` or
``{eval}`label("…")``` (:mod:`analysis.publication.inline`): JupyterLab evaluates it in the kernel, the build
never does. Our ``eval`` role (which replaces MyST-NB's, made for inline execution) reads the expression, takes the
value from the registry in the edition's language, as the kernel would print it, and notes it as read by the page
(:func:`inline_reads`: part of the page's freshness key, :mod:`.freshness`). A key that is no published result is a
warning at the line where it is typed, with the closest keys, and so is an expression of another form.

The ``{glue}`` roles (still used by the short editions) keep the key of what they paste. When an HTML page is
written, each printed or pasted number that is a published result becomes a link to its row in the provenance
appendix (the table ``pinned-results``, whose rows get an anchor per key), described (``aria-describedby``) by a
tooltip that names its key, its sources as a reader cites them, the function that computed it and the data files
with their digests. The tooltip shows on hover and on keyboard focus, stays while the pointer is over it and goes
with Escape (WCAG 1.4.13); it needs no network (``numbers.css``, ``numbers.js``).
EPUB and PDF keep the plain number: a reader of those has the appendix.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from docutils import nodes
from myst_nb.ext.glue.roles import PasteRoleAny, PasteTextRole
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from analysis import codekeys, i18n, paths
from analysis.publication import inline, provenance, releases
from analysis.reads import MARKER
from analysis.results import freshness

KEY = "bbox-key"  # the attribute a pasted number carries from the role to the writer
APPENDIX_TABLE = "pinned-results"  # the provenance appendix's table (analysis.results.pins.show_appendix)
ROW_ID = "result-"  # the anchor of a result's row in that table: ROW_ID + key
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")
logger = logging.getLogger(__name__)


def _key_line(source: str, start: int, text: str) -> int:
    """The line of ``source`` where the role holding ``text`` is typed, from ``start``: MyST gives a role the first
    line of its paragraph, and an author looks for the key where it is typed."""
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except OSError:
        return start
    return next((number for number in range(max(start, 1), len(lines) + 1) if f"`{text}`" in lines[number - 1]), start)


def _pinned_keys() -> set[str]:
    path = paths.RESULTS / "provenance.json"
    state = path.stat().st_mtime_ns if path.exists() else None
    if _pins.get("state") != state:
        origins = json.loads(path.read_text(encoding="utf-8")) if state is not None else {}
        _pins.update(state=state, keys={key.split("@")[0] for key in origins})
    return _pins["keys"]


_pins: dict = {}


def _is_result(key: str) -> bool:
    return any(key == prefix or key.startswith(prefix + ".") for prefix in _declared_producers())


def _forgotten(role, key: str, glued: dict) -> str | None:
    """What the author forgot about a glued ``key``, if anything: it is glued by no cell of the page (a typo:
    with the closest keys the page glues), or it is a published result that is not pinned yet (its number would
    link to no row of the appendix). Pins describe ``data/``: with other data (``BBOX_DATA_DIR``) they are not asked."""
    if key not in glued:
        near = difflib.get_close_matches(key, [k for k in glued if not k.startswith(("bbox-", MARKER))], n=3)
        return (f"{key!r} is glued by no cell of this page" + (f"; did you mean {', '.join(near)}?" if near else
                "; `python -m analysis keys PREFIX` lists the published keys"))
    if _is_result(key) and paths.data_dir() == paths.ROOT / "data" and key not in _pinned_keys():
        return (f"{key} is not pinned: run `make pin`, then `python -m analysis translations` for its Dutch and "
                "French titles, and commit results/ with the change")
    return None


def _keyed(role_class):
    """The glue role ``role_class``, marking what it pastes with the key it pasted; a key mistyped or not pinned is
    a warning at the line where it is typed (which fails the strict build)."""

    class Keyed(role_class):
        def run(self):
            key = self.text.rsplit(":", 1)[0] if role_class is PasteTextRole and ":" in self.text else self.text
            renderer = self.document.get("nb_renderer")
            if "::" not in key and renderer is not None:
                problem = _forgotten(self, key, renderer.renderer.nb_client.glue_data)
                if problem:
                    line = _key_line(self.source, self.line, self.text)
                    env = self.document.settings.env
                    logger.warning(problem, location=(env.docname, line), type="bbox", subtype="glue")
                    warned(env).add(env.docname)
                    if key not in renderer.renderer.nb_client.glue_data:
                        return [], []
            pasted, messages = super().run()
            for node in pasted:  # the text itself: myst-nb keeps one format of the pasted bundle when writing
                for text in node.findall(nodes.inline) if isinstance(node, nodes.Element) else ():
                    text[KEY] = key.split("::")[-1]
            return pasted, messages

    return Keyed


_declared: list[dict] = []  # read once per build: the sources do not change while it runs


def _declared_producers() -> dict:
    """The producers the package's sources declare (:func:`analysis.codekeys.declared_producers`), for this build:
    asked for each number shown, it would stat every module each time."""
    if not _declared:
        _declared.append(codekeys.declared_producers())
    return _declared[0]


def _forget_declared(app: Sphinx) -> None:
    _declared.clear()


def published(key: str, lang: str):
    """The published result ``key`` (of any kind) as the build computed it (from the results cache), in ``lang``;
    None if ``key`` is no result of the registry."""
    declared = _declared_producers()
    prefixes = [p for p in declared if key == p or key.startswith(p + ".")]
    if not prefixes:
        return None
    producer = declared[max(prefixes, key=len)]
    found = freshness.valid_entry(producer.prefix, producer.module, lang if producer.translated else "en")
    if found is None:  # not computed for this state: compute it (as a page's kernel would)
        from analysis.results import registry

        results = registry.under(key, lang)
    else:
        results = found.results
    return results.get(key)


def _unknown(key: str) -> str:
    from analysis.results import pins

    near = pins.closest(key, pins.pinned())
    return (f"{key!r} is no published result" + (f"; did you mean {', '.join(near)}?" if near else
            "; `python -m analysis keys PREFIX` lists the published keys"))


def inline_problem(expression: str, lang: str):
    """``(result, None)`` for an inline expression of this book, or ``(None, what is wrong)``."""
    parsed = inline.parse(expression)
    if parsed is None:
        return None, inline.refused(expression)
    function, key = parsed
    result = published(key, lang)
    if result is None:
        return None, _unknown(key)
    if inline.misused(function, key, result.kind):
        return None, inline.misused(function, key, result.kind)
    if paths.data_dir() == paths.ROOT / "data" and key not in _pinned_keys():
        return None, (f"{key} is not pinned: run `make pin`, then `python -m analysis translations` for its Dutch "
                      "and French titles, and commit results/ with the change")
    return result, None


def printed_value(result, lang: str) -> nodes.inline:
    """The text of ``result`` as a glued value is pasted (MyST-NB's inline text), marked with its key."""
    text = inline.shown(result, lang)
    node = nodes.inline(text, text, classes=["output", "text_plain"])
    node[KEY] = result.key
    return node


class EvalRole(SphinxRole):
    """``{eval}`n("key")``` and ``{eval}`label("key")```: the value from the registry, never from the kernel."""

    def run(self):
        env, lang = self.env, _config_language(self.config)
        result, problem = inline_problem(self.text, lang)
        if problem is None and self.inliner.document.get("nb_renderer") is None:
            result, problem = None, ("an {eval} expression needs its page to be a notebook (a kernelspec in its "
                                     "front matter), which JupyterLab runs and the build keeps fresh")
        if problem:
            source, line = self.get_source_info()
            logger.warning(problem, location=(env.docname, _key_line(source, line or 0, self.text)),
                           type="bbox", subtype="eval")
            warned(env).add(env.docname)
            return [], []
        inline_reads(env).setdefault(env.docname, set()).add(f"{MARKER}get:{result.key}@{lang}")
        return [printed_value(result, lang)], []


def inline_reads(env) -> dict[str, set[str]]:
    """The results each page's inline expressions printed, as the kernel's read markers (``get:key@lang``)."""
    if not hasattr(env, "bbox_inline_reads"):
        env.bbox_inline_reads = {}
    return env.bbox_inline_reads


def warned(env) -> set[str]:
    """The pages read with a forgotten key: read again by the next build, so the warning stays until it is fixed
    (Sphinx keeps a page it read, warnings and all, while its source is unchanged)."""
    if not hasattr(env, "bbox_warned"):
        env.bbox_warned = set()
    return env.bbox_warned


def read_warned_again(app: Sphinx, env, added, changed, removed) -> list[str]:
    return sorted(warned(env) & set(env.found_docs))


def forget_warned(app: Sphinx, env, docname: str) -> None:
    warned(env).discard(docname)
    inline_reads(env).pop(docname, None)


def merge_warned(app: Sphinx, env, docnames, other) -> None:
    warned(env).update(warned(other) & set(docnames))
    inline_reads(env).update({doc: read for doc, read in inline_reads(other).items() if doc in docnames})


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
    return _config_language(app.config)


def _config_language(config) -> str:
    return config.language if config.language in i18n.LANGUAGES else "en"


def add_assets(app: Sphinx) -> None:
    if app.builder.name in HTML_BUILDERS:  # not in EPUB: no scripts there (and no appendix: html_only.py)
        app.add_css_file("numbers.css")
        app.add_js_file("numbers.js")


def setup(app: Sphinx) -> dict:
    app.add_role("eval", EvalRole(), override=True)
    app.add_role("glue", _keyed(PasteRoleAny)(), override=True)
    for name, role in (("", PasteRoleAny), ("any", PasteRoleAny), ("text", PasteTextRole)):
        app.add_role_to_domain("glue", name, _keyed(role)(), override=True)
    for node, visit, depart in ((number_origin, _visit_origin, _depart_span),
                                (number_anchor, _visit_anchor, _depart_anchor), (number_tip, _visit_tip, _depart_span)):
        app.add_node(node, html=(visit, depart))
    app.connect("doctree-resolved", explain_numbers)
    app.connect("env-get-outdated", read_warned_again)
    app.connect("env-purge-doc", forget_warned)
    app.connect("env-merge-info", merge_warned)
    app.connect("builder-inited", add_assets)
    app.connect("builder-inited", _forget_declared)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
