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

import datetime
import os
import subprocess
from functools import cache

import pandas as pd
import yaml
from analysis import i18n, paths, reads
from analysis.data import load
from analysis.publication import blocks
from analysis.results import registry
from analysis.publication.display import glue_texts, record_shown, show

FINDINGS_FILE = paths.EDITIONS / "key_findings.yml"
PARTS = ("context", "literature", "survey", "cases", "newcomers")
SHORT_EDITIONS = ("report", "brochure")
LISTS = ("numbers", "shows")


class FindingsError(ValueError):
    pass


@cache
def key_findings() -> dict:
    """The checked contents of ``editions/key_findings.yml``."""
    spec = yaml.safe_load(FINDINGS_FILE.read_text(encoding="utf-8")) or {}
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


def _number(key: str, lang: str) -> registry.Result:
    result = registry.get(key, lang)
    if result.kind != "number":
        raise FindingsError(f"{FINDINGS_FILE.name}: {key} is a {result.kind}; list it under 'shows', not 'numbers'")
    return result


def label(key: str, edition: str, lang: str) -> str:
    """The words next to a key figure: a plain-language label (``finding.<key>`` of the fixed strings), which the
    brochure has for each figure; the report takes the result's title where no such label exists."""
    if edition == "report" and not i18n.has(f"finding.{key}", lang):
        return _number(key, lang).title
    return i18n.text(f"finding.{key}", lang)


def key_figures(keys: list[str], edition: str, lang: str) -> dict:
    """Key figures as large numbers with their labels (styled by editions/static/editions.css and editions/typst/bbox.typ)."""
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
        show(key, lang, cite=True)


def show_key_figures(edition: str, lang: str = "en") -> None:
    """Every key figure of ``edition`` across the study parts (e.g. for an executive summary)."""
    blocks.show(key_figures(listed(edition, "numbers"), edition, lang))
    record_shown(*listed(edition, "numbers"))


def show_glossary(lang: str = "en") -> None:
    """The brochure's short glossary: each listed term in ``lang``, its names in the two other languages, a definition."""
    terms = load.table("glossary").set_index("term_id")
    missing = [t for t in key_findings()["glossary"] if t not in terms.index]
    if missing:
        raise FindingsError(f"{FINDINGS_FILE.name}: glossary lists {', '.join(missing)}, not in data/reference/glossary.csv")
    entries = []
    for term_id in key_findings()["glossary"]:
        row = terms.loc[term_id]
        others = i18n.text("semicolon", lang).join(f"{other.upper()}{i18n.text('colon', lang)}{row[other]}"
                                                   for other in i18n.LANGUAGES
                                                   if other != lang and isinstance(row[other], str) and row[other])
        entries.append(([blocks.strong(row[lang]), f" ({others})"],
                        [blocks.paragraph(i18n.text(f"glossary.{term_id}", lang))]))
    blocks.show(blocks.deflist(entries))


# -- What every edition's title page says: date, version, how to cite -----------------------------------

CITATION_FILE = paths.ROOT / "CITATION.cff"


def source_date_epoch() -> int:
    """The build date as seconds since 1970: ``SOURCE_DATE_EPOCH`` if set, else the time of the last git commit.

    Building the same commit twice gives the same date (and the same bytes where the tools allow it).
    """
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        shown = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=paths.ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
        return int(shown)
    except (OSError, subprocess.CalledProcessError, ValueError):
        # Not a git checkout (e.g. an unpacked release): the release date of CITATION.cff.
        released = citation_metadata()["date-released"]
        return int(datetime.datetime.combine(released, datetime.time(), datetime.timezone.utc).timestamp())


def build_date() -> datetime.date:
    return datetime.datetime.fromtimestamp(source_date_epoch(), datetime.timezone.utc).date()


@cache
def citation_metadata() -> dict:
    where = CITATION_FILE.name
    meta = yaml.safe_load(CITATION_FILE.read_text(encoding="utf-8"))
    for field in ("title", "authors", "version", "date-released"):
        if not meta.get(field):
            raise FindingsError(f"{where}: no {field!r}")
    if not isinstance(meta["date-released"], datetime.date):
        raise FindingsError(f"{where}: date-released must be a date (YYYY-MM-DD), not {meta['date-released']!r}")
    return meta


