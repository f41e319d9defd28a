"""Results of the case studies: 20 PCSWs, their coded dimensions, excerpts, and their place in the survey typology.

Every frequency table goes through :mod:`analysis.protection.disclosure` (20 cases give small cells: most of them are
hidden, which is the point). Excerpts are chosen by code (:mod:`.compute`), never picked by hand in a chapter, and only
when they pass the identifier check. The link with the survey typology is a producer of its own
(``cases.typology``): it reads the typology that :mod:`analysis.study.survey` fits. What the short editions show is
translated (:mod:`.present`).
"""

from __future__ import annotations

from analysis import reads
from analysis.data import load
from analysis.protection import disclosure
from analysis.producers import Result, publishes
from analysis.study import survey
from analysis.study.cases import compute, ladders, present
from analysis.study.cases.compute import DIMENSIONS  # noqa: F401  (read by the synthesis and the linked audit)


@reads.memoised(lambda: load.data_dir())  # every producer of the part, in every language, reads one plan
def _plan() -> dict:
    """The form of every case table linked to the survey (:func:`.ladders.plan`), made once per data."""
    membership = survey.typology_membership()
    cases = compute.with_types(load.table("cases"), membership)
    return ladders.plan(cases, load.table("survey").set_index("pcsw_id"), membership)


@publishes("cases.design", translated=True)
def design(lang: str = "en") -> list[Result]:
    cases = load.table("cases")
    interviews = disclosure.protect(compute.interviews(cases))
    return present.design(cases, _plan()["cases.design.matrix"], interviews, lang)


@publishes("cases.dimensions", translated=True)
def dimensions(lang: str = "en") -> list[Result]:
    table = _plan()["cases.dimensions.table"]
    return [*present.dimensions(table, lang), *present.modal_levels(compute.modal_levels(table.protected()), lang)]


@publishes("cases.excerpts")
def excerpts() -> list[Result]:
    """One excerpt per coded dimension, from a case coded at that dimension's most common level as published."""
    levels = compute.modal_levels(_plan()["cases.dimensions.table"].protected())
    return present.excerpts(compute.choose_excerpts(load.table("cases").set_index("case_id"),
                                                    load.table("case_excerpts"), levels))


@publishes("cases.typology", translated=True)
def typology(lang: str = "en") -> list[Result]:
    """The cases in the survey typology: selection by type (and region where the linked audit allows), and each
    type's coded profile."""
    membership = survey.typology_membership()
    cases = compute.with_types(load.table("cases"), membership)
    english = membership.drop_duplicates("class").set_index("class")["type"].astype(str).sort_index().to_dict()
    names = english if lang == "en" else survey.type_labels(lang)
    plan = _plan()
    return present.typology(plan["cases.typology.selection"], plan["cases.typology.profile"], names,
                            cases["certainty"].mean(), lang)
