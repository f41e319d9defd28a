"""Results of the PCSW web survey: response, the repertoire of practices, a typology of PCSWs and its correlates.

Producers (each computed once per code and data it reads, then read from the registry's cache):

- ``survey.response``: respondents per region against the sampling frame, and a goodness-of-fit test;
- ``survey.repertoire``: how common each practice is, overall and by region;
- ``survey.typology``: latent class models with 1 to ``MAX_CLASSES`` classes on the practice items, the
  choice by BIC, the class profiles and sizes (the only producer that fits models; each PCSW's modal class is
  computed, never published: :func:`typology_membership`);
- ``survey.membership``: which PCSWs belong to which type, by region and municipality size;
- ``survey.factors``: how attitudes and PCSW characteristics relate to key practices (aim 2).

:func:`typology_membership` gives other chapters each PCSW's type without fitting again.
"""

from __future__ import annotations

import os
import pickle
import warnings

import altair as alt
import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

from analysis.data import load
from analysis.publication import i18n
from analysis.results import freshness, registry
from analysis.data.codebook import codebook
from analysis.results.registry import Result, chart, number, publishes, table
from analysis.study.typology import describe_classes, select_lca

PRACTICE_BLOCKS = ("organisation", "rights", "integration", "discretion")
MAX_CLASSES = 6
N_STARTS = 20
SEED = 20191215
CERTAINTY_THRESHOLD = 0.8
SIGNIFICANCE = 0.05
# Attitude items worded against conditionality: reversed (6 − x) so that a high scale score means support for
# conditional, deservingness-based aid throughout.
REVERSED_ATTITUDES = ("att_need_only", "att_equal_treatment")
KEY_PRACTICES = ("rights_extra_conditions", "rights_supplementary_aid")


def _survey() -> pd.DataFrame:
    return load.table("survey").set_index("pcsw_id")


def practice_fields():
    resource = codebook()["survey"]
    return [f for block in PRACTICE_BLOCKS for f in resource.block(block)]


def practice_items(survey: pd.DataFrame) -> pd.DataFrame:
    """The 0/1 practice items of the survey, as integers, one row per PCSW."""
    return survey[[f.name for f in practice_fields()]].astype(int)


def _fmt(value: float, decimals: int = 1) -> str:
    return i18n.decimal(value, decimals)


def _pct(share: float) -> str:
    return i18n.percent(share, 1)


def _p_cell(p: float) -> str:
    """A p-value for a table column headed "p": "0.590", "< 0.001"."""
    return i18n.p_value(p).removeprefix("p = ").removeprefix("p ")


# --- Response ---------------------------------------------------------------------------------------------

def response_by_region(respondents: pd.Series, frame: pd.Series) -> pd.DataFrame:
    """Per region: PCSWs in the frame, respondents, response rate, and respondents expected under equal rates.

    ``respondents`` holds one region code per responding PCSW; ``frame`` the number of PCSWs per region.
    A respondent from a region outside the frame is an error.
    """
    counts = respondents.value_counts()
    unknown = sorted(set(counts.index) - set(frame.index))
    if unknown:
        raise ValueError(f"respondents from region(s) {', '.join(map(str, unknown))} that are not in the sampling frame")
    out = pd.DataFrame({"frame": frame.astype(int), "respondents": counts.reindex(frame.index, fill_value=0).astype(int)})
    if (out["respondents"] > out["frame"]).any():
        region = out.index[out["respondents"] > out["frame"]][0]
        raise ValueError(f"region {region}: more respondents ({out.at[region, 'respondents']}) than PCSWs in the frame")
    out["rate"] = out["respondents"] / out["frame"]
    out["expected"] = out["frame"] / out["frame"].sum() * out["respondents"].sum()
    return out


def representativeness(by_region: pd.DataFrame) -> dict[str, float]:
    """Chi-square goodness of fit of the respondents' regions against the frame's regional distribution."""
    test = stats.chisquare(by_region["respondents"], by_region["expected"])
    return {"chi2": float(test.statistic), "dof": len(by_region) - 1, "p": float(test.pvalue),
            "min_expected": float(by_region["expected"].min())}


