"""Latent class analysis: known answers on hand-made data, recovery of the planted types, stability, bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from analysis import paths
from analysis.data import load
from analysis.results import registry
from analysis.study.survey import typology_membership
from analysis.study.survey.compute import practice_items
from analysis.study.survey.typology import describe_classes, fit_lca, select_lca


def planted_types() -> pd.Series:
    return pd.read_csv(paths.PLANTED_TRUTH / "survey_types.csv").set_index("pcsw_id")["planted_type"]


def survey_items() -> pd.DataFrame:
    return practice_items(load.table("survey").set_index("pcsw_id"))


def two_groups(n_first: int = 20, n_second: int = 10) -> pd.DataFrame:
    """Two perfectly separated groups: the first has items a–c and not d–e, the second the opposite."""
    first = [[1, 1, 1, 0, 0]] * n_first
    second = [[0, 0, 0, 1, 1]] * n_second
    return pd.DataFrame(first + second, columns=list("abcde"), index=[f"u{i}" for i in range(n_first + n_second)])


# --- known answers -------------------------------------------------------------------------------------------

def test_two_separated_groups_are_found_exactly():
    items = two_groups()
    model = fit_lca(items, 2, n_starts=5, seed=1)
    assert model.class_shares.tolist() == pytest.approx([2 / 3, 1 / 3], abs=1e-6)
    assert model.class_shares.index.tolist() == [1, 2]
    assert model.item_probabilities.loc[["a", "b", "c"], 1].tolist() == pytest.approx([1, 1, 1], abs=1e-6)
    assert model.item_probabilities.loc[["d", "e"], 1].tolist() == pytest.approx([0, 0], abs=1e-6)
    assert model.item_probabilities.loc[["a", "d"], 2].tolist() == pytest.approx([0, 1], abs=1e-6)
    assert model.modal_class.tolist() == [1] * 20 + [2] * 10
    assert model.membership.index.tolist() == items.index.tolist()
    assert model.certainty.min() > 0.999
    assert model.entropy == pytest.approx(1, abs=1e-6)
    # With every item determined by the class, the likelihood is that of the class shares alone.
    assert model.loglik == pytest.approx(20 * np.log(2 / 3) + 10 * np.log(1 / 3), abs=1e-4)
    assert model.n_parameters == 1 + 2 * 5
    assert model.bic == pytest.approx(-2 * model.loglik + 11 * np.log(30))
    assert model.aic == pytest.approx(-2 * model.loglik + 22)


def test_one_class_is_independence_with_the_item_means():
    items = pd.DataFrame({"x": [1, 1, 1, 0], "y": [0, 0, 1, 1]})
    model = fit_lca(items, 1, n_starts=2, seed=3)
    assert model.item_probabilities[1].tolist() == pytest.approx([0.75, 0.5], abs=1e-6)
    expected = 3 * np.log(0.75) + np.log(0.25) + 4 * np.log(0.5)
    assert model.loglik == pytest.approx(expected, abs=1e-6)
    assert np.isnan(model.entropy)


def test_selection_table_prefers_two_classes_for_two_groups():
    selection = select_lca(two_groups(), range(1, 4), n_starts=5, seed=2)
    table = selection.table
    assert table.index.tolist() == [1, 2, 3]
    assert {"loglik", "n_parameters", "aic", "bic", "sabic", "entropy", "smallest_share"} <= set(table.columns)
    assert selection.best_by_bic.n_classes == 2
    assert table["loglik"].is_monotonic_increasing or table["loglik"].diff().dropna().min() > -1e-6


def test_labels_name_the_blocks_where_a_class_stands_out():
    model = fit_lca(two_groups(), 2, n_starts=5, seed=1)
    labels = describe_classes(model, {"a": "rights", "b": "rights", "c": "rights", "d": "integration", "e": "integration"})
    assert labels[1] == "broad rights"
    assert labels[2] == "broad integration"


def test_same_seed_same_model():
    items = survey_items()
    first, second = fit_lca(items, 3, n_starts=3, seed=7), fit_lca(items, 3, n_starts=3, seed=7)
    pd.testing.assert_frame_equal(first.item_probabilities, second.item_probabilities)
    assert first.loglik == second.loglik


# --- the stand-in survey: recovery of what was planted ---------------------------------------------------------

def test_bic_chooses_the_planted_number_of_types():
    truth = json.loads((paths.PLANTED_TRUTH / "planted.json").read_text())
    assert registry.get("survey.typology.n_classes").value == truth["n_types"]


def test_modal_classes_agree_with_the_planted_types():
    membership = typology_membership()
    truth = planted_types().loc[membership.index]
    assert adjusted_rand_score(truth, membership["class"]) >= 0.8


def test_fit_is_stable_across_seeds_once_classes_are_ordered():
    items = survey_items()
    k = registry.get("survey.typology.n_classes").value
    models = [fit_lca(items, k, n_starts=10, seed=seed) for seed in (11, 22, 33)]
    for other in models[1:]:
        assert other.loglik == pytest.approx(models[0].loglik, abs=0.01)
        assert (other.class_shares - models[0].class_shares).abs().max() < 0.01
        assert (other.item_probabilities - models[0].item_probabilities).abs().max().max() < 0.02
        assert adjusted_rand_score(models[0].modal_class, other.modal_class) > 0.98


# --- bad input --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, words", [(2, "not coded 0/1"), ("yes", "not coded 0/1"), (None, "missing value")])
def test_bad_items_are_refused_naming_the_column(value, words):
    items = two_groups().astype(object)
    items.loc["u3", "c"] = value
    with pytest.raises(ValueError, match=rf"column 'c'.*{words}|{words}.*column 'c'") as error:
        fit_lca(items, 2)
    assert "'c'" in str(error.value)


def test_one_two_coding_is_refused():
    with pytest.raises(ValueError, match="column 'a' is not coded 0/1"):
        fit_lca(two_groups() + 1, 2)


@pytest.mark.parametrize("n_classes", [0, -1, 2.5])
def test_bad_number_of_classes(n_classes):
    with pytest.raises(ValueError, match="n_classes"):
        fit_lca(two_groups(), n_classes)


def test_more_classes_than_rows():
    with pytest.raises(ValueError, match="3 classes to 2 rows"):
        fit_lca(two_groups().iloc[:2], 3)


def test_items_must_be_a_data_frame():
    with pytest.raises(TypeError, match="DataFrame"):
        fit_lca(two_groups().to_numpy(), 2)
