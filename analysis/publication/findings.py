"""What the short editions show: the key findings listed in ``editions/key_findings.yml``.

The research report and the brochure have one section per study part. Each section's content is one call::

    from analysis.publish import show_part
    show_part("survey", "brochure", "nl")   # key figures, then charts and tables, in Dutch

which shows what ``editions/key_findings.yml`` lists for that part and edition, or says that the part's
results are not yet included. Adding a finding to an edition is therefore an edit of that file only.
Numbers are the registry's, formatted for the language; labels and fixed strings come from
``analysis/i18n/<lang>.yml``.
"""

from __future__ import annotations

import re
import string
from functools import cache

import pandas as pd

from analysis import i18n, paths, yaml_text
from analysis.data import load
from analysis.producers import Result
from analysis.publication import blocks
from analysis.publication.display import record_shown, show
from analysis.results import registry

FINDINGS_FILE = paths.EDITIONS / "key_findings.yml"
PARTS = ("context", "literature", "survey", "cases", "newcomers")
SHORT_EDITIONS = ("report", "brochure")
LISTS = ("numbers", "shows")


class FindingsError(ValueError):
    pass


@cache
def key_findings() -> dict:
    """The checked contents of ``editions/key_findings.yml``."""
    spec = yaml_text.parse(FINDINGS_FILE.read_text(encoding="utf-8")) or {}
    where = FINDINGS_FILE.relative_to(paths.ROOT)
    parts = spec.get("parts") or {}
    if set(parts) != set(PARTS):
        raise FindingsError(f"{where}: 'parts' must list exactly {', '.join(PARTS)} (it lists {', '.join(parts)})")
    for part, editions in parts.items():
        if set(editions or {}) != set(SHORT_EDITIONS):
            raise FindingsError(f"{where}: parts.{part} must have exactly {' and '.join(SHORT_EDITIONS)}")
        for edition, lists in editions.items():
            unknown = set(lists or {}) - set(LISTS)
            if unknown:
                raise FindingsError(f"{where}: parts.{part}.{edition} has unknown list(s) {', '.join(sorted(unknown))}"
                                    f" (expected {' and '.join(LISTS)})")
            for name in LISTS:
                keys = (lists or {}).get(name) or []
                if not all(isinstance(k, str) for k in keys):
                    raise FindingsError(f"{where}: parts.{part}.{edition}.{name} must be a list of registry keys")
                if len(set(keys)) != len(keys):
                    raise FindingsError(f"{where}: parts.{part}.{edition}.{name} lists a key twice")
    spec["parts"] = {part: {ed: {name: list((parts[part][ed] or {}).get(name) or []) for name in LISTS}
                            for ed in SHORT_EDITIONS} for part in PARTS}
    spec["glossary"] = list(spec.get("glossary") or [])
    return spec


def listed(edition: str, what: str, part: str | None = None) -> list[str]:
    """The keys that ``edition`` lists under ``what`` ("numbers" or "shows"), for one part or for all."""
    if edition not in SHORT_EDITIONS:
        raise FindingsError(f"unknown short edition {edition!r} (expected {' or '.join(SHORT_EDITIONS)})")
    parts = key_findings()["parts"]
    return [key for name in ([part] if part else PARTS) for key in parts[name][edition][what]]


def _number(key: str, lang: str) -> Result:
    result = registry.get(key, lang)
    if result.kind != "number":
        raise FindingsError(f"{FINDINGS_FILE.name}: {key} is a {result.kind}; list it under 'shows', not 'numbers'")
    return result


def label(key: str, edition: str, lang: str) -> str:
    """The words next to a key figure: a plain-language label (``finding.<key>`` of the fixed strings), which the
    brochure has for each figure; the report takes the result's title where no such label exists. A placeholder
    in a label is a published number beside the figure's own (``{first_year}`` beside ``reference.income.first``
    is ``reference.income.first_year``): a tile says the year of its count, as the data give it."""
    if edition == "report" and not i18n.has(f"finding.{key}", lang):
        return _number(key, lang).title
    words = i18n.text(f"finding.{key}", lang)
    names = [name for _, name, _, _ in string.Formatter().parse(words) if name]
    parent = key.rsplit(".", 1)[0]
    return i18n.text(f"finding.{key}", lang, **{name: _number(f"{parent}.{name}", lang).formatted(lang)
                                                 for name in names}) if names else words


def ranked(keys: list[str], lang: str) -> list[str]:
    """``keys`` in their listed order, except that shares listed side by side under one parent (the shares of two
    barriers, ``newcomers.themes.share.*``) come largest first, as the summary ranks them: the data order them, not
    the list. If one of them is hidden (None), they keep the listed order: ranking them would tell where it falls."""
    parent = lambda key: key.rsplit(".", 1)[0]  # noqa: E731
    ordered, start = [], 0
    while start < len(keys):
        end = start + 1
        while end < len(keys) and parent(keys[end]) == parent(keys[start]):
            end += 1
        group = keys[start:end]
        values = [_number(key, lang).value for key in group]
        if len(group) > 1 and parent(group[0]).endswith(".share") and all(isinstance(v, (int, float)) for v in values):
            group = [key for _, key in sorted(zip(values, group), key=lambda pair: -pair[0])]  # stable on ties
        ordered += group
        start = end
    return ordered


