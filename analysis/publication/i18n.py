"""Language-dependent formatting of published numbers, and the fixed strings of each language.

Fixed strings live in one file per language, ``analysis/publication/i18n/<lang>.yml``; every language has every key
(tested). Numbers follow each language's conventions: 27.4% and 1,234 in English, 27,4 % and 1.234 in
Dutch, 27,4 % and 1 234 in French.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("en", "nl", "fr")
_DIR = Path(__file__).parent / "i18n"
_SEPARATORS = {"en": (".", ","), "nl": (",", "."), "fr": (",", "\u202f")}  # decimal, thousands


@cache
def strings(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r} (expected one of {', '.join(LANGUAGES)})")
    return yaml.safe_load((_DIR / f"{lang}.yml").read_text(encoding="utf-8"))


def text(key: str, lang: str = "en", **values) -> str:
    table = strings(lang)
    if key not in table:
        raise KeyError(f"analysis/publication/i18n/{lang}.yml has no string {key!r}")
    return table[key].format(**values) if values else table[key]


def decimal(value: float, decimals: int, lang: str = "en") -> str:
    point, thousands = _SEPARATORS[lang]
    shown = f"{value:,.{decimals}f}"
    return shown.replace(",", "\0").replace(".", point).replace("\0", thousands)


def percent(share: float, decimals: int = 1, lang: str = "en") -> str:
    number = decimal(100 * share, decimals, lang)
    return f"{number}%" if lang == "en" else f"{number}\u00a0%"


def p_value(p: float, lang: str = "en") -> str:
    if p < 0.001:
        return f"p < {decimal(0.001, 3, lang)}"
    return f"p = {decimal(p, 3, lang)}"


def vega_locale(lang: str = "en") -> dict:
    """The number conventions of ``lang`` as a Vega-Lite ``config.locale``, so chart axes match the prose."""
    point, thousands = _SEPARATORS[lang]
    return {"number": {"decimal": point, "thousands": thousands, "grouping": [3], "currency": ["", "\u00a0€"]}}
