"""The synthesis of the study parts: joint displays, one computed answer per aim, and the study record.

Joint displays are the mixed-methods way of integrating strands: one table puts side by side what the survey,
the case studies and the newcomer interviews say about the same unit (a region, a survey type, a topic). Every
cell here is *read* from a result the chapters already show, under the same registry key, never recomputed: the
synthesis can then not disagree with a chapter, and a hidden (disclosure-protected) cell stays hidden.

The study record (``data/study_record.yml``) holds what only the study's own records can tell (fieldwork
dates, ethics approval, data controller...). An empty value is shown as "to be completed by the research team".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from analysis import paths
from analysis.data import load
from analysis.protection import disclosure
from analysis.results import registry
from analysis.results.registry import Result, number, publishes, table

TO_COMPLETE = "to be completed by the research team"
RECORD = paths.DATA / "study_record.yml"

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


READ_FROM = "Every cell is read from a table or number that the chapters show, under the same registry key."


def by_strand(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """A display with one column per unit (region) and one row per measure, its strand in a column of its own:
    narrow enough for a printed page. Measures are named "Strand: measure"."""
    shown = frame.set_index(unit).T
    strand_and_measure = [name.split(": ", 1) for name in shown.index]
    shown.insert(0, "Measure", [m for _, m in strand_and_measure])
    shown.insert(0, "Strand", [s for s, _ in strand_and_measure])
    shown.columns.name = None
    return shown.reset_index(drop=True)


def _get(key: str) -> registry.Result:
    """A published result, with the data files it was computed from recorded as read by the synthesis too, so that
    a synthesis result names the data it rests on."""
    result = registry.get(key)
    for name in result.data:
        path = load.data_dir() / name
        load.record_read(name, path if path.exists() else paths.ROOT / name)
    return result


def cell(key: str, match: dict[str, str], column: str) -> str:
    """The cell of the published table ``key`` in the row whose columns equal ``match``, as the reader sees it."""
    frame = _get(key).value
    rows = frame
    for name, value in match.items():
        if name not in frame.columns:
            raise KeyError(f"{key}: no column {name!r} (columns: {', '.join(map(str, frame.columns))})")
        rows = rows[rows[name].astype(str) == value]
    if len(rows) != 1:
        raise KeyError(f"{key}: {len(rows)} rows match {match} (expected one)")
    if column not in frame.columns:
        raise KeyError(f"{key}: no column {column!r} (columns: {', '.join(map(str, frame.columns))})")
    return str(rows.iloc[0][column])


def _share(text: str) -> float:
    """A shown percentage as a number for ranking; a hidden cell ranks last."""
    return -1.0 if text == disclosure.MARK else float(text.rstrip("%").replace(",", ""))


def _type_columns() -> list[str]:
    return [c for c in _get("survey.membership.region.table").value.columns if c[:1].isdigit()]


def _regions() -> list[str]:
    return list(_get("survey.response.by_region").value["Region"].iloc[:-1])  # without Belgium


def _themes(block: str) -> list[str]:
    from analysis.data.codebook import codebook
    return [f.title() for f in codebook()["newcomers"].block(block)]


def _most_raised(region: str) -> str:
    shares = {theme: cell("newcomers.themes.by_region", {"Theme": theme, "Group": region}, "Share")
              for theme in _themes("barriers")}
    theme = max(shares, key=lambda t: _share(shares[t]))
    return f"{theme} ({shares[theme]})"


@publishes("synthesis.joint")
def joint_displays() -> list[Result]:
    """Three joint displays: by region, by survey type and by topic."""
    regions = []
    for region in _regions():
        types = {c: cell("survey.membership.region.table", {"Region": region}, c) for c in _type_columns()}
        top = max(types, key=lambda c: _share(types[c]))
        regions.append({
            "Region": region,
            "Survey: response rate": cell("survey.response.by_region", {"Region": region}, "Response rate"),
            "Survey: most common type": f"{top} ({types[top]})",
            "Survey: conditions beyond the legal minimum": cell(
                "survey.repertoire.table.rights", {"Practice": TOPICS[0][1]}, region),
            "Cases: PCSWs studied": cell("cases.design.matrix", {"Region": region}, disclosure.TOTAL),
            "Newcomers: interviewees": cell("newcomers.themes.by_region",
                                            {"Theme": "Pressure of conditions", "Group": region}, "Interviewees"),
            "Newcomers: pressure of conditions": cell("newcomers.themes.by_region",
                                                      {"Theme": "Pressure of conditions", "Group": region}, "Share"),
            "Newcomers: barrier raised most often": _most_raised(region),
        })
    by_region = pd.DataFrame(regions)
    # Where the strands agree: does the region hold the same rank among the regions on the survey's share of
    # PCSWs attaching conditions as on the share of its newcomers reporting the pressure of conditions?
    survey_rank = by_region["Survey: conditions beyond the legal minimum"].map(_share).rank(ascending=False, method="min")
    newcomer_rank = by_region["Newcomers: pressure of conditions"].map(_share).rank(ascending=False, method="min")
    by_region["Conditions: same rank in both strands"] = ["yes" if a == b else "no"
                                                          for a, b in zip(survey_rank, newcomer_rank)]

    types = []
    profile_columns = ["Conditionality of aid", "How discretion is framed"]
    for label in _type_columns():
        name = label.split(". ", 1)[1]
        types.append({
            "Survey type": label,
            "Survey: estimated share": cell("survey.typology.sizes", {"Class": label}, "Estimated share"),
            "Cases: PCSWs of the type": cell("cases.typology.profile", {"Survey type": name}, "Cases"),
            **{f"Cases: {c.lower()}": cell("cases.typology.profile", {"Survey type": name}, c)
               for c in profile_columns},
        })
    by_type = pd.DataFrame(types)

    topics = []
    for topic, practice, practice_key, case_level, theme in TOPICS:
        topics.append({
            "Topic": topic,
            "Survey: practice": practice,
            "Survey: share of PCSWs": cell(practice_key, {"Practice": practice}, "All PCSWs"),
            "Cases: coded level": (f"{case_level[0]}: {case_level[1]}" if case_level else "not a coded dimension"),
            "Cases: PCSWs at that level": (cell("cases.dimensions.table",
                                                {"Dimension": case_level[0], "Level": case_level[1]},
                                                disclosure.TOTAL) if case_level else "–"),
            "Newcomers: theme": theme,
            "Newcomers: share who raised it": cell("newcomers.themes.overall", {"Theme": theme}, "Share"),
        })
    by_topic = pd.DataFrame(topics)
    return [
        # count_columns: none to check, the case counts are cells of cases.design.matrix, already protected
        disclosure.publish_table("synthesis.joint.region", by_strand(by_region, "Region"), count_columns=[],
                                 title="Joint display by region: survey, case studies and newcomer interviews",
                                 note=READ_FROM),
        disclosure.publish_table("synthesis.joint.type", by_type, count_columns=["Cases: PCSWs of the type"],
                                 title="Joint display by survey type: the typology and the cases coded in it",
                                 note=READ_FROM),
        # count_columns: none to check here, the counts are cells of cases.dimensions.table, already protected
        disclosure.publish_table("synthesis.joint.topic", by_topic, count_columns=[],
                                 title="Joint display by topic: what each strand says on the same question",
                                 note=READ_FROM),
        number("synthesis.joint.regions", len(by_region), style="count", title="Regions in the joint display"),
        number("synthesis.joint.agree", int((by_region["Conditions: same rank in both strands"] == "yes").sum()),
               style="count", title="Regions ranked alike on conditions by the survey and by the newcomers"),
    ]


@publishes("synthesis.answers")
def answers() -> list[Result]:
    """One computed answer per aim of the study, each naming the results it rests on."""
    sizes = _get("survey.typology.sizes").value
    n_classes = _get("survey.typology.n_classes").formatted()
    largest = sizes.iloc[0]
    f = {k: _get(k).formatted() for k in (
        "survey.factors.extra_conditions.or", "survey.factors.extra_conditions.or_low",
        "survey.factors.extra_conditions.or_high", "survey.factors.extra_conditions.p",
        "survey.factors.supplementary_aid.or", "survey.factors.supplementary_aid.or_low",
        "survey.factors.supplementary_aid.or_high", "survey.factors.supplementary_aid.p",
        "newcomers.satisfaction.trust.effect", "newcomers.satisfaction.trust.p")}
    overall = {t: cell("newcomers.themes.overall", {"Theme": t}, "Share") for t in _themes("barriers")}
    top_barrier = max(overall, key=lambda t: _share(overall[t]))
    rows = [
        {"Aim": "1. Practices and types of PCSWs",
         "Computed answer (stand-in data: an illustration)":
             f"{n_classes} types; the largest ({largest['Class'].split('. ', 1)[1]}) holds an estimated "
             f"{largest['Estimated share']} of the responding PCSWs",
         "Rests on": "survey.typology.n_classes, survey.typology.sizes"},
        {"Aim": "2. Factors behind decisions",
         "Computed answer (stand-in data: an illustration)":
             f"odds ratio per SD of support for conditional aid: {f['survey.factors.extra_conditions.or']} "
             f"({f['survey.factors.extra_conditions.or_low']}–{f['survey.factors.extra_conditions.or_high']}, "
             f"{f['survey.factors.extra_conditions.p']}) for extra conditions, "
             f"{f['survey.factors.supplementary_aid.or']} ({f['survey.factors.supplementary_aid.or_low']}–"
             f"{f['survey.factors.supplementary_aid.or_high']}, {f['survey.factors.supplementary_aid.p']}) "
             "for supplementary aid",
         "Rests on": "survey.factors.extra_conditions, survey.factors.supplementary_aid"},
        {"Aim": "3. Accessibility as newcomers experience it",
         "Computed answer (stand-in data: an illustration)":
             f"barrier raised most often: {top_barrier.lower()} ({overall[top_barrier]} of interviewees); "
             f"satisfaction with and without trust coded: rank-biserial {f['newcomers.satisfaction.trust.effect']}, "
             f"{f['newcomers.satisfaction.trust.p']}",
         "Rests on": "newcomers.themes.overall, newcomers.satisfaction.trust"},
    ]
    return [
        table("synthesis.answers.table", pd.DataFrame(rows), title="One computed answer per aim of the study"),
        number("synthesis.answers.aims", len(rows), style="count", title="Aims answered"),
    ]


def study_record(path: Path = RECORD) -> pd.DataFrame:
    """The study record as a table (Item, Value); an empty value reads "to be completed by the research team"."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a list of entries with 'item' and 'value'")
    rows = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or set(entry) != {"item", "value"} or not isinstance(entry["item"], str):
            raise ValueError(f"{path}: entry {index} must have exactly the keys 'item' (text) and 'value'")
        value = entry["value"]
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{path}: entry {index} ({entry['item']}): value must be text or empty")
        rows.append({"Item": entry["item"], "Value": value.strip() if value and value.strip() else TO_COMPLETE})
    return pd.DataFrame(rows, columns=["Item", "Value"])


