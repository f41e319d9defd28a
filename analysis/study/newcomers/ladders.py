"""The forms the newcomer outputs can take, and the one each is published in.

The same interviewees are counted by region, by legal status, by years in Belgium and overall, with and without each
coded theme, and the prose tells how many were interviewed in all and per region. With a small region or status
group these outputs together can pin a hidden count even when every table is safe on its own (the prose's total
minus the regions shown gives the hidden one). Each output gives way down its ladder
(:mod:`analysis.protection.redesign`): a glued count is withheld first (it costs the reader least); a table of
counts hides more cells and is then withheld; the other tables are withheld; the quotes stop naming the speaker's
region before they are withheld. The themes overall (the Total row of the table by region) and the shares glued
from them stay: they are the part's finding, and the audit checks them with everything else.

:func:`plan` chooses, once per data, from the English outputs; the producers in :mod:`analysis.study.newcomers`
render each choice in the reader's language (:func:`analysis.study.redesigned.apply`).
"""

from __future__ import annotations

import pandas as pd

from analysis.protection import redesign
from analysis.protection.redesign import Ladder, Level
from analysis.study.newcomers import compute, linked, present

NUMBERS = ("newcomers.sample.n", "newcomers.sample.fl", "newcomers.sample.wa", "newcomers.sample.br")


def counts(people: pd.DataFrame, rows: str, row_codes=None) -> pd.DataFrame:
    """Interviewees by ``rows`` × region (codes), unprotected."""
    row_codes = list(row_codes) if row_codes is not None else compute.field(rows).codes
    return pd.crosstab(people[rows], people["region"]).reindex(index=row_codes, columns=compute.field("region").codes,
                                                               fill_value=0)


def sample_tables(people: pd.DataFrame, by_status: pd.DataFrame, by_years: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The sample's tables in English, as published, from their protected counts."""
    results = present.sample_results(people, 0, by_status, by_years, "en")
    return {r.key: r.value for r in results}


def ladders(people: pd.DataFrame, english: dict[str, object]) -> list[Ladder]:
    """The ladders of the newcomer outputs, in the order they give way when the narrowed cell lies in none of
    them; ``english`` holds the outputs as designed, in English."""
    status, years = counts(people, "legal_status"), counts(people, "years_in_belgium", compute.YEARS)

    def shown_status(protected):
        return sample_tables(people, protected, compute.protected_counts(people, "years_in_belgium", "region",
                                                                         compute.YEARS))["newcomers.sample.status"]

    def shown_years(protected):
        return sample_tables(people, compute.protected_counts(people, "legal_status", "region"),
                             protected)["newcomers.sample.years"]

    def as_designed(key: str) -> Level:
        return Level("as designed", english[key], show=lambda shown: shown, protect=lambda shown: shown)

    quotes = english["newcomers.quotes.table"]
    return [
        *[redesign.number(key, english[key]) for key in NUMBERS if key in english],
        Ladder("newcomers.quotes.table", [
            as_designed("newcomers.quotes.table"),
            Level("without the speakers' regions", quotes.assign(Speaker=without_regions(quotes["Speaker"])),
                  show=lambda shown: shown, protect=lambda shown: shown, reason="redesign.quotes_without_region")]),
        Ladder("newcomers.satisfaction.groups", [as_designed("newcomers.satisfaction.groups")]),
        Ladder("newcomers.themes.by_status", [as_designed("newcomers.themes.by_status")]),
        Ladder("newcomers.sample.years", [Level("as designed", years, shown_years)]),
        Ladder("newcomers.sample.status", [Level("as designed", status, shown_status)]),
        Ladder("newcomers.themes.by_region", [as_designed("newcomers.themes.by_region")]),
    ]


def without_regions(speakers: pd.Series) -> list[str]:
    """The speakers' pseudonyms without the region some of them name ("Interviewee A, Wallonia" → "Interviewee A")."""
    return [str(speaker).split(",")[0] for speaker in speakers]


_plans: dict[bytes, dict] = {}  # once per data in a process: every producer of the part and every language reads it


def plan(people: pd.DataFrame, coded: pd.DataFrame, english: dict[str, object]) -> dict[str, redesign.Choice]:
    """The form of every newcomer output: the finest at which the linked audit of them all finds no hidden count
    narrowed. ``english``: every output of :data:`analysis.study.newcomers.linked.OUTPUTS` (and the glued numbers and
    shares) as designed, in English."""
    key = b"".join(pd.util.hash_pandas_object(frame.astype(str)).to_numpy().tobytes()
                   + str(list(frame.columns)).encode() for frame in (people, coded))
    if key not in _plans:
        laddered = ladders(people, english)
        fixed = {k: v for k, v in english.items() if k not in {ladder.key for ladder in laddered}}
        _plans[key] = redesign.protect_together(laddered, fixed, linked.model)
    return _plans[key]
