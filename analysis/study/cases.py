"""Results of the case studies: 20 PCSWs, their coded dimensions, excerpts, and their place in the survey typology.

Every frequency table goes through :mod:`analysis.protection.disclosure` (20 cases give small cells: most of them are
hidden, which is the point). Excerpts are chosen here, by code, never picked by hand in a chapter, and only
when they pass the identifier check. The link with the survey typology is a producer of its own
(``cases.typology``): it reads the typology that :mod:`analysis.study.survey` fits.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.data import load
from analysis.protection import disclosure, identifiers
from analysis.data.codebook import codebook
from analysis.protection.disclosure import TOTAL
from analysis.results.registry import Result, chart, number, publishes, table

DIMENSIONS = ("org_model", "conditionality", "specialisation", "network", "discretion_framing")
ROLES = {"interviews_management": "management", "interviews_workers": "social workers",
         "interviews_partners": "partner organisations"}


def _labelled(frame: pd.DataFrame, row_field, column_field, resource: str = "cases") -> pd.DataFrame:
    """Relabel the codes of a crosstab's rows and columns with the codebook's labels (Total stays)."""
    fields = codebook()[resource]
    rows = fields.field(row_field).labels() if row_field else {}
    cols = fields.field(column_field).labels() if column_field else {}
    return frame.rename(index=lambda v: rows.get(v, v), columns=lambda v: cols.get(v, v))


def _crosstab(frame: pd.DataFrame, rows: str, columns: str, resource: str = "cases") -> pd.DataFrame:
    """Counts of every code combination, codes in codebook order, empty combinations as 0."""
    fields = codebook()[resource]
    counts = pd.crosstab(frame[rows], frame[columns])
    return counts.reindex(index=fields.field(rows).codes, columns=fields.field(columns).codes, fill_value=0)


@publishes("cases.design")
def design() -> list[Result]:
    cases = load.table("cases")
    matrix = disclosure.protect(_crosstab(cases, "region", "size_band"))
    interviews = cases.groupby("region")[list(ROLES)].sum().reindex(codebook()["cases"].field("region").codes)
    protected_interviews = disclosure.protect(interviews.rename(columns=ROLES))
    sizes = [str(c) for c in _labelled(matrix, "region", "size_band").columns]
    return [
        disclosure.publish_count("cases.design.n", len(cases), title="Case-study PCSWs"),
        number("cases.design.threshold", disclosure.THRESHOLD, style="count",
               title="Disclosure threshold: the smallest count shown"),
        disclosure.publish_count("cases.design.interviews", int(cases[list(ROLES)].to_numpy().sum()),
                                 title="Interviews in the case studies"),
        *[disclosure.publish_count(f"cases.design.interviews_{role.split('_')[1]}", cases[role].sum(),
                                   title=f"Case-study interviews with {label}") for role, label in ROLES.items()],
        disclosure.publish_table("cases.design.matrix",
                                 disclosure.as_table(_labelled(matrix, "region", "size_band"), "Region"),
                                 title="Case-study PCSWs by region and municipality size", count_columns=sizes),
        disclosure.publish_table("cases.design.interviews_table",
                                 disclosure.as_table(_labelled(protected_interviews, "region", None), "Region"),
                                 title="Case-study interviews by region and role of the interviewee",
                                 count_columns=[*ROLES.values(), TOTAL]),
    ]


def _dimension_counts(cases: pd.DataFrame) -> pd.DataFrame:
    """Cases per level of each coded dimension and region, protected per dimension (long table)."""
    fields = codebook()["cases"]
    regions = fields.field("region").labels()
    parts = []
    for dimension in DIMENSIONS:
        protected = _labelled(disclosure.protect(_crosstab(cases, dimension, "region")), dimension, "region")
        protected = protected.drop(index=TOTAL)  # cases per region: in the selection matrix
        protected.insert(0, "Level", protected.index.astype(str))
        protected.insert(0, "Dimension", fields.field(dimension).title())
        parts.append(protected.reset_index(drop=True))
    long = pd.concat(parts, ignore_index=True)
    long.columns = ["Dimension", "Level", *regions.values(), TOTAL]
    return long


@publishes("cases.dimensions")
def dimensions() -> list[Result]:
    cases = load.table("cases")
    counts = _dimension_counts(cases)
    regions = list(codebook()["cases"].field("region").labels().values())
    shown = counts[counts[TOTAL] != disclosure.MARK].assign(cases=lambda f: f[TOTAL].astype(int))
    hidden_levels = len(counts) - len(shown)
    spec = (
        alt.Chart(shown, title="Case PCSWs by coded level of each dimension")
        .mark_bar()
        .encode(y=alt.Y("Level:N", title=None, sort=None), x=alt.X("cases:Q", title="Case PCSWs"),
                tooltip=["Dimension", "Level", "cases"])
        .properties(width=420, height=alt.Step(18))
        .facet(row=alt.Row("Dimension:N", title=None, sort=list(counts["Dimension"].unique()),
                           header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")))
        .resolve_scale(y="independent")
    )
    most = shown.sort_values("cases").iloc[-1]
    alt_text = (f"Bar charts, one per coded dimension, of the number of case PCSWs at each level; "
                f"{len(shown)} levels shown, {hidden_levels} hidden for disclosure control; the largest bar is "
                f"{most['Level']} ({most['Dimension']}) with {most['cases']} cases.")
    return [
        disclosure.publish_table("cases.dimensions.table", counts,
                                 title="Case PCSWs by coded dimension, level and region",
                                 count_columns=[*regions, TOTAL]),
        chart("cases.dimensions.chart", spec, title="Case PCSWs by coded level of each dimension", alt=alt_text,
              note=(f"Levels with a hidden number of cases are left out ({disclosure.MARK} in the table)."
                    if hidden_levels else "")),
    ]


def _modal_level(cases: pd.DataFrame, dimension: str):
    """The most common level of a dimension among ``cases`` (ties: the first level in codebook order)."""
    counts = cases[dimension].value_counts()
    order = codebook()["cases"].field(dimension).codes
    return max(order, key=lambda level: (counts.get(level, 0), -order.index(level)))


@publishes("cases.excerpts")
def excerpts() -> list[Result]:
    """One excerpt per coded dimension, from a case coded at that dimension's most common level."""
    cases = load.table("cases").set_index("case_id")
    coded = load.table("case_excerpts").sort_values("excerpt_id")
    fields = codebook()["case_excerpts"]
    rows = []
    for dimension in DIMENSIONS:
        level = _modal_level(cases, dimension)
        at_level = cases.index[cases[dimension] == level]
        candidates = coded[(coded["code"] == dimension) & coded["case_id"].isin(at_level)]
        chosen = next((row for row in candidates.itertuples() if not identifiers.find(row.text)), None)
        if chosen is None:
            raise ValueError(f"case_excerpts.csv: no excerpt coded {dimension!r} from a case at level {level!r} "
                             "passes the identifier check")
        rows.append({"Dimension": fields.field("code").label(dimension),
                     "Most common level": codebook()["cases"].field(dimension).label(level),
                     "Speaker": fields.field("speaker_role").label(chosen.speaker_role), "Excerpt": chosen.text})
    return [table("cases.excerpts.table", pd.DataFrame(rows),
                  title="Illustrative excerpts, one per coded dimension, from cases at its most common level")]