@publishes("survey.response")
def response() -> list[Result]:
    survey = _survey()
    frame = load.table("pcsw_frame").set_index("region")["municipalities"]
    labels = codebook()["survey"].field("region").labels()
    by_region = response_by_region(survey["region"], frame)
    test = representativeness(by_region)
    total = by_region[["frame", "respondents"]].sum()
    shown = pd.DataFrame({
        "Region": [labels[r] for r in by_region.index] + ["Belgium"],
        "PCSWs in the frame": [*by_region["frame"], total["frame"]],
        "Respondents": [*by_region["respondents"], total["respondents"]],
        "Response rate": [_pct(r) for r in by_region["rate"]] + [_pct(total["respondents"] / total["frame"])],
        "Expected with equal rates": [_fmt(e) for e in by_region["expected"]] + [_fmt(total["respondents"])],
    })
    rates = by_region["rate"]
    return [
        number("survey.response.respondents", total["respondents"], style="count", title="Responding PCSWs"),
        number("survey.response.frame", total["frame"], style="count", title="PCSWs in the sampling frame"),
        number("survey.response.rate", total["respondents"] / total["frame"], style="share", title="Response rate"),
        *[number(f"survey.response.rate_{r.lower()}", rates[r], style="share",
                 title=f"Response rate, {labels[r]}") for r in by_region.index],
        *[number(f"survey.response.n_{r.lower()}", by_region.at[r, "respondents"], style="count",
                 title=f"Responding PCSWs, {labels[r]}") for r in by_region.index],
        number("survey.response.rate_min", rates.min(), style="share", title="Lowest regional response rate"),
        number("survey.response.rate_max", rates.max(), style="share", title="Highest regional response rate"),
        number("survey.response.chi2", test["chi2"], style="decimal", title="Chi-square, respondents' regions vs frame"),
        number("survey.response.dof", test["dof"], style="count", title="Degrees of freedom of that test"),
        number("survey.response.p", test["p"], style="p", title="p-value of that test"),
        number("survey.response.min_expected", test["min_expected"], style="decimal", decimals=1,
               title="Smallest expected count in that test"),
        table("survey.response.by_region", shown, title="Response to the web survey by region"),
    ]


# --- Repertoire -------------------------------------------------------------------------------------------

