"""The forms the case tables can take, finest first, and the one each is published in.

Every case PCSW also answered the survey, whose tables of types by region and by size give exact counts. A survey
count caps the case count of the same type, region or size, so in a region or size band with few respondents a
hidden case count can be pinned down by the survey alone, whatever else the case tables hide. The survey's own
tables are its findings and stay whole; the case tables give way, each down its ladder
(:mod:`analysis.protection.redesign`: hide more cells, then coarser, then withheld):

- the design matrix: by region and size band → size bands merged in two → by region only → withheld;
- the case selection: by survey type and region → by type only → withheld;
- the coded dimensions: by level and region → by level, all regions together → withheld;
- the profiles of the types: as designed → withheld.

:func:`plan` chooses, once per data, in English; every language then shows the same cells (the producers in
:mod:`analysis.study.cases` render each :class:`~analysis.protection.redesign.Choice` in the reader's language).
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from analysis.data.codebook import codebook
from analysis.protection import redesign
from analysis.protection.redesign import Ladder, Level
from analysis.study.cases import compute, linked, present
from analysis.study.survey import present_typology as survey_typology


def selection_ladder(by_type: pd.DataFrame, names: dict) -> Ladder:
    """The case selection: cases by survey type (rows: classes, ``names`` their English labels) and region."""
    return Ladder("cases.typology.selection", [
        Level("by type and region", by_type, partial(present.selection_table, level="by type and region", names=names)),
        Level("by type", by_type.sum(axis=1).to_frame("all"),
              partial(present.selection_table, level="by type", names=names), reason="cases.typology.note"),
    ])


def profile_ladder(profiles: pd.DataFrame, names: dict) -> Ladder:
    """The types' profiles (:func:`.compute.type_profiles`, protected as computed)."""
    return Ladder("cases.typology.profile", [
        Level("as designed", profiles, lambda shown: present.profile_table(shown.rename(index=names)),
              protect=lambda computed: computed),
    ])


def dimensions_ladder(cases: pd.DataFrame) -> Ladder:
    """The coded dimensions: cases per level of each dimension, by region or all regions together."""
    return Ladder("cases.dimensions.table", [
        Level("by level and region", cases, present.dimension_table, protect=compute.dimension_counts),
        Level("for all regions together", cases, present.dimension_table, reason="redesign.all_regions",
              protect=partial(compute.dimension_counts, by_region=False)),
    ])


def design_ladder(matrix: pd.DataFrame) -> Ladder:
    """The design matrix: cases by region and size band (codes), merged bands, or region only."""
    return Ladder("cases.design.matrix", [
        Level("by region and size", matrix, partial(present.matrix_table, level="by region and size")),
        Level("with size bands merged", compute.merged_sizes(matrix),
              partial(present.matrix_table, level="with size bands merged"), reason="redesign.merged_sizes"),
        Level("by region", matrix.sum(axis=1).to_frame("cases"), partial(present.matrix_table, level="by region"),
              reason="redesign.by_region"),
    ])


def ladders(cases: pd.DataFrame, names: dict) -> list[Ladder]:
    """The ladders of the case tables linked to the survey, in the order they give way when a narrowed cell lies in
    none of them; ``cases`` carry their survey ``class``, ``names`` the survey types' English labels by class."""
    classes = list(names)
    return [selection_ladder(compute.cases_by_type(cases, classes), names),
            profile_ladder(compute.type_profiles(cases, classes), names),
            dimensions_ladder(cases), design_ladder(compute.design_matrix(cases))]


def survey_outputs(respondents: pd.DataFrame, membership: pd.DataFrame, english_names: dict) -> dict[str, object]:
    """The survey's published outputs linked to the case tables, as the audit reads them (in English), computed
    from the same ``membership`` as the case tables: its types' sizes, respondents by region, and the share of each
    type by region and by size."""
    types = membership.reindex(respondents.index)
    counts = types["class"].value_counts()
    regions = codebook()["survey"].field("region").labels()
    return {
        "survey.typology.sizes": pd.DataFrame({"Class": [english_names[c] for c in english_names],
                                               "PCSWs assigned to this type": [int(counts.get(c, 0))
                                                                               for c in english_names]}),
        "survey.typology.n_units": len(types),
        "survey.response.by_region": pd.DataFrame({"Region": list(regions.values()), "Respondents": [
            int((respondents["region"] == code).sum()) for code in regions]}),
        "survey.membership.region.table": survey_typology.type_shares_table(respondents, types, "region"),
        "survey.membership.size.table": survey_typology.type_shares_table(respondents, types, "size_band"),
    }


_plans: dict[bytes, dict] = {}  # the audit is long and alike in every language: once per data in a process


def plan(cases: pd.DataFrame, respondents: pd.DataFrame, membership: pd.DataFrame) -> dict[str, redesign.Choice]:
    """The form of every case table linked to the survey (``cases`` with their survey ``class``): the finest at
    which the linked audit of the case and survey outputs finds no hidden count narrowed."""
    key = b"".join(pd.util.hash_pandas_object(frame.astype(str)).to_numpy().tobytes()
                   + str(list(frame.columns)).encode() for frame in (cases, respondents, membership))
    if key not in _plans:
        names = membership.drop_duplicates("class").set_index("class")["type"].astype(str).sort_index().to_dict()
        fixed = {"cases.design.n": len(cases), **survey_outputs(respondents, membership, names)}
        _plans[key] = redesign.protect_together(ladders(cases, names), fixed, linked.model)
    return _plans[key]
