"""The publication's terminology (``editions/terminology.yml``): each language uses its terms and no forbidden variant.

Checked on the texts the editions are made of, segment by segment: the English sources and their Dutch and
French translations named in ``editions/translations.yml`` (the short editions' pages and the fixed strings of
``analysis/i18n``). A concept the English uses must appear in each translation of that file in the translation's
own term. The codebook's Dutch and French titles and code labels (``data/datapackage.json``), which tables and
charts show, the glossary's names of the terms (``data/reference/glossary.csv``, in the brochures' glossaries) and the
editions' titles (``editions/editions.yml``) must use no forbidden variant either.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path


from analysis import i18n, paths, yaml_text
from analysis.data.codebook import codebook
from analysis.publication import translations

TABLE = "editions/terminology.yml"
EDITIONS = "editions/editions.yml"
GLOSSARY = "data/reference/glossary.csv"
_PLURAL = r"(?:s|es|en|x)?"  # nieuwkomer(s), primo-arrivant(s), OCMW('s): a term matches with its plural


class TerminologyError(ValueError):
    pass


@cache
def table(root: Path = paths.ROOT) -> dict[str, dict[str, dict[str, list[str]]]]:
    """The checked terminology: concept -> language -> {"use": [...], "avoid": [...]}."""
    terms = (yaml_text.parse((root / TABLE).read_text(encoding="utf-8")) or {}).get("terms") or {}
    for concept, languages in terms.items():
        if set(languages or {}) != set(i18n.LANGUAGES):
            raise TerminologyError(f"{TABLE}: terms.{concept} must give {', '.join(i18n.LANGUAGES)}")
        for lang, entry in languages.items():
            if not (entry or {}).get("use") or not all(isinstance(t, str) for t in entry["use"] + (entry.get("avoid") or [])):
                raise TerminologyError(f"{TABLE}: terms.{concept}.{lang} needs a 'use' list of terms")
            entry.setdefault("avoid", [])
            entry["avoid"] = entry["avoid"] or []
    return terms


LANG_ROLE = re.compile(r"\{lang\}`[^`:]*:([^`]*)`")  # {lang}`fr:parcours d'intégration` (sphinxext/language.py)


def as_read(text: str) -> str:
    """A segment's words as a reader reads them: a phrase marked with its language is its words alone."""
    return LANG_ROLE.sub(r"\1", text)


def _found(term: str, text: str) -> bool:
    """Whether ``term`` (or its plural) stands in ``text``; a line break inside a term is a space to a reader."""
    return _pattern(term).search(text.replace("\u2019", "'")) is not None


def _words(term: str) -> str:
    return re.escape(term.replace("\u2019", "'")).replace(r"\ ", r"\s+")


@cache  # a check looks for every variant in every segment: some hundred thousand searches
def _pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + _words(term) + _PLURAL + r"(?!\w)", flags=re.IGNORECASE)


@cache
def _any_pattern(terms: tuple[str, ...]) -> re.Pattern:
    """Whether any of ``terms`` stands in a text, as :func:`_found` finds each: one search instead of hundreds."""
    if not terms:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(r"(?<!\w)(?:" + "|".join(map(_words, terms)) + ")" + _PLURAL + r"(?!\w)", flags=re.IGNORECASE)


def codebook_segments(root: Path, lang: str) -> dict[str, str]:
    """The codebook's titles and code labels in ``lang``, one segment per resource and field."""
    book = codebook(root / "data")
    return {f"{resource.name}.{field.name}": " · ".join([field.title(lang), *field.labels(lang).values()])
            for resource in book.resources.values() for field in resource.fields}


def glossary_segments(root: Path, lang: str) -> dict[str, str]:
    """The glossary's name of each term in ``lang``, one segment per term (a glossary names a term as the text does)."""
    with (root / GLOSSARY).open(encoding="utf-8", newline="") as handle:
        return {row["term_id"]: row[lang] for row in csv.DictReader(handle)}


def title_segments(root: Path, lang: str) -> dict[str, str]:
    """The titles of the editions in ``lang`` (``editions/editions.yml``): a cover speaks the edition's terms too."""
    spec = yaml_text.parse((root / EDITIONS).read_text(encoding="utf-8")) or {}
    return {name: config["title"] for name, edition in spec.items() if (config := edition.get("config") or {}).get("title")
            and ((config.get("sphinx") or {}).get("config") or {}).get("language", "en") == lang}


def check(root: Path = paths.ROOT) -> list[str]:
    """Every forbidden variant used, and every concept of an English source missing from a translation."""
    terms, problems = table(root), []
    texts: dict[str, tuple[str, dict[str, str]]] = {}
    for source, lang, target in translations.pairs(root):
        texts[source] = ("en", translations.segments(root, source))
        texts[target] = (lang, translations.segments(root, target))
    for lang in i18n.LANGUAGES[1:]:
        texts[f"data/datapackage.json ({lang})"] = (lang, codebook_segments(root, lang))
        texts[f"{GLOSSARY} ({lang})"] = (lang, glossary_segments(root, lang))
    for lang in i18n.LANGUAGES:
        texts[f"{EDITIONS} ({lang})"] = (lang, title_segments(root, lang))
    texts = {file: (lang, {segment: as_read(text) for segment, text in segments.items()})
             for file, (lang, segments) in texts.items()}
    for file, (lang, segments) in texts.items():
        anywhere = _any_pattern(tuple(v for languages in terms.values() for v in languages[lang]["avoid"]))
        for segment, text in segments.items():
            if not anywhere.search(text.replace("\u2019", "'")):  # one search tells most segments apart
                continue
            for concept, languages in terms.items():
                for variant in languages[lang]["avoid"]:
                    if _found(variant, text):
                        problems.append(f"{file}: segment {segment!r} uses {variant!r}; {lang} says "
                                        f"{' or '.join(map(repr, languages[lang]['use']))} ({TABLE}: {concept})")
    for source, lang, target in translations.pairs(root):
        english = " ".join(texts[source][1].values())
        translated = " ".join(texts[target][1].values())
        for concept, languages in terms.items():
            if any(_found(t, english) for t in languages["en"]["use"]) and \
                    not any(_found(t, translated) for t in languages[lang]["use"]):
                problems.append(f"{target}: {source} speaks of {concept} but the translation never says "
                                f"{' or '.join(map(repr, languages[lang]['use']))} ({TABLE})")
    return problems