def prevalence(items: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Share of units with each practice (rows), overall and per group (columns 'overall', then each group)."""
    shares = items.groupby(groups.to_numpy()).mean().T
    shares.insert(0, "overall", items.mean())
    return shares


@publishes("survey.repertoire")
def repertoire() -> list[Result]:
    survey = _survey()
    items = practice_items(survey)
    fields = practice_fields()
    labels = codebook()["survey"].field("region").labels()
    shares = prevalence(items, survey["region"])
    regions = [r for r in labels if r in shares.columns]
    with warnings.catch_warnings():  # low expected counts in Brussels: reported with the results, not as warnings
        warnings.simplefilter("ignore")
        p_values = pd.Series({item: pg.chi2_independence(pd.DataFrame({"region": survey["region"].astype(str),
                                                                         "item": items[item]}), x="region", y="item")[2]
                              .set_index("test").at["pearson", "pval"] for item in items.columns})
    titles = {f.name: f.title() for f in fields}
    blocks = {f.name: f.block for f in fields}
    # One table per block (practices in codebook order): short tables wrap their text on a printed page.
    tables = []
    for block in PRACTICE_BLOCKS:
        rows = [i for i in items.columns if blocks[i] == block]
        shown = pd.DataFrame({
            "Practice": [titles[i] for i in rows],
            "All PCSWs": [_pct(shares.at[i, "overall"]) for i in rows],
            **{labels[r]: [_pct(shares.at[i, r]) for i in rows] for r in regions},
            "p, regions differ": [_p_cell(p_values[i]) for i in rows],
        })
        tables.append(table(f"survey.repertoire.table.{block}", shown,
                            title=f"Practices of the {block} block: share of responding PCSWs, overall and by region"))
    long = (shares[regions].rename(columns=labels).rename_axis("item").reset_index()
            .melt(id_vars="item", var_name="Region", value_name="share"))
    long["Practice"] = long["item"].map(titles)
    long["Block"] = long["item"].map(blocks)
    overall = shares["overall"].rename("share").rename_axis("item").reset_index()
    overall["Practice"] = overall["item"].map(titles)
    overall["Block"] = overall["item"].map(blocks)
    order = [titles[i] for i in shares.sort_values("overall", ascending=False).index]
    y = alt.Y("Practice:N", sort=order, title=None)
    x = alt.X("share:Q", title="Share of responding PCSWs", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    bars = alt.Chart(overall).mark_bar(color="#BBBBBB").encode(
        x=x, y=y, tooltip=["Practice", "Block", alt.Tooltip("share:Q", format=".1%", title="All PCSWs")])
    dots = alt.Chart(long).mark_point(filled=True, size=55).encode(
        x=x, y=y, color=alt.Color("Region:N", scale=alt.Scale(domain=[labels[r] for r in regions])),
        shape=alt.Shape("Region:N", scale=alt.Scale(domain=[labels[r] for r in regions])),
        tooltip=["Practice", "Region", alt.Tooltip("share:Q", format=".1%")])
    spec = (bars + dots).properties(title="How common each practice is: all PCSWs (bars) and by region (points)")
    per_pcsw = items.sum(axis=1)
    top, bottom = shares["overall"].idxmax(), shares["overall"].idxmin()
    alt_text = (f"Bar chart of the share of responding PCSWs with each of {len(items.columns)} practices, with a "
                f"point per region; most common: {titles[top]} ({_pct(shares.at[top, 'overall'])}), least common: "
                f"{titles[bottom]} ({_pct(shares.at[bottom, 'overall'])}).")
    return [
        number("survey.repertoire.n_items", len(items.columns), style="count", title="Practice items"),
        number("survey.repertoire.n_blocks", len(PRACTICE_BLOCKS), style="count", title="Blocks of practice items"),
        number("survey.repertoire.mean_practices", per_pcsw.mean(), style="decimal", decimals=1,
               title="Mean number of practices per PCSW"),
        number("survey.repertoire.min_practices", per_pcsw.min(), style="count", title="Fewest practices of a PCSW"),
        number("survey.repertoire.max_practices", per_pcsw.max(), style="count", title="Most practices of a PCSW"),
        number("survey.repertoire.highest", shares["overall"].max(), style="share", title="Share with the most common practice"),
        number("survey.repertoire.lowest", shares["overall"].min(), style="share", title="Share with the least common practice"),
        number("survey.repertoire.n_regional", int((p_values < SIGNIFICANCE).sum()), style="count",
               title=f"Practices whose prevalence differs by region (chi-square, p < {SIGNIFICANCE})"),
        number("survey.repertoire.significance", SIGNIFICANCE, decimals=2, title="Significance level of those tests"),
        *tables,
        chart("survey.repertoire.chart", spec, title="The repertoire of practices towards newcomers", alt=alt_text),
    ]


# --- Typology ---------------------------------------------------------------------------------------------

def _wrap(text: str, width: int = 16) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "|".join([*lines, line])


def _fit_table(selection, chosen: int) -> pd.DataFrame:
    fits = selection.table
    frame = pd.DataFrame({
        "Classes": [str(k) for k in fits.index],
        "Log-likelihood": [_fmt(v) for v in fits["loglik"]],
        "Parameters": [str(int(v)) for v in fits["n_parameters"]],
        "AIC": [_fmt(v) for v in fits["aic"]],
        "BIC": [_fmt(v) for v in fits["bic"]],
        "SABIC": [_fmt(v) for v in fits["sabic"]],
        "Entropy": ["–" if np.isnan(v) else _fmt(v, 2) for v in fits["entropy"]],
        "Smallest class": [_pct(v) for v in fits["smallest_share"]],
    })
    # The chosen model in bold: a flag the page turns into emphasis, not markup inside the data.
    row = list(fits.index).index(chosen)
    frame.attrs["strong_cells"] = [(row, "Classes"), (row, "BIC")]
    return frame


def _fitted(items: pd.DataFrame):
    """The latent class models on ``items`` and their labels, fitted once per code and data.

    Cached on disk under the items, the codebook and this module's code (:func:`freshness.fit_path`): the typology
    producer and :func:`typology_membership` (read by the case chapter) share one fit, and the unit-level membership
    it holds never becomes a published result (``results/`` holds aggregates only)."""
    path = freshness.fit_path("survey.typology.fit", __name__, items, load.data_dir() / "datapackage.json")
    if path.exists():
        return pickle.loads(path.read_bytes())
    selection = select_lca(items, range(1, MAX_CLASSES + 1), n_starts=N_STARTS, seed=SEED)
    fields = practice_fields()
    labels = describe_classes(selection.best_by_bic, {f.name: f.block for f in fields},
                              {f.name: f.title() for f in fields})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps((selection, labels)))
    tmp.replace(path)
    return selection, labels


@publishes("survey.typology")
def typology() -> list[Result]:
    survey = _survey()
    items = practice_items(survey)
    fields = practice_fields()
    titles = {f.name: f.title() for f in fields}
    selection, labels = _fitted(items)
    fits = selection.table
    model = selection.best_by_bic
    k = model.n_classes
    named = {c: f"{c}. {labels[c]}" for c in labels.index}
    modal, certainty = model.modal_class, model.certainty
    sizes = pd.DataFrame({
        "Class": [named[c] for c in labels.index],
        "Estimated share": [_pct(model.class_shares[c]) for c in labels.index],
        "PCSWs (modal class)": [int((modal == c).sum()) for c in labels.index],
        "Mean certainty": [_fmt(certainty[modal == c].mean(), 2) for c in labels.index],
    })
    profiles = model.item_probabilities.rename(columns=named)
    profiles_table = pd.DataFrame({"Practice": [titles[i] for i in profiles.index],
                                   **{name: [_fmt(v, 2) for v in profiles[name]] for name in profiles.columns}})
    long = profiles.rename_axis("item").reset_index().melt(id_vars="item", var_name="Class", value_name="p")
    long["Practice"] = long["item"].map(titles)
    long["Block"] = long["item"].map({f.name: f.block for f in fields})
    # Class names broken into short lines ("|"), so that the column headings stay horizontal and readable.
    long["Heading"] = long["Class"].map({name: _wrap(name) for name in named.values()})
    base = alt.Chart(long).encode(
        x=alt.X("Heading:N", sort=[_wrap(n) for n in named.values()], title=None,
                axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, '|')", labelLimit=0)),
        y=alt.Y("Practice:N", sort=[titles[i] for i in items.columns], title=None))
    heat = base.mark_rect().encode(
        color=alt.Color("p:Q", title="P(practice | class)", scale=alt.Scale(scheme="blues", domain=[0, 1])),
        tooltip=["Class", "Block", "Practice", alt.Tooltip("p:Q", format=".2f")])
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("p:Q", format=".2f"),
        color=alt.condition(alt.datum.p > 0.6, alt.value("white"), alt.value("black")))
    profiles_chart = (heat + text).properties(width=120 * k, title="Class profiles: probability of each practice per class")
    widest = profiles.max(axis=1) - profiles.min(axis=1)
    alt_text = (f"Heat map of the probability of each of {len(items.columns)} practices (rows) in each of {k} latent "
                f"classes (columns: {'; '.join(named.values())}). Largest difference between classes: "
                f"{titles[widest.idxmax()]} (from {profiles.loc[widest.idxmax()].min():.2f} to "
                f"{profiles.loc[widest.idxmax()].max():.2f}).")
    by = lambda column: int(fits[column].idxmin())
    runner_up = int(fits["bic"].drop(k).idxmin())
    return [
        number("survey.typology.n_classes", k, style="count", title="Number of classes chosen (lowest BIC)"),
        number("survey.typology.max_classes", MAX_CLASSES, style="count", title="Largest number of classes fitted"),
        number("survey.typology.n_starts", N_STARTS, style="count", title="Random starts per model"),
        number("survey.typology.n_units", model.n_units, style="count", title="PCSWs in the analysis"),
        number("survey.typology.n_classes_aic", by("aic"), style="count", title="Number of classes with the lowest AIC"),
        number("survey.typology.n_classes_sabic", by("sabic"), style="count",
               title="Number of classes with the lowest sample-size adjusted BIC"),
        number("survey.typology.bic", model.bic, decimals=1, title="BIC of the chosen model"),
        number("survey.typology.n_classes_runner_up", runner_up, style="count",
               title="Number of classes of the model with the second-lowest BIC"),
        number("survey.typology.bic_runner_up", fits.at[runner_up, "bic"], decimals=1,
               title="Second-lowest BIC"),
        number("survey.typology.entropy", model.entropy, decimals=2, title="Relative entropy of the chosen model"),
        number("survey.typology.smallest_share", model.class_shares.min(), style="share", title="Smallest class share"),
        number("survey.typology.largest_share", model.class_shares.max(), style="share", title="Largest class share"),
        number("survey.typology.certainty_mean", certainty.mean(), decimals=2,
               title="Mean posterior probability of the modal class"),
        number("survey.typology.certainty_threshold", CERTAINTY_THRESHOLD, decimals=1,
               title="Posterior below which a PCSW's classification counts as uncertain"),
        number("survey.typology.uncertain", (certainty < CERTAINTY_THRESHOLD).mean(), style="share",
               title=f"PCSWs whose modal class has a posterior below {CERTAINTY_THRESHOLD}"),
        table("survey.typology.fit_table", _fit_table(selection, k),
              title=f"Latent class models with 1 to {MAX_CLASSES} classes (lowest BIC in bold)"),
        table("survey.typology.sizes", sizes, title="Classes of the chosen model: size and classification certainty"),
        table("survey.typology.profiles", profiles_table, title="Class profiles: probability of each practice per class"),
        chart("survey.typology.profiles_chart", profiles_chart, title="Class profiles of the chosen latent class model",
              alt=alt_text),
    ]


def typology_membership() -> pd.DataFrame:
    """Each responding PCSW's type: index ``pcsw_id``; columns ``type`` (the class label), ``class`` (class number,
    1 = largest) and ``certainty`` (posterior probability of that class). No model is fitted again when the
    typology has been fitted for the current code and data. Unit-level: for computing, never for publishing."""
    registry.computed_from("survey.typology.membership", "analysis.study.survey.typology_membership")
    selection, labels = _fitted(practice_items(_survey()))
    model = selection.best_by_bic
    modal = model.modal_class
    return pd.DataFrame({"type": modal.map(labels).to_numpy(), "class": modal.astype(int).to_numpy(),
                         "certainty": model.certainty.to_numpy()}, index=modal.index.rename("pcsw_id"))


# --- Who belongs to which type ------------------------------------------------------------------------------

def association(rows: pd.Series, columns: pd.Series) -> dict[str, float]:
    """Pearson chi-square test of independence and Cramér's V of two categorical series."""
    with warnings.catch_warnings():  # small expected counts are reported (min_expected), not warned about
        warnings.simplefilter("ignore")
        expected, _, tests = pg.chi2_independence(pd.DataFrame({"a": rows.astype(str), "b": columns.astype(str)}),
                                                  x="a", y="b")
    pearson = tests.set_index("test").loc["pearson"]
    return {"chi2": float(pearson["chi2"]), "dof": int(pearson["dof"]), "p": float(pearson["pval"]),
            "cramer": float(pearson["cramer"]), "min_expected": float(expected.to_numpy().min())}


