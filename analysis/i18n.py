"""What depends on the language: numbers, percents and dates as its readers write them, and its fixed strings.

Fixed strings live in one file per language, ``analysis/i18n/<lang>.yml``; every language has every key
(tested). Numbers, percents and dates come from Babel (the Unicode CLDR data) for English, Belgian Dutch and
Belgian French: 27.4% and 1,234 in English, 27,4 % and 1.234 in Dutch, 27,4 % and 1 234 in French (a narrow
no-break space groups the thousands), and the same conventions on chart axes (:func:`vega_locale`).

One house rule departs from CLDR: CLDR writes Dutch percents without a space (27,4%). Dutch writers' guides are
divided (several omit the space, others keep it in scientific texts), while the SI Brochure (BIPM, 9th edition,
2019) separates the number from % by a space, as French typography does (Office québécois de la
langue française). The publication keeps its no-break space in Dutch, as it always had (:data:`HOUSE_PERCENT`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import numbers
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import (format_decimal, get_decimal_symbol, get_group_symbol, get_minus_sign_symbol,
                           parse_pattern)

from analysis import paths, reads, yaml_text

LANGUAGES = ("en", "nl", "fr")
LOCALES = {"en": "en", "nl": "nl_BE", "fr": "fr_BE"}  # the CLDR locale of each edition language
HOUSE_PERCENT = {"nl": "#,##0\u00a0%"}  # where the house style differs from CLDR's percent pattern (see above)
_DIR = STRINGS = paths.STRINGS


def strings(lang: str) -> Mapping[str, str]:
    """Every fixed string of ``lang`` as the file holds it now, read-only (shared by every caller). Not cached per
    language: a long-lived process (the preview server, a test session) must read an edited file again, or it would
    compute and show stale words."""
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r} (expected one of {', '.join(LANGUAGES)})")
    path = _DIR / f"{lang}.yml"
    state = path.stat()
    return MappingProxyType(_parsed(path, state.st_mtime_ns, state.st_size))


@cache
def _parsed(path: Path, mtime_ns: int, size: int) -> dict[str, str]:
    """The strings of one file as last written (keyed on its time and size, so an edit is read again): a computed
    sentence looks up a dozen strings, and the file is parsed once, not once per string."""
    return yaml_text.parse(path.read_text(encoding="utf-8"))


def digests(lang: str) -> Mapping[str, str]:
    """Every string of ``lang`` as the file holds it now, each by a short digest; a missing string has one too
    (``MISSING``): what a producer's cached run and a page's record key on, string by string."""
    path = _DIR / f"{lang}.yml"
    state = path.stat()
    return MappingProxyType(_digests(path, state.st_mtime_ns, state.st_size))


def _short(value) -> str:
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()[:16]


MISSING = _short(None)


@cache
def _digests(path: Path, mtime_ns: int, size: int) -> dict[str, str]:
    """Every string's digest for the file as last written: a build compares thousands."""
    return {key: _short(value) for key, value in _parsed(path, mtime_ns, size).items()}


def has(key: str, lang: str = "en") -> bool:
    """Whether ``lang`` has a string ``key`` (read as :func:`text` reads one)."""
    reads.words(key, lang)
    return key in strings(lang)


def supported(lang: str | None) -> str:
    """``lang`` if the publication is written in it, else English (Sphinx's language may be unset)."""
    return lang if lang in LANGUAGES else "en"


def text(key: str, lang: str = "en", **values) -> str:
    table = strings(lang)
    reads.words(key, lang)  # a page keys on the strings it read, not on the whole file
    if key not in table:
        raise KeyError(f"analysis/i18n/{lang}.yml has no string {key!r}")
    return table[key].format(**values) if values else table[key]


_FRENCH_VOWEL = re.compile(r"\bde (?=[aeiouyàâæéèêëîïôœùûü])", re.IGNORECASE)


