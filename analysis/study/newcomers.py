"""Results of the newcomer interviews: the sample, coded themes, the satisfaction scale and quotes.

Every count goes through :mod:`analysis.protection.disclosure`; a share, an interval or a chart bar computed from a
hidden count is hidden with it. Theme prevalences come with Wilson 95% intervals, which behave well for the
small groups and the shares near 0 or 1 of a qualitative sample. The satisfaction scale is the mean of its
items; its reliability is Cronbach's alpha, and groups are compared with rank tests (Kruskal–Wallis across
regions and legal statuses, Mann–Whitney for a coded theme present or not), each with an effect size.
Quotes are chosen here, by theme, and only when they pass the identifier check.
"""

from __future__ import annotations

import string

import altair as alt
import numpy as np
import pandas as pd
import pingouin as pg
from scipy.stats import binomtest

from analysis.data import load
from analysis.protection import disclosure, identifiers
from analysis.publication import i18n
from analysis.data.codebook import codebook
from analysis.protection.disclosure import MARK, TOTAL
from analysis.results.registry import Result, chart, number, publishes, table

YEARS_LABELS = {0: "less than one year", 1: "one year", 2: "two years", 3: "three years", 4: "four years"}
PRESENT, ABSENT = "present", "absent"


def _field(name: str):
    return codebook()["newcomers"].field(name)


def themes() -> list[str]:
    """The coded themes: the barriers, then the other aspects of experience, in codebook order."""
    book = codebook()["newcomers"]
    return [f.name for f in (*book.block("barriers"), *book.block("experience"))]


def _counts(frame: pd.DataFrame, rows: str, columns: str, row_labels=None) -> pd.DataFrame:
    row_codes = list(row_labels) if row_labels else _field(rows).codes
    counts = pd.crosstab(frame[rows], frame[columns]).reindex(index=row_codes, columns=_field(columns).codes,
                                                               fill_value=0)
    labels = row_labels or _field(rows).labels()
    return counts.rename(index=labels, columns=_field(columns).labels())


@publishes("newcomers.sample")
def sample() -> list[Result]:
    people = load.table("newcomers")
    quotes = load.table("newcomer_quotes")
    status = disclosure.protect(_counts(people, "legal_status", "region"))
    years = disclosure.protect(_counts(people, "years_in_belgium", "region", YEARS_LABELS))
    regions = [*_field("region").labels().values(), TOTAL]
    by_region = people["region"].value_counts()
    return [
        disclosure.publish_count("newcomers.sample.n", len(people), title="Newcomers interviewed"),
        number("newcomers.sample.threshold", disclosure.THRESHOLD, style="count",
               title="Disclosure threshold: the smallest count shown"),
        *[disclosure.publish_count(f"newcomers.sample.{code.lower()}", by_region.get(code, 0),
                                   title=f"Newcomers interviewed in {label}")
          for code, label in _field("region").labels().items()],
        disclosure.publish_count("newcomers.sample.quotes", len(quotes), title="Coded quotes"),
        disclosure.publish_table("newcomers.sample.status", disclosure.as_table(status, "Legal status"),
                                 title="Newcomers interviewed by legal status and region", count_columns=regions),
        disclosure.publish_table("newcomers.sample.years", disclosure.as_table(years, "Years in Belgium"),
                                 title="Newcomers interviewed by years in Belgium and region", count_columns=regions),
    ]


