"""The synthesis of the study parts: joint displays, one computed answer per aim, framework matrices, the study
record and the instruments.

Joint displays are the mixed-methods way of integrating strands: one table puts side by side what the survey,
the case studies and the newcomer interviews say about the same unit (a region, a survey type, a topic). Every
cell is read from a result the chapters already show (``compute``), never recomputed; ``present`` lays the tables
out. The study record (``data/study_record.yml``) holds what only the study's own records can tell; an empty
value is shown as "to be completed by the research team".
"""

from __future__ import annotations


import pandas as pd

from analysis import paths
from analysis.data import load
from analysis.protection import disclosure
from analysis.data.codebook import codebook
from analysis.results.registry import Result, number, publishes, table, text
from analysis.study.synthesis import compute, present
from analysis.study.synthesis.compute import regions
from analysis.study.synthesis.present import INSTRUMENT_TITLES, READ_FROM, TO_COMPLETE, TOPICS, study_record

__all__ = ["TO_COMPLETE", "TOPICS", "study_record", "joint_displays", "answers", "record", "framework", "instruments",
           "expectations"]


@publishes("synthesis.joint")
def joint_displays() -> list[Result]:
    """Three joint displays: by region, by survey type and by topic."""
    by_region = present.region_display()
    return [
        # count_columns: none to check, the case counts are cells of cases.design.matrix, already protected
        disclosure.publish_table("synthesis.joint.region", present.by_strand(by_region, "Region"), count_columns=[],
                                 title="Joint display by region: survey, case studies and newcomer interviews",
                                 note=READ_FROM),
        disclosure.publish_table("synthesis.joint.type", present.type_display(),
                                 count_columns=["Cases: PCSWs of the type"],
                                 title="Joint display by survey type: the typology and the cases coded in it",
                                 note=READ_FROM),
        # count_columns: none to check here, the counts are cells of cases.dimensions.table, already protected
        disclosure.publish_table("synthesis.joint.topic", present.topic_display(), count_columns=[],
                                 title="Joint display by topic: what each strand says on the same question",
                                 note=READ_FROM),
        number("synthesis.joint.regions", len(by_region), style="count", title="Regions in the joint display"),
        number("synthesis.joint.agree", int((by_region["Conditions: same rank in both strands"] == "yes").sum()),
               style="count", title="Regions ranked alike on conditions by the survey and by the newcomers"),
    ]


@publishes("synthesis.answers")
def answers() -> list[Result]:
    """One computed answer per aim of the study, each naming the results it rests on."""
    rows = present.answers_table()
    return [table("synthesis.answers.table", rows, title="One computed answer per aim of the study"),
            number("synthesis.answers.aims", len(rows), style="count", title="Aims answered")]


@publishes("synthesis.record")
def record() -> list[Result]:
    path = compute.record_path()
    load.record_read(str(path.relative_to(paths.DATA)), path)  # named like every data file
    frame = study_record(path)
    return [
        table("synthesis.record.table", frame, title="Study record: facts only the study's own records can give"),
        number("synthesis.record.open", int((frame["Value"] == TO_COMPLETE).sum()), style="count",
               title="Study-record items still to be completed by the research team"),
    ]


@publishes("synthesis.framework")
def framework() -> list[Result]:
    """Framework matrices (the framework method): the case dimensions by level with excerpts, and the newcomer
    themes with their prevalence, regional range and a quote."""
    return [
        disclosure.publish_table("synthesis.framework.cases", present.case_matrix(), count_columns=["Cases"],
                                 title="Framework matrix of the case studies: dimension and level, with excerpts "
                                       "from management and social workers"),
        table("synthesis.framework.newcomers", present.theme_matrix(),
              title="Framework matrix of the newcomer interviews: theme, prevalence, regional range and a quote"),
    ]


@publishes("synthesis.instrument")
def instruments() -> list[Result]:
    """The survey questionnaire and the interview topic guides as the codebook holds them: every item of each
    block in English, Dutch and French, with its answer categories (in English)."""
    load.record_read(paths.DATAPACKAGE.name, paths.DATAPACKAGE)
    return [table(f"synthesis.instrument.{resource}", present.instrument_table(resource),
                  title=INSTRUMENT_TITLES[resource]) for resource in present.INSTRUMENTS]


# -- Sensitising expectations (chapters/theory.md): each one's verdict as the results stand -------------------------
VERDICTS = {compute.AGREE: "agree", compute.DIVERGE: "diverge", compute.CANNOT_TELL: "cannot tell yet"}
STANDS = "As the results stand (stand-in data: an illustration)"


def _shown(*keys: str) -> list[str]:
    return [compute.get(key).formatted() for key in keys]