def elided(phrase: str, lang: str = "en") -> str:
    """``phrase`` with French elision where it was assembled from parts: "en matière de" and a lowered title
    ("orientation vers …") is written "en matière d’orientation vers …"; other languages as they are. (An h is left
    alone: whether it elides depends on the word.)"""
    return _FRENCH_VOWEL.sub("d’", phrase) if lang == "fr" else phrase


def in_words(count: int, lang: str = "en") -> str:
    """A count inside a sentence as the language's style guides write it: in words up to twenty ("four types",
    "vier types", "quatre types"; French in the masculine, as the counted nouns are), in digits above. Tables and key
    figures keep their digits."""
    words = text("number_words", lang).split()
    return words[count] if 0 <= count < len(words) else decimal(count, 0, lang)


def named(codes: tuple | None, label, lang: str = "en") -> str:
    """Codes chosen by the analysis (:func:`analysis.protection.disclosure.largest`) as words in ``lang``: each
    ``label(code, lang)``, all of them joined as the language lists them ("A and B", "A en B", "A et B"), or what
    stands for none, or for a choice withheld because a count is hidden (None)."""
    if codes is None:
        return text("largest_withheld", lang)
    if not codes:
        return text("largest_none", lang)
    return listed([label(code, lang) for code in codes], lang)


def listed(items: list[str], lang: str = "en") -> str:
    """Words joined as the language lists them: "A, B and C", "A, B en C", "A, B et C"."""
    return format_list(items, locale=LOCALES[lang])


def _number_pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def decimal(value: float, decimals: int, lang: str = "en") -> str:
    """``value`` with ``decimals`` decimals and grouped thousands. A float is passed to Babel as its exact
    decimal value, so it rounds as Python's own formatting does (half to even on the binary value)."""
    exact = Decimal(int(value) if isinstance(value, numbers.Integral) else float(value))
    return format_decimal(exact, _number_pattern(decimals), locale=LOCALES[lang])


@cache
def _percent_affixes(lang: str) -> tuple[str, str]:
    """The text before and after a positive percent in ``lang``: CLDR's pattern, or the house pattern."""
    locale = Locale.parse(LOCALES[lang])
    pattern = parse_pattern(HOUSE_PERCENT.get(lang) or locale.percent_formats[None].pattern)
    sign = locale.number_symbols["latn"]["percentSign"]
    return pattern.prefix[0].replace("%", sign), pattern.suffix[0].replace("%", sign)


def percent(share: float, decimals: int = 1, lang: str = "en") -> str:
    """A share (0.274) as a percent (27.4%). It is scaled as a float, 100 × share, as every pin was made: a
    share such as 0.025 is then exactly 2.5 and rounds half to even, as it always has."""
    before, after = _percent_affixes(lang)
    return before + decimal(100 * share, decimals, lang) + after


def p_value(p: float, lang: str = "en") -> str:
    if p < 0.001:
        return f"p < {decimal(0.001, 3, lang)}"
    return f"p = {decimal(p, 3, lang)}"


def long_date(date: datetime.date, lang: str = "en") -> str:
    """A date as readers of ``lang`` write it: November 23, 2026 · 23 november 2026 · 23 novembre 2026."""
    return format_date(date, format="long", locale=LOCALES[lang])


def vega_locale(lang: str = "en") -> dict:
    """The number conventions of ``lang`` as a Vega-Lite ``config.locale`` (a d3-format locale), so that chart axes
    and tooltips write numbers and percents as the prose does (:func:`decimal`, :func:`percent`): Vega formats with
    it in the browser and vl-convert in the static images, since both read it from the spec."""
    locale = LOCALES[lang]
    before, after = _percent_affixes(lang)
    if before:  # d3-format only replaces the percent suffix
        raise ValueError(f"{lang}: a percent written before the number cannot be a Vega locale")
    return {"number": {"decimal": get_decimal_symbol(locale), "thousands": get_group_symbol(locale),
                       "grouping": [3], "currency": ["", "\u00a0€"], "percent": after,
                       "minus": get_minus_sign_symbol(locale)}}
