"""The newcomer interviews, presented: labels, tables, charts and their text alternatives.

The sample, the coded themes and the barriers chart are published in English, Dutch and French (their words are
``newcomers.*`` and ``barrier*`` in ``analysis/i18n/<lang>.yml``, the codebook's titles and labels);
the satisfaction scale and the quotes are the academic book's, in English.
"""

from __future__ import annotations

import string

import altair as alt
import pandas as pd

from analysis.protection import disclosure
from analysis.protection.disclosure import MARK, TOTAL
from analysis import i18n
from analysis.charts import localised
from analysis.producers import Result, chart, number, text
from analysis.study.newcomers.compute import YEARS, barriers, field, themes


def words(key: str, lang: str, **values) -> str:
    return i18n.text(f"newcomers.{key}", lang, **values)


def group_label(code, by: str | None, lang: str) -> str:
    """A group of interviewees as the reader names it: a region or status, or all interviewees (TOTAL)."""
    return words("all_interviewees", lang) if code == TOTAL else field(by or "region").label(code, lang)


def years_labels(lang: str) -> dict[int, str]:
    return {years: words(f"years.{years}", lang) for years in YEARS}


def _named(protected: pd.DataFrame, row_labels: dict, lang: str) -> pd.DataFrame:
    """A protected count table by region with its rows, regions and totals named in ``lang``."""
    total = words("total", lang)
    return protected.rename(index={**row_labels, TOTAL: total},
                            columns={**field("region").labels(lang), TOTAL: total})


def sample_results(people: pd.DataFrame, quotes: int, by_status: pd.DataFrame, by_years: pd.DataFrame,
                   lang: str) -> list[Result]:
    """The sample: counts for the prose and the two protected tables by region."""
    regions = field("region").labels(lang)
    columns = [*regions.values(), words("total", lang)]
    by_region = people["region"].value_counts()
    return [
        disclosure.publish_count("newcomers.sample.n", len(people), title=words("title.sample_n", lang)),
        number("newcomers.sample.threshold", disclosure.THRESHOLD, style="count", title=words("title.threshold", lang)),
        *[disclosure.publish_count(f"newcomers.sample.{code.lower()}", by_region.get(code, 0),
                                   title=words("title.sample_region", lang, region=label))
          for code, label in regions.items()],
        disclosure.publish_count("newcomers.sample.quotes", quotes, title=words("title.quotes", lang)),
        disclosure.publish_table("newcomers.sample.status", count_columns=columns,
                                 frame=disclosure.as_table(_named(by_status, field("legal_status").labels(lang), lang),
                                                           field("legal_status").title(lang)),
                                 title=words("title.sample_status", lang)),
        disclosure.publish_table("newcomers.sample.years", count_columns=columns,
                                 frame=disclosure.as_table(_named(by_years, years_labels(lang), lang),
                                                           words("header.years", lang)),
                                 title=words("title.sample_years", lang)),
    ]


def with_labels(rows: pd.DataFrame, by: str | None, lang: str) -> pd.DataFrame:
    """Prevalence rows (:func:`..compute.prevalence_rows`) with the theme and the group named, after the code."""
    named = rows.drop(columns="group")
    named.insert(1, words("header.group", lang), [group_label(g, by, lang) for g in rows["group"]])
    named.insert(1, words("header.theme", lang), [field(t).title(lang) for t in rows["theme"]])
    return named


def _interval(low, high, lang: str) -> str:
    if MARK in (low, high):
        return MARK
    return words("interval", lang, low=i18n.percent(low, 1, lang), high=i18n.percent(high, 1, lang))


def prevalence_table(rows: pd.DataFrame, by: str | None, lang: str) -> pd.DataFrame:
    """A prevalence table for reading: the share as a percentage, the Wilson interval as [low, high]."""
    named = with_labels(rows, by, lang)
    theme, group = words("header.theme", lang), words("header.group", lang)
    return pd.DataFrame({
        theme: named[theme],
        **({group: named[group]} if by else {}),
        words("header.interviewees", lang): rows["n"],
        words("header.with_theme", lang): rows["count"],
        words("header.share", lang): [v if v == MARK else i18n.percent(v, 1, lang) for v in rows["share"]],
        words("header.interval", lang): [_interval(lo, hi, lang) for lo, hi in zip(rows["low"], rows["high"])],
    })


