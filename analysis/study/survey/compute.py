"""The survey's computations: data in, tidy tables and numbers out (codes, never labels or formatted text).

Each function is pure: it reads only its arguments (and the codebook, for which items form which block), so a
small hand-made frame is enough to test it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
# pingouin and scipy.stats are imported inside the functions that test: with matplotlib they take about 2 s to
# import, in every page's kernel, which only shows cached results.

from analysis.data.codebook import codebook

PRACTICE_BLOCKS = ("organisation", "rights", "integration", "discretion")
# The blocks' names in the English book, the questionnaire's headings and the tables' titles alike. The fourth block
# holds who decides on extra aid and by which internal rules: "arrangements for discretion", kept apart from the case
# dimension "framing of discretion" (how staff account for their decisions).
BLOCK_NAMES = {"organisation": "organisation", "rights": "rights and supplementary aid",
               "integration": "integration interventions", "discretion": "arrangements for discretion"}
MAX_CLASSES = 6
N_STARTS = 20
CERTAINTY_THRESHOLD = 0.8
SIGNIFICANCE = 0.05
# E1a (variation) is read on the dispersion ratio: PCSWs "differ in the repertoire" when the number of practices per
# PCSW varies at least half as much again as it would if every PCSW in a region shared the same item probabilities.
OVERDISPERSION = 1.5
CONFIDENCE = 0.95
# Attitude items worded against conditionality: reversed (6 − x) so that a high scale score means support for
# conditional, deservingness-based aid throughout.
REVERSED_ATTITUDES = ("att_need_only", "att_equal_treatment")
KEY_PRACTICES = ("rights_extra_conditions", "rights_supplementary_aid")
PREDICTORS = ("conditionality_z", "region_WA", "size_band", "caseload_band")
# Brussels has 19 PCSWs in all: too few respondents to estimate a regional effect (a practice that none or all of
# them report separates the outcome and its odds ratio runs off to 0 or infinity). The regressions leave them out.
REGRESSION_REGIONS = ("FL", "WA")


def practice_fields():
    """The codebook's practice items, block by block in codebook order."""
    resource = codebook()["survey"]
    return [f for block in PRACTICE_BLOCKS for f in resource.block(block)]


def practice_items(survey: pd.DataFrame) -> pd.DataFrame:
    """The 0/1 practice items of the survey, as integers, one row per PCSW."""
    return survey[[f.name for f in practice_fields()]].astype(int)


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
    from scipy import stats

    test = stats.chisquare(by_region["respondents"], by_region["expected"])
    return {"chi2": float(test.statistic), "dof": len(by_region) - 1, "p": float(test.pvalue),
            "min_expected": float(by_region["expected"].min())}


# --- Repertoire -------------------------------------------------------------------------------------------