def _type_names(types: pd.DataFrame) -> dict[int, str]:
    """Class number → the name shown in the survey tables ("2. high on …")."""
    return {row["class"]: f"{row['class']}. {row['type']}" for _, row in types.drop_duplicates("class").iterrows()}


def type_shares_table(survey: pd.DataFrame, types: pd.DataFrame, variable: str) -> pd.DataFrame:
    """The published table of types by ``variable`` (region or size_band): PCSWs per group and row percentages.

    Also read by the case chapter's disclosure audit (the case tables are linked to it)."""
    field = codebook()["survey"].field(variable)
    named = _type_names(types)
    order = [named[c] for c in sorted(named)]
    groups = survey[variable].map(field.labels())
    crosstab = pd.crosstab(groups, types["class"].map(named), normalize="index").reindex(
        index=[field.labels()[c] for c in field.codes if field.labels()[c] in set(groups)], columns=order)
    counts = groups.value_counts()
    return pd.DataFrame({field.title(): crosstab.index, "PCSWs": [int(counts[g]) for g in crosstab.index],
                         **{name: [_pct(v) for v in crosstab[name]] for name in order}})


@publishes("survey.membership")
def membership() -> list[Result]:
    survey = _survey()
    types = typology_membership().reindex(survey.index)
    resource = codebook()["survey"]
    named = _type_names(types)
    order = [named[c] for c in sorted(named)]
    results = []
    for variable, key in (("region", "region"), ("size_band", "size")):
        field = resource.field(variable)
        groups = survey[variable].map(field.labels())
        test = association(groups, types["class"])
        shown = type_shares_table(survey, types, variable)
        results += [
            number(f"survey.membership.{key}.chi2", test["chi2"], decimals=1, title=f"Chi-square, type by {variable}"),
            number(f"survey.membership.{key}.dof", test["dof"], style="count", title=f"Degrees of freedom, type by {variable}"),
            number(f"survey.membership.{key}.p", test["p"], style="p", title=f"p-value, type by {variable}"),
            number(f"survey.membership.{key}.cramer", test["cramer"], decimals=2, title=f"Cramér's V, type by {variable}"),
            number(f"survey.membership.{key}.min_expected", test["min_expected"], decimals=1,
                   title=f"Smallest expected count, type by {variable}"),
            table(f"survey.membership.{key}.table", shown,
                  title=f"Types of PCSW (modal class) by {field.title().lower()}: row percentages"),
        ]
    region_field = resource.field("region")
    long = (pd.crosstab(survey["region"].map(region_field.labels()), types["class"].map(named), normalize="index")
            .rename_axis(index="Region", columns="Type").stack().rename("share").reset_index())
    spec = alt.Chart(long, title="Types of PCSW by region").mark_bar().encode(
        y=alt.Y("Region:N", title=None, sort=[region_field.labels()[c] for c in region_field.codes]),
        x=alt.X("share:Q", stack="normalize", title="Share of responding PCSWs", axis=alt.Axis(format="%")),
        color=alt.Color("Type:N", sort=order, legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)),
        order=alt.Order("Type:N"),
        tooltip=["Region", "Type", alt.Tooltip("share:Q", format=".1%")])
    most = long.loc[long["share"].idxmax()]
    alt_text = (f"Stacked bar chart of the share of each of {len(order)} types among the responding PCSWs of each "
                f"region; the largest share is {most['Type']} in {most['Region']} ({_pct(most['share'])}).")
    results.append(chart("survey.membership.region.chart", spec, title="Types of PCSW by region (modal class)",
                         alt=alt_text))
    return results


