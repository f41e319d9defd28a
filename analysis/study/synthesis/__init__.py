"""The synthesis of the study parts: joint displays, one computed answer per aim, framework matrices, the study
record and the instruments.

Joint displays are the mixed-methods way of integrating strands: one table puts side by side what the survey,
the case studies and the newcomer interviews say about the same unit (a region, a survey type, a topic). Every
cell is read from a result the chapters already show (``compute``), never recomputed; ``present`` lays the tables
out. The study record (``data/study_record.yml``) holds what only the study's own records can tell; an empty
value is shown as "to be completed by the research team".
"""

from __future__ import annotations

from analysis import paths, reads
from analysis.protection import disclosure
from analysis.producers import Result, number, publishes, table, text
from analysis.study.synthesis import compute, present, verdicts
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
        number("synthesis.joint.compared", int((by_region["Conditions: same rank in both strands"] != present.NOT_COMPARED).sum()),
               style="count", title="Regions where the survey and the newcomers could be compared on conditions"),
        number("synthesis.joint.agree", int((by_region["Conditions: same rank in both strands"] == "yes").sum()),
               style="count", title="Regions ranked alike on conditions by the survey and by the newcomers"),
    ]


@publishes("synthesis.answers")
def answers() -> list[Result]:
    """One answer per aim of the study, each naming the chapter and tables it rests on."""
    rows = present.answers_table()
    return [table("synthesis.answers.table", rows, title="One answer per research question, as the results stand"),
            number("synthesis.answers.aims", len(rows), style="count", title="Research questions answered")]


@publishes("synthesis.record")
def record() -> list[Result]:
    path = compute.record_path()
    reads.file(str(path.relative_to(paths.DATA)), path)  # named like every data file
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
    reads.file(paths.DATAPACKAGE.name, paths.DATAPACKAGE)
    return [table(f"synthesis.instrument.{resource}", present.instrument_table(resource),
                  title=INSTRUMENT_TITLES[resource]) for resource in present.INSTRUMENTS]


# -- Sensitising expectations (chapters/theory.md): each one's verdict as the results stand -------------------------
@publishes("synthesis.expectations")
def expectations() -> list[Result]:
    """Each sensitising expectation of the theory chapter with what the results show on it and the strands'
    verdict as the results stand: agree, diverge or cannot tell yet; none for those read in the text (no tally: the
    verdicts are not of one kind and are not added up)."""
    rows = verdicts.expectation_rows()
    frame = verdicts.expectations_table(rows)
    return [
        table("synthesis.expectations.table", frame, title="The sensitising expectations as the results stand",
              note="The expectations are sensitising, not hypotheses under test: each reading follows a rule fixed in "
                   "advance; where no count can fairly read an expectation, it is read in the text. On simulated "
                   "data, generated with the expected patterns built in, a reading shows that the analysis and the rule can "
                   "detect such a pattern, not that the expectation holds."),
        *(text(f"synthesis.expectations.verdict.{e.split()[0].lower()}", verdicts.VERDICTS[v],
               title=f"What the reading rule gives for expectation {e}") for e, _, _, v in rows if v != compute.NOT_SCORED),
        number("synthesis.expectations.n", len(rows), style="count", title="Sensitising expectations"),
        number("synthesis.expectations.separation", compute.SEPARATION, decimals=1,
               title="E1b: smallest gap in block mean between the leading type and the next"),
        number("synthesis.expectations.min_entropy", compute.MIN_ENTROPY, decimals=1,
               title="E1b: smallest relative entropy at which types are read"),
    ]
