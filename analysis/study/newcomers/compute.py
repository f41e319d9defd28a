"""The newcomer interviews, computed: protected counts, theme prevalences with Wilson intervals, the satisfaction
scale and its rank tests, and the choice of quotes. Codes only (regions, statuses, themes as the codebook codes
them); the words are in :mod:`.present`.

Every count goes through :mod:`analysis.protection.disclosure`; a share, an interval or a group computed from a
hidden count is hidden with it (:data:`~analysis.protection.disclosure.MARK`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
# pingouin and scipy.stats are imported inside the functions that test: with matplotlib they take about 2 s to
# import, in every page's kernel, which only shows cached results.

from analysis.data.codebook import codebook
from analysis.protection import disclosure, identifiers
from analysis.protection.disclosure import MARK, TOTAL

PRESENT, ABSENT = "present", "absent"
YEARS = (0, 1, 2, 3, 4)  # completed years in Belgium, as the codebook bounds them


def field(name: str):
    return codebook()["newcomers"].field(name)


def themes() -> list[str]:
    """The coded themes: the barriers, then the other aspects of experience, in codebook order."""
    book = codebook()["newcomers"]
    return [f.name for f in (*book.block("barriers"), *book.block("experience"))]


def barriers() -> list[str]:
    return [f.name for f in codebook()["newcomers"].block("barriers")]


def satisfaction_items() -> list[str]:
    return [f.name for f in codebook()["newcomers"].block("satisfaction")]


def protected_counts(people: pd.DataFrame, rows: str, columns: str, row_codes=None) -> pd.DataFrame:
    """Interviewees by ``rows`` × ``columns`` (codes, in codebook order), with totals, small cells hidden."""
    row_codes = list(row_codes) if row_codes is not None else field(rows).codes
    counts = pd.crosstab(people[rows], people[columns]).reindex(index=row_codes, columns=field(columns).codes,
                                                                fill_value=0)
    return disclosure.protect(counts)


def wilson(count: int, n: int) -> tuple[float, float]:
    """The Wilson score 95% interval of the share count/n."""
    from scipy.stats import binomtest

    interval = binomtest(int(count), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return interval.low, interval.high


def _shares(full: pd.DataFrame) -> pd.DataFrame:
    """n, count, share and its Wilson interval of each row of a present/absent table with totals."""
    rows = []
    for group in full.index:
        n, count = int(full.at[group, TOTAL]), int(full.at[group, PRESENT])
        low, high = wilson(count, n) if n else (np.nan, np.nan)
        rows.append({"group": group, "n": n, "count": count, "share": count / n if n else np.nan,
                     "low": low, "high": high})
    return pd.DataFrame(rows).set_index("group")


def prevalence(people: pd.DataFrame, theme: str, by: str) -> pd.DataFrame:
    """Protected prevalence of ``theme`` per group of ``by`` and overall (the Total row).

    Columns: n, count, share, low, high; hidden cells hold MARK. The protection covers the whole
    present/absent × group table, since the number without the theme is n − count.
    """
    counts = (pd.crosstab(people[by], people[theme]).reindex(index=field(by).codes, columns=[1, 0], fill_value=0)
              .set_axis([PRESENT, ABSENT], axis=1))
    hidden = disclosure.hidden_cells(counts)
    mask = pd.DataFrame({"n": hidden[TOTAL], "count": hidden[PRESENT], "share": hidden[PRESENT],
                         "low": hidden[PRESENT], "high": hidden[PRESENT]})
    return disclosure.hide(_shares(disclosure.with_totals(counts)), mask)


def prevalence_rows(people: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """The long table of every theme's prevalence per group (code) of ``by``; overall (group TOTAL) when None.

    The overall figures are the Total row of the table by region, so that the two tables hide the same cells.
    """
    parts = []
    for theme in themes():
        part = prevalence(people, theme, by or "region")
        part = part.drop(index=TOTAL) if by else part.loc[[TOTAL]]
        parts.append(part.rename_axis("group").reset_index().assign(theme=theme))
    frame = pd.concat(parts, ignore_index=True)
    return frame[["theme", "group", "n", "count", "share", "low", "high"]]


def shown_shares(rows: pd.DataFrame, of: list[str]) -> pd.DataFrame:
    """The rows of the themes ``of`` whose share is shown, as floats: what a chart may plot."""
    plotted = rows[rows["theme"].isin(of) & (rows["share"] != MARK)]
    return plotted.astype({"share": float, "low": float, "high": float})


def scale_scores(people: pd.DataFrame) -> pd.Series:
    """Each interviewee's satisfaction score: the mean of the items answered."""
    return people[satisfaction_items()].astype(float).mean(axis=1)