def theme_tables(overall: pd.DataFrame, by_region: pd.DataFrame, by_status: pd.DataFrame,
                 lang: str) -> list[Result]:
    """The shares for the prose and the three protected tables of coded themes."""
    counts = [words("header.interviewees", lang), words("header.with_theme", lang)]
    # Every theme's share, so that a page gluing it always builds: a hidden one is withheld ("not published").
    shares = [number(f"newcomers.themes.share.{row.theme}", None if row.share == MARK else row.share, style="share",
                     title=words("title.share", lang, theme=field(row.theme).title(lang)))
              for row in overall.itertuples()]
    tables = [(key, rows, by) for key, rows, by in (("overall", overall, None), ("by_region", by_region, "region"),
                                                    ("by_status", by_status, "legal_status"))]
    return shares + [disclosure.publish_table(f"newcomers.themes.{key}", prevalence_table(rows, by, lang),
                                              title=words(f"title.themes_{key}", lang), count_columns=counts)
                     for key, rows, by in tables]


def _data_columns(lang: str) -> dict[str, str]:
    """The chart's data columns as named in ``lang`` (the tooltips and the data download show them)."""
    return {"theme": words("data.theme", lang), "count": words("data.count", lang),
            "share": words("data.share", lang), "low": words("data.low", lang), "high": words("data.high", lang)}


