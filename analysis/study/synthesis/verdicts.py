"""The expectations of the theory chapter set against the results as they stand: for each, the strands that test it,
what their published results show (as readers see them) and the verdict its rule gives (:mod:`.compute`: agree,
diverge, or cannot tell yet), or none where no count can fairly score the expectation (E3a, E3c, E3d: read in the
text). On simulated data the verdicts illustrate the rules; they are no finding."""

from __future__ import annotations

import math

import pandas as pd

from analysis.data.codebook import codebook
from analysis.protection import disclosure
from analysis.study.synthesis import compute
from analysis.study.synthesis.compute import regions
from analysis.study.synthesis.present import NOT_COMPARED, TOPICS


VERDICTS = {compute.AGREE: "agree", compute.DIVERGE: "diverge", compute.CANNOT_TELL: "cannot tell yet",
            compute.NOT_SCORED: "no reading by rule: read in the text"}
STANDS = "As the results stand (simulated data: an illustration)"
READING = "What the reading rule gives on these data"


def _shown(*keys: str) -> list[str]:
    return [compute.get(key).formatted() for key in keys]


def _odds_ratio(model: str) -> str:
    """An odds ratio with its interval, as published; or why the model is not estimable (its interval then reads as
    neither side of one: the verdict cannot tell)."""
    if math.isnan(compute.get(f"survey.factors.{model}.or").value):
        return compute.get(f"survey.factors.{model}.estimate").value
    return "{} ({}–{})".format(*_shown(*(f"survey.factors.{model}.{k}" for k in ("or", "or_low", "or_high"))))


def _survey_rows() -> list[tuple[str, str, str, str]]:
    """E1a to E2a: (expectation, strands, what the results show, verdict code), from the survey's results."""
    n, low, high, items, entropy, regional = _shown(*(f"survey.{k}" for k in (
        "typology.n_classes", "repertoire.min_practices", "repertoire.max_practices", "repertoire.n_items",
        "typology.entropy", "repertoire.n_regional_holm")))
    ratio, threshold = _shown("survey.repertoire.dispersion_ratio", "survey.repertoire.overdispersion")
    blocks = {f.title(): block for block in ("organisation", "rights", "integration", "discretion")
              for f in codebook()["survey"].block(block)}
    means = compute.block_means(compute.get("survey.typology.profiles").value, blocks)
    lead = "; ".join(f"{b}: type {leader.split('.')[0]} ({gap:.2f})" for b in ("organisation", "rights", "integration")
                     for leader, gap in [compute.lead(means, b)]) if means.shape[1] > 1 else ""
    chi2, p, p_mc, v, least = _shown(*(f"survey.membership.region.{k}"
                                       for k in ("chi2", "p", "p_mc", "cramer", "min_expected")))
    alpha = compute.get("survey.repertoire.significance").value
    ors = {m: _odds_ratio(m) for m in ("extra_conditions", "supplementary_aid")}
    interval = {m: tuple(compute.get(f"survey.factors.{m}.{k}").value for k in ("or_low", "or_high")) for m in ors}
    one = compute.get("survey.typology.n_classes").value == 1
    return [
        ("E1a Variation", "Survey", f"practices per PCSW range from {low} to {high} of {items}; their variance "
         f"within the regions is {ratio} times what it would be if every PCSW of a region shared the same item "
         f"probabilities (read as borne out from {threshold})",
         compute.variation_verdict(compute.get("survey.repertoire.dispersion_ratio").value,
                                   compute.get("survey.repertoire.overdispersion").value)),
        ("E1b Types", "Survey", "one type, so no type leads on any block" if one else
         f"{n} types, relative entropy {entropy}; the type highest on each block (gap to the next type): {lead}",
         compute.types_verdict(means, compute.get("survey.typology.entropy").value)),
        ("E1c Regions", "Survey; synthesis", f"type by region: chi-square {chi2}, {p} (Monte Carlo {p_mc}), Cramér's "
         f"V {v}; smallest expected count {least}; practices whose share differs between the regions after Holm's correction for "
         f"the number of tests: {regional}",
         compute.association_verdict(compute.get("survey.membership.region.p_mc").value, alpha)),
        ("E2a Deservingness", "Survey", "odds ratio per SD of support for conditional aid: extra conditions "
         f"{ors['extra_conditions']}, supplementary aid {ors['supplementary_aid']}",
         compute.odds_verdict(interval["extra_conditions"], interval["supplementary_aid"])),
    ]


