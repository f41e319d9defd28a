"""Results of the case studies: 20 PCSWs, their coded dimensions, excerpts, and their place in the survey typology.

Every frequency table goes through :mod:`analysis.protection.disclosure` (20 cases give small cells: most of them are
hidden, which is the point). Excerpts are chosen by code (:mod:`.compute`), never picked by hand in a chapter, and only
when they pass the identifier check. The link with the survey typology is a producer of its own
(``cases.typology``): it reads the typology that :mod:`analysis.study.survey` fits. What the short editions show is
translated (:mod:`.present`).
"""

from __future__ import annotations

import pickle

import pandas as pd

from analysis.data import load
from analysis.data.codebook import codebook
from analysis.results import registry
from analysis.results.registry import Result, publishes
from analysis.study.cases import compute, present
from analysis.study.cases.compute import DIMENSIONS  # noqa: F401  (read by the synthesis and the linked audit)


@publishes("cases.design", translated=True)
def design(lang: str = "en") -> list[Result]:
    cases = load.table("cases")
    return present.design(cases, *compute.design_tables(cases), lang)


@publishes("cases.dimensions", translated=True)
def dimensions(lang: str = "en") -> list[Result]:
    counts = compute.dimension_counts(load.table("cases"))
    return [*present.dimensions(counts, lang), *present.modal_levels(compute.modal_levels(counts), lang)]


@publishes("cases.excerpts")
def excerpts() -> list[Result]:
    """One excerpt per coded dimension, from a case coded at that dimension's most common level."""
    return present.excerpts(compute.choose_excerpts(load.table("cases").set_index("case_id"),
                                                    load.table("case_excerpts")))


def _linked_outputs(cases: pd.DataFrame, membership: pd.DataFrame) -> dict[str, object]:
    """The other published outputs linked to the case-selection table, as :mod:`analysis.protection.linked` reads them
    (in English): the case tables by region, size and coded dimension, and the survey's types by region and size,
    computed from the same ``membership`` the selection uses."""
    from analysis.study import survey

    respondents = load.table("survey").set_index("pcsw_id")
    types = membership.reindex(respondents.index)
    named = survey.present.type_names(dict(zip(types["class"], types["type"])))
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
        "survey.membership.region.table": survey.present.type_shares_table(respondents, types, "region"),
        "survey.membership.size.table": survey.present.type_shares_table(respondents, types, "size_band"),
    }


_levels: dict[bytes, str] = {}  # the audited level per linked set: the audit is long, and alike in every language


def _audited_level(by_type: pd.DataFrame, linked_outputs: dict[str, object]) -> str:
    key = pickle.dumps((by_type, linked_outputs))
    if key not in _levels:
        _levels[key] = present.audited_level(by_type, linked_outputs)
    return _levels[key]


@publishes("cases.typology", translated=True)
def typology(lang: str = "en") -> list[Result]:
    """The cases in the survey typology: selection by type (and region where the linked audit allows), and each
    type's coded profile."""
    from analysis.study import survey

    membership = survey.typology_membership()
    cases = compute.with_types(load.table("cases"), membership)
    english = membership.drop_duplicates("class").set_index("class")["type"].astype(str).sort_index()
    names = english.to_dict() if lang == "en" else survey.type_labels(lang)
    by_type, profiles = compute.cases_by_type(cases, list(english.index)), compute.type_profiles(cases, list(english.index))
    level = _audited_level(by_type.rename(index=english), {
        **_linked_outputs(cases, membership), "cases.typology.profile": present.profile_table(profiles.rename(index=english))})
    return present.typology(by_type.rename(index=names), level, profiles.rename(index=names),
                            cases["certainty"].mean(), lang)
