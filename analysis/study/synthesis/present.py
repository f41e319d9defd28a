"""The synthesis, presented: the joint displays, one answer per aim, the framework matrices, the study record and
the instruments, each a table read from the other parts' published results (:mod:`.compute`). In English: the
synthesis is the academic book's."""

from __future__ import annotations

import math

import pandas as pd

from analysis.data import load
from analysis.data.codebook import codebook
from analysis.protection import disclosure, redesign
from analysis.protection.disclosure import MARK, TOTAL
from analysis import i18n
from analysis.study.survey.compute import BLOCK_NAMES
from analysis.study.synthesis.compute import (cell, excerpt, get, highest, record_entries, record_path, regions,
                                              same_rank, theme_range, type_columns)

TO_COMPLETE = "to be completed by the research team"
READ_FROM = "Every cell repeats a table or number shown in the chapter that reports it; none is computed anew here."
# Topics on which the three strands each have something to say: (topic, survey practice as labelled in the
# repertoire table, table key; case dimension and level in cases.dimensions.table; newcomer theme label).
TOPICS = [
    ("Conditionality of aid", "Conditions attached to the integration income beyond the legal minimum",
     "survey.repertoire.table.rights", ("Conditionality of aid", "high"), "Pressure of conditions"),
    ("Language", "Uses social interpreters", "survey.repertoire.table.organisation", None, "Language barrier"),
    ("Specialised organisation", "Specialised team or cell for newcomers", "survey.repertoire.table.organisation",
     ("Organisational model for newcomers", "specialised cell"), "Support received beyond money"),
    ("Discretion", "Extra aid decided case by case by the council committee", "survey.repertoire.table.discretion",
     ("How discretion is framed", "negotiated in the team"), "Perceived arbitrariness"),
]
ROLES = {"management": "Management", "worker": "Social workers"}
# The blocks of each instrument, in the order of the questionnaire or topic guide (codebook block -> heading).
INSTRUMENTS = {
    "survey": {**{block: name[0].upper() + name[1:] for block, name in BLOCK_NAMES.items()},
               "attitudes": "Attitudes of the respondent"},
    "cases": {"dimensions": "Case dimensions"},
    "newcomers": {"barriers": "Barriers", "experience": "Experience of the service", "satisfaction": "Satisfaction"},
}
INSTRUMENT_TITLES = {"survey": "Survey questionnaire: items by block, in three languages",
                     "cases": "Case-study coding frame: dimensions in three languages",
                     "newcomers": "Newcomer interview topic guide: themes and statements in three languages"}
NOT_COMPARED = "not compared, because a share is hidden"
ANSWER = "Answer as the results stand (simulated data: an illustration)"
SHOWN_IN = "Chapter and tables it rests on"


def theme_titles(block: str) -> list[str]:
    """The newcomer themes of a codebook block, as the newcomer tables name them (in English)."""
    return [f.title() for f in codebook()["newcomers"].block(block)]