def _case_rows() -> list[tuple[str, str, str, str]]:
    """E2b and E2c: read from what management and social workers say, which no count answers."""
    dimensions = compute.get("cases.dimensions.table").value
    levels = len(codebook()["cases"].field("network").codes)
    shown = [region for region in regions() if region in dimensions.columns]  # none: not published by region
    network = dimensions[dimensions["Dimension"] == "Cooperation network"][shown] if shown else pd.DataFrame()
    hidden = int((network == disclosure.MARK).to_numpy().sum()) + levels * (len(regions()) - len(shown))
    framing = compute.get("cases.dimensions.modal.discretion_framing").value
    return [
        ("E2b Framing", "Case studies; synthesis", "only the real excerpts of management and social workers can "
         f"answer it; most common coded framing among the cases: {framing}", compute.CANNOT_TELL),
        ("E2c Levels", "Case studies", "only the real excerpts can answer it; of the regional counts of the "
         f"cooperation network, {hidden} of {levels * len(regions())} are hidden", compute.CANNOT_TELL),
    ]


def _language_barrier(region: str) -> str:
    return compute.cell("newcomers.themes.by_region", {"Theme": "Language barrier", "Group": region}, "Share")


def _newcomer_rows() -> list[tuple[str, str, str, str]]:
    """E3a to E3d: the newcomers' results, alone (E3a, E3b) and set against the survey by region (E3c, E3d)."""
    barriers = ("Language barrier", "Administrative complexity", "Waiting times", "Information gaps")
    shares = {b: compute.cell("newcomers.themes.overall", {"Theme": b}, "Share") for b in barriers}
    alpha = compute.get("survey.repertoire.significance").value
    tests = [(compute.get(f"newcomers.satisfaction.{t}.effect").value, compute.get(f"newcomers.satisfaction.{t}.p").value,
              sign) for t, sign in (("trust", 1), ("arbitrariness", -1))]
    trust, arbitrariness = (_shown(f"newcomers.satisfaction.{t}.effect", f"newcomers.satisfaction.{t}.p")
                            for t in ("trust", "arbitrariness"))
    survey, newcomers = ([compute.cell("synthesis.joint.region", {"Strand": strand, "Measure": measure}, r)
                          for r in regions()] for strand, measure in (("Survey", "conditions beyond the legal minimum"),
                                                                      ("Newcomers", "pressure of conditions")))
    alike = (NOT_COMPARED if disclosure.MARK in survey + newcomers else
             f"{compute.get('synthesis.joint.agree').formatted()} of {len(survey)}")
    interpreters = [compute.cell("survey.repertoire.table.organisation", {"Practice": TOPICS[1][1]}, r)
                    for r in regions()]
    language = [_language_barrier(r) for r in regions()]
    mirrored = compute.alike_ranks(interpreters, language, reversed_order=True)
    mirrored = NOT_COMPARED if None in mirrored else f"{sum(mirrored)} of {len(interpreters)}"
    return [
        ("E3a Thresholds", "Newcomer interviews", "share of interviewees raising it: " + ", ".join(
            f"{b.lower()} {shares[b]}" for b in barriers) + "; by legal status: the table of themes by status",
         compute.NOT_SCORED),
        ("E3b Trust", "Newcomer interviews", f"satisfaction with and without trust: rank-biserial r {trust[0]} "
         f"({trust[1]}); with and without perceived arbitrariness: {arbitrariness[0]} ({arbitrariness[1]})",
         compute.tests_verdict(tests, alpha)),
        ("E3c Conditions", "Survey and newcomer interviews (synthesis)", "regions ranked alike on conditions "
         f"beyond the legal minimum and on the pressure of conditions: {alike}", compute.NOT_SCORED),
        ("E3d Rationing", "Survey and newcomer interviews (synthesis)", "regions whose rank on the use of social "
         f"interpreters mirrors their rank on the language barrier: {mirrored}; a specialised organisation for "
         "newcomers: the display by topic", compute.NOT_SCORED),
    ]


def expectation_rows() -> list[tuple[str, str, str, str]]:
    """Every expectation E1a–E3d: (expectation, strands, what the results show, verdict code)."""
    return _survey_rows() + _case_rows() + _newcomer_rows()


def expectations_table(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"Expectation": e, "Strands": s, STANDS: shown, READING: VERDICTS[v]}
                         for e, s, shown, v in rows])