def _linked_outputs(cases: pd.DataFrame, membership: pd.DataFrame) -> dict[str, object]:
    """The other published outputs linked to the case-selection table, as :mod:`analysis.protection.linked` reads them:
    the case tables by region, size and coded dimension, and the survey's types by region and size, computed
    from the same ``membership`` the selection uses."""
    from analysis.results import registry
    from analysis.study import survey

    respondents = survey._survey()
    types = membership.reindex(respondents.index)
    named = survey._type_names(types)
    counts = types["class"].value_counts()
    regions = codebook()["survey"].field("region").labels()
    return {
        "cases.design.n": len(cases),
        **{key: registry.get(key).value
           for key in ("cases.design.matrix", "cases.dimensions.table", "cases.dimensions.chart")},
        "survey.typology.sizes": pd.DataFrame({"Class": [named[c] for c in sorted(named)],
                                               "PCSWs (modal class)": [int(counts[c]) for c in sorted(named)]}),
        "survey.typology.n_units": len(types),
        "survey.response.by_region": pd.DataFrame({"Region": list(regions.values()), "Respondents": [
            int((respondents["region"] == code).sum()) for code in regions]}),
        "survey.membership.region.table": survey.type_shares_table(respondents, types, "region"),
        "survey.membership.size.table": survey.type_shares_table(respondents, types, "size_band"),
    }


