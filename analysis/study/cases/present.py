"""The case studies' results as a reader sees them: labelled tables, the chart of coded dimensions, alt text.

Functions take the reader's language (``lang``): words from ``analysis/i18n/<lang>.yml`` (keys
``cases.…``), labels from the codebook. Tables arrive protected (:mod:`.compute`); here their codes become labels.
The excerpts are shown in the English book only.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.data.codebook import codebook
from analysis.protection import disclosure
from analysis.protection.disclosure import MARK, TOTAL
from analysis import i18n
from analysis.study import redesigned
from analysis.charts import localised
from analysis.producers import Result, chart, number, table, text
from analysis.study.cases.compute import DIMENSIONS, ROLES, SIZE_GROUPS
from analysis.study.survey.present import field_name


def words(key: str, lang: str, **values) -> str:
    """A fixed string of the case studies in ``lang`` (``cases.<key>`` in the language's strings)."""
    return i18n.text(f"cases.{key}", lang, **values)


def field(name: str, resource: str = "cases"):
    return codebook()[resource].field(name)


def labelled(frame: pd.DataFrame, row_field, column_field, lang: str = "en") -> pd.DataFrame:
    """Relabel the codes of a crosstab's rows and columns with the codebook's labels, and its totals."""
    rows = field(row_field).labels(lang) if row_field else {}
    cols = field(column_field).labels(lang) if column_field else {}
    total = words("total", lang)
    return frame.rename(index=lambda v: total if v == TOTAL else rows.get(v, v),
                        columns=lambda v: total if v == TOTAL else cols.get(v, v))


def role(name: str, lang: str) -> str:
    """The interviewees of a role column (``interviews_workers`` → "social workers")."""
    return words(f"role.{name.split('_')[1]}", lang)


# --- Design -------------------------------------------------------------------------------------------------

def matrix_table(protected: pd.DataFrame, level: str, lang: str = "en") -> pd.DataFrame:
    """The design matrix at a level of :func:`analysis.study.cases.ladders.ladders`: protected counts by region
    (rows, codes) and size band, merged band or none (columns), labelled."""
    region = field("region").title(lang)
    if level == "by region":  # the cases per region, as the Total column
        shown = labelled(protected.drop(columns="cases"), "region", None, lang)
    elif level == "with size bands merged":
        shown = labelled(protected, "region", None, lang).rename(columns={
            group: words(f"size.{group}", lang) for group in SIZE_GROUPS})
    else:
        shown = labelled(protected, "region", "size_band", lang)
    return disclosure.as_table(shown, region)


def design(cases: pd.DataFrame, matrix, interviews: pd.DataFrame, lang: str = "en") -> list[Result]:
    """The case-study design: cases and interviews (protected counts), by region, size and role; ``matrix`` is the
    design matrix's :class:`~analysis.protection.redesign.Choice`."""
    region = field("region").title(lang)
    shown = (redesigned.withheld_table(lang) if matrix.withheld
             else matrix_table(matrix.protected(), matrix.level.name, lang))
    interviews = labelled(interviews.rename(columns={name: role(name, lang) for name in ROLES}), "region", None, lang)
    return [
        disclosure.publish_count("cases.design.n", len(cases), title=words("design.n", lang)),
        number("cases.design.threshold", disclosure.THRESHOLD, style="count", title=words("design.threshold", lang)),
        disclosure.publish_count("cases.design.interviews", int(cases[list(ROLES)].to_numpy().sum()),
                                 title=words("design.interviews", lang)),
        *[disclosure.publish_count(f"cases.design.interviews_{name.split('_')[1]}", cases[name].sum(),
                                   title=words("design.interviews_role", lang, role=role(name, lang)))
          for name in ROLES],
        disclosure.publish_table("cases.design.matrix", shown, title=words("design.matrix", lang),
                                 count_columns=[str(c) for c in shown.columns[1:]] if not matrix.withheld else [],
                                 note=redesigned.note(matrix, lang), protection=matrix.record()),
        disclosure.publish_table("cases.design.interviews_table", disclosure.as_table(interviews, region),
                                 title=words("design.interviews_table", lang), count_columns=list(interviews.columns)),
    ]


# --- Coded dimensions ---------------------------------------------------------------------------------------

def dimension_table(counts: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The protected counts of :func:`~analysis.study.cases.compute.dimension_counts`, labelled."""
    shown = labelled(counts.drop(columns=["dimension", "level"]), None, "region", lang)
    shown.insert(0, words("column.level", lang), [str(field(d).label(level, lang))
                                                  for d, level in zip(counts["dimension"], counts["level"])])
    shown.insert(0, words("column.dimension", lang), [field(d).title(lang) for d in counts["dimension"]])
    return shown


def dimensions(choice, lang: str = "en") -> list[Result]:
    """The table of cases by coded dimension, level and region (or all regions together), and the chart of the
    levels shown; ``choice`` is the table's :class:`~analysis.protection.redesign.Choice`. Withheld, the chart
    shows no level either."""
    note = redesigned.note(choice, lang)
    shown = redesigned.withheld_table(lang) if choice.withheld else dimension_table(choice.protected(), lang)
    table_ = disclosure.publish_table("cases.dimensions.table", shown, title=words("dimensions.table", lang),
                                      count_columns=[] if choice.withheld else [str(c) for c in shown.columns[2:]],
                                      note=note, protection=choice.record())
    chartable = _no_levels(lang) if choice.withheld else shown
    hidden = int((chartable[words("total", lang)] == MARK).sum())
    return [table_, chart("cases.dimensions.chart", _dimensions_chart(chartable, lang),
                          title=words("dimensions.chart", lang), alt=_dimensions_alt(chartable, hidden, lang),
                          note=" ".join(filter(None, [note, words("dimensions.note", lang) if hidden
                                                      else ""])))]


def _no_levels(lang: str) -> pd.DataFrame:
    """A dimension table with no level, for the chart of a withheld table."""
    return pd.DataFrame(columns=[words("column.dimension", lang), words("column.level", lang), words("total", lang)])


def _dimensions_plotted(shown: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The levels whose number of cases is shown, with that number as an integer (columns named as chart fields)."""
    total = words("total", lang)
    plotted = shown[shown[total] != MARK].assign(**{words("chart.cases", lang): lambda f: f[total].astype(int)})
    return plotted.rename(columns=field_name)


def _chart_fields(lang: str) -> tuple[str, str, str]:
    """The chart's fields: dimension, level and number of cases."""
    return tuple(field_name(words(name, lang)) for name in ("column.dimension", "column.level", "chart.cases"))


def _dimensions_chart(shown: pd.DataFrame, lang: str):
    dimension, level, cases = _chart_fields(lang)
    spec = (
        alt.Chart(_dimensions_plotted(shown, lang))
        .mark_bar()
        .encode(y=alt.Y(f"{level}:N", title=None, sort=None), x=alt.X(f"{cases}:Q", title=words("chart.axis", lang)),
                tooltip=[dimension, level, cases])
        .properties(width=260, height=alt.Step(18))  # with the headings, narrow enough to print legibly
        .facet(row=alt.Row(f"{dimension}:N", title=None, sort=list(shown.iloc[:, 0].unique()),  # in table order
                           header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")))
        .resolve_scale(y="independent")
    )
    return localised(spec, lang)


def _dimensions_alt(shown: pd.DataFrame, hidden: int, lang: str) -> str:
    plotted = _dimensions_plotted(shown, lang)
    dimension, level, cases = _chart_fields(lang)
    if plotted.empty:
        return words("dimensions.alt_none", lang)
    longest = plotted[plotted[cases] == plotted[cases].max()]  # bars of equal length are named together
    bars = [words("dimensions.bar", lang, level=row[level], dimension=row[dimension]) for _, row in longest.iterrows()]
    return words("dimensions.alt_tied" if len(bars) > 1 else "dimensions.alt", lang, shown=len(plotted), hidden=hidden,
                 longest=i18n.listed(bars, lang),
                 cases=i18n.in_words(int(longest[cases].iloc[0]), lang))


# --- Excerpts (English) -------------------------------------------------------------------------------------

def excerpts(chosen: pd.DataFrame) -> list[Result]:
    """The excerpts chosen by :func:`~analysis.study.cases.compute.choose_excerpts`, labelled; where no level is
    named (a count is hidden), the row says so and shows no excerpt."""
    def level_words(dimension, levels):
        return i18n.named(levels, field(dimension).label)

    shown = pd.DataFrame({
        "Dimension": [field("code", "case_excerpts").label(d) for d in chosen["dimension"]],
        "Most common level": [level_words(d, levels) for d, levels in zip(chosen["dimension"], chosen["level"])],
        "Speaker": [field("speaker_role", "case_excerpts").label(r) if pd.notna(r) else "–"
                    for r in chosen["speaker_role"]],
        "Excerpt": [t if pd.notna(t) else "–" for t in chosen["text"]]})
    return [table("cases.excerpts.table", shown,
                  title="Illustrative excerpts, one per coded dimension, from cases at its most common level")]


# --- The cases in the survey typology -------------------------------------------------------------------------

def selection_table(protected: pd.DataFrame, level: str, names: dict, lang: str = "en") -> pd.DataFrame:
    """The case-selection table at a level of :func:`analysis.study.cases.ladders.ladders`: protected counts by
    survey type (rows: classes, named by ``names`` in ``lang``) and region, or by type only."""
    stub = words("column.survey_type", lang)
    named = protected.rename(index=lambda c: words("total", lang) if c == TOTAL else names[c])
    if level == "by type and region":
        return disclosure.as_table(labelled(named, None, "region", lang), stub)
    return disclosure.as_table(named.drop(columns=TOTAL).rename(columns={"all": words("column.cases", lang)}), stub)


def typology(selection, profile, names: dict, certainty: float, lang: str = "en") -> list[Result]:
    """The cases in the survey typology: ``selection`` and ``profile`` are the tables'
    :class:`~analysis.protection.redesign.Choice`; ``names`` the survey types' labels in ``lang`` by class."""
    stub = words("column.survey_type", lang)
    by_region = not selection.withheld and selection.level.name == "by type and region"
    shown = (redesigned.withheld_table(lang) if selection.withheld
             else selection_table(selection.protected(), selection.level.name, names, lang))
    profiles = (redesigned.withheld_table(lang) if profile.withheld
                else profile_table(profile.protected().rename(index=names), lang))
    return [
        disclosure.publish_table("cases.typology.selection", shown, note=redesigned.note(selection, lang),
                                 protection=selection.record(),
                                 title=words("typology.selection_by_region" if by_region else
                                             "typology.selection_by_type", lang),
                                 count_columns=[] if selection.withheld else [c for c in shown.columns if c != stub]),
        disclosure.publish_table("cases.typology.profile", profiles, note=redesigned.note(profile, lang),
                                 protection=profile.record(),
                                 title=words("typology.profile", lang),
                                 count_columns=[] if profile.withheld else [words("column.cases", lang)]),
        number("cases.typology.certainty", certainty, style="decimal", title=words("typology.certainty", lang)),
    ]


def profile_table(profiles: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The most common level or levels of each dimension among the cases of each survey type (the rows of
    ``profiles``), in the words of ``lang`` (:func:`analysis.i18n.named`: tied levels listed, or why none
    is named); MARK where the type's number of cases is hidden."""
    def shown(dimension, levels):
        return levels if isinstance(levels, str) else i18n.named(levels, field(dimension).label, lang)

    table_ = pd.DataFrame({words("column.cases", lang): profiles["cases"]}, index=profiles.index).astype(object)
    for dimension in DIMENSIONS:
        table_[field(dimension).title(lang)] = [shown(dimension, level) for level in profiles[dimension]]
    table_.attrs = dict(profiles.attrs)
    return disclosure.as_table(table_, words("column.survey_type", lang))


def modal_levels(levels: dict, lang: str) -> list[Result]:
    """The most common level of each coded dimension among all cases, as words for the prose
    (:func:`..compute.modal_levels`: every tied level named; none named where a count is hidden)."""
    return [text(f"cases.dimensions.modal.{dimension}", i18n.named(codes, field(dimension).label, lang),
                 title=words("modal_level", lang, dimension=field(dimension).title(lang)))
            for dimension, codes in levels.items()]
