"""Numbers a page prints and pastes, read by the build: the ``{eval}`` role and the ``{glue}`` roles that keep a key.

A page prints a result with an inline expression, ``{eval}`n("survey.response.rate")``` or
``{eval}`label("…")``` (:mod:`analysis.publication.inline`): JupyterLab evaluates it in the kernel, the build
never does. Our ``eval`` role (which replaces MyST-NB's, made for inline execution) reads the expression, takes the
value from the registry in the edition's language, as the kernel would print it, and notes it as read by the page
(:func:`inline_reads`: part of the page's freshness key, :mod:`.freshness`). A key that is no published result is a
warning at the line where it is typed, with the closest keys, and so is an expression of another form.

The ``{glue}`` roles (still used by the short editions) keep the key of what they paste (:data:`KEY`), and warn,
where the key is typed, of a key the page glues nowhere or one not pinned. :mod:`.numbers` makes each printed or
pasted number explain itself in the HTML; :mod:`.shown` records which keys each page showed.
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
from analysis.publication import inline
from analysis.reads import MARKER
from analysis.results import freshness

KEY = "bbox-key"  # the attribute a printed or pasted number carries from the role to the writer
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
        env, lang = self.env, edition_language(self.config)
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


def edition_language(config) -> str:
    """The language of the edition a Sphinx config builds (English unless Dutch or French)."""
    return config.language if config.language in i18n.LANGUAGES else "en"


def setup(app: Sphinx) -> dict:
    app.add_role("eval", EvalRole(), override=True)
    app.add_role("glue", _keyed(PasteRoleAny)(), override=True)
    for name, role in (("", PasteRoleAny), ("any", PasteRoleAny), ("text", PasteTextRole)):
        app.add_role_to_domain("glue", name, _keyed(role)(), override=True)
    app.connect("env-get-outdated", read_warned_again)
    app.connect("env-purge-doc", forget_warned)
    app.connect("env-merge-info", merge_warned)
    app.connect("builder-inited", _forget_declared)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
