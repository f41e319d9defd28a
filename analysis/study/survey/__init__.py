"""Results of the PCSW web survey: response, the repertoire of practices, a typology of PCSWs and its correlates.

Producers (each computed once per code and data it reads, then read from the registry's cache):

- ``survey.response``: respondents per region against the sampling frame, and a goodness-of-fit test;
- ``survey.repertoire``: how common each practice is, overall and by region;
- ``survey.typology``: latent class models with 1 to ``MAX_CLASSES`` classes on the practice items, the
  choice by BIC, the class profiles and sizes (the only producer that fits models; each PCSW's modal class is
  computed, never published: :func:`typology_membership`);
- ``survey.membership``: which PCSWs belong to which type, by region and municipality size;
- ``survey.factors``: how attitudes and PCSW characteristics relate to key practices (aim 2).

Each producer computes (:mod:`.compute`, the latent class model in :mod:`.typology`) and then presents
(:mod:`.present`); those the short editions show are translated. :func:`typology_membership` gives other
chapters each PCSW's type without fitting again.
"""

from __future__ import annotations

import os
import pickle

import pandas as pd

from analysis import SEED, codekeys
from analysis.data import load
from analysis.producers import Result, computed_from, publishes
from analysis.study.survey import compute, present, present_factors, present_typology
from analysis.study.survey.compute import MAX_CLASSES, N_STARTS
from analysis.study.survey.typology import describe, select_lca


def _survey() -> pd.DataFrame:
    return load.table("survey").set_index("pcsw_id")


@publishes("survey.response", translated=True)
def response(lang: str = "en") -> list[Result]:
    survey = _survey()
    frame = load.table("pcsw_frame").set_index("region")["municipalities"]
    by_region = compute.response_by_region(survey["region"], frame)
    return present.response(by_region, compute.representativeness(by_region), lang)


@publishes("survey.repertoire")
def repertoire() -> list[Result]:
    survey = _survey()
    items = compute.practice_items(survey)
    return present.repertoire(items, compute.prevalence(items, survey["region"]),
                              compute.regional_differences(items, survey["region"]),
                              compute.dispersion_ratio(items, survey["region"]))


def _fitted(items: pd.DataFrame):
    """The latent class models on ``items`` and the description of each class, fitted once per code and data.

    Cached on disk under the items, the codebook and this package's code (:func:`codekeys.fit_path`): the
    typology producer (in every language) and :func:`typology_membership` (read by the case chapter) share one
    fit, and the unit-level membership it holds never becomes a published result (``results/`` holds aggregates
    only)."""
    path = codekeys.fit_path("survey.typology.fit", __name__, items, load.data_dir() / "datapackage.json")
    if path.exists():
        return pickle.loads(path.read_bytes())
    selection = select_lca(items, range(1, MAX_CLASSES + 1), n_starts=N_STARTS, seed=SEED)
    descriptions = describe(selection.best_by_bic, {f.name: f.block for f in compute.practice_fields()})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps((selection, descriptions)))
    tmp.replace(path)
    return selection, descriptions


# Not named ``typology``: that is the module of the latent class model, beside this package's producers.
@publishes("survey.typology", translated=True)
def latent_class_typology(lang: str = "en") -> list[Result]:
    return present_typology.typology(*_fitted(compute.practice_items(_survey())), lang)


def type_labels(lang: str = "en") -> dict[int, str]:
    """Each type's label in ``lang``, by class number (1 = largest), from the fitted typology, as every table, chart
    and sentence names it (:func:`.present_typology.class_labels`)."""
    return present_typology.class_labels(_fitted(compute.practice_items(_survey()))[1], lang)


def typology_membership() -> pd.DataFrame:
    """Each responding PCSW's type: index ``pcsw_id``; columns ``type`` (the class label), ``class`` (class number,
    1 = largest) and ``certainty`` (posterior probability of that class). No model is fitted again when the
    typology has been fitted for the current code and data. Unit-level: for computing, never for publishing."""
    computed_from("survey.typology.membership", "analysis.study.survey.typology_membership")
    selection, descriptions = _fitted(compute.practice_items(_survey()))
    model, labels = selection.best_by_bic, present_typology.class_labels(descriptions)
    modal = model.modal_class
    return pd.DataFrame({"type": modal.map(labels).to_numpy(), "class": modal.astype(int).to_numpy(),
                         "certainty": model.certainty.to_numpy()}, index=modal.index.rename("pcsw_id"))


@publishes("survey.membership", translated=True)
def membership(lang: str = "en") -> list[Result]:
    survey = _survey()
    types = typology_membership().reindex(survey.index)
    types = types.assign(type=types["class"].map(type_labels(lang)))
    results = []
    for variable, key in (("region", "region"), ("size_band", "size")):
        test = compute.association(survey[variable].map(present.labels(variable)), types["class"])
        shares = present_typology.type_shares_table(survey, types, variable, lang)
        results += present_typology.membership_results(key, variable, test, shares, lang)
    return [*results, present_typology.membership_chart(survey, types, lang)]


@publishes("survey.factors")
def factors() -> list[Result]:
    survey = _survey()
    return present_factors.factors(survey, compute.reliability(survey), compute.practice_models(survey))
