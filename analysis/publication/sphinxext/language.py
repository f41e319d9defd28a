"""A phrase in another language than its page's carries its language in every format (WCAG 3.1.2 Language of
Parts), so that a screen reader pronounces "parcours d'intégration" in a Dutch page as French.

In MyST prose an author writes ``{lang}`fr:parcours d'intégration```; code that builds document nodes from data
strings calls ``phrase(text, "fr")``, since a data string is text and is never parsed for such markup. The phrase
becomes ``<span lang="fr" xml:lang="fr">`` in HTML and EPUB (XHTML reads ``xml:lang``, HTML reads ``lang``; HTML
allows both when they agree) and ``#text(lang: "fr")[…]`` in Typst, which writes ``/Lang (fr)`` on the span's
marked content in the tagged PDF (and hyphenates it as French).
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.utils import unescape
from sphinx.application import Sphinx

LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # BCP 47 as used here: fr, nl, de, en-GB, fr-BE


class foreign_phrase(nodes.inline):  # noqa: N801 (docutils names node classes in lower case)
    """Inline text in the language of its ``lang`` attribute."""


def phrase(text: str, lang: str) -> foreign_phrase:
    """``text`` (as text, never markup) marked as written in ``lang``."""
    if not LANGUAGE_TAG.fullmatch(lang):
        raise ValueError(f"not a language tag: {lang!r}")
    return foreign_phrase(text, text, lang=lang)


def lang_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{lang}`fr:parcours d'intégration```: the language tag, a colon, then the phrase."""
    lang, colon, words = unescape(text).partition(":")
    if not colon or not words.strip() or not LANGUAGE_TAG.fullmatch(lang):
        message = inliner.reporter.error(
            f"{{lang}} needs a language tag, a colon and the phrase, as in {{lang}}`fr:revenu d'intégration`; "
            f"got {text!r}", line=lineno)
        problem = inliner.problematic(rawtext, rawtext, message)
        return [problem], [message]
    return [phrase(words, lang)], []


def visit_html(self, node: foreign_phrase) -> None:
    self.body.append(self.starttag(node, "span", "", lang=node["lang"], **{"xml:lang": node["lang"]}))


def depart_html(self, node: foreign_phrase) -> None:
    self.body.append("</span>")


def visit_typst(self, node: foreign_phrase) -> None:
    from sphinxcontrib_typstbuilder._writer import escape_str

    self.append_inline_fun(node, name="text", named_params={"lang": escape_str(node["lang"])}, force_body=True)


def depart_typst(self, node: foreign_phrase) -> None:
    self.absorb_fun_in_body()


def visit_plain(self, node: foreign_phrase) -> None:
    """Formats with no language markup (LaTeX, text, man…) show the words alone."""


def setup(app: Sphinx) -> dict:
    app.add_role("lang", lang_role, override=True)
    plain = (visit_plain, visit_plain)
    app.add_node(foreign_phrase, override=True, html=(visit_html, depart_html), typst=(visit_typst, depart_typst),
                 latex=plain, text=plain, man=plain, texinfo=plain)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
