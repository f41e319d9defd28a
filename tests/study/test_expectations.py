"""The verdict on each sensitising expectation (chapters/theory.md) follows fixed rules from the results, and every
expectation the theory chapter labels is answered in the synthesis and named in the conclusions."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.protection.disclosure import MARK
from analysis.results import registry
from analysis.study.survey import compute as survey_compute
from analysis.study.synthesis import compute, verdicts
from analysis.study.synthesis.compute import AGREE, CANNOT_TELL, DIVERGE, NOT_SCORED

BLOCKS = {"team": "organisation", "grant": "rights", "course": "integration", "guideline": "discretion"}


def _profiles(**classes) -> pd.DataFrame:
    return pd.DataFrame({"Practice": list(BLOCKS), **{name: [f"{p:.2f}" for p in ps] for name, ps in classes.items()}})


def test_types_need_different_leaders_on_rights_and_on_integration():
    two_types = compute.block_means(_profiles(**{"1. a": [0.9, 0.8, 0.1, 0.5], "2. b": [0.2, 0.3, 0.9, 0.5]}), BLOCKS)
    gradient = compute.block_means(_profiles(**{"1. a": [0.9, 0.8, 0.9, 0.5], "2. b": [0.2, 0.3, 0.1, 0.5]}), BLOCKS)
    one = compute.block_means(_profiles(**{"1. a": [0.9, 0.8, 0.9, 0.5]}), BLOCKS)
    assert [compute.types_verdict(m, 0.9) for m in (two_types, gradient, one)] == [AGREE, DIVERGE, DIVERGE]


def test_types_need_clear_separation_and_classes_told_apart():
    # the same leaders as two clear types, but by a gap under the announced one, or with classes poorly told apart
    close = compute.block_means(_profiles(**{"1. a": [0.6, 0.5, 0.4, 0.5], "2. b": [0.5, 0.4, 0.5, 0.5]}), BLOCKS)
    clear = compute.block_means(_profiles(**{"1. a": [0.9, 0.8, 0.1, 0.5], "2. b": [0.2, 0.3, 0.9, 0.5]}), BLOCKS)
    assert compute.types_verdict(close, 0.9) == DIVERGE
    assert compute.types_verdict(clear, compute.MIN_ENTROPY - 0.1) == DIVERGE
    assert compute.types_verdict(clear, compute.MIN_ENTROPY) == AGREE


def test_a_practice_without_a_block_is_refused():
    with pytest.raises(KeyError, match="without a block"):
        compute.block_means(_profiles(**{"1. a": [0.1] * 4}), {"team": "organisation"})


def _items(probabilities, n: int, seed: int) -> pd.DataFrame:
    generator = np.random.default_rng(seed)
    return pd.DataFrame((generator.random((n, len(probabilities))) < np.asarray(probabilities)).astype(int))


def test_variation_can_fail_when_every_pcsw_shares_the_item_probabilities():
    # the same probabilities for every PCSW of a region (the regions may differ): a ratio near 1, read as diverging
    regions = pd.Series(["FL"] * 300 + ["WA"] * 300)
    shared = pd.concat([_items([0.2, 0.5, 0.7] * 10, 300, 1), _items([0.4, 0.6, 0.3] * 10, 300, 2)],
                       ignore_index=True)
    ratio = survey_compute.dispersion_ratio(shared, regions)
    assert 0.8 < ratio < 1.2
    assert compute.variation_verdict(ratio, survey_compute.OVERDISPERSION) == DIVERGE
    # PCSWs of one region that use few or many practices: clear overdispersion, read as agreeing
    mixed = pd.concat([_items([0.1] * 30, 300, 3), _items([0.8] * 30, 300, 4)], ignore_index=True)
    ratio = survey_compute.dispersion_ratio(mixed, pd.Series(["FL"] * 600))
    assert ratio > survey_compute.OVERDISPERSION
    assert compute.variation_verdict(ratio, survey_compute.OVERDISPERSION) == AGREE
    # no variation within the regions at all
    assert survey_compute.dispersion_ratio(pd.DataFrame({"a": [1, 1, 0, 0]}), pd.Series(list("xxyy"))) == 0


def test_association_and_its_monte_carlo_p():
    assert [compute.association_verdict(p, 0.05) for p in (0.01, 0.05, 0.2)] == [AGREE, DIVERGE, DIVERGE]
    generator = np.random.default_rng(5)
    rows = pd.Series(generator.choice(list("abc"), 400))
    independent = survey_compute.association(rows, pd.Series(generator.choice(list("xy"), 400)))
    related = survey_compute.association(rows, rows.map({"a": "x", "b": "x", "c": "y"}))
    assert independent["p_mc"] > 0.05 and abs(independent["p_mc"] - independent["p"]) < 0.1
    assert related["p_mc"] == 1 / (survey_compute.PERMUTATIONS + 1)


def test_e1a_is_read_on_the_published_dispersion_ratio():
    ratio = compute.get("survey.repertoire.dispersion_ratio").value
    reading = verdicts.VERDICTS[compute.variation_verdict(ratio, compute.get("survey.repertoire.overdispersion").value)]
    assert compute.get("synthesis.expectations.verdict.e1a").value == reading
    assert compute.get("survey.repertoire.n_regional_holm").value <= compute.get("survey.repertoire.n_regional").value


@pytest.mark.parametrize("more, less, verdict", [
    ((1.2, 2.0), (0.3, 0.9), AGREE), ((0.8, 2.0), (0.3, 0.9), CANNOT_TELL), ((1.2, 2.0), (0.8, 1.3), CANNOT_TELL),
    ((0.2, 0.9), (0.3, 0.9), DIVERGE), ((1.2, 2.0), (1.1, 1.9), DIVERGE)])
def test_odds_ratios_read_by_their_intervals(more, less, verdict):
    assert compute.odds_verdict(more, less) == verdict


def test_tests_in_the_expected_direction():
    expected = [(0.6, 0.001, 1), (-0.4, 0.01, -1)]
    assert compute.tests_verdict(expected, 0.05) == AGREE
    assert compute.tests_verdict([(0.6, 0.001, 1), (-0.4, 0.3, -1)], 0.05) == CANNOT_TELL
    assert compute.tests_verdict([(0.6, 0.001, 1), (0.4, 0.01, -1)], 0.05) == DIVERGE


def test_ranks_alike_mirrored_or_hidden():
    assert compute.alike_ranks(["30.0%", "20.0%", "10.0%"], ["3.0%", "2.0%", "1.0%"]) == [True] * 3
    assert compute.alike_ranks(["30.0%", "20.0%", "10.0%"], ["1.0%", "3.0%", "2.0%"], reversed_order=True) == \
        [True, False, False]
    assert compute.alike_ranks(["30.0%", MARK, "10.0%"], ["1.0%", "2.0%", "3.0%"]) == [None] * 3


# -- Every labelled expectation is answered ---------------------------------------------------------------------

LABEL = re.compile(r"\*\*(E[1-3][a-z]) ")


def _theory_labels() -> list[str]:
    return LABEL.findall((paths.ROOT / "chapters" / "theory.md").read_text(encoding="utf-8"))


def test_the_theory_chapter_labels_the_expectations_the_synthesis_judges():
    assert _theory_labels() == list(compute.EXPECTATIONS)
    table = registry.get("synthesis.expectations.table").value
    assert [e.split()[0] for e in table["Expectation"]] == _theory_labels()
    assert set(table[verdicts.READING]) <= {"agree", "diverge", "cannot tell yet", "no reading by rule: read in the text"}
    assert len(table) == registry.get("synthesis.expectations.n").value


def test_expectations_no_count_can_fairly_score_get_no_verdict_and_no_tally():
    table = registry.get("synthesis.expectations.table").value.set_index(
        registry.get("synthesis.expectations.table").value["Expectation"].str.split().str[0])
    assert list(table.loc[list(compute.READ_DESCRIPTIVELY), verdicts.READING]) == ["no reading by rule: read in the text"] * 3
    for label in compute.READ_DESCRIPTIVELY:
        with pytest.raises(KeyError):
            registry.get(f"synthesis.expectations.verdict.{label.lower()}")
    with pytest.raises(KeyError):
        registry.get(f"synthesis.expectations.{AGREE}")


def test_expectations_read_from_excerpts_cannot_be_told_from_counts():
    for label in compute.READ_FROM_EXCERPTS:
        assert registry.get(f"synthesis.expectations.verdict.{label.lower()}").value == "cannot tell yet"


@pytest.mark.parametrize("chapter", ["synthesis", "conclusions"])
def test_every_expectation_is_named_in_the_synthesis_and_the_conclusions(chapter):
    text = (paths.ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    missing = [label for label in _theory_labels() if not re.search(rf"\b{label}\b", text)]
    assert not missing, f"chapters/{chapter}.md does not name {missing}"


@pytest.mark.parametrize("chapter, labels", [
    ("survey", ["E1a", "E1b", "E1c", "E2a"]), ("cases", ["E2b", "E2c"]), ("newcomers", ["E3a", "E3b"])])
def test_each_empirical_chapter_names_the_expectations_it_answers(chapter, labels):
    text = (paths.ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    assert [label for label in labels if not re.search(rf"\b{label}\b", text)] == []


def test_e1b_and_e1c_are_read_on_the_published_profiles_and_monte_carlo_p():
    blocks = {f.title(): block for block in ("organisation", "rights", "integration", "discretion")
              for f in verdicts.codebook()["survey"].block(block)}
    means = compute.block_means(compute.get("survey.typology.profiles").value, blocks)
    types = compute.types_verdict(means, compute.get("survey.typology.entropy").value)
    assert compute.get("synthesis.expectations.verdict.e1b").value == verdicts.VERDICTS[types]
    regions = compute.association_verdict(compute.get("survey.membership.region.p_mc").value,
                                          compute.get("survey.repertoire.significance").value)
    assert compute.get("synthesis.expectations.verdict.e1c").value == verdicts.VERDICTS[regions]