# --- Factors behind decisions (aim 2) ----------------------------------------------------------------------

def attitude_scale(survey: pd.DataFrame, reversed_items=REVERSED_ATTITUDES) -> pd.Series:
    """Mean of the attitude items (1–5), items in ``reversed_items`` as 6 − x; NaN where any item is missing."""
    items = survey[[f.name for f in codebook()["survey"].block("attitudes")]].astype("Float64")
    for item in reversed_items:
        items[item] = 6 - items[item]
    return items.mean(axis=1, skipna=False).astype(float).rename("conditionality")


PREDICTORS = {"conditionality_z": "Support for conditional aid (per SD)", "region_WA": "Wallonia (vs Flanders)",
              "size_band": "Municipality size (per band)", "caseload_band": "Newcomer caseload (per band)"}
# Brussels has 19 PCSWs in all: too few respondents to estimate a regional effect (a practice that none or all of
# them report separates the outcome and its odds ratio runs off to 0 or infinity). The regressions leave them out.
REGRESSION_REGIONS = ("FL", "WA")


def practice_models(survey: pd.DataFrame, practices=KEY_PRACTICES) -> pd.DataFrame:
    """Logistic regression of each practice on the attitude scale (standardised), region, size and caseload,
    for the PCSWs of Flanders and Wallonia with every attitude item answered.

    One row per practice and predictor: odds ratio with its 95% confidence interval, p-value and n."""
    survey = survey[survey["region"].isin(REGRESSION_REGIONS)]
    scale = attitude_scale(survey)
    data = pd.DataFrame({"conditionality_z": (scale - scale.mean()) / scale.std(),
                         "region_WA": (survey["region"] == "WA").astype(float),
                         "size_band": survey["size_band"].astype(float),
                         "caseload_band": survey["caseload_band"].astype(float)}).dropna()
    rows = []
    for practice in practices:
        fit = pg.logistic_regression(data, survey.loc[data.index, practice].astype(int)).set_index("names")
        for predictor in PREDICTORS:
            rows.append({"practice": practice, "predictor": predictor, "odds_ratio": np.exp(fit.at[predictor, "coef"]),
                         "ci_low": np.exp(fit.at[predictor, "CI2.5"]), "ci_high": np.exp(fit.at[predictor, "CI97.5"]),
                         "p": fit.at[predictor, "pval"], "n": len(data)})
    return pd.DataFrame(rows)


