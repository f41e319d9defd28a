"""Words the analysis chooses for the prose (the theme raised by the most newcomers, the most common level of a case
dimension) and the reference figures on refugees among integration-income beneficiaries: ties are named, hidden
counts withhold the choice, labels follow the reader's language, and the reference file's schema refuses bad rows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import i18n, paths
from analysis.data.validate import validate
from analysis.protection import disclosure
from analysis.protection.disclosure import MARK, TOTAL
from analysis.results import registry
from analysis.study.cases import compute as cases_compute
from analysis.study.cases import present as cases_present
from analysis.study.newcomers import compute as newcomers_compute
from analysis.study.newcomers import present as newcomers_present
from analysis.study.synthesis import compute as synthesis_compute
from analysis.study.synthesis import present as synthesis_present


# --- Choosing the largest: ties and hidden counts -----------------------------------------------------------

def test_a_tie_names_every_tied_code_in_the_given_order():
    assert disclosure.largest(pd.Series({"b": 9, "a": 12, "c": 12})) == ("a", "c")


def test_a_single_largest_is_named_alone():
    assert disclosure.largest(pd.Series({"a": 5, "b": 11, "c": 10})) == ("b",)


def test_a_hidden_count_withholds_the_choice_even_when_a_shown_count_looks_largest():
    # The hidden cell may be a count of 26 of 30 (hidden because only 4 did not raise it).
    assert disclosure.largest(pd.Series({"a": 20, "b": MARK, "c": 7}, dtype=object)) is None


def test_no_code_is_named_when_every_count_is_zero():
    assert disclosure.largest(pd.Series({"a": 0, "b": 0})) == ()


def _rows(group: str, counts: dict) -> pd.DataFrame:
    return pd.DataFrame({"theme": list(counts), "group": group, "count": list(counts.values())})


def test_most_raised_per_group_names_tied_themes_together():
    rows = pd.concat([_rows(TOTAL, {"barrier_language": 30, "trust": 30, "discrimination": 4}),
                      _rows("FL", {"barrier_language": 12, "trust": 9, "discrimination": MARK})])
    assert newcomers_compute.most_raised(rows) == {TOTAL: ("barrier_language", "trust"), "FL": None}


def test_modal_levels_name_tied_levels_and_withhold_where_a_total_is_hidden():
    counts = pd.DataFrame({"dimension": ["network"] * 3 + ["org_model"] * 3,
                           "level": [1, 2, 3, "generalist", "specialised", "mixed"],
                           TOTAL: [7, 7, 6, MARK, MARK, 10]})
    assert cases_compute.modal_levels(counts) == {"network": (1, 2), "org_model": None}


def test_the_synthesis_names_every_tied_share_and_none_beside_a_hidden_one():
    assert synthesis_compute.highest({"a": "40.0%", "b": "46.7%", "c": "46.7%"}) == ("b", "c")
    assert synthesis_compute.highest({"a": "73.3%", "b": MARK, "c": "10.0%"}) is None  # b may hide 26 of 30
    assert synthesis_compute.highest({"a": "0.0%", "b": "0.0%"}) == ()


def test_a_share_is_ranked_as_shown_not_truncated():
    assert synthesis_compute.highest({"a": "73.3%", "b": "73.9%"}) == ("b",)
    assert disclosure.largest(pd.Series({"a": 73.3, "b": 73.9})) == ("b",)


@pytest.mark.parametrize("chosen, words", [
    (("b",), "b (46.7%)"), (("b", "c"), "b and c (46.7% each)"), ((), "none"),
    (None, "not shown (small counts)")])
def test_the_synthesis_words_for_a_choice(chosen, words):
    assert synthesis_present.chosen_words(chosen, {"b": "46.7%", "c": "46.7%"}) == words


def test_regions_are_not_ranked_when_a_share_is_hidden():
    assert synthesis_compute.same_rank(["10.0%", "20.0%"], ["5.0%", "9.0%"]) == [True, True]
    assert synthesis_compute.same_rank(["10.0%", "20.0%"], [MARK, "9.0%"]) == [None, None]


def test_the_joint_display_names_no_barrier_beside_a_hidden_share():
    """Brussels: 'perceived arbitrariness' is hidden, so no barrier is its 'most often'; where no share of a region
    is hidden, every barrier at the region's highest share is named."""
    region = registry.get("synthesis.joint.region").value.set_index("Measure")
    by_region = registry.get("newcomers.themes.by_region").value
    barriers = synthesis_present.theme_titles("barriers")
    for name in region.columns[1:]:
        shares = by_region[(by_region["Group"] == name) & by_region["Theme"].isin(barriers)].set_index("Theme")["Share"]
        shown = region.at["barrier raised most often", name]
        if MARK in set(shares):
            assert shown == "Not shown (small counts)", name
        else:
            top = [t for t, s in shares.items() if s == max(shares, key=synthesis_compute.rank_value)]
            assert shown.lower().startswith(i18n.named(tuple(t.lower() for t in top), lambda t, _: t)), name


