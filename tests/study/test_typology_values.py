"""The published fit statistics of a latent class model against values computed by hand, empty input, and the
defaults (class range 1–6, label threshold 0.15).

Formulas (as in the LCA literature and the module's docstrings): relative entropy
E = 1 − Σ_i Σ_k −p_ik ln p_ik / (N ln K); SABIC = −2 LL + p ln((N + 2) / 24); BIC = −2 LL + p ln N;
AIC = −2 LL + 2p; with p = (K − 1) + K·J free parameters for J binary items.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.study.survey import typology
from analysis.study.survey.typology import (ClassDescription, LatentClassModel, LatentClassSelection, check_binary,
                                           class_label, describe, describe_classes, fit_lca, lowered, select_lca)


def _model(membership, loglik=-10.0, n_parameters=5, probabilities=None, shares=None) -> LatentClassModel:
    membership = np.asarray(membership, dtype=float)
    k = membership.shape[1]
    classes = pd.RangeIndex(1, k + 1, name="class")
    probabilities = probabilities if probabilities is not None else [[0.5] * k]
    return LatentClassModel(
        n_classes=k,
        class_shares=pd.Series(shares if shares is not None else membership.mean(axis=0), index=classes),
        item_probabilities=pd.DataFrame(probabilities, index=[f"i{j}" for j in range(len(probabilities))],
                                        columns=classes),
        membership=pd.DataFrame(membership, columns=classes),
        loglik=loglik, n_parameters=n_parameters, n_starts=1, seed=1)


def test_entropy_of_two_classes_against_a_hand_computed_value():
    # Σ −p ln p per unit: 0.3251 (0.9/0.1) + 0.5004 (0.2/0.8) + 0.6931 (0.5/0.5) = 1.5186; N ln K = 3 ln 2 = 2.0794
    model = _model([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]])
    assert model.entropy == pytest.approx(1 - 1.5186326 / 2.0794415, abs=1e-7)
    assert model.entropy == pytest.approx(0.269692, abs=1e-6)


def test_entropy_of_three_classes_against_a_hand_computed_value():
    # Σ −p ln p = 0.8018 + 0.6390 + 1.0986 + 0.8979 = 3.4374; N ln K = 4 ln 3 = 4.3944
    model = _model([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [1 / 3, 1 / 3, 1 / 3], [0.6, 0.3, 0.1]])
    assert model.entropy == pytest.approx(0.217784, abs=1e-6)


def test_entropy_is_one_for_certain_classification_and_undefined_for_one_class():
    assert _model([[1.0, 0.0], [0.0, 1.0]]).entropy == pytest.approx(1.0)
    assert _model([[0.5, 0.5], [0.5, 0.5]]).entropy == pytest.approx(0.0)
    assert math.isnan(_model([[1.0], [1.0]]).entropy)


def test_information_criteria_against_hand_computed_values():
    # LL = −10, p = 5, N = 3: −2 LL = 20; SABIC = 20 + 5 ln(5/24) = 20 − 7.8431 = 12.1569;
    # BIC = 20 + 5 ln 3 = 25.4931; AIC = 20 + 2·5 = 30
    model = _model([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]], loglik=-10.0, n_parameters=5)
    assert model.n_units == 3
    assert model.sabic == pytest.approx(12.156920, abs=1e-6)
    assert model.bic == pytest.approx(25.493061, abs=1e-6)
    assert model.aic == pytest.approx(30.0)


def test_modal_class_and_certainty_of_each_unit():
    model = _model([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]])
    assert model.modal_class.tolist() == [1, 2, 2]
    assert model.certainty.tolist() == pytest.approx([0.9, 0.8, 0.6])


def test_selection_table_and_best_model_by_bic():
    one = _model([[1.0], [1.0], [1.0]], loglik=-12.0, n_parameters=2)  # BIC 24 + 2 ln 3 = 26.197
    two = _model([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]], loglik=-10.0, n_parameters=5)  # BIC 25.493
    selection = LatentClassSelection({2: two, 1: one})
    table = selection.table
    assert table.index.tolist() == [1, 2] and table.index.name == "n_classes"
    assert table.columns.tolist() == ["loglik", "n_parameters", "aic", "bic", "sabic", "entropy", "smallest_share"]
    assert table.at[1, "bic"] == pytest.approx(26.197225, abs=1e-6)
    assert table.at[2, "smallest_share"] == pytest.approx(min(1.6 / 3, 1.4 / 3))
    assert selection.best_by_bic is two


TWO_GROUPS = pd.DataFrame([[1, 1, 0]] * 6 + [[0, 0, 1]] * 4 + [[1, 0, 0], [0, 1, 1]], columns=["a", "b", "c"])


def test_a_fitted_model_reports_what_its_parameters_imply():
    model = fit_lca(TWO_GROUPS, 2, n_starts=3, seed=7)
    shares = model.class_shares.to_numpy()
    probs = model.item_probabilities.to_numpy()  # items × classes
    x = TWO_GROUPS.to_numpy()
    # joint[i, k] = π_k Π_j p_jk^x_ij (1 − p_jk)^(1 − x_ij): the log-likelihood and the posteriors follow from it
    joint = shares * np.prod(np.where(x[:, :, None] == 1, probs[None], 1 - probs[None]), axis=1)
    assert model.loglik == pytest.approx(np.log(joint.sum(axis=1)).sum(), abs=1e-6)
    assert model.membership.to_numpy() == pytest.approx(joint / joint.sum(axis=1, keepdims=True), abs=1e-6)
    assert model.n_parameters == (2 - 1) + 2 * 3
    posterior = np.clip(model.membership.to_numpy(), 1e-15, 1)
    assert model.entropy == pytest.approx(1 - (-(posterior * np.log(posterior)).sum()) / (12 * np.log(2)), abs=1e-9)
    assert model.sabic == pytest.approx(-2 * model.loglik + 7 * np.log(14 / 24))
    assert shares.sum() == pytest.approx(1.0) and shares[0] >= shares[1]  # largest class first
    assert model.membership.sum(axis=1).to_numpy() == pytest.approx(np.ones(12))
    assert model.membership.index.equals(TWO_GROUPS.index)
    assert model.item_probabilities.index.tolist() == ["a", "b", "c"]
    assert (model.n_starts, model.seed) == (3, 7)


def test_one_start_is_enough_and_none_is_refused():
    assert fit_lca(TWO_GROUPS, 1, n_starts=1).n_classes == 1
    with pytest.raises(ValueError, match="n_starts must be at least 1"):
        fit_lca(TWO_GROUPS, 2, n_starts=0)


@pytest.mark.parametrize("shape", [(0, 3), (4, 0), (0, 0)])
def test_empty_input_is_refused_with_its_shape(shape):
    empty = pd.DataFrame(np.zeros(shape), columns=[f"i{j}" for j in range(shape[1])])
    with pytest.raises(ValueError, match=f"at least one row and one column .got {shape[0]} × {shape[1]}"):
        check_binary(empty)
    with pytest.raises(ValueError, match="at least one row and one column"):
        select_lca(empty)


def test_defaults_class_range_one_to_six_ten_starts_and_label_threshold():
    assert inspect.signature(select_lca).parameters["class_counts"].default == range(1, 7)
    assert inspect.signature(select_lca).parameters["n_starts"].default == typology.DEFAULT_STARTS == 10
    assert inspect.signature(fit_lca).parameters["n_starts"].default == 10
    assert inspect.signature(describe_classes).parameters["threshold"].default == 0.15
    # the default seed: a fit without one is the same model in every version
    assert inspect.signature(fit_lca).parameters["seed"].default == analysis.SEED == 20191215


def _two_class_profile(gap_a: float, gap_b: float) -> LatentClassModel:
    """Class 1 above class 2 by gap_a on block A's items and by gap_b on block B's."""
    return _model([[0.5, 0.5]], probabilities=[[0.5 + gap_a, 0.5], [0.5 + gap_a, 0.5], [0.5 + gap_b, 0.5]],
                  shares=[0.5, 0.5])


BLOCKS = {"i0": "rights", "i1": "rights", "i2": "organisation"}


def test_a_block_at_the_label_threshold_names_the_class_and_just_under_it_does_not():
    at = describe_classes(_two_class_profile(0.15, 0.0), BLOCKS)
    assert at[1] == "broad rights"
    under = describe_classes(_two_class_profile(0.1484375, 0.0), BLOCKS, titles={"i0": "Rights Advice"})
    assert under[1] == "focused on rights advice"
    assert describe_classes(_two_class_profile(0.125, 0.0), BLOCKS, threshold=0.125)[1] == "broad rights"


def test_labels_high_on_two_blocks_low_on_every_block_and_one_class():
    labels = describe_classes(_two_class_profile(0.3, 0.2), BLOCKS)
    assert labels[1] == "broad rights and organisation"
    assert labels[2] == "limited offer in every area"
    assert labels.index.name == "class" and labels.name == "label"
    single = describe_classes(_model([[1.0]], probabilities=[[0.5], [0.5], [0.5]], shares=[1.0]), BLOCKS)
    assert single.tolist() == ["one type"]


def test_two_classes_high_on_the_same_block_are_told_apart_by_their_most_distinctive_item():
    model = _model([[0.4, 0.4, 0.2]], probabilities=[[0.9, 0.9, 0.1], [0.95, 0.8, 0.1], [0.5, 0.5, 0.5]],
                   shares=[0.4, 0.4, 0.2])
    labels = describe_classes(model, {"i0": "rights", "i1": "rights", "i2": "organisation"})
    assert labels[1] == "broad rights, especially i1"
    assert labels[2] == "broad rights, especially i0"


def test_classes_of_equal_share_are_ordered_by_their_mean_item_probability():
    # Two perfectly separated halves: the shares tie at 0.5, so the class that does more comes first, whatever
    # order EM found them in.
    halves = pd.DataFrame([[0, 0, 0]] * 6 + [[1, 1, 1]] * 6, columns=["a", "b", "c"])
    for seed in (1, 2, 3):
        model = fit_lca(halves, 2, n_starts=2, seed=seed)
        assert model.class_shares.tolist() == pytest.approx([0.5, 0.5])
        assert model.item_probabilities[1].mean() > 0.99 and model.item_probabilities[2].mean() < 0.01


def test_a_description_is_worded_in_any_language():
    descriptions = describe(_two_class_profile(0.3, 0.2), BLOCKS)
    assert descriptions == {1: ClassDescription(high=("rights", "organisation")), 2: ClassDescription(low=True)}
    dutch = {"one": "één klasse", "high_one": "sterker in {first}", "high_two": "sterker in {first} en {second}",
             "low": "overal zwakker", "item": "vooral {item}", "also": "{label}, vooral {item}"}
    blocks = {"rights": "rechten", "organisation": "organisatie"}
    assert class_label(descriptions[1], words=dutch, block_names=blocks) == "sterker in rechten en organisatie"
    assert class_label(descriptions[2], words=dutch, block_names=blocks) == "overal zwakker"
    marked = ClassDescription(item="i0", also="i2")
    assert class_label(marked, {"i0": "Taalcursus", "i2": "Huisbezoeken (OCMW)"}, dutch) == \
        "vooral taalcursus, vooral huisbezoeken (OCMW)"
    assert class_label(ClassDescription(), words=dutch) == "één klasse"


def test_an_item_title_inside_a_label_is_lowered_but_keeps_its_acronyms():
    assert lowered("Rights Advice") == "rights advice"
    assert lowered("Individualised integration project (GPMI/PIIS) for all newcomers") == \
        "individualised integration project (GPMI/PIIS) for all newcomers"
    assert lowered("Cooperation with the local reception initiative (LOI/ILA)") == \
        "cooperation with the local reception initiative (LOI/ILA)"