@publishes("survey.factors")
def factors() -> list[Result]:
    survey = _survey()
    attitude_items = survey[[f.name for f in codebook()["survey"].block("attitudes")]].astype(float)
    for item in REVERSED_ATTITUDES:
        attitude_items[item] = 6 - attitude_items[item]
    alpha, alpha_ci = pg.cronbach_alpha(data=attitude_items.dropna())
    models = practice_models(survey)
    titles = {f.name: f.title() for f in practice_fields()}
    results = [
        number("survey.factors.alpha", alpha, decimals=2, title="Cronbach's alpha of the conditionality scale"),
        number("survey.factors.alpha_low", alpha_ci[0], decimals=2, title="Lower 95% bound of alpha"),
        number("survey.factors.alpha_high", alpha_ci[1], decimals=2, title="Upper 95% bound of alpha"),
        number("survey.factors.n_items", attitude_items.shape[1], style="count", title="Attitude items in the scale"),
        number("survey.factors.n_reversed", len(REVERSED_ATTITUDES), style="count", title="Reverse-coded attitude items"),
        number("survey.factors.confidence", 0.95, style="share", decimals=0, title="Level of the confidence intervals"),
        number("survey.factors.n", models["n"].iloc[0], style="count", title="PCSWs in the regressions"),
        number("survey.factors.n_left_out_region", (~survey["region"].isin(REGRESSION_REGIONS)).sum(), style="count",
               title="Responding PCSWs of Brussels-Capital, left out of the regressions"),
        number("survey.factors.n_left_out_missing", survey["region"].isin(REGRESSION_REGIONS).sum() - models["n"].iloc[0],
               style="count", title="PCSWs of Flanders and Wallonia left out for a missing attitude item"),
    ]
    for practice in KEY_PRACTICES:
        row = models.set_index(["practice", "predictor"]).loc[(practice, "conditionality_z")]
        short = practice.removeprefix("rights_")
        results += [
            number(f"survey.factors.{short}.or", row["odds_ratio"], decimals=2,
                   title=f"Odds ratio of '{titles[practice]}' per SD of support for conditional aid"),
            number(f"survey.factors.{short}.or_low", row["ci_low"], decimals=2, title="Lower 95% bound"),
            number(f"survey.factors.{short}.or_high", row["ci_high"], decimals=2, title="Upper 95% bound"),
            number(f"survey.factors.{short}.p", row["p"], style="p", title="p-value"),
        ]
    shown = pd.DataFrame({
        "Practice": models["practice"].map(titles), "Predictor": models["predictor"].map(PREDICTORS),
        "Odds ratio": [_fmt(v, 2) for v in models["odds_ratio"]],
        "95% CI": [f"{_fmt(lo, 2)}–{_fmt(hi, 2)}" for lo, hi in zip(models["ci_low"], models["ci_high"])],
        "p": [_p_cell(p) for p in models["p"]],
    })
    plot = models.assign(Practice=models["practice"].map(titles), Predictor=models["predictor"].map(PREDICTORS))
    x = alt.X("odds_ratio:Q", scale=alt.Scale(type="log"), title="Odds ratio (95% CI, log scale)")
    y = alt.Y("Predictor:N", sort=list(PREDICTORS.values()), title=None)
    practices = [titles[p] for p in KEY_PRACTICES]
    colour = alt.Color("Practice:N", scale=alt.Scale(domain=practices),
                       legend=alt.Legend(orient="bottom", columns=1, labelLimit=0))
    offset = alt.YOffset("Practice:N", scale=alt.Scale(domain=practices))
    base = alt.Chart(plot)
    spec = alt.layer(
        base.mark_rule(strokeWidth=2).encode(x=alt.X("ci_low:Q", scale=alt.Scale(type="log")), x2="ci_high:Q", y=y,
                                             yOffset=offset, color=colour),
        base.mark_point(filled=True, size=60).encode(
            x=x, y=y, yOffset=offset, color=colour,
            tooltip=["Practice", "Predictor", alt.Tooltip("odds_ratio:Q", format=".2f"),
                     alt.Tooltip("ci_low:Q", format=".2f"), alt.Tooltip("ci_high:Q", format=".2f")]),
        alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(strokeDash=[4, 4], color="#777").encode(x="one:Q"),
    ).properties(title="What goes with two key practices: odds ratios from logistic regressions")
    strongest = plot.loc[(np.log(plot["odds_ratio"])).abs().idxmax()]
    alt_text = (f"Odds ratios with 95% confidence intervals of {len(PREDICTORS)} predictors for {len(KEY_PRACTICES)} "
                f"practices; the furthest from 1 is {strongest['Predictor']} for '{strongest['Practice']}' "
                f"(odds ratio {strongest['odds_ratio']:.2f}).")
    return results + [
        table("survey.factors.table", shown, title="Logistic regressions of two key practices: odds ratios"),
        chart("survey.factors.chart", spec, title="Attitudes, region, size and caseload and two key practices",
              alt=alt_text),
    ]