@publishes("synthesis.record")
def record() -> list[Result]:
    load.record_read(str(RECORD.relative_to(paths.DATA)), RECORD)  # named like every data file
    frame = study_record()
    return [
        table("synthesis.record.table", frame, title="Study record: facts only the study's own records can give"),
        number("synthesis.record.open", int((frame["Value"] == TO_COMPLETE).sum()), style="count",
               title="Study-record items still to be completed by the research team"),
    ]


ROLES = {"management": "Management", "worker": "Social workers"}


@publishes("synthesis.framework")
def framework() -> list[Result]:
    """Framework matrices (the framework method): each coded case dimension by level, with the number of cases
    and one excerpt from management and one from social workers at that level; each newcomer theme with its
    share overall, its range over the regions and a quote. Excerpts are shown only for levels whose number of
    cases is shown, so that an excerpt never places a case in a hidden cell, and only when they pass the
    identifier check."""
    from analysis.protection import identifiers
    from analysis.study import cases as case_study
    from analysis.data.codebook import codebook

    coded = load.table("case_excerpts").sort_values("excerpt_id")
    case_table = load.table("cases").set_index("case_id")
    fields = codebook()["cases"]
    rows = []
    for dimension in case_study.DIMENSIONS:
        field = fields.field(dimension)
        for level in field.codes:
            count = cell("cases.dimensions.table", {"Dimension": field.title(), "Level": field.label(level)},
                         disclosure.TOTAL)
            row = {"Dimension": field.title(), "Level": field.label(level), "Cases": count}
            at_level = case_table.index[case_table[dimension] == level]
            for role, label in ROLES.items():
                candidates = coded[(coded["code"] == dimension) & (coded["speaker_role"] == role)
                                   & coded["case_id"].isin(at_level)]
                chosen = next((r.text for r in candidates.itertuples() if not identifiers.find(r.text)), None)
                row[f"{label}: excerpt"] = ("–" if count == disclosure.MARK or count == "0" or chosen is None
                                            else chosen)
            rows.append(row)
    matrix = pd.DataFrame(rows)

    quotes = _get("newcomers.quotes.table").value
    theme_rows = []
    for theme in _themes("barriers") + _themes("experience"):
        shares = [cell("newcomers.themes.by_region", {"Theme": theme, "Group": r}, "Share") for r in _regions()]
        visible = [s for s in shares if s != disclosure.MARK]
        quote = quotes[quotes["Theme"] == theme]
        theme_rows.append({
            "Theme": theme,
            "Share of interviewees": cell("newcomers.themes.overall", {"Theme": theme}, "Share"),
            "Range over the regions": (f"{min(visible, key=_share)} to {max(visible, key=_share)}"
                                       if len(visible) == len(shares) else "partly hidden"),
            "Quote": f"{quote.iloc[0]['Quote']} ({quote.iloc[0]['Speaker']})" if len(quote) else "–",
        })
    return [
        disclosure.publish_table("synthesis.framework.cases", matrix, count_columns=["Cases"],
                                 title="Framework matrix of the case studies: dimension and level, with excerpts "
                                       "from management and social workers"),
        table("synthesis.framework.newcomers", pd.DataFrame(theme_rows),
              title="Framework matrix of the newcomer interviews: theme, prevalence, regional range and a quote"),
    ]