def key_figures(keys: list[str], edition: str, lang: str) -> dict:
    """Key figures as large numbers with their labels (styled by editions/static/editions.css and editions/typst/bbox.typ),
    figures of one kind largest first (:func:`ranked`)."""
    keys = ranked(keys, lang)
    return blocks.container(*(blocks.container(
        blocks.container(blocks.paragraph(_number(key, lang).formatted(lang)), classes=["bboxbignumber"]),
        blocks.paragraph(label(key, edition, lang)), classes=["bboxkeynumber"]) for key in keys),
        classes=["bboxkeynumbers"])


def show_part(part: str, edition: str, lang: str = "en") -> None:
    """The section of ``part`` in ``edition``: its key figures, then its charts and tables, as listed."""
    if part not in PARTS:
        raise FindingsError(f"unknown study part {part!r} (expected one of {', '.join(PARTS)})")
    numbers, shows = listed(edition, "numbers", part), listed(edition, "shows", part)
    if not numbers and not shows:
        blocks.show(blocks.paragraph(i18n.text("part_pending", lang), classes=["bboxpending"]))
        return
    if numbers:
        blocks.show(key_figures(numbers, edition, lang))
        record_shown(*numbers)
    for key in shows:
        result = registry.get(key, lang)
        if result.lang != lang:
            raise FindingsError(f"{FINDINGS_FILE.name}: the {edition} in {lang!r} shows {key}, but {result.function} "
                                f"is not translated (register it with translated=True and let it take lang)")
        show(key, lang)


def show_key_figures(edition: str, lang: str = "en") -> None:
    """Every key figure of ``edition`` across the study parts (e.g. for an executive summary)."""
    blocks.show(key_figures(listed(edition, "numbers"), edition, lang))
    record_shown(*listed(edition, "numbers"))


def split_gloss(name: str) -> tuple[str, str]:
    """A term and the gloss it ends with in parentheses ("integratietraject (parcours d'intégration)" →
    "integratietraject", "parcours d'intégration"); a name without one gives an empty gloss."""
    found = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name.strip())
    return (found.group(1), found.group(2)) if found else (name.strip(), "")


def glossary_entry(row: pd.Series, lang: str) -> tuple[str, str]:
    """A glossary term in ``lang`` and its names in the other languages the edition gives, as (language, name) pairs
    of plain text (data is text: never read as markup). A term's own gloss that only repeats another language's name is left out
    ("integratietraject (parcours d'intégration)" beside "Frans: parcours d'intégration" → "integratietraject"), and so
    is another language's gloss that repeats the reader's term. The other names follow an en dash, not parentheses,
    so a name's own parentheses never stand beside or inside another pair."""
    others = [o for o in i18n.LANGUAGES if o not in (lang, "en" if lang != "en" else None)
              and isinstance(row[o], str) and row[o]]
    term, gloss = split_gloss(row[lang])
    if gloss and gloss.casefold() not in {row[o].strip().casefold() for o in others}:
        term = row[lang].strip()
    names = []
    for other in others:
        base, added = split_gloss(row[other])
        names.append((other, base if added and added.casefold() in row[lang].casefold() else row[other].strip()))
    return term, names


def glossary_names(names: list[tuple[str, str]], lang: str) -> list:
    """The other languages' names of a term as inline blocks ("Frans: parcours d'intégration"), each name marked
    with its language, so that a screen reader pronounces the French name in a Dutch brochure as French."""
    inline = []
    for other, name in names:
        if inline:
            inline.append(i18n.text("semicolon", lang))
        inline += [f"{i18n.text(f'glossary_in.{other}', lang)}{i18n.text('colon', lang)}", blocks.foreign(name, other)]
    return inline


def show_glossary(lang: str = "en") -> None:
    """The brochure's short glossary: each listed term in ``lang``, its name in Belgium's other language(s) of the
    editions (the English brochure gives the Dutch and French names; the Dutch one the French, and the other way
    round: an English gloss helps no Flemish or Walloon reader), a definition."""
    terms = load.table("glossary").set_index("term_id")
    missing = [t for t in key_findings()["glossary"] if t not in terms.index]
    if missing:
        raise FindingsError(f"{FINDINGS_FILE.name}: glossary lists {', '.join(missing)}, not in data/reference/glossary.csv")
    entries = []
    for term_id in key_findings()["glossary"]:
        term, others = glossary_entry(terms.loc[term_id], lang)
        entries.append(([blocks.strong(term), " \u2013 ", *glossary_names(others, lang)],
                        [blocks.paragraph(i18n.text(f"glossary.{term_id}", lang))]))
    blocks.show(blocks.deflist(entries))
