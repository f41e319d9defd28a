"""Numbers, percents and dates per language, checked against Babel's CLDR data for en, nl_BE and fr_BE.

The expected strings are written out (a change in what readers see fails here), and each is also compared with
what CLDR itself gives, so the one house departure from CLDR (a space before % in Dutch) is the only one.
"""

import datetime
from decimal import Decimal

import pytest
from babel.numbers import format_decimal, format_percent

from analysis import i18n

NBSP, NNBSP = "\u00a0", "\u202f"  # no-break space; narrow no-break space


@pytest.mark.parametrize("lang, expected", [("en", "1,234,567.9"), ("nl", "1.234.567,9"),
                                            ("fr", f"1{NNBSP}234{NNBSP}567,9")])
def test_decimals_group_and_separate_as_cldr_does(lang, expected):
    assert i18n.decimal(1234567.89, 1, lang) == expected
    assert expected == format_decimal(1234567.89, "#,##0.0", locale=i18n.LOCALES[lang])


@pytest.mark.parametrize("lang, expected", [("en", "-1,234"), ("nl", "-1.234"), ("fr", f"-1{NNBSP}234")])
def test_negative_counts(lang, expected):
    assert i18n.decimal(-1234, 0, lang) == expected == format_decimal(-1234, "#,##0", locale=i18n.LOCALES[lang])


@pytest.mark.parametrize("lang, expected", [("en", "27.4%"), ("fr", f"27,4{NBSP}%")])
def test_percents_follow_cldr_in_english_and_french(lang, expected):
    assert i18n.percent(0.274, 1, lang) == expected
    assert expected == format_percent(Decimal("0.274"), "#,##0.0" + ("%" if lang == "en" else f"{NBSP}%"),
                                      locale=i18n.LOCALES[lang])
    assert expected == format_percent(Decimal("0.274"), locale=i18n.LOCALES[lang], decimal_quantization=False)


def test_dutch_percents_keep_the_house_space_where_cldr_has_none():
    assert format_percent(Decimal("0.274"), locale="nl_BE", decimal_quantization=False) == "27,4%"  # CLDR
    assert i18n.percent(0.274, 1, "nl") == f"27,4{NBSP}%"  # the house style (see analysis/i18n.py)
    assert i18n.percent(0.12345, 2, "nl") == f"12,35{NBSP}%"


def test_a_share_rounds_as_the_pins_were_made():
    # 100 × 0.025 is exactly 2.5 as a float, which rounds half to even; 0.125 is exact in binary too
    assert [i18n.percent(0.025, 0, lang) for lang in i18n.LANGUAGES] == ["2%", f"2{NBSP}%", f"2{NBSP}%"]
    assert i18n.decimal(0.125, 2) == "0.12"
    assert i18n.decimal(2.675, 2) == "2.67"  # the float is just below 2.675


@pytest.mark.parametrize("lang, small, large", [("en", "p < 0.001", "p = 0.043"), ("nl", "p < 0,001", "p = 0,043"),
                                                ("fr", "p < 0,001", "p = 0,043")])
def test_p_values(lang, small, large):
    assert (i18n.p_value(0.0004, lang), i18n.p_value(0.0432, lang)) == (small, large)


def test_dates_are_long_dates_of_the_belgian_locales():
    date = datetime.date(2026, 11, 23)
    assert [i18n.long_date(date, lang) for lang in i18n.LANGUAGES] == [
        "November 23, 2026", "23 november 2026", "23 novembre 2026"]


@pytest.mark.parametrize("lang, point, group, percent", [("en", ".", ",", "%"), ("nl", ",", ".", f"{NBSP}%"),
                                                    ("fr", ",", NNBSP, f"{NBSP}%")])
def test_chart_axes_use_the_same_separators_and_percent_sign(lang, point, group, percent):
    assert i18n.vega_locale(lang)["number"] == {"decimal": point, "thousands": group, "grouping": [3],
                                                     "currency": ["", f"{NBSP}€"], "percent": percent, "minus": "-"}
    assert i18n.decimal(-1234.5, 1, lang) == f"-1{group}234{point}5"
    assert i18n.percent(0.1, 0, lang) == f"10{percent}"


def test_numpy_numbers_format_like_python_numbers():
    import numpy as np

    assert i18n.decimal(np.int64(116172), 0, "fr") == f"116{NNBSP}172"
    assert i18n.decimal(np.float64(0.125), 2, "nl") == "0,12"


def test_an_edited_strings_file_is_read_again_in_the_same_process(tmp_path, monkeypatch):
    """The preview server and the tests live long: words must not be served from before an edit."""
    folder = tmp_path / "i18n"
    folder.mkdir()
    for lang in i18n.LANGUAGES:
        (folder / f"{lang}.yml").write_text((i18n.STRINGS / f"{lang}.yml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    monkeypatch.setattr(i18n, "_DIR", folder)
    before = i18n.text("largest_none", "nl")
    (folder / "nl.yml").write_text(f"largest_none: {before} (edited)\n", encoding="utf-8")
    assert i18n.text("largest_none", "nl") == f"{before} (edited)"
    with pytest.raises(TypeError):
        i18n.strings("nl")["largest_none"] = "changed by a caller"


def test_french_elides_de_before_a_vowel_in_an_assembled_phrase_and_only_there():
    assert i18n.elided("en matière de orientation et de Équipe", "fr") == "en matière d’orientation et d’Équipe"
    assert i18n.elided("en matière de recours à des aides", "fr") == "en matière de recours à des aides"
    assert i18n.elided("en matière de habitat", "fr") == "en matière de habitat"  # h: depends on the word
    assert i18n.elided("de orientation", "nl") == "de orientation"


@pytest.mark.parametrize("lang, four, twenty", [("en", "four", "twenty"), ("nl", "vier", "twintig"),
                                                ("fr", "quatre", "vingt")])
def test_a_count_in_a_sentence_is_in_words_up_to_twenty_then_in_digits(lang, four, twenty):
    assert i18n.in_words(4, lang) == four and i18n.in_words(20, lang) == twenty
    assert len(i18n.text("number_words", lang).split()) == 21, "zero to twenty, one word each"
    assert i18n.in_words(21, lang) == "21" and i18n.in_words(1234, lang) == i18n.decimal(1234, 0, lang)