def wilson(count: int, n: int) -> tuple[float, float]:
    """The Wilson score 95% interval of the share count/n."""
    interval = binomtest(int(count), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return interval.low, interval.high


def prevalence(people: pd.DataFrame, theme: str, by: str) -> pd.DataFrame:
    """Protected prevalence of ``theme`` per group of ``by`` and overall (the Total row).

    Columns: n, count, share, low, high; hidden cells hold MARK. The protection covers the whole
    present/absent × group table, since the number without the theme is n − count.
    """
    codes = _field(by).codes
    counts = (pd.crosstab(people[by], people[theme]).reindex(index=codes, columns=[1, 0], fill_value=0)
              .set_axis([PRESENT, ABSENT], axis=1))
    hidden = disclosure.hidden_cells(counts)
    full = disclosure.with_totals(counts)
    rows = []
    for group in full.index:
        n, count = int(full.at[group, TOTAL]), int(full.at[group, PRESENT])
        low, high = wilson(count, n) if n else (np.nan, np.nan)
        rows.append({"group": group, "n": n, "count": count, "share": count / n if n else np.nan,
                     "low": low, "high": high})
    values = pd.DataFrame(rows).set_index("group")
    mask = pd.DataFrame({"n": hidden[TOTAL], "count": hidden[PRESENT], "share": hidden[PRESENT],
                         "low": hidden[PRESENT], "high": hidden[PRESENT]})
    return disclosure.hide(values, mask)


def _prevalence_rows(people: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """The long table of every theme's prevalence per group of ``by``; overall when None.

    The overall figures are the Total row of the table by region, so that the two tables hide the same cells.
    """
    labels = _field(by).labels() if by else {}
    parts = []
    for theme in themes():
        part = prevalence(people, theme, by or "region")
        part = part.drop(index=TOTAL) if by else part.loc[[TOTAL]]
        part.insert(0, "Group", [labels.get(g, "All interviewees") for g in part.index])
        part.insert(0, "Theme", _field(theme).title())
        part.insert(0, "theme", theme)
        parts.append(part.reset_index(drop=True))
    return pd.concat(parts, ignore_index=True)


def _shown(rows: pd.DataFrame, with_group: bool) -> pd.DataFrame:
    """Format a prevalence table for reading: share as %, the Wilson interval as [low, high]."""
    def pct(v):
        return v if v == MARK else i18n.percent(v, 1)

    def interval(low, high):
        return MARK if MARK in (low, high) else f"[{i18n.percent(low, 1)}, {i18n.percent(high, 1)}]"

    shown = pd.DataFrame({
        "Theme": rows["Theme"],
        **({"Group": rows["Group"]} if with_group else {}),
        "Interviewees": rows["n"],
        "With the theme": rows["count"],
        "Share": rows["share"].map(pct),
        "95% interval (Wilson)": [interval(lo, hi) for lo, hi in zip(rows["low"], rows["high"])],
    })
    return shown


@publishes("newcomers.themes")
def theme_prevalence() -> list[Result]:
    people = load.table("newcomers")
    overall = _prevalence_rows(people, None)
    by_region = _prevalence_rows(people, "region")
    by_status = _prevalence_rows(people, "legal_status")
    counts = ["Interviewees", "With the theme"]
    shares = [number(f"newcomers.themes.share.{row.theme}", row.share, style="share",
                     title=f"Share of interviewees with the theme: {row.Theme}")
              for row in overall.itertuples() if row.share != MARK]

    barriers = {f.name for f in codebook()["newcomers"].block("barriers")}
    plotted = by_region[by_region["theme"].isin(barriers)]
    hidden_bars = int((plotted["share"] == MARK).sum())
    plotted = plotted[plotted["share"] != MARK].astype({"share": float, "low": float, "high": float})
    base = alt.Chart(plotted).encode(
        y=alt.Y("Group:N", title=None, sort=list(_field("region").labels().values())),
        color=alt.Color("Group:N", title="Region", legend=None))
    bars = base.mark_bar().encode(
        x=alt.X("share:Q", title="Share of interviewees", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=["Theme", "Group", alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("low:Q", format=".1%"),
                 alt.Tooltip("high:Q", format=".1%")])
    whiskers = base.mark_rule().encode(x="low:Q", x2="high:Q", color=alt.value("#000000"))
    spec = (alt.layer(bars, whiskers, data=plotted).properties(width=380, height=alt.Step(16))
            .facet(row=alt.Row("Theme:N", title=None, sort=[_field(t).title() for t in themes()],
                               header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold"))))
    top = plotted.sort_values("share").iloc[-1]
    alt_text = (f"Bar charts of the share of interviewees with each coded barrier, per region, with 95% Wilson "
                f"intervals; the highest share is {top['Theme'].lower()} in {top['Group']} "
                f"({top['share']:.0%}); {hidden_bars} bars hidden for disclosure control.")
    return [
        *shares,
        disclosure.publish_table("newcomers.themes.overall", _shown(overall, False),
                                 title="Coded themes among all interviewees, with 95% intervals", count_columns=counts),
        disclosure.publish_table("newcomers.themes.by_region", _shown(by_region, True),
                                 title="Coded themes by region, with 95% intervals", count_columns=counts),
        disclosure.publish_table("newcomers.themes.by_status", _shown(by_status, True),
                                 title="Coded themes by legal status, with 95% intervals", count_columns=counts),
        chart("newcomers.themes.barriers", spec, title="Barriers to the PCSW named by newcomers, by region",
              alt=alt_text, note=("Bars whose count is hidden in the table are left out." if hidden_bars else "")),
    ]


@publishes("newcomers.barriers", translated=True)
def barriers(lang: str = "en") -> list[Result]:
    """The share of all interviewees naming each barrier, in the reader's language: the short editions' chart.

    The same shares as ``newcomers.themes.share.*`` (the Total row of the table by region, so that hidden cells
    stay hidden); the bars carry their share as a label, so no legend is needed.
    """
    people = load.table("newcomers")
    names = [f.name for f in codebook()["newcomers"].block("barriers")]
    overall = _prevalence_rows(people, None)
    overall = overall[overall["theme"].isin(names) & (overall["share"] != MARK)].astype({"share": float})
    shown = pd.DataFrame({"barrier": [i18n.text(f"barrier_label.{t}", lang) for t in overall["theme"]],
                          "share": overall["share"].to_numpy(),
                          "label": [i18n.percent(v, 1, lang) for v in overall["share"]]}).sort_values(
                              "share", ascending=False)
    axis_title = i18n.text("barriers_axis_share", lang)
    base = alt.Chart(shown, title=i18n.text("barriers_chart_title", lang)).encode(
        y=alt.Y("barrier:N", title=None, sort=list(shown["barrier"]), axis=alt.Axis(labelLimit=0)))
    spec = alt.layer(
        base.mark_bar().encode(x=alt.X("share:Q", title=axis_title, axis=alt.Axis(format="%"),
                                       scale=alt.Scale(domain=[0, 1])),
                               tooltip=[alt.Tooltip("barrier:N", title=" "), alt.Tooltip("label:N", title=axis_title)]),
        base.mark_text(align="left", dx=4).encode(x="share:Q", text="label:N"),
    ).properties(width=320, height=alt.Step(22)).configure(locale=i18n.vega_locale(lang))
    top = shown.iloc[0]
    alt_text = i18n.text("barriers_chart_alt", lang, n=i18n.decimal(len(people), 0, lang), k=len(shown),
                         top=top["barrier"], share=top["label"])
    return [chart("newcomers.barriers.chart", spec, alt=alt_text,
                  title=i18n.text("barriers_chart_caption", lang, n=i18n.decimal(len(people), 0, lang)))]


def scale_scores(people: pd.DataFrame) -> pd.Series:
    """Each interviewee's satisfaction score: the mean of the items answered."""
    items = [f.name for f in codebook()["newcomers"].block("satisfaction")]
    return people[items].astype(float).mean(axis=1)


def _kruskal(frame: pd.DataFrame, between: str) -> dict:
    result = pg.kruskal(frame, dv="score", between=between).iloc[0]
    n, k = len(frame), frame[between].nunique()
    return {"H": result["H"], "p": result["p_unc"], "effect": (result["H"] - k + 1) / (n - k)}  # eta squared (H)


def _mann_whitney(frame: pd.DataFrame, theme: str) -> dict:
    result = pg.mwu(frame.loc[frame[theme] == 1, "score"], frame.loc[frame[theme] == 0, "score"]).iloc[0]
    return {"U": result["U_val"], "p": result["p_val"], "effect": result["RBC"]}


@publishes("newcomers.satisfaction")
def satisfaction() -> list[Result]:
    people = load.table("newcomers")
    items = [f.name for f in codebook()["newcomers"].block("satisfaction")]
    alpha, (alpha_low, alpha_high) = pg.cronbach_alpha(people[items].astype(float))
    frame = people.assign(score=scale_scores(people)).astype({"score": float})
    frame = frame.dropna(subset=["score"])
    tests = {"region": _kruskal(frame, "region"), "status": _kruskal(frame, "legal_status"),
             "trust": _mann_whitney(frame, "trust"), "arbitrariness": _mann_whitney(frame, "barrier_arbitrariness")}

    groups = []  # (comparison, label, scores)
    for by, title in (("region", "Region"), ("legal_status", "Legal status")):
        for code, label in _field(by).labels().items():
            groups.append((title, label, frame.loc[frame[by] == code, "score"]))
    for theme in ("trust", "barrier_arbitrariness"):
        for code, label in ((1, "coded"), (0, "not coded")):
            groups.append((_field(theme).title(), label, frame.loc[frame[theme] == code, "score"]))
    sizes = pd.DataFrame({"n": [len(s) for _, _, s in groups]})
    hidden = pd.Series(False, index=sizes.index)
    for comparison in dict.fromkeys(c for c, _, _ in groups):  # protect each comparison's group sizes
        part = [i for i, (c, _, _) in enumerate(groups) if c == comparison]
        hidden.loc[part] = disclosure.hidden_cells(sizes.loc[part]).loc[part, "n"].to_numpy()
    rows = pd.DataFrame([{"Comparison": c, "Group": g, "Interviewees": len(s),
                          "Median score": f"{s.median():.1f}" if len(s) else "",
                          "Mean score": f"{s.mean():.2f}" if len(s) else ""} for c, g, s in groups])
    rows = disclosure.hide(rows, pd.DataFrame({c: hidden if c not in ("Comparison", "Group") else False
                                               for c in rows.columns}))

    test_rows = pd.DataFrame([
        {"Comparison": "Region", "Test": "Kruskal–Wallis", "Statistic": f"H = {tests['region']['H']:.2f}",
         "p": i18n.p_value(tests["region"]["p"]), "Effect size": f"eta squared (H) = {tests['region']['effect']:.3f}"},
        {"Comparison": "Legal status", "Test": "Kruskal–Wallis", "Statistic": f"H = {tests['status']['H']:.2f}",
         "p": i18n.p_value(tests["status"]["p"]), "Effect size": f"eta squared (H) = {tests['status']['effect']:.3f}"},
        *[{"Comparison": f"{_field(theme).title()}: coded or not", "Test": "Mann–Whitney",
           "Statistic": f"U = {tests[key]['U']:.1f}", "p": i18n.p_value(tests[key]["p"]),
           "Effect size": f"rank-biserial r = {tests[key]['effect']:.2f}"}
          for key, theme in (("trust", "trust"), ("arbitrariness", "barrier_arbitrariness"))],
    ])

    plotted = pd.DataFrame([{"Comparison": c, "Group": g, "mean": s.mean(),
                             "low": s.mean() - 1.96 * s.std() / np.sqrt(len(s)),
                             "high": s.mean() + 1.96 * s.std() / np.sqrt(len(s))}
                            for (c, g, s), h in zip(groups, hidden) if not h and len(s) > 1])
    base = alt.Chart(plotted).encode(y=alt.Y("Group:N", title=None, sort=None))
    points = base.mark_point(filled=True, size=60, color="#0072B2").encode(
        x=alt.X("mean:Q", title="Mean satisfaction score (1–5)", scale=alt.Scale(domain=[1, 5])),
        tooltip=["Comparison", "Group", alt.Tooltip("mean:Q", format=".2f")])
    rules = base.mark_rule(color="#0072B2").encode(x="low:Q", x2="high:Q")
    spec = (alt.layer(points, rules, data=plotted).properties(width=380, height=alt.Step(16))
            .facet(row=alt.Row("Comparison:N", title=None, sort=list(dict.fromkeys(c for c, _, _ in groups)),
                               header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")))
            .resolve_scale(y="independent"))
    high, low = plotted.sort_values("mean").iloc[-1], plotted.sort_values("mean").iloc[0]
    alt_text = (f"Mean satisfaction score with 95% intervals for {len(plotted)} groups of interviewees; highest: "
                f"{high['Group']} ({high['Comparison']}, {high['mean']:.2f}), lowest: {low['Group']} "
                f"({low['Comparison']}, {low['mean']:.2f}).")

    item_rows = pd.DataFrame([{"Item": f.title(), "Answers": int(people[f.name].notna().sum()),
                               "Mean": f"{people[f.name].astype(float).mean():.2f}",
                               "SD": f"{people[f.name].astype(float).std():.2f}"}
                              for f in codebook()["newcomers"].block("satisfaction")])
    return [
        number("newcomers.satisfaction.alpha", alpha, style="decimal",
               title="Cronbach's alpha of the satisfaction scale"),
        number("newcomers.satisfaction.alpha_low", alpha_low, style="decimal",
               title="Lower bound of alpha's 95% interval"),
        number("newcomers.satisfaction.alpha_high", alpha_high, style="decimal",
               title="Upper bound of alpha's 95% interval"),
        number("newcomers.satisfaction.median", frame["score"].median(), style="decimal", decimals=1,
               title="Median satisfaction score (1–5)"),
        *[number(f"newcomers.satisfaction.{key}.p", t["p"], style="p", title=f"p value, {key} comparison")
          for key, t in tests.items()],
        *[number(f"newcomers.satisfaction.{key}.effect", t["effect"], style="decimal",
                 decimals=3 if key in ("region", "status") else 2, title=f"Effect size, {key} comparison")
          for key, t in tests.items()],
        disclosure.publish_table("newcomers.satisfaction.items", item_rows,
                                 title="Items of the satisfaction scale (1 = strongly disagree, 5 = strongly agree)",
                                 count_columns=["Answers"]),
        disclosure.publish_table("newcomers.satisfaction.groups", rows,
                                 title="Satisfaction score by group of interviewees", count_columns=["Interviewees"]),
        table("newcomers.satisfaction.tests", test_rows,
              title="Rank tests of the satisfaction score between groups, with effect sizes"),
        chart("newcomers.satisfaction.chart", spec, title="Mean satisfaction score by group, with 95% intervals",
              alt=alt_text, note=("Groups whose size is hidden in the table are left out." if hidden.any() else "")),
    ]


def choose_quotes(people: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """One quote per coded theme held by at least THRESHOLD interviewees, under a pseudonym made here.

    ``people``: the interviewees, indexed by interviewee_id; ``coded``: the quotes, in quote order. The speaker's
    region is named only where the theme's count in that region is shown: a quote from a region whose count is
    hidden would tell that the count is at least one, which with the other tables can narrow it (the linked
    audit of :mod:`analysis.protection.linked` counts the quoted speaker's region)."""
    regions = _field("region").labels()
    rows, pseudonyms = [], {}
    for theme in themes():
        if people[theme].sum() < disclosure.THRESHOLD:
            continue
        candidates = [q for q in coded[coded["theme"] == theme].itertuples() if not identifiers.find(q.text)]
        # A new voice where there is one: several quotes of one person, put together, say more about them.
        chosen = next((q for q in candidates if q.interviewee_id not in pseudonyms), None) or \
            next(iter(candidates), None)
        if chosen is None:
            continue
        pseudonym = pseudonyms.setdefault(chosen.interviewee_id,
                                          f"Interviewee {string.ascii_uppercase[len(pseudonyms)]}")
        region = people.at[chosen.interviewee_id, "region"]
        shown = prevalence(people, theme, "region").at[region, "count"] != MARK
        rows.append({"Theme": _field(theme).title(), "Quote": chosen.text,
                     "Speaker": f"{pseudonym}, {regions[region]}" if shown else pseudonym})
    return pd.DataFrame(rows, columns=["Theme", "Quote", "Speaker"])


@publishes("newcomers.quotes")
def quotes() -> list[Result]:
    """One quote per coded theme held by at least THRESHOLD interviewees, under a pseudonym made here."""
    people = load.table("newcomers").set_index("interviewee_id")
    coded = load.table("newcomer_quotes").sort_values("quote_id")
    return [table("newcomers.quotes.table", choose_quotes(people, coded),
                  title="Quotes chosen by theme (pseudonymised; one per theme coded for enough interviewees)")]