def _kruskal(frame: pd.DataFrame, between: str) -> dict:
    import pingouin as pg

    result = pg.kruskal(frame, dv="score", between=between).iloc[0]
    n, k = len(frame), frame[between].nunique()
    # eta squared (H); an estimate below zero (H under its degrees of freedom: the groups differ less than chance
    # alone would make them) means no effect and is published as 0, since a negative share of variance reads as nonsense
    return {"H": result["H"], "p": result["p_unc"], "effect": max(0.0, (result["H"] - k + 1) / (n - k))}


def _mann_whitney(frame: pd.DataFrame, theme: str) -> dict:
    import pingouin as pg

    result = pg.mwu(frame.loc[frame[theme] == 1, "score"], frame.loc[frame[theme] == 0, "score"]).iloc[0]
    return {"U": result["U_val"], "p": result["p_val"], "effect": result["RBC"]}


def scored(people: pd.DataFrame) -> pd.DataFrame:
    """The interviewees who answered at least one satisfaction item, with their ``score``."""
    return people.assign(score=scale_scores(people)).astype({"score": float}).dropna(subset=["score"])


def rank_tests(frame: pd.DataFrame) -> dict[str, dict]:
    """The satisfaction score compared across regions and statuses (Kruskal–Wallis, eta squared) and with a
    theme coded or not (Mann–Whitney, rank-biserial r), keyed as the results are."""
    return {"region": _kruskal(frame, "region"), "status": _kruskal(frame, "legal_status"),
            "trust": _mann_whitney(frame, "trust"), "arbitrariness": _mann_whitney(frame, "barrier_arbitrariness")}


def reliability(people: pd.DataFrame) -> tuple[float, float, float]:
    """Cronbach's alpha of the satisfaction items and its 95% interval."""
    import pingouin as pg

    alpha, (low, high) = pg.cronbach_alpha(people[satisfaction_items()].astype(float))
    return alpha, low, high


def satisfaction_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """The scores of each group compared: comparison (a field), group (a code), scores, and whether the group's
    size is hidden (each comparison's sizes protected as one table)."""
    rows = [(by, code, frame.loc[frame[by] == code, "score"]) for by in ("region", "legal_status")
            for code in field(by).codes]
    rows += [(theme, code, frame.loc[frame[theme] == code, "score"]) for theme in ("trust", "barrier_arbitrariness")
             for code in (1, 0)]
    groups = pd.DataFrame(rows, columns=["comparison", "group", "scores"])
    groups["hidden"] = False
    for comparison, part in groups.groupby("comparison", sort=False):
        sizes = pd.DataFrame({"n": [len(s) for s in part["scores"]]}, index=part.index)
        groups.loc[part.index, "hidden"] = disclosure.hidden_cells(sizes).loc[part.index, "n"].to_numpy()
    return groups


def mean_intervals(groups: pd.DataFrame) -> pd.DataFrame:
    """Mean score with a normal 95% interval of each shown group of more than one interviewee."""
    shown = groups[~groups["hidden"] & (groups["scores"].map(len) > 1)]
    means = shown["scores"].map(lambda s: s.mean())
    half = shown["scores"].map(lambda s: 1.96 * s.std() / np.sqrt(len(s)))
    return shown[["comparison", "group"]].assign(mean=means, low=means - half, high=means + half)


def choose_quotes(people: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """One quote per coded theme held by at least THRESHOLD interviewees: theme, text, speaker (a letter given
    here, in order of first quote) and the speaker's region, or None where it may not be named.

    ``people``: the interviewees, indexed by interviewee_id; ``coded``: the quotes, in quote order. The speaker's
    region is named only where the theme's count in that region is shown: a quote from a region whose count is
    hidden would tell that the count is at least one, which with the other tables can narrow it (the linked
    audit of :mod:`analysis.protection.linked` counts the quoted speaker's region)."""
    rows, speakers = [], {}
    for theme in themes():
        if people[theme].sum() < disclosure.THRESHOLD:
            continue
        candidates = [q for q in coded[coded["theme"] == theme].itertuples() if not identifiers.find(q.text)]
        # A new voice where there is one: several quotes of one person, put together, say more about them.
        chosen = next((q for q in candidates if q.interviewee_id not in speakers), None) or \
            next(iter(candidates), None)
        if chosen is None:
            continue
        speaker = speakers.setdefault(chosen.interviewee_id, len(speakers))
        region = people.at[chosen.interviewee_id, "region"]
        shown = prevalence(people, theme, "region").at[region, "count"] != MARK
        rows.append({"theme": theme, "text": chosen.text, "speaker": speaker, "region": region if shown else None})
    return pd.DataFrame(rows, columns=["theme", "text", "speaker", "region"])


def most_raised(rows: pd.DataFrame) -> dict:
    """Per group of prevalence rows (:func:`prevalence_rows`: TOTAL or region codes), the theme or themes raised by
    the most interviewees, in codebook order, as :func:`~analysis.protection.disclosure.largest` gives them (all
    tied themes; None where a count is hidden)."""
    return {group: disclosure.largest(part.set_index("theme")["count"]) for group, part in rows.groupby("group", sort=False)}
