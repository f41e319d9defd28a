"""The reference figures: a rise is computed within one published series, never across a break between series."""

import pandas as pd
import pytest

from analysis import i18n
from analysis.study.reference import compute


def _income(rows):
    return pd.DataFrame(rows, columns=["period", "beneficiaries", "series"])


def test_the_rise_stops_at_the_last_full_year_of_the_first_series():
    income = _income([("2015", 100, "a"), ("2016", 110, "a"), ("2017", 120, "a"), ("2017-H1", 125, "a"),
                      ("2020", 400, "b"), ("2022", 500, "b")])
    summary = compute.income_summary(income)
    assert summary["growth"] == pytest.approx(0.2)  # 2015 to 2017, not to 2022 in the other series
    assert summary["growth_last_year"] == 2017 and summary["growth_series"] == "a"
    assert (summary["last"], summary["last_year"], summary["series"]) == (500, 2022, 2)


def test_one_series_of_half_years_is_compared_to_its_own_last_period():
    summary = compute.income_summary(_income([("2019-H1", 100, "a"), ("2019-H2", 90, "a")]))
    assert summary["growth"] == pytest.approx(-0.1) and summary["series"] == 1


def test_the_chart_says_which_years_no_source_gives():
    from analysis.study.reference import present

    income = _income([("2015", 1, "a"), ("2017", 1, "a"), ("2019-H1", 1, "a"), ("2022", 1, "b")])
    assert present.missing_years(income["period"]) == ["2016", "2018", "2020", "2021"]
    assert present.missing_years(_income([("2019-H1", 1, "a"), ("2020", 1, "a")])["period"]) == []
    note = present._missing_years_note(income, "nl")
    assert all(year in note for year in ("2016", "2018", "2020", "2021")) and "2019" not in note


def test_each_bar_of_the_income_chart_names_only_the_series_its_figure_comes_from():
    """The line under the chart cites every series; a bar's tooltip (and the download's row) names its own, in the
    reader's language."""
    from analysis.data import load
    from analysis.data.codebook import codebook
    from analysis.study.reference import present

    income = load.table("integration_income")
    for lang in ("en", "nl", "fr"):
        labels = codebook()["integration_income"].field("series").labels(lang)
        spec = present._income_chart(income, lang).to_dict()
        rows = next(iter(spec["datasets"].values()))
        source = i18n.text("income_series_label", lang)
        assert source in [t["field"] for t in spec["encoding"]["tooltip"]]
        assert [row[source] for row in rows] == [labels[s] for s in income["series"]]
        assert len({row[source] for row in rows}) == income["series"].nunique()


def test_the_income_charts_description_names_when_the_count_was_highest():
    from analysis.study.reference import present

    summary = compute.income_summary(_income([("2015", 100, "a"), ("2019-H1", 300, "a"), ("2022", 200, "b")]))
    assert (summary["highest"], summary["highest_period"]) == (300, "2019-H1")
    for lang in ("en", "nl", "fr"):
        alt = present._income_alt(summary, lang)
        assert present.period("2019-H1", lang) in alt and i18n.decimal(300, 0, lang) in alt, alt