def _survey_rows() -> list[tuple[str, str, str, str]]:
    """E1a to E2a: (expectation, strands, what the results show, verdict code), from the survey's results."""
    n, low, high, items, entropy = _shown(*(f"survey.{k}" for k in (
        "typology.n_classes", "repertoire.min_practices", "repertoire.max_practices", "repertoire.n_items",
        "typology.entropy")))
    blocks = {f.title(): block for block in ("organisation", "rights", "integration", "discretion")
              for f in codebook()["survey"].block(block)}
    means = compute.block_means(compute.get("survey.typology.profiles").value, blocks)
    leaders = means.idxmax(axis=1)
    lead = "; ".join(f"{b}: type {leaders[b].split('.')[0]}" for b in ("organisation", "rights", "integration"))
    chi2, p, v, least = _shown(*(f"survey.membership.region.{k}" for k in ("chi2", "p", "cramer", "min_expected")))
    alpha = compute.get("survey.repertoire.significance").value
    ors = {m: _shown(*(f"survey.factors.{m}.{k}" for k in ("or", "or_low", "or_high")))
           for m in ("extra_conditions", "supplementary_aid")}
    interval = {m: tuple(compute.get(f"survey.factors.{m}.{k}").value for k in ("or_low", "or_high")) for m in ors}
    return [
        ("E1a Variation", "Survey", f"practices per PCSW range from {low} to {high} of {items}; the BIC prefers "
         f"{n} classes to one", compute.variation_verdict(compute.get("survey.typology.n_classes").value)),
        ("E1b Types", "Survey", f"{n} types, relative entropy {entropy}; the type highest on each block: {lead}",
         compute.types_verdict(means)),
        ("E1c Regions", "Survey; synthesis", f"type by region: chi-square {chi2}, {p}, Cramér's V {v}; smallest "
         f"expected count {least}",
         compute.association_verdict(compute.get("survey.membership.region.p").value, alpha)),
        ("E2a Deservingness", "Survey", "odds ratio per SD of support for conditional aid: extra conditions "
         "{} ({}–{}), supplementary aid {} ({}–{})".format(*ors["extra_conditions"], *ors["supplementary_aid"]),
         compute.odds_verdict(interval["extra_conditions"], interval["supplementary_aid"])),
    ]


def _case_rows() -> list[tuple[str, str, str, str]]:
    """E2b and E2c: read from what management and social workers say, which no count answers."""
    dimensions = compute.get("cases.dimensions.table").value
    network = dimensions[dimensions["Dimension"] == "Cooperation network"][regions()]
    hidden = int((network == disclosure.MARK).to_numpy().sum())
    framing = compute.get("cases.dimensions.modal.discretion_framing").value
    return [
        ("E2b Framing", "Case studies; synthesis", "only the real excerpts of management and social workers can "
         f"answer it; most common coded framing among the cases: {framing}", compute.CANNOT_TELL),
        ("E2c Levels", "Case studies", "only the real excerpts can answer it; of the regional counts of the "
         f"cooperation network, {hidden} of {network.size} are hidden", compute.CANNOT_TELL),
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
    alike = compute.get("synthesis.joint.agree").formatted()
    interpreters = [compute.cell("survey.repertoire.table.organisation", {"Practice": TOPICS[1][1]}, r)
                    for r in regions()]
    language = [_language_barrier(r) for r in regions()]
    mirrored = sum(compute.alike_ranks(interpreters, language, reversed_order=True))
    return [
        ("E3a Thresholds", "Newcomer interviews", "share of interviewees raising it: " + ", ".join(
            f"{b.lower()} {shares[b]}" for b in barriers), compute.thresholds_verdict([shares[b] for b in barriers])),
        ("E3b Trust", "Newcomer interviews", f"satisfaction with and without trust: rank-biserial r {trust[0]} "
         f"({trust[1]}); with and without perceived arbitrariness: {arbitrariness[0]} ({arbitrariness[1]})",
         compute.tests_verdict(tests, alpha)),
        ("E3c Conditions", "Survey and newcomer interviews (synthesis)", "regions ranked alike on conditions "
         f"beyond the legal minimum and on the pressure of conditions: {alike} of {len(survey)}",
         compute.ranks_verdict(survey, newcomers)),
        ("E3d Rationing", "Survey and newcomer interviews (synthesis)", "regions whose rank on the use of social "
         f"interpreters mirrors their rank on the language barrier: {mirrored} of {len(interpreters)}",
         compute.ranks_verdict(interpreters, language, reversed_order=True)),
    ]


@publishes("synthesis.expectations")
def expectations() -> list[Result]:
    """Each sensitising expectation of the theory chapter with what the results show on it and the strands'
    verdict as the results stand: agree, diverge or cannot tell yet."""
    rows = _survey_rows() + _case_rows() + _newcomer_rows()
    frame = pd.DataFrame([{"Expectation": e, "Strands": s, STANDS: shown, "Verdict": VERDICTS[v]}
                          for e, s, shown, v in rows])
    codes = [v for *_, v in rows]
    return [
        table("synthesis.expectations.table", frame, title="The sensitising expectations as the results stand",
              note="Verdicts are computed from the results by fixed rules; on stand-in data they illustrate how "
                   "the real results will be read, and are not findings."),
        *(text(f"synthesis.expectations.verdict.{e.split()[0].lower()}", VERDICTS[v],
               title=f"Verdict on expectation {e}") for e, _, _, v in rows),
        *(number(f"synthesis.expectations.{code}", codes.count(code), style="count",
                 title=f"Expectations whose verdict is: {VERDICTS[code]}") for code in VERDICTS),
        number("synthesis.expectations.n", len(rows), style="count", title="Sensitising expectations"),
    ]