def prevalence(items: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Share of units with each practice (rows), overall and per group (columns 'overall', then each group)."""
    shares = items.groupby(groups.to_numpy()).mean().T
    shares.insert(0, "overall", items.mean())
    return shares


def regional_differences(items: pd.DataFrame, regions: pd.Series) -> pd.Series:
    """Per item: the p-value of Pearson's chi-square test of independence of the item and the region."""
    def p_value(item: str) -> float:
        import pingouin as pg

        tests = pg.chi2_independence(pd.DataFrame({"region": regions.astype(str), "item": items[item]}),
                                     x="region", y="item")[2]
        return tests.set_index("test").at["pearson", "pval"]

    with warnings.catch_warnings():  # low expected counts in Brussels: reported with the results, not as warnings
        warnings.simplefilter("ignore")
        return pd.Series({item: p_value(item) for item in items.columns})


def dispersion_ratio(items: pd.DataFrame, regions: pd.Series) -> float:
    """The variance of the number of practices per unit within its region, pooled over the regions, divided by the
    variance expected if every unit of a region had each practice with the region's share p, independently
    (the sum of p(1 - p) over the items). Near 1 when units of a region differ only by chance; well above 1 when
    some units use many more practices than others (differences in the repertoire itself, not between regions).
    0 when no item varies within any region: every unit of a region then reports the same practices."""
    groups = items.groupby(regions.to_numpy())
    counts = items.sum(axis=1).groupby(regions.to_numpy())
    observed = float(((items.sum(axis=1) - counts.transform("mean")) ** 2).sum())
    expected = float(sum(len(g) * (g.mean() * (1 - g.mean())).sum() for _, g in groups))
    return observed / expected if expected > 0 else 0.0


# --- Typology ---------------------------------------------------------------------------------------------

def class_sizes(model) -> pd.DataFrame:
    """Per class of a fitted model: its estimated share, the PCSWs whose modal class it is, and their mean certainty."""
    modal, certainty = model.modal_class, model.certainty
    return pd.DataFrame({"share": model.class_shares,
                         "n_modal": [int((modal == c).sum()) for c in model.class_shares.index],
                         "certainty": [certainty[modal == c].mean() for c in model.class_shares.index]},
                        index=model.class_shares.index)


def model_choice(selection) -> dict[str, float]:
    """What the fit table says about the choice of the number of classes, and the chosen model's fit."""
    fits, model = selection.table, selection.best_by_bic
    runner_up = int(fits["bic"].drop(model.n_classes).idxmin())
    return {"n_classes": model.n_classes, "n_units": model.n_units, "bic": model.bic, "entropy": model.entropy,
            "n_classes_aic": int(fits["aic"].idxmin()), "n_classes_sabic": int(fits["sabic"].idxmin()),
            "n_classes_runner_up": runner_up, "bic_runner_up": fits.at[runner_up, "bic"],
            "smallest_share": model.class_shares.min(), "largest_share": model.class_shares.max(),
            "certainty_mean": model.certainty.mean(),
            "uncertain": (model.certainty < CERTAINTY_THRESHOLD).mean()}


# --- Who belongs to which type ------------------------------------------------------------------------------

def association(rows: pd.Series, columns: pd.Series) -> dict[str, float]:
    """Pearson chi-square test of independence and Cramér's V of two categorical series."""
    import pingouin as pg

    with warnings.catch_warnings():  # small expected counts are reported (min_expected), not warned about
        warnings.simplefilter("ignore")
        expected, _, tests = pg.chi2_independence(pd.DataFrame({"a": rows.astype(str), "b": columns.astype(str)}),
                                                  x="a", y="b")
    pearson = tests.set_index("test").loc["pearson"]
    return {"chi2": float(pearson["chi2"]), "dof": int(pearson["dof"]), "p": float(pearson["pval"]),
            "p_mc": permutation_p(rows, columns), "cramer": float(pearson["cramer"]),
            "min_expected": float(expected.to_numpy().min())}


PERMUTATIONS = 9999


def permutation_p(rows: pd.Series, columns: pd.Series, permutations: int = PERMUTATIONS, seed: int = 1) -> float:
    """Monte Carlo p-value of Pearson's chi-square: SciPy's permutation test of the pairing of rows with columns (the
    margins kept, the observed pairing counted), as ``chi2_contingency(method=PermutationMethod())`` runs it. Unlike
    the chi-square distribution, it holds with small expected counts. The statistic tabulates a whole batch of
    pairings at once (SciPy's own tabulates one pairing per call: 60 times slower)."""
    from scipy import stats

    observed = pd.crosstab(rows.astype(str), columns.astype(str)).to_numpy()
    expected = stats.contingency.expected_freq(observed)
    cells = np.arange(observed.size).reshape(observed.shape)
    x = np.repeat(cells // observed.shape[1], observed.ravel())  # one (row, column) pair per observation
    y = np.repeat(cells % observed.shape[1], observed.ravel())

    def chi2(x: np.ndarray, axis: int = -1) -> np.ndarray:
        pairings = np.atleast_2d(np.moveaxis(x, axis, -1)) * observed.shape[1] + y
        offsets = observed.size * np.arange(len(pairings))[:, None]
        tables = np.bincount((pairings + offsets).ravel(), minlength=observed.size * len(pairings))
        tables = tables.reshape(len(pairings), *observed.shape)
        return (((tables - expected) ** 2) / expected).sum(axis=(1, 2)).reshape(np.shape(x)[:-1])

    test = stats.permutation_test((x,), chi2, permutation_type="pairings", alternative="greater", vectorized=True,
                                  n_resamples=permutations, rng=np.random.default_rng(seed))
    return float(test.pvalue)


def type_shares(groups: pd.Series, classes: pd.Series) -> pd.DataFrame:
    """Row shares of each class (columns, in class order) within each group (rows, sorted)."""
    return pd.crosstab(groups, classes, normalize="index").reindex(columns=sorted(classes.dropna().unique()))


# --- Factors behind decisions (aim 2) ----------------------------------------------------------------------

def attitude_items(survey: pd.DataFrame, reversed_items=REVERSED_ATTITUDES) -> pd.DataFrame:
    """The attitude items (1–5) as floats, those in ``reversed_items`` as 6 − x."""
    items = survey[[f.name for f in codebook()["survey"].block("attitudes")]].astype("Float64")
    for item in reversed_items:
        items[item] = 6 - items[item]
    return items.astype(float)


def attitude_scale(survey: pd.DataFrame, reversed_items=REVERSED_ATTITUDES) -> pd.Series:
    """Mean of the attitude items (1–5), items in ``reversed_items`` as 6 − x; NaN where any item is missing."""
    return attitude_items(survey, reversed_items).mean(axis=1, skipna=False).rename("conditionality")


def reliability(survey: pd.DataFrame) -> dict[str, float]:
    """Cronbach's alpha of the attitude scale (PCSWs with every item answered), with its 95% interval."""
    import pingouin as pg

    items = attitude_items(survey).dropna()
    alpha, (low, high) = pg.cronbach_alpha(data=items)
    return {"alpha": alpha, "low": low, "high": high, "n_items": items.shape[1]}


def practice_models(survey: pd.DataFrame, practices=KEY_PRACTICES) -> pd.DataFrame:
    """Logistic regression of each practice on the attitude scale (standardised), region, size and caseload,
    for the PCSWs of Flanders and Wallonia with every attitude item answered.

    One row per practice and predictor: odds ratio with its 95% confidence interval, p-value and n, and why the
    model is not estimable (:func:`not_estimable`; "" when it is, its numbers NaN when it is not)."""
    import pingouin as pg

    survey = survey[survey["region"].isin(REGRESSION_REGIONS)]
    scale = attitude_scale(survey)
    data = pd.DataFrame({"conditionality_z": (scale - scale.mean()) / scale.std(),
                         "region_WA": (survey["region"] == "WA").astype(float),
                         "size_band": survey["size_band"].astype(float),
                         "caseload_band": survey["caseload_band"].astype(float)}).dropna()
    rows = []
    for practice in practices:
        outcome = survey.loc[data.index, practice].astype(int)
        reason = not_estimable(outcome)
        fit = None if reason else pg.logistic_regression(data, outcome).set_index("names")
        if fit is not None and _separated(fit, data, outcome):
            reason, fit = "separation", None
        for predictor in PREDICTORS:
            estimate = (dict.fromkeys(("odds_ratio", "ci_low", "ci_high", "p"), np.nan) if fit is None else
                        {"odds_ratio": np.exp(fit.at[predictor, "coef"]), "ci_low": np.exp(fit.at[predictor, "CI2.5"]),
                         "ci_high": np.exp(fit.at[predictor, "CI97.5"]), "p": fit.at[predictor, "pval"]})
            rows.append({"practice": practice, "predictor": predictor, **estimate, "n": len(data),
                         "not_estimable": reason})
    return pd.DataFrame(rows)


def not_estimable(outcome: pd.Series) -> str:
    """Why a logistic regression of ``outcome`` (0/1) on the predictors cannot be estimated, before fitting it, or "":
    "constant" when every PCSW in the model gives the same answer, "few" when the rarer answer is given by fewer PCSWs
    than the model has parameters (the predictors and the intercept), too few to estimate each of them."""
    counts = outcome.value_counts()
    if len(counts) < 2:
        return "constant"
    return "few" if counts.min() < len(PREDICTORS) + 1 else ""


def _separated(fit: pd.DataFrame, data: pd.DataFrame, outcome: pd.Series) -> bool:
    """Whether the fitted model sorts every PCSW onto the side of its own answer (complete separation): no finite
    odds ratio then fits best, and the estimate only says where the fit stopped. Also when the fit gives no finite
    estimate or interval."""
    linear = fit.at["Intercept", "coef"] + data[list(PREDICTORS)] @ fit.loc[list(PREDICTORS), "coef"]
    finite = np.isfinite(fit[["coef", "CI2.5", "CI97.5"]].to_numpy(dtype=float)).all()
    return not finite or bool(((linear > 0) == (outcome == 1)).all())