def barriers_by_region_chart(plotted: pd.DataFrame, hidden: int, lang: str) -> Result:
    """Bars of each barrier's share per region with Wilson whiskers, one row of the facet per barrier.

    ``plotted``: the shown rows of :func:`..compute.prevalence_rows` by region; ``hidden``: the bars left out."""
    data = with_labels(plotted, "region", lang).rename(columns=_data_columns(lang))
    theme, group, share, low, high = (words("header.theme", lang), words("header.group", lang),
                                      *(_data_columns(lang)[c] for c in ("share", "low", "high")))
    base = alt.Chart(data).encode(y=alt.Y(f"{group}:N", title=None, sort=list(field("region").labels(lang).values())),
                                  color=alt.Color(f"{group}:N", title=field("region").title(lang), legend=None))
    bars = base.mark_bar().encode(
        x=alt.X(f"{share}:Q", title=words("axis.share", lang), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[theme, group, *(alt.Tooltip(f"{c}:Q", format=".1%") for c in (share, low, high))])
    whiskers = base.mark_rule().encode(x=f"{low}:Q", x2=f"{high}:Q", color=alt.value("#000000"))
    spec = (alt.layer(bars, whiskers, data=data).properties(width=380, height=alt.Step(16))
            .facet(row=alt.Row(f"{theme}:N", title=None, sort=[field(t).title(lang) for t in themes()],
                               header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold"))))
    if data.empty:  # every bar hidden (few interviewees): the chart's text says so instead of naming a highest
        alt_text = words("alt.barriers_by_region_none", lang)
    else:
        top = data.sort_values(share).iloc[-1]
        alt_text = words("alt.barriers_by_region", lang, theme=top[theme].lower(), group=top[group],
                         share=i18n.percent(top[share], 1, lang), hidden=hidden)
    return chart("newcomers.themes.barriers", localised(spec, lang), title=words("title.barriers_by_region", lang),
                 alt=alt_text, note=words("note.bars_left_out", lang) if hidden else "")


def barriers_chart(overall: pd.DataFrame, n: int, lang: str) -> Result:
    """The share of all interviewees naming each barrier, largest first, each bar labelled with its share (the
    short editions' chart: no legend needed)."""
    # the data holds what the chart draws, named in the reader's language (its CSV download too); each bar's label
    # is its share, formatted by Vega with the language's locale (charts.localised), as the prose writes it
    barrier, share = words("header.theme", lang), words("header.share", lang)
    # each barrier named as the codebook names it, like every table and chart of the interviews
    shown = pd.DataFrame({barrier: [field(t).title(lang) for t in overall["theme"]],
                          share: overall["share"].to_numpy()}).sort_values(share, ascending=False)
    axis_title = i18n.text("barriers_axis_share", lang)
    base = alt.Chart(shown).encode(
        y=alt.Y(field=barrier, type="nominal", title=None, sort=list(shown[barrier]), axis=alt.Axis(labelLimit=0)))
    spec = alt.layer(
        base.mark_bar().encode(x=alt.X(field=share, type="quantitative", title=axis_title, axis=alt.Axis(format="%"),
                                       scale=alt.Scale(domain=[0, 1])),
                               tooltip=[alt.Tooltip(field=barrier, type="nominal", title=" "),
                                        alt.Tooltip(field=share, type="quantitative", title=axis_title, format=".1%")]),
        base.mark_text(align="left", dx=4).encode(x=alt.X(field=share, type="quantitative"),
                                                  text=alt.Text(field=share, type="quantitative", format=".1%")),
    ).properties(width=320, height=alt.Step(22))
    people = i18n.in_words(n, lang)  # a count in a sentence: in words up to twenty
    # the most often named, by disclosure.largest's rule: tied barriers together, none beside a hidden share
    every = pd.Series(MARK, index=[field(t).title(lang) for t in barriers()], dtype=object)
    every.update(shown.set_index(barrier)[share].astype(object))
    top = disclosure.largest(every)
    form = "barriers_chart_alt" if top else "barriers_chart_alt_none" if top == () else "barriers_chart_alt_hidden"
    alt_text = i18n.text(form, lang, n=people, top=i18n.named(top, lambda label, _: label.lower(), lang),
                         share=i18n.percent(shown.set_index(barrier).at[top[0], share], 1, lang) if top else "")
    return chart("newcomers.barriers.chart", localised(spec, lang), alt=alt_text,
                 title=i18n.text("barriers_chart_caption", lang, n=people))


def quotes_table(chosen: pd.DataFrame) -> pd.DataFrame:
    """The chosen quotes under a pseudonym, "Interviewee A", with the region where it may be named."""
    regions = field("region").labels()
    # no region (None, or NaN when no quote may name one and pandas fills the column) where it may not be named
    speakers = [f"Interviewee {string.ascii_uppercase[s]}" + (f", {regions[r]}" if pd.notna(r) else "")
                for s, r in zip(chosen["speaker"], chosen["region"])]
    return pd.DataFrame({"Theme": [field(t).title() for t in chosen["theme"]], "Quote": chosen["text"],
                         "Speaker": speakers}, columns=["Theme", "Quote", "Speaker"])


# -- The satisfaction scale (the academic book's, in English) -------------------------------------------------

COMPARISONS = {"region": "Region", "legal_status": "Legal status"}  # the other comparisons are coded themes
CODED = {1: "coded", 0: "not coded"}


def _comparison(name: str) -> str:
    return COMPARISONS.get(name) or field(name).title()


def _group(comparison: str, code) -> str:
    return field(comparison).label(code) if comparison in COMPARISONS else CODED[code]


def satisfaction_groups_table(groups: pd.DataFrame) -> pd.DataFrame:
    """Size, median and mean score of each group; the hidden sizes and their scores as MARK."""
    rows = pd.DataFrame([{"Comparison": _comparison(g.comparison), "Group": _group(g.comparison, g.group),
                          "Interviewees": len(g.scores),
                          "Median score": f"{g.scores.median():.1f}" if len(g.scores) else "",
                          "Mean score": f"{g.scores.mean():.2f}" if len(g.scores) else ""}
                         for g in groups.itertuples()])
    hidden = groups["hidden"].reset_index(drop=True)
    return disclosure.hide(rows, pd.DataFrame({c: hidden if c not in ("Comparison", "Group") else False
                                               for c in rows.columns}))


def rank_tests_table(tests: dict[str, dict]) -> pd.DataFrame:
    """One row per rank test: its statistic, p value and effect size, as a reader writes them."""
    kruskal = [{"Comparison": COMPARISONS[name], "Test": "Kruskal–Wallis", "Statistic": f"H = {tests[key]['H']:.2f}",
                "p": i18n.p_value(tests[key]["p"]), "Effect size": f"eta squared (H) = {tests[key]['effect']:.3f}"}
               for key, name in (("region", "region"), ("status", "legal_status"))]
    mann_whitney = [{"Comparison": f"{field(theme).title()}: coded or not", "Test": "Mann–Whitney",
                     "Statistic": f"U = {tests[key]['U']:.1f}", "p": i18n.p_value(tests[key]["p"]),
                     "Effect size": f"rank-biserial r = {tests[key]['effect']:.2f}"}
                    for key, theme in (("trust", "trust"), ("arbitrariness", "barrier_arbitrariness"))]
    return pd.DataFrame(kruskal + mann_whitney)


def items_table(people: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    """Each item of the scale: its statement, the answers, their mean and standard deviation."""
    return pd.DataFrame([{"Item": field(item).title(), "Answers": int(people[item].notna().sum()),
                          "Mean": f"{people[item].astype(float).mean():.2f}",
                          "SD": f"{people[item].astype(float).std():.2f}"} for item in items])


def satisfaction_chart(means: pd.DataFrame, groups: pd.DataFrame) -> Result:
    """Mean score with its 95% interval per shown group, one row of the facet per comparison."""
    plotted = pd.DataFrame({"Comparison": [_comparison(c) for c in means["comparison"]],
                            "Group": [_group(c, g) for c, g in zip(means["comparison"], means["group"])],
                            "mean": means["mean"].to_numpy(), "low": means["low"].to_numpy(),
                            "high": means["high"].to_numpy()})
    base = alt.Chart(plotted).encode(y=alt.Y("Group:N", title=None, sort=None))
    points = base.mark_point(filled=True, size=60, color="#0072B2").encode(
        x=alt.X("mean:Q", title="Mean satisfaction score (1–5)", scale=alt.Scale(domain=[1, 5])),
        tooltip=["Comparison", "Group", alt.Tooltip("mean:Q", format=".2f")])
    rules = base.mark_rule(color="#0072B2").encode(x="low:Q", x2="high:Q")
    order = [_comparison(c) for c in dict.fromkeys(groups["comparison"])]
    spec = (alt.layer(points, rules, data=plotted).properties(width=380, height=alt.Step(16))
            .facet(row=alt.Row("Comparison:N", title=None, sort=order,
                               header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")))
            .resolve_scale(y="independent"))
    high, low = plotted.sort_values("mean").iloc[-1], plotted.sort_values("mean").iloc[0]
    alt_text = (f"Mean satisfaction score with 95% intervals for {len(plotted)} groups of interviewees; highest: "
                f"{high['Group']} ({high['Comparison']}, {high['mean']:.2f}), lowest: {low['Group']} "
                f"({low['Comparison']}, {low['mean']:.2f}).")
    return chart("newcomers.satisfaction.chart", localised(spec, "en"), title="Mean satisfaction score by group, with 95% intervals",
                 alt=alt_text, note="Groups whose size is hidden in the table are left out." if groups["hidden"].any()
                 else "")


def satisfaction_numbers(alpha: tuple[float, float, float], median: float, tests: dict[str, dict]) -> list[Result]:
    """Cronbach's alpha with its interval, the median score, and each test's p value and effect size."""
    return [
        number("newcomers.satisfaction.alpha", alpha[0], style="decimal",
               title="Cronbach's alpha of the satisfaction scale"),
        number("newcomers.satisfaction.alpha_low", alpha[1], style="decimal",
               title="Lower bound of alpha's 95% interval"),
        number("newcomers.satisfaction.alpha_high", alpha[2], style="decimal",
               title="Upper bound of alpha's 95% interval"),
        number("newcomers.satisfaction.median", median, style="decimal", decimals=1,
               title="Median satisfaction score (1–5)"),
        *[number(f"newcomers.satisfaction.{key}.p", t["p"], style="p", title=f"p value, {key} comparison")
          for key, t in tests.items()],
        *[number(f"newcomers.satisfaction.{key}.effect", t["effect"], style="decimal",
                 decimals=3 if key in ("region", "status") else 2, title=f"Effect size, {key} comparison")
          for key, t in tests.items()],
    ]


def theme_words(theme: str, lang: str) -> str:
    """A theme as a sentence names it: its codebook title with a lower-case first letter (the text is glued
    mid-sentence; no title starts with an acronym)."""
    title = field(theme).title(lang)
    return title[:1].lower() + title[1:]


def most_raised(leaders: dict, lang: str) -> list[Result]:
    """The theme or themes raised by the most interviewees, overall (``…most_raised.all``) and per region, as
    words for the prose (:func:`..compute.most_raised`: every tied theme named; none named where a count is hidden)."""
    return [text(f"newcomers.themes.most_raised.{'all' if group == TOTAL else group.lower()}",
                 i18n.named(themes, theme_words, lang),
                 title=words("title.most_raised", lang, group=group_label(group, "region", lang)))
            for group, themes in leaders.items()]
