"""The case studies' computations: counts by code, protected where they are published, never labelled.

Counts of 20 cases give small cells: every table of counts is protected here (:mod:`analysis.protection.disclosure`)
while its rows and columns are still codes, so that every language shows the same hidden cells.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.codebook import codebook
from analysis.protection import disclosure, identifiers
from analysis.protection.disclosure import TOTAL

DIMENSIONS = ("org_model", "conditionality", "specialisation", "network", "discretion_framing")
ROLES = ("interviews_management", "interviews_workers", "interviews_partners")
# The size bands of the design matrix when they must be merged (the fixed strings ``cases.size.<group>`` name them).
SIZE_GROUPS = {"small": (1, 2), "large": (3, 4)}


def crosstab(frame: pd.DataFrame, rows: str, columns: str, resource: str = "cases") -> pd.DataFrame:
    """Counts of every code combination, codes in codebook order, empty combinations as 0."""
    fields = codebook()[resource]
    counts = pd.crosstab(frame[rows], frame[columns])
    return counts.reindex(index=fields.field(rows).codes, columns=fields.field(columns).codes, fill_value=0)


def interviews(cases: pd.DataFrame) -> pd.DataFrame:
    """Interviews per region (rows, codebook order) and role of the interviewee (columns: :data:`ROLES`)."""
    return cases.groupby("region")[list(ROLES)].sum().reindex(codebook()["cases"].field("region").codes)


def merged_sizes(matrix: pd.DataFrame) -> pd.DataFrame:
    """Counts by region and size band (codes as columns) with the bands merged into :data:`SIZE_GROUPS`."""
    return pd.DataFrame({group: matrix[list(codes)].sum(axis=1) for group, codes in SIZE_GROUPS.items()})


def dimension_counts(cases: pd.DataFrame, by_region: bool = True) -> pd.DataFrame:
    """Cases per level of each coded dimension and region, protected per dimension: one row per dimension and
    level (codes), a column per region code and the Total (cases per region are in the selection matrix); with
    ``by_region`` false, the Total column only (all regions together)."""
    parts = []
    for dimension in DIMENSIONS:
        counts = crosstab(cases, dimension, "region")
        if by_region:
            protected = disclosure.protect(counts).drop(index=TOTAL)
        else:  # one column and its copy as the Total (see disclosure.with_totals), the copy dropped
            protected = disclosure.protect(counts.sum(axis=1).to_frame("all")).drop(index=TOTAL, columns=TOTAL)
            protected = protected.rename(columns={"all": TOTAL})
        protected.insert(0, "level", protected.index)
        protected.insert(0, "dimension", dimension)
        parts.append(protected.reset_index(drop=True))
    return pd.concat(parts, ignore_index=True)


def modal_among(cases: pd.DataFrame, dimension: str) -> tuple | None:
    """The most common level or levels of a dimension among ``cases`` (a survey type's cases), by the rule of
    :func:`~analysis.protection.disclosure.largest` over their counts: every tied level, in codebook order;
    ``()`` without cases; None where a count among them is under the threshold (these counts are not published, but a
    named level would bound them, and naming the largest of the others would tell where a hidden one lies)."""
    counts = cases[dimension].value_counts().reindex(codebook()["cases"].field(dimension).codes, fill_value=0)
    # Hidden as protect would hide them first: from 1 to THRESHOLD − 1. (No totals are shown of these counts, so
    # there is no secondary suppression to add; a one-column table with totals would leave the audit unbounded.)
    small = (counts > 0) & (counts < disclosure.THRESHOLD)
    return disclosure.largest(counts.astype(object).where(~small, disclosure.MARK))


def choose_excerpts(cases: pd.DataFrame, coded: pd.DataFrame, levels: dict) -> pd.DataFrame:
    """One excerpt per coded dimension, from a case coded at its most common level or levels as published
    (``levels``: :func:`modal_levels` of the published counts, so that the excerpts name what the prose names),
    the first (by excerpt id) that passes the identifier check; none where no level is named or no excerpt at it
    passes. ``cases`` is indexed by case id. Columns: dimension, level (the chosen codes, or None), speaker_role (a
    code) and text."""
    rows = []
    for dimension, named in levels.items():
        at_level = cases.index[cases[dimension].isin(named or ())]
        candidates = coded[(coded["code"] == dimension) & coded["case_id"].isin(at_level)].sort_values("excerpt_id")
        chosen = next((row for row in candidates.itertuples() if not identifiers.find(row.text)), None)
        rows.append({"dimension": dimension, "level": named, "speaker_role": chosen and chosen.speaker_role,
                     "text": chosen and chosen.text})
    return pd.DataFrame(rows)


def with_types(cases: pd.DataFrame, membership: pd.DataFrame) -> pd.DataFrame:
    """The cases with the survey type (``class``) and its ``certainty`` of each case PCSW."""
    unknown = sorted(set(cases["pcsw_id"]) - set(membership.index))
    if unknown:
        raise KeyError(f"cases.csv: pcsw_id {', '.join(unknown)} not in the survey typology membership")
    types = membership.loc[cases["pcsw_id"]]
    return cases.assign(**{"class": types["class"].astype(int).to_numpy(),
                           "certainty": types["certainty"].to_numpy(float)})


def cases_by_type(cases: pd.DataFrame, classes: list[int]) -> pd.DataFrame:
    """Cases by survey type (rows: ``classes``) and region (columns: codes in codebook order)."""
    regions = codebook()["cases"].field("region").codes
    return pd.crosstab(cases["class"], cases["region"]).reindex(index=classes, columns=regions, fill_value=0)


def type_profiles(cases: pd.DataFrame, classes: list[int]) -> pd.DataFrame:
    """Per survey type (rows: ``classes``): its cases, the most common level or levels of each dimension among them
    (:func:`modal_among`: ``()`` without cases, None where a count is hidden), every cell hidden (:data:`~analysis.protection.disclosure.MARK`) where the count is."""
    per_type = cases.groupby("class").size().reindex(classes, fill_value=0).to_frame("cases")
    hidden = disclosure.hidden_cells(per_type).loc[classes, "cases"]
    profile = per_type.astype(object)
    for dimension in DIMENSIONS:
        profile[dimension] = pd.Series([modal_among(cases[cases["class"] == c], dimension) for c in classes],
                                       index=classes, dtype=object)
    return disclosure.hide(profile, pd.DataFrame({c: hidden for c in profile.columns}))


def design_matrix(cases: pd.DataFrame) -> pd.DataFrame:
    """Cases by region and municipality size band (codes), unprotected: the finest level of the design matrix."""
    return crosstab(cases, "region", "size_band")


def modal_levels(counts: pd.DataFrame | None) -> dict:
    """Per coded dimension, its most common level or levels among all cases, from the published counts
    (:func:`dimension_counts`, Total column), as :func:`~analysis.protection.disclosure.largest` gives them (all
    tied levels; None where a count is hidden, or where the table is withheld: ``counts`` None)."""
    if counts is None:
        return dict.fromkeys(DIMENSIONS)
    return {dimension: disclosure.largest(part.set_index("level")[TOTAL])
            for dimension, part in counts.groupby("dimension", sort=False)}