# The blocks of each instrument, in the order of the questionnaire or topic guide (codebook block -> heading).
INSTRUMENTS = {
    "survey": {"organisation": "Organisation", "rights": "Rights and supplementary aid",
               "integration": "Integration interventions", "discretion": "Framing of discretion",
               "attitudes": "Attitudes of the respondent"},
    "cases": {"dimensions": "Case dimensions"},
    "newcomers": {"barriers": "Barriers", "experience": "Experience of the service", "satisfaction": "Satisfaction"},
}


@publishes("synthesis.instrument")
def instruments() -> list[Result]:
    """The survey questionnaire and the interview topic guides as the codebook holds them: every item of each
    block in English, Dutch and French, with its answer categories (in English)."""
    from analysis.data.codebook import codebook

    load.record_read(paths.DATAPACKAGE.name, paths.DATAPACKAGE)
    results = []
    for resource, blocks in INSTRUMENTS.items():
        rows = []
        for block, heading in blocks.items():
            for field in codebook()[resource].block(block):
                answers = "; ".join(field.labels().values()) if field.categories else "yes / no"
                rows.append({"Block": heading, "Item (English)": field.title("en"), "Dutch": field.title("nl"),
                             "French": field.title("fr"), "Answers": answers})
        if not rows:
            raise KeyError(f"data/datapackage.json: resource {resource!r} has no field in blocks {', '.join(blocks)}")
        results.append(table(f"synthesis.instrument.{resource}", pd.DataFrame(rows),
                             title={"survey": "Survey questionnaire: items by block, in three languages",
                                    "cases": "Case-study coding frame: dimensions in three languages",
                                    "newcomers": "Newcomer interview topic guide: themes and statements in three "
                                                 "languages"}[resource]))
    return results