def protected_selection(by_type: pd.DataFrame, linked_outputs: dict[str, object]) -> tuple[pd.DataFrame, str]:
    """The case-selection table (cases by survey type and region) at the finest level the linked audit passes,
    and a note saying what was left out.

    Why coarsening rather than more suppression: every case PCSW also answered the survey, whose table of
    types by region gives exact counts (a percentage of a shown number of PCSWs). A survey count caps the case
    count of the same type and region, so in a region with few respondents a hidden case cell is pinned to
    0 or 1 by the survey alone; hiding more case cells cannot widen that cap, and hiding survey cells would take
    away the survey's own finding (and its totals by type would recompute them). So the table is published by
    type and region when :func:`analysis.protection.linked.audit` over the whole linked set passes, else by type only
    (cases per region are in the design matrix), else it is refused with the cells that fail.
    """
    from analysis.protection import linked

    by_region = disclosure.as_table(_labelled(disclosure.protect(by_type), None, "region"), "Survey type")
    by_type_only = disclosure.protect(by_type.sum(axis=1).to_frame("Cases")).drop(columns=TOTAL)
    candidates = [(by_region, ""),
                  (disclosure.as_table(by_type_only, "Survey type"),
                   "Shown by type only: split by region, the cases could be combined with the survey's types by "
                   "region (every case PCSW answered the survey) to narrow a hidden count.")]
    findings = []
    for table_, note in candidates:
        findings = linked.audit(linked.cases_survey({**linked_outputs, "cases.typology.selection": table_}))
        if not findings:
            return table_, note
    raise disclosure.DisclosureError("cases.typology: linked outputs narrow hidden counts even with the selection "
                                     "by type only: " + "; ".join(map(str, findings)))


@publishes("cases.typology")
def typology() -> list[Result]:
    """The cases in the survey typology: selection by type (and region where the linked audit allows), and each
    type's coded profile."""
    from analysis.study.survey import typology_membership

    cases = load.table("cases")
    membership = typology_membership()
    unknown = sorted(set(cases["pcsw_id"]) - set(membership.index))
    if unknown:
        raise KeyError(f"cases.csv: pcsw_id {', '.join(unknown)} not in the survey typology membership")
    types = membership.loc[cases["pcsw_id"]]
    order = membership.drop_duplicates("class").sort_values("class")["type"].astype(str).tolist()
    cases = cases.assign(type=types["type"].astype(str).to_numpy(), certainty=types["certainty"].to_numpy(float))
    regions = codebook()["cases"].field("region")
    by_type = pd.crosstab(cases["type"], cases["region"]).reindex(index=order, columns=regions.codes, fill_value=0)

    per_type = cases.groupby("type").size().reindex(order, fill_value=0).to_frame("Cases")
    hidden = disclosure.hidden_cells(per_type).loc[order, "Cases"]
    profile = per_type.astype(object)
    fields = codebook()["cases"]
    for dimension in DIMENSIONS:
        profile[fields.field(dimension).title()] = [
            fields.field(dimension).label(_modal_level(cases[cases["type"] == t], dimension))
            if per_type.at[t, "Cases"] else "" for t in order]
    profile = disclosure.as_table(disclosure.hide(profile, pd.DataFrame({c: hidden for c in profile.columns})),
                                  "Survey type")
    selection, note = protected_selection(by_type, {**_linked_outputs(cases, membership),
                                                    "cases.typology.profile": profile})
    return [
        disclosure.publish_table("cases.typology.selection", selection,
                                 title="Case-study PCSWs by survey type" + (" and region" if not note else ""),
                                 count_columns=[c for c in selection.columns if c != "Survey type"], note=note),
        disclosure.publish_table("cases.typology.profile", profile,
                                 title="Most common level of each coded dimension among the cases of each survey type",
                                 count_columns=["Cases"]),
        number("cases.typology.certainty", cases["certainty"].mean(), style="decimal",
               title="Mean certainty of the case PCSWs' survey-type membership"),
    ]
