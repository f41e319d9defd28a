"""Every fixed string in every language: a string of ``analysis/i18n/en.yml`` (a result's title, a label, a
sentence) without its Dutch or French is a warning of every build, the English ones too, so the strict build fails
where the author added it and not later, when ``make pin`` computes the Dutch and French results."""

from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.util import logging

from analysis import codekeys, i18n

logger = logging.getLogger(__name__)
LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French"}


def missing() -> list[tuple[str, str, int]]:
    """``(language, key, line of the key in en.yml)`` for each English string another language lacks."""
    english = i18n.strings("en")
    lines = (i18n._DIR / "en.yml").read_text(encoding="utf-8").splitlines()
    where = {}
    for number, line in enumerate(lines, start=1):
        found = re.match(r"""^["']?([^\s"':][^"':]*)["']?\s*:""", line)
        if found:
            where.setdefault(found.group(1), number)
    return [(lang, key, where.get(key, 1)) for lang in LANGUAGE_NAMES for key in english
            if key not in i18n.strings(lang)]


def warn(app: Sphinx) -> None:
    source = codekeys.relative(i18n._DIR / "en.yml")
    for lang, key, line in missing():
        logger.warning(f"{key!r} has no {LANGUAGE_NAMES[lang]} (add it to analysis/i18n/{lang}.yml, then "
                       f"`python -m analysis translations --accept analysis/i18n/{lang}.yml {key}`)",
                       location=f"{source}:{line}", type="bbox", subtype="translation")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", warn)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
