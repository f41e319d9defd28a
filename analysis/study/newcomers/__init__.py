"""Results of the newcomer interviews: the sample, coded themes, the satisfaction scale and quotes.

``compute`` counts and tests (every count through :mod:`analysis.protection.disclosure`; theme prevalences with
Wilson 95% intervals, which behave well for small groups and shares near 0 or 1; the satisfaction scale's
Cronbach's alpha and its rank tests with effect sizes; quotes chosen by theme, only when they pass the identifier
check); ``present`` labels, tables and charts them. The sample, the themes and the barriers are published in the
reader's language.
"""

from __future__ import annotations

import pandas as pd

from analysis import reads
from analysis.data import load
from analysis.protection import disclosure
from analysis.producers import Result, publishes, table
from analysis.protection.disclosure import MARK
from analysis.study import redesigned
from analysis.study.newcomers import compute, ladders, present
from analysis.study.newcomers.compute import (YEARS, choose_quotes, prevalence, prevalence_rows, scale_scores, themes,
                                              wilson)

__all__ = ["YEARS", "choose_quotes", "prevalence", "prevalence_rows", "scale_scores", "themes", "wilson",
           "sample", "theme_prevalence", "barriers", "satisfaction", "quotes"]


def _english() -> dict[str, object]:
    """Every output of the part's linked set as designed, in English: what :func:`.ladders.plan` audits."""
    people, coded = load.table("newcomers"), load.table("newcomer_quotes").sort_values("quote_id")
    by_status = compute.protected_counts(people, "legal_status", "region")
    by_years = compute.protected_counts(people, "years_in_belgium", "region", compute.YEARS)
    results = [*present.sample_results(people, len(coded), by_status, by_years, "en"),
               *present.theme_tables(prevalence_rows(people, None), prevalence_rows(people, "region"),
                                     prevalence_rows(people, "legal_status"), "en")]
    outputs = {result.key: result.value for result in results}
    outputs["newcomers.satisfaction.groups"] = present.satisfaction_groups_table(
        compute.satisfaction_groups(compute.scored(people)))
    outputs["newcomers.quotes.table"] = present.quotes_table(choose_quotes(people.set_index("interviewee_id"), coded))
    return outputs


@reads.memoised(lambda: load.data_dir())  # every producer of the part, in every language, reads one plan
def _plan() -> dict:
    """The form of every newcomer output (:func:`.ladders.plan`), made once per data."""
    return ladders.plan(load.table("newcomers"), load.table("newcomer_quotes"), _english())


@publishes("newcomers.sample", translated=True)
def sample(lang: str = "en") -> list[Result]:
    people = load.table("newcomers")
    plan = _plan()
    by_status = plan["newcomers.sample.status"].protected()
    by_years = plan["newcomers.sample.years"].protected()
    if by_status is None:  # withheld: the table is replaced by what says so
        by_status = compute.protected_counts(people, "legal_status", "region")
    if by_years is None:
        by_years = compute.protected_counts(people, "years_in_belgium", "region", compute.YEARS)
    results = present.sample_results(people, len(load.table("newcomer_quotes")), by_status, by_years, lang)
    return redesigned.apply(results, plan, lang)


@publishes("newcomers.themes", translated=True)
def theme_prevalence(lang: str = "en") -> list[Result]:
    people = load.table("newcomers")
    overall, by_region = prevalence_rows(people, None), prevalence_rows(people, "region")
    if _plan()["newcomers.themes.by_region"].withheld:  # nothing by region is shown: no bar, no region named
        by_region = by_region.assign(count=MARK, share=MARK, low=MARK, high=MARK)
    barrier_rows = by_region[by_region["theme"].isin(compute.barriers())]
    plotted = compute.shown_shares(barrier_rows, compute.barriers())
    return redesigned.apply([
        *present.theme_tables(overall, by_region, prevalence_rows(people, "legal_status"), lang),
        present.barriers_by_region_chart(plotted, len(barrier_rows) - len(plotted), lang),
        *present.most_raised(compute.most_raised(pd.concat([overall, by_region])), lang)], _plan(), lang)


@publishes("newcomers.barriers", translated=True)
def barriers(lang: str = "en") -> list[Result]:
    """The share of all interviewees naming each barrier: the short editions' chart. The same shares as
    ``newcomers.themes.share.*`` (the Total row of the table by region, so that hidden cells stay hidden)."""
    people = load.table("newcomers")
    overall = compute.shown_shares(prevalence_rows(people, None), compute.barriers())
    return [present.barriers_chart(overall, len(people), lang)]


@publishes("newcomers.satisfaction")
def satisfaction() -> list[Result]:
    people = load.table("newcomers")
    frame = compute.scored(people)
    tests, groups = compute.rank_tests(frame), compute.satisfaction_groups(frame)
    return redesigned.apply([
        *present.satisfaction_numbers(compute.reliability(people), frame["score"].median(), tests),
        disclosure.publish_table("newcomers.satisfaction.items",
                                 present.items_table(people, compute.satisfaction_items()),
                                 title="Items of the satisfaction scale (1 = strongly disagree, 5 = strongly agree)",
                                 count_columns=["Answers"]),
        disclosure.publish_table("newcomers.satisfaction.groups", present.satisfaction_groups_table(groups),
                                 title="Satisfaction score by group of interviewees", count_columns=["Interviewees"]),
        table("newcomers.satisfaction.tests", present.rank_tests_table(tests),
              title="Rank tests of the satisfaction score between groups, with effect sizes"),
        present.satisfaction_chart(compute.mean_intervals(groups), groups),
    ], _plan(), "en")


@publishes("newcomers.quotes")
def quotes() -> list[Result]:
    """One quote per coded theme held by at least THRESHOLD interviewees, under a pseudonym made here."""
    people = load.table("newcomers").set_index("interviewee_id")
    coded = load.table("newcomer_quotes").sort_values("quote_id")
    shown = present.quotes_table(choose_quotes(people, coded))
    choice = _plan()["newcomers.quotes.table"]
    if not choice.withheld and choice.reason:  # the speakers' regions left out
        shown = shown.assign(Speaker=ladders.without_regions(shown["Speaker"]))
    return redesigned.apply([table("newcomers.quotes.table", shown, title="Quotes chosen by theme (pseudonymised; "
                                   "one per theme coded for enough interviewees)")], _plan(), "en")