def citation(edition_title: str, date: datetime.date) -> str:
    """How to cite an edition: authors (year). Edition title, version (words in no language, so it reads in all)."""
    meta = citation_metadata()
    authors = ", ".join(a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in meta["authors"])
    return f"{authors} ({date.year}). {edition_title}, v{meta['version']}."


def _name(person: dict) -> str:
    """A CITATION.cff person as a reader sees the name (given names first), or an organisation's name."""
    return person.get("name") or f"{person['given-names']} {person['family-names']}"


def author_names() -> str:
    """Who the publication is by, as CITATION.cff lists them: the HTML footer, the EPUB creator, the PDF author."""
    return ", ".join(_name(a) for a in citation_metadata()["authors"])


def project_team(lang: str) -> str:
    """The research team with their institutions for the title page; CITATION.cff's contact is the coordinator."""
    from analysis import i18n

    meta = citation_metadata()
    coordinators = {_name(c) for c in meta.get("contact", [])}
    shown = []
    for author in meta["authors"]:
        notes = [author["affiliation"]] if author.get("affiliation") else []
        notes += [i18n.text("edition_coordinator", lang)] if _name(author) in coordinators else []
        shown.append(f"{_name(author)} ({', '.join(notes)})" if notes else _name(author))
    return i18n.text("semicolon", lang).join(shown)


# -- The short editions' messages, computed from the results ---------------------------------------------

SHARE_PREFIX = "newcomers.themes.share."
BARRIER_PREFIX = SHARE_PREFIX + "barrier_"
FACTOR_PRACTICES = ("extra_conditions", "supplementary_aid")


def _direction(low: float, high: float) -> str:
    """How a practice goes with support for conditional aid: its odds ratio's interval above 1, below 1, or across it."""
    return "more" if low > 1 else "less" if high < 1 else "unclear"


def messages(lang: str = "en") -> dict[str, str]:
    """The executive summary's messages and the implications they carry, in ``lang``, each chosen by the results
    (never typed into prose): the types of PCSW practice and the most common one, how two practices go with staff
    support for conditional aid, the barriers newcomers name most often with their shares, and whether the survey
    and the newcomers rank the regions alike on conditions. Keys are ``message.…``, glued by ``glue_messages``; each
    is a whole sentence (or clause) in one of its written forms, chosen for the shape of the results."""
    return {**_typology_messages(lang), **_factor_messages(lang), **_barrier_messages(lang), **_strand_messages(lang)}


def _typology_messages(lang: str) -> dict[str, str]:
    """The types of practice as the fitted typology gives them (class 1 is the largest, survey.typology)."""
    from analysis.study.survey import type_labels  # the fitted typology's description of each class

    reads.code(type_labels.__module__)

    n = registry.get("survey.typology.n_classes")
    return typology_messages(n.value, n.formatted(lang), registry.get("survey.typology.largest_share").formatted(lang),
                             type_labels(lang, style="message")[1], lang)


def typology_messages(n_classes: int, n: str, share: str, largest: str, lang: str) -> dict[str, str]:
    """How many types of practice there are and the most common one (``largest``, holding ``share``), or that one
    pattern fits every PCSW; and what a PCSW can do with that (``n`` and ``share`` as the reader sees them)."""
    form = "one" if n_classes == 1 else "several"
    return {"message.typology": i18n.text(f"message.typology.{form}", lang, n=n, share=share, type=largest),
            "message.implication.local": i18n.text(f"implication.local.{form}", lang)}


def _factor_messages(lang: str) -> dict[str, str]:
    """How each practice goes with staff support for conditional aid; the federal implication rests on the first."""
    found = {}
    for practice in FACTOR_PRACTICES:
        low, high = (registry.get(f"survey.factors.{practice}.or_{end}").value for end in ("low", "high"))
        direction = _direction(low, high)
        found[f"message.factors.{practice}"] = i18n.text(f"message.factors.{practice}.{direction}", lang)
        if practice == FACTOR_PRACTICES[0]:
            # guidance on the conditions follows only from a link between staff views and conditions
            basis = "unclear" if direction == "unclear" else "linked"
            found["message.implication.federal"] = i18n.text(f"implication.federal.{basis}", lang)
    return found