# --- Labels per language -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, expected", [
    ("en", "language barrier and trust in the PCSW"),
    ("nl", "taal en vertrouwen in het OCMW"),
    ("fr", "langue et confiance dans le CPAS"),
])
def test_tied_themes_are_named_in_the_readers_language(lang, expected):
    [result] = newcomers_present.most_raised({TOTAL: ("barrier_language", "trust")}, lang)
    assert (result.key, result.kind, result.value) == ("newcomers.themes.most_raised.all", "text", expected)


@pytest.mark.parametrize("lang, expected", [("en", "low and medium"), ("nl", "laag en gemiddeld"),
                                            ("fr", "niveau faible et niveau moyen")])
def test_tied_levels_are_named_in_the_readers_language(lang, expected):
    [result] = cases_present.modal_levels({"conditionality": (1, 2)}, lang)
    assert (result.key, result.value) == ("cases.dimensions.modal.conditionality", expected)


@pytest.mark.parametrize("lang, words", [("en", "small counts"), ("nl", "kleine aantallen"), ("fr", "petits effectifs")])
def test_a_withheld_choice_says_why_in_the_readers_language(lang, words):
    [result] = cases_present.modal_levels({"network": None}, lang)
    assert words in result.value


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_published_choices_agree_with_the_published_tables(lang):
    """The words glued in the prose name the largest count of the table the chapter shows beside them."""
    table = registry.get("newcomers.themes.overall", lang).value
    chosen = registry.get("newcomers.themes.most_raised.all", lang).value
    count_column = i18n.text("newcomers.header.with_theme", lang)
    theme_column = i18n.text("newcomers.header.theme", lang)
    counts = table.set_index(theme_column)[count_column]
    assert MARK not in set(counts.astype(str))
    top = [theme for theme, count in counts.items() if int(count) == max(map(int, counts))]
    assert chosen == i18n.named(tuple(top), lambda title, _: title[:1].lower() + title[1:], lang)


# --- The reference figures ------------------------------------------------------------------------------------

REFERENCE = "reference/refugee_beneficiaries.csv"


def _set_cell(path, line_no, column, value):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[line_no - 2, column] = value
    frame.to_csv(path, index=False, lineterminator="\n")


@pytest.mark.parametrize("column, value, words", [
    ("source", "wikipedia_refugees", "wikipedia_refugees"),
    ("unit", "per mille", "per mille"),
    ("value", "-3.5", "-3.5"),
    ("decimals", "4", "4"),
    ("figure", "recognised_dec2016", "duplicate"),
    ("measures", "", "missing"),
])
def test_the_reference_schema_refuses_a_bad_row_naming_file_row_and_column(data_copy, column, value, words):
    _set_cell(data_copy / REFERENCE, 4, column, value)
    problems = [p for p in validate(data_copy) if p.file == REFERENCE]
    assert [(p.row, p.column) for p in problems] == [(4, column)], problems
    assert words in problems[0].message, problems[0]


@pytest.mark.parametrize("key, shown", [
    ("recognised_dec2016", "16,875"), ("subsidiary_dec2016", "4,583"), ("share_2016", "11.7%"), ("share_2003", "3.5%"),
    ("share_2016_fl", "22.3%"), ("share_2016_br", "11.2%"), ("share_2016_wa", "6.5%"),
    ("share_2016_large_cities", "15.6%"), ("share_2016_small_municipalities", "5.9%"),
    ("growth_2017", "9%"), ("growth_2017_refugees", "4.4"), ("share_2017", "16%"),
])
def test_each_reference_figure_is_shown_as_its_verified_source_gives_it(key, shown):
    """The values of references-verification.tsv (bx1_refugies_ri, sppis2017refugies), at the source's precision."""
    assert registry.get(f"reference.refugees.{key}").formatted("en") == shown
    verification = (paths.ROOT / "references-verification.tsv").read_text(encoding="utf-8")
    assert shown.rstrip("%") in verification


def test_french_and_dutch_readers_see_the_figures_in_their_conventions():
    share = registry.get("reference.refugees.share_2016")
    assert (share.formatted("nl"), share.formatted("fr")) == ("11,7\u00a0%", "11,7\u00a0%")
    assert registry.get("reference.refugees.recognised_dec2016").formatted("fr") == "16\u202f875"