def by_strand(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """A display with one column per unit (region) and one row per measure, its strand in a column of its own:
    narrow enough for a printed page. Measures are named "Strand: measure"."""
    shown = frame.set_index(unit).T
    strand_and_measure = [name.split(": ", 1) for name in shown.index]
    shown.insert(0, "Measure", [m for _, m in strand_and_measure])
    shown.insert(0, "Strand", [s for s, _ in strand_and_measure])
    shown.columns.name = None
    return shown.reset_index(drop=True)


def chosen_words(chosen: tuple | None, shares: dict[str, str], of: str = "", label=str) -> str:
    """What :func:`~.compute.highest` chose, as English words: every tied key (``label(key)``, listed as English
    lists them) with the share they hold ("… (46.7% each)"), or why none is named (a hidden share, or all 0)."""
    words = i18n.named(chosen, lambda key, _: label(key))
    if not chosen:
        return words
    return f"{words} ({shares[chosen[0]]}{of}{' each' if len(chosen) > 1 else ''})"


def _lower_first(title: str) -> str:
    return title[:1].lower() + title[1:]


def _barrier_raised_most(region: str) -> str:
    shares = {theme: cell("newcomers.themes.by_region", {"Theme": theme, "Group": region}, "Share")
              for theme in theme_titles("barriers")}
    words = chosen_words(highest(shares), shares, label=_lower_first)
    return words[:1].upper() + words[1:]  # a table cell: its first word capitalised, as the themes are named


def _region_row(region: str) -> dict[str, str]:
    types = {c: cell("survey.membership.region.table", {"Region": region}, c) for c in type_columns()}
    conditions = {"Theme": "Pressure of conditions", "Group": region}
    return {
        "Region": region,
        "Survey: response rate": cell("survey.response.by_region", {"Region": region}, "Response rate"),
        "Survey: most common type": chosen_words(highest(types), types),
        "Survey: conditions beyond the legal minimum": cell("survey.repertoire.table.rights",
                                                            {"Practice": TOPICS[0][1]}, region),
        "Cases: PCSWs studied": cell("cases.design.matrix", {"Region": region}, disclosure.TOTAL),
        "Newcomers: interviewees": cell("newcomers.themes.by_region", conditions, "Interviewees"),
        "Newcomers: pressure of conditions": cell("newcomers.themes.by_region", conditions, "Share"),
        "Newcomers: barrier raised most often": _barrier_raised_most(region),
    }


def region_display() -> pd.DataFrame:
    """The regions side by side, and where the strands agree: does a region hold the same rank among the regions
    on the survey's share of PCSWs attaching conditions as on the share of its newcomers reporting their pressure?"""
    shown = pd.DataFrame([_region_row(region) for region in regions()])
    agree = same_rank(list(shown["Survey: conditions beyond the legal minimum"]),
                      list(shown["Newcomers: pressure of conditions"]))
    shown["Conditions: same rank in both strands"] = [NOT_COMPARED if same is None else "yes" if same else "no"
                                                      for same in agree]
    return shown


def type_display() -> pd.DataFrame:
    """Each survey type: its estimated share, and the case PCSWs of that type with their modal profile."""
    rows = []
    for label in type_columns():
        name = {"Survey type": label}  # the cases' tables name the types as the survey's do ("1. …")
        rows.append({
            "Survey type": label,
            "Survey: estimated share": cell("survey.typology.sizes", {"Class": label}, "Estimated share"),
            "Cases: PCSWs of the type": cell("cases.typology.profile", name, "Cases"),
            **{f"Cases: {c.lower()}": cell("cases.typology.profile", name, c)
               for c in ("Conditionality of aid", "How discretion is framed")},
        })
    return pd.DataFrame(rows)


def _case_level(case_level) -> tuple[str, str]:
    if not case_level:
        return "not a coded dimension", "–"
    dimension, level = case_level
    return f"{dimension}: {level}", cell("cases.dimensions.table", {"Dimension": dimension, "Level": level},
                                         disclosure.TOTAL)


def topic_display() -> pd.DataFrame:
    """Each topic: what the survey, the case studies and the newcomers say on it."""
    rows = []
    for topic, practice, practice_key, case_level, theme in TOPICS:
        coded, at_level = _case_level(case_level)
        rows.append({"Topic": topic, "Survey: practice": practice,
                     "Survey: share of PCSWs": cell(practice_key, {"Practice": practice}, "All PCSWs"),
                     "Cases: coded level": coded, "Cases: PCSWs at that level": at_level, "Newcomers: theme": theme,
                     "Newcomers: share who raised it": cell("newcomers.themes.overall", {"Theme": theme}, "Share")})
    return pd.DataFrame(rows)


def _types_answer() -> dict[str, str]:
    largest = get("survey.typology.sizes").value.iloc[0]
    n = get("survey.typology.n_classes")
    answer = ("one type: the BIC finds no distinct types of practice among the responding PCSWs" if n.value == 1 else
              f"{n.formatted()} types; the largest ({largest['Class'].split('. ', 1)[1]}) holds an estimated "
              f"{largest['Estimated share']} of the responding PCSWs")
    return {"Research question": "RQ1. Practices and types of PCSWs", ANSWER: answer,
            SHOWN_IN: "Survey of PCSWs: the fit of the latent class models and the sizes of the types"}


def _odds_ratio(model: str) -> str:
    """An odds ratio with its interval and p value, as published; or why the model is not estimable."""
    if math.isnan(get(f"survey.factors.{model}.or").value):
        return get(f"survey.factors.{model}.estimate").value
    f = {k: get(f"survey.factors.{model}.{k}").formatted() for k in ("or", "or_low", "or_high", "p")}
    return f"{f['or']} ({f['or_low']}–{f['or_high']}, {f['p']})"


def _factors_answer() -> dict[str, str]:
    return {"Research question": "RQ2. Factors behind decisions",
            ANSWER: f"odds ratio per SD of support for conditional aid: {_odds_ratio('extra_conditions')} for extra "
                    f"conditions, {_odds_ratio('supplementary_aid')} for supplementary aid",
            SHOWN_IN: "Survey of PCSWs: the odds ratios of the two key practices"}


def _access_answer() -> dict[str, str]:
    overall = {t: cell("newcomers.themes.overall", {"Theme": t}, "Share") for t in theme_titles("barriers")}
    chosen = highest(overall)
    effect, p = (get(f"newcomers.satisfaction.trust.{k}").formatted() for k in ("effect", "p"))
    return {"Research question": "RQ3. Accessibility as newcomers experience it",
            ANSWER: f"barrier{'s' if chosen and len(chosen) > 1 else ''} raised most often: "
                    f"{chosen_words(chosen, overall, ' of interviewees', _lower_first)}; satisfaction with and "
                    f"without trust coded: rank-biserial {effect}, {p}",
            SHOWN_IN: "Newcomer interviews: the barriers raised and satisfaction by coded theme"}


def answers_table() -> pd.DataFrame:
    """One answer per aim of the study, each naming the chapter and tables it rests on."""
    return pd.DataFrame([_types_answer(), _factors_answer(), _access_answer()])


def _case_row(field, level, coded: pd.DataFrame, cases: pd.DataFrame) -> dict[str, str]:
    """A dimension at one level: its number of cases and an excerpt per role, shown only where the count is."""
    count = cell("cases.dimensions.table", {"Dimension": field.title(), "Level": field.label(level)}, TOTAL)
    row = {"Dimension": field.title(), "Level": field.label(level), "Cases": count}
    at_level = cases.index[cases[field.name] == level]
    for role, label in ROLES.items():
        chosen = excerpt(coded, at_level, field.name, role)
        row[f"{label}: excerpt"] = "–" if count in (MARK, "0") or chosen is None else chosen
    return row


def case_matrix() -> pd.DataFrame:
    """Each coded case dimension by level, with the number of cases and an excerpt from management and from social
    workers at that level: only for levels whose number of cases is shown, so that an excerpt never places a case
    in a hidden cell, and only excerpts that pass the identifier check."""
    from analysis.study import cases as case_study

    coded = load.table("case_excerpts").sort_values("excerpt_id")
    cases = load.table("cases").set_index("case_id")
    fields = codebook()["cases"]
    return pd.DataFrame([_case_row(fields.field(dimension), level, coded, cases)
                         for dimension in case_study.DIMENSIONS for level in fields.field(dimension).codes])


def theme_matrix() -> pd.DataFrame:
    """Each newcomer theme with its share overall, its range over the regions and the quote chosen for it."""
    quotes = get("newcomers.quotes.table").value
    if redesign.is_withheld(quotes):
        quotes = pd.DataFrame(columns=["Theme", "Quote", "Speaker"])
    rows = []
    for theme in theme_titles("barriers") + theme_titles("experience"):
        spread = theme_range([cell("newcomers.themes.by_region", {"Theme": theme, "Group": r}, "Share")
                              for r in regions()])
        quote = quotes[quotes["Theme"] == theme]
        rows.append({"Theme": theme,
                     "Share of interviewees": cell("newcomers.themes.overall", {"Theme": theme}, "Share"),
                     "Range over the regions": f"{spread[0]} to {spread[1]}" if spread else "partly hidden",
                     "Quote": f"{quote.iloc[0]['Quote']} ({quote.iloc[0]['Speaker']})" if len(quote) else "–"})
    return pd.DataFrame(rows)


ASSUMED = "Until then, this book assumes"


def study_record(path=None) -> pd.DataFrame:
    """The study record as a table (Item, what the book assumes until then, Value); an empty value reads "to be
    completed by the research team", an item on which the book assumes nothing reads "–"."""
    entries = record_entries(path or record_path())
    return pd.DataFrame([{"Item": item, ASSUMED: assumed or "–", "Value": value or TO_COMPLETE}
                         for item, value, assumed in entries], columns=["Item", ASSUMED, "Value"])


def instrument_table(resource: str) -> pd.DataFrame:
    """Every item of each block of an instrument in English, Dutch and French, with its answer categories."""
    rows = []
    for block, heading in INSTRUMENTS[resource].items():
        for field in codebook()[resource].block(block):
            answers = "; ".join(field.labels().values()) if field.categories else "yes / no"
            rows.append({"Block": heading, "Item (English)": field.title("en"), "Dutch": field.title("nl"),
                         "French": field.title("fr"), "Answers": answers})
    if not rows:
        raise KeyError(f"data/datapackage.json: resource {resource!r} has no field in blocks "
                       f"{', '.join(INSTRUMENTS[resource])}")
    return pd.DataFrame(rows)