def ranked_barriers(shares: dict[str, float | str]) -> tuple[tuple, tuple] | None:
    """The barriers named most often and those named next most often (``shares``: barrier code -> share, or
    :data:`~analysis.protection.disclosure.MARK` where hidden), by :func:`~analysis.protection.disclosure.largest`'s
    rule: tied barriers together, never broken; none where nobody named one; None where a share is hidden (it may be
    the largest). The next group is empty when the first is tied (the sentence names the tie) or nobody named another."""
    from analysis.protection import disclosure

    first = disclosure.largest(pd.Series(shares, dtype=object))
    if first is None:
        return None
    if len(first) != 1:
        return first, ()
    rest = {code: share for code, share in shares.items() if code not in first}
    return first, disclosure.largest(pd.Series(rest, dtype=object)) or ()


def _barrier_form(ranked: tuple[tuple, tuple] | None) -> str:
    if ranked is None:
        return "hidden"
    first, second = ranked
    return ("none" if not first else "tied" if len(first) > 1 else "only" if not second
            else "then_tied" if len(second) > 1 else "two")


def _barrier_messages(lang: str) -> dict[str, str]:
    """The barriers named most often, from the published shares of all interviewees (a hidden share is withheld:
    its value is None)."""
    from analysis.protection.disclosure import MARK
    from analysis.study.newcomers.compute import barriers

    reads.code(barriers.__module__)

    published = registry.under("newcomers.themes", lang)
    shown = {code: published.get(SHARE_PREFIX + code) for code in barriers()}
    return barrier_messages({code: MARK if r is None or r.value is None else r.value for code, r in shown.items()},
                            {code: r.formatted(lang) for code, r in shown.items() if r is not None}, lang)


def barrier_messages(shares: dict, formatted: dict[str, str], lang: str) -> dict[str, str]:
    """The barriers named most often with their shares (``shares``: code -> share or MARK where hidden;
    ``formatted``: code -> the share as the reader sees it), tied barriers named together, and what the integration
    services and PCSWs can do about them; a hidden share withholds the choice (it may be the largest)."""
    ranked = ranked_barriers(shares)
    form = _barrier_form(ranked)
    named = lambda codes: i18n.named(codes, lambda code, lang: i18n.text(f"theme.{code}", lang), lang)  # noqa: E731
    values = {}
    if form not in ("hidden", "none"):
        first, second = ranked
        values = {"first": named(first), "first_share": formatted[first[0]]}  # tied codes share one value
        if second:
            values.update(second=named(second), second_share=formatted[second[0]])
    remedies = [i18n.text(f"remedy.{code}", lang) for group in (ranked or ()) for code in group]
    if not remedies:
        implication = i18n.text("implication.regions.general", lang)
    elif len(remedies) == 1:
        implication = i18n.text("implication.regions.one", lang, first=remedies[0])
    else:
        implication = i18n.text("implication.regions", lang, first=remedies[0],
                                second=i18n.text("implication.regions.also", lang).join(remedies[1:]))
    return {"message.barriers": i18n.text(f"message.barriers.{form}", lang, **values),
            "message.implication.regions": implication}


def agreement(agree: int, regions: int, compared: bool = True) -> str:
    """The form of the strands' sentence: every region ranked alike, none, some, or not compared (a share hidden)."""
    if not compared:
        return "hidden"
    return "all" if agree == regions else "none" if agree == 0 else "some"


def _strand_messages(lang: str) -> dict[str, str]:
    """Where the strands meet: in how many regions the survey (PCSWs attaching conditions beyond the legal
    minimum) and the newcomers (who speak of the pressure of conditions) give the region the same rank; none is
    counted, and the sentence says so, when a share is hidden (the joint display shows "not compared")."""
    from analysis.study.synthesis.present import NOT_COMPARED

    reads.code("analysis.study.synthesis.present")

    agree, regions = registry.get("synthesis.joint.agree"), registry.get("synthesis.joint.regions")
    display = registry.get("synthesis.joint.region").value
    compared = not display.isin([NOT_COMPARED]).any().any()
    return {"message.strands.conditions": i18n.text(
        f"message.strands.{agreement(agree.value, regions.value, compared)}", lang,
        agree=agree.formatted(lang), regions=regions.formatted(lang))}


def edition_title(title: str, lang: str = "en") -> str:
    """An edition's title as published: while any study resource is stand-in data (the ``standin`` flags of
    data/datapackage.json, the one switch), it says in its language that it is a preview with simulated data."""
    return i18n.text("preview_title", lang, title=title) if load.is_standin() else title


def glue_messages(lang: str = "en") -> list[str]:
    """Glue the messages of ``messages`` for ``{glue}`` in a page's prose (plain text, never parsed as markup)."""
    return glue_texts(messages(lang))
