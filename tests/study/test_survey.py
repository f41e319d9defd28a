"""Survey results: response and representativeness on small known cases, tests and effect sizes, the interface
other chapters use, and the published results agreeing with the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.data import load
from analysis.results import registry
from analysis.study.survey import typology_membership
from analysis.study.survey.compute import (association, attitude_scale, prevalence, representativeness,
                                           response_by_region)


def test_response_by_region_known_case():
    respondents = pd.Series(["FL", "FL", "FL", "WA"])
    frame = pd.Series({"FL": 6, "WA": 4, "BR": 2})
    table = response_by_region(respondents, frame)
    assert table["respondents"].to_dict() == {"FL": 3, "WA": 1, "BR": 0}
    assert table["rate"].tolist() == pytest.approx([0.5, 0.25, 0.0])
    assert table["expected"].tolist() == pytest.approx([2.0, 4 / 3, 2 / 3])
    test = representativeness(table)
    chi2 = (3 - 2) ** 2 / 2 + (1 - 4 / 3) ** 2 / (4 / 3) + (0 - 2 / 3) ** 2 / (2 / 3)
    assert test["chi2"] == pytest.approx(chi2)
    assert test["dof"] == 2
    assert test["p"] == pytest.approx(stats.chi2.sf(chi2, 2))
    assert test["min_expected"] == pytest.approx(2 / 3)


def test_proportional_response_fits_perfectly():
    table = response_by_region(pd.Series(["FL"] * 30 + ["WA"] * 20), pd.Series({"FL": 300, "WA": 200}))
    assert representativeness(table)["chi2"] == pytest.approx(0)
    assert representativeness(table)["p"] == pytest.approx(1)


def test_respondent_outside_the_frame_is_an_error():
    with pytest.raises(ValueError, match="XX"):
        response_by_region(pd.Series(["FL", "XX"]), pd.Series({"FL": 3}))


def test_more_respondents_than_pcsws_is_an_error():
    with pytest.raises(ValueError, match="region FL: more respondents"):
        response_by_region(pd.Series(["FL"] * 4), pd.Series({"FL": 3}))


def test_prevalence_known_case():
    items = pd.DataFrame({"a": [1, 0, 1, 1], "b": [0, 0, 0, 1]})
    shares = prevalence(items, pd.Series(["FL", "FL", "WA", "WA"]))
    assert shares.loc["a"].to_dict() == pytest.approx({"overall": 0.75, "FL": 0.5, "WA": 1.0})
    assert shares.loc["b"].to_dict() == pytest.approx({"overall": 0.25, "FL": 0.0, "WA": 0.5})


def test_association_perfect_and_none():
    rows = pd.Series(list("aabbcc") * 5)
    perfect = association(rows, rows.map({"a": 1, "b": 2, "c": 3}))
    assert perfect["cramer"] == pytest.approx(1)
    assert perfect["dof"] == 4
    none = association(pd.Series(list("aabb") * 5), pd.Series(list("xyxy") * 5))
    assert none["chi2"] == pytest.approx(0, abs=1e-9)
    assert none["cramer"] == pytest.approx(0, abs=1e-9)


def test_attitude_scale_reverses_the_items_worded_against_conditionality():
    survey = load.table("survey").set_index("pcsw_id").head(3).copy()
    for column in [c for c in survey.columns if c.startswith("att_")]:
        survey[column] = 5
    survey.loc[survey.index[1], "att_need_only"] = pd.NA
    scale = attitude_scale(survey)
    assert scale.iloc[0] == pytest.approx((4 * 5 + 2 * 1) / 6)
    assert pd.isna(scale.iloc[1])


def test_typology_membership_interface():
    survey = load.table("survey").set_index("pcsw_id")
    membership = typology_membership()
    assert membership.index.name == "pcsw_id"
    assert list(membership.columns) == ["type", "class", "certainty"]
    assert sorted(membership.index) == sorted(survey.index)
    k = registry.get("survey.typology.n_classes").value
    assert set(membership["class"]) == set(range(1, k + 1))
    assert membership["certainty"].between(1 / k, 1).all()
    assert membership.groupby("class")["type"].nunique().eq(1).all()  # one label per class
    assert membership.groupby("type")["class"].nunique().eq(1).all()  # labels are unique


def test_published_response_numbers_agree_with_the_data():
    survey = load.table("survey")
    frame = load.table("pcsw_frame")
    assert registry.get("survey.response.respondents").value == len(survey)
    assert registry.get("survey.response.frame").value == frame["municipalities"].sum()
    assert registry.get("survey.response.rate").value == pytest.approx(len(survey) / frame["municipalities"].sum())
    for region, n in survey["region"].value_counts().items():
        assert registry.get(f"survey.response.n_{region.lower()}").value == n


def test_fit_table_has_one_row_per_model_and_marks_the_choice():
    table = registry.get("survey.typology.fit_table").value
    k = registry.get("survey.typology.n_classes").value
    assert len(table) == registry.get("survey.typology.max_classes").value
    assert table["Classes"].tolist()[k - 1] == str(k)
    # the chosen model is shown in bold by a flag the page renders, never by Markdown in the data
    assert table.attrs["strong_cells"] == [(k - 1, "Classes"), (k - 1, "BIC")]
    assert not any("*" in str(c) for c in table.to_numpy().ravel())


def test_factor_models_report_confidence_intervals_around_the_odds_ratio():
    for practice in ("extra_conditions", "supplementary_aid"):
        low, odds, high = (registry.get(f"survey.factors.{practice}.{part}").value for part in ("or_low", "or", "or_high"))
        assert 0 < low < odds < high


def test_type_labels_are_the_latent_class_models_labels_in_english_and_translated_in_dutch_and_french():
    from analysis import i18n
    from analysis.study import survey
    from analysis.study.survey import compute
    from analysis.study.survey.typology import ENGLISH, describe_classes

    selection, _ = survey._fitted(compute.practice_items(load.table("survey").set_index("pcsw_id")))
    fields = compute.practice_fields()
    # practices are named by their short names, the blocks by their codes (English names them so)
    english = describe_classes(selection.best_by_bic, {f.name: f.block for f in fields},
                               {f.name: i18n.text(f"survey.type_item.{f.name}") for f in fields})
    assert all(i18n.text(f"survey.type_block.{block}") == block for block in {f.block for f in fields})
    assert survey.type_labels("en") == english.to_dict()
    assert set(typology_membership()["type"]) == set(english)
    assert {key: i18n.text(f"survey.type.{key}") for key in ENGLISH} == ENGLISH
    for lang in ("nl", "fr"):
        translated = survey.type_labels(lang)
        assert translated.keys() == english.to_dict().keys() and not set(translated.values()) & set(english)


def test_the_monte_carlo_p_value_tells_association_from_independence():
    from analysis.study.survey.compute import permutation_p
    generator = np.random.default_rng(0)
    rows = pd.Series(generator.integers(0, 3, 200))
    assert permutation_p(rows, pd.Series(generator.integers(0, 4, 200)), permutations=499) > 0.05
    assert permutation_p(rows, rows.map({0: "a", 1: "b", 2: "b"}), permutations=499) == 1 / 500


def test_the_monte_carlo_p_value_is_scipys_permutation_method_for_the_chi_square():
    from scipy import stats

    from analysis.study.survey.compute import permutation_p
    generator = np.random.default_rng(3)
    rows = pd.Series(generator.choice(["FL", "WA", "BR"], 120))
    for columns in (pd.Series(generator.integers(1, 5, 120)), rows.map({"FL": 1, "WA": 2, "BR": 2})):
        table = pd.crosstab(rows.astype(str), columns.astype(str)).to_numpy()
        scipy_p = stats.chi2_contingency(table, correction=False, method=stats.PermutationMethod(
            n_resamples=999, rng=np.random.default_rng(7))).pvalue
        assert permutation_p(rows, columns, permutations=999, seed=7) == scipy_p


def _regression_survey(extra_conditions, supplementary_aid) -> pd.DataFrame:
    """The shipped survey with the two key practices replaced (functions of the attitude scale, or constants)."""
    survey = load.table("survey").set_index("pcsw_id")
    scale = attitude_scale(survey)
    return survey.assign(rights_extra_conditions=extra_conditions(scale).astype("Int64"),
                         rights_supplementary_aid=supplementary_aid(scale).astype("Int64"))


@pytest.mark.parametrize("outcome, reason", [
    (lambda scale: scale * 0 + 1, "constant"),  # every PCSW grants it: the odds ratio has no data to rest on
    (lambda scale: (scale.rank(method="first") <= 3), "few"),  # three PCSWs grant it, fewer than five parameters
    (lambda scale: scale > scale.median(), "separation"),  # the attitude scale alone sorts the PCSWs without error
])
def test_a_practice_model_that_cannot_be_estimated_is_published_as_not_estimable(outcome, reason):
    from analysis import i18n
    from analysis.study.survey import compute, present_factors

    survey = _regression_survey(outcome, lambda scale: scale.rank() % 2 == 0)
    models = compute.practice_models(survey)
    left_out = models[models["practice"] == "rights_extra_conditions"]
    assert set(left_out["not_estimable"]) == {reason}
    assert left_out[["odds_ratio", "ci_low", "ci_high", "p"]].isna().all().all()
    assert set(models.loc[models["practice"] == "rights_supplementary_aid", "not_estimable"]) == {""}

    results = {r.key: r for r in present_factors.factors(survey, compute.reliability(survey), models)}
    for lang in ("en", "nl", "fr"):
        word = i18n.text("not_estimable_number", lang)
        assert word and results["survey.factors.extra_conditions.or"].formatted(lang) == word
        assert i18n.text(f"survey.factors.estimate.{reason}", lang, min=5).startswith(word)
        assert i18n.text("message.factors.extra_conditions.not_estimable", lang)
    assert results["survey.factors.extra_conditions.estimate"].value.startswith("not estimable, since")
    assert results["survey.factors.supplementary_aid.estimate"].value[0].isdigit()
    table = results["survey.factors.table"]
    rows = table.value[table.value["Practice"] == present_factors.practice_names()[0]["rights_extra_conditions"]]
    assert (rows[["Odds ratio", "95% CI", "p"]] == "not estimable").all().all()
    assert "not estimable" in table.note
    chart = results["survey.factors.chart"]
    assert "is left out: not estimable" in chart.alt
    assert "rights_extra_conditions" not in str(chart.value)
