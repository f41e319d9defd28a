"""Any data, not one seed (issue 24): the generator writes the shapes real fieldwork gives, and the computed
sentences, labels and cheap producers handle them.

Fast: the generator's options, the sentence functions over many shapes of results, and the cheaper producers on a
few generated data sets. Every registered result over eight data sets (the latent class fits take tens of
seconds each) is in ``test_shapes_recompute.py`` (marked ``recompute``); builds on generated data in
``tests/publication/test_shapes_build.py`` (marked ``build``).
"""

from __future__ import annotations

import json
import re
from functools import cache

import numpy as np
import pandas as pd
import pytest

from analysis import i18n, paths
from analysis.__main__ import main
from analysis.data import load
from analysis.data.codebook import codebook
from analysis.data.simulate import MAX_TYPES, Shape, simulate
from analysis.data.validate import validate
from analysis.producers import Result
from analysis.protection.disclosure import MARK
from analysis.publication import messages
from analysis.results import registry
from analysis.study.survey import present_typology as survey_typology
from analysis.study.survey.typology import ClassDescription

STUDY_FILES = ("survey.csv", "cases.csv", "case_excerpts.csv", "newcomers.csv", "newcomer_quotes.csv")


# -- What a computed sentence may be: one of its written forms ------------------------------------------------

@cache
def strings(lang: str) -> dict[str, str]:
    return i18n.strings(lang)  # read once: the sentences below are checked thousands of times


def written_forms(keys: list[str], lang: str) -> list[re.Pattern]:
    """The strings ``keys`` of ``lang`` as patterns: each placeholder ``{name}`` matches some words."""
    return [_pattern(strings(lang)[key]) for key in keys]


@cache
def _pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(template)))


@cache
def form_keys(prefix: str, lang: str = "en") -> tuple[str, ...]:
    """``prefix`` and every string key one level under it or suffixed (``message.barriers.two``, ``…_none``), the longest written form
    first: where two forms match a sentence (\"({share})\" also matches \"(37.1% each)\"), the more specific one is it."""
    table = strings(lang)
    keys = [key for key in table if key == prefix or re.fullmatch(re.escape(prefix) + r"[._]\w+", key)]
    return tuple(sorted(keys, key=lambda key: -len(re.sub(r"\{\w+\}", "", table[key]))))


def which_form(sentence: str, prefix: str, lang: str) -> tuple[str, re.Match]:
    """The written form of ``prefix`` that ``sentence`` is (its key, its filled-in placeholders); fails if none."""
    assert "{" not in sentence and "}" not in sentence, f"{lang}: a placeholder is left in {sentence!r}"
    keys = form_keys(prefix, lang)
    for key, pattern in zip(keys, written_forms(keys, lang)):
        if found := pattern.fullmatch(sentence):
            return key, found
    raise AssertionError(f"{lang}: {sentence!r} is none of the written forms of {prefix}")


def matching_form(sentence: str, prefix: str, lang: str) -> re.Match:
    return which_form(sentence, prefix, lang)[1]


def test_every_form_of_a_sentence_exists_in_every_language():
    for prefix in ("message.barriers", "message.typology", "message.strands", "implication.local", "survey.type",
                   "survey.type_block", "remedy"):
        english = set(form_keys(prefix))
        assert len(english) > 1, prefix
        for lang in i18n.LANGUAGES:
            assert set(form_keys(prefix, lang)) == english, (prefix, lang)


# -- The barriers named most often, over many shapes of shares ------------------------------------------------

BARRIERS = ("barrier_language", "barrier_admin", "barrier_waiting", "barrier_information", "barrier_arbitrariness")


def barrier_shapes(n_shapes: int = 200, seed: int = 24):
    """Shares of the five barriers as real data may give them: ties (counts drawn from few values), zeros, all
    zero, one barrier only, a hidden count anywhere; and the counts and group size behind them."""
    rng = np.random.default_rng(seed)
    for _ in range(n_shapes):
        n = int(rng.integers(5, 91))
        values = rng.choice(n + 1, size=int(rng.integers(1, 4)), replace=True)  # few distinct counts: ties
        counts = {code: int(rng.choice(values)) for code in BARRIERS}
        if rng.random() < 0.15:
            counts = {code: 0 for code in BARRIERS}
        if rng.random() < 0.1:
            counts = {code: 0 for code in BARRIERS} | {str(rng.choice(BARRIERS)): int(rng.integers(1, n + 1))}
        hidden = {code for code in BARRIERS if rng.random() < 0.08}
        yield n, counts, hidden


def _expected_first(counts: dict, hidden: set) -> tuple | None:
    if hidden:
        return None
    top = max(counts.values())
    return tuple(code for code in BARRIERS if counts[code] == top) if top else ()


def test_the_barrier_sentences_are_true_and_one_of_their_forms_for_every_shape():
    theme = lambda code, lang: i18n.text(f"theme.{code}", lang)  # noqa: E731
    seen = set()
    for n, counts, hidden in barrier_shapes():
        shares = {code: MARK if code in hidden else counts[code] / n for code in BARRIERS}
        first = _expected_first(counts, hidden)
        for lang in i18n.LANGUAGES:
            formatted = {code: i18n.percent(counts[code] / n, 1, lang) for code in BARRIERS if code not in hidden}
            told = messages.barrier_messages(shares, formatted, lang)
            form, sentence = which_form(told["message.barriers"], "message.barriers", lang)
            seen.add(form)
            if first is None:
                assert form == "message.barriers.hidden"
                assert told["message.implication.regions"] == i18n.text("implication.regions.general", lang)
            elif not first:
                assert form == "message.barriers.none"
                assert told["message.implication.regions"] == i18n.text("implication.regions.general", lang)
            else:
                # the barriers named first are exactly those with the largest count, tied ones together
                assert sentence["first"] == i18n.named(first, theme, lang)
                assert sentence["first_share"] == formatted[first[0]]
                assert (form == "message.barriers.tied") == (len(first) > 1)
                # one whole sentence per remedy, the remedy for the barrier named most often first, naming who acts
                implication = told["message.implication.regions"]
                assert implication.startswith(i18n.text(f"remedy.{first[0]}", lang))
                for code in first:  # every barrier named first has its remedy, said once
                    sentences = [i18n.text(f"remedy.{code}{form}", lang) for form in ("", "_also")
                                 if f"remedy.{code}{form}" in strings(lang)]
                    assert sum(implication.count(sentence) for sentence in sentences) == 1, implication
                rest = {c: counts[c] for c in BARRIERS if c not in first}
                if len(first) == 1 and rest and max(rest.values()) > 0:
                    second = tuple(c for c in BARRIERS if c in rest and rest[c] == max(rest.values()))
                    assert sentence["second"] == i18n.named(second, theme, lang)
                    assert sentence["second_share"] == formatted[second[0]]
                elif len(first) == 1:
                    assert form == "message.barriers.only"
    assert {f"message.barriers.{f}" for f in ("two", "then_tied", "tied", "only", "none", "hidden")} <= seen


def test_the_typology_sentence_has_a_form_for_one_type_and_for_several():
    for n_classes in range(1, MAX_TYPES + 1):
        for lang in i18n.LANGUAGES:
            told = messages.typology_messages(n_classes, i18n.in_words(n_classes, lang), i18n.percent(0.295, 1, lang),
                                              "LARGEST", lang)
            found = matching_form(told["message.typology"], "message.typology", lang)
            matching_form(told["message.implication.local"], "implication.local", lang)
            if n_classes == 1:
                assert "LARGEST" not in told["message.typology"]
                assert told["message.implication.local"] == i18n.text("implication.local.one", lang)
            else:
                assert found["type"] == "LARGEST" and found["n"] == i18n.in_words(n_classes, lang)
                assert told["message.implication.local"] == i18n.text("implication.local.several", lang)
    for lang in i18n.LANGUAGES:  # the recommendation follows from the result: varied practice, or one pattern
        assert i18n.text("implication.local.one", lang) != i18n.text("implication.local.several", lang), lang


@pytest.mark.parametrize("description", [
    ClassDescription(), ClassDescription(high=("rights",)), ClassDescription(high=("integration", "discretion")),
    ClassDescription(low=True), ClassDescription(item="integ_job_referral"),
    ClassDescription(high=("organisation",), also="org_interpreters"),
], ids=["one class", "high on one block", "high on two", "low", "an item", "told apart by an item"])
def test_a_type_is_worded_in_every_language_whatever_its_description(description):
    for lang in i18n.LANGUAGES:
        label = survey_typology.class_labels({1: description}, lang)[1]
        assert label.strip() and "{" not in label and "}" not in label, (lang, label)
    # French elides "de" before the item's title, as French is written ("en matière d’orientation", never "de o…")
    assert not re.search(r"\bde [aeiouéèêâ]", survey_typology.class_labels({1: description}, "fr")[1], re.I)
    english = survey_typology.class_labels({1: description}, "en")[1]
    for lang in ("nl", "fr"):  # translated, not the English phrase (an item's title is translated by the codebook)
        assert survey_typology.class_labels({1: description}, lang)[1] != english


# -- The generator writes such data on purpose -----------------------------------------------------------------

def test_the_default_shape_into_an_empty_folder_writes_the_stand_in_files(tmp_path):
    target = tmp_path / "new" / "data"  # not there yet: made, with the codebook and reference files copied
    simulate(target, tmp_path / "truth")
    for name in STUDY_FILES:
        assert (target / name).read_bytes() == (paths.DATA / name).read_bytes(), name
    for name in ("survey_types.csv", "planted.json"):
        assert (tmp_path / "truth" / name).read_bytes() == (paths.PLANTED_TRUTH / name).read_bytes(), name
    assert (target / "datapackage.json").read_bytes() == paths.DATAPACKAGE.read_bytes()
    assert validate(target) == []


def test_the_command_writes_into_a_new_folder_and_says_what_it_copied(tmp_path, capsys):
    assert main(["simulate", str(tmp_path / "d"), "--no-truth", "--seed", "3", "--cases", "19"]) == 0
    said = capsys.readouterr().out
    assert "had no codebook: copied" in said and "cases: 19 rows" in said


def test_simulating_another_folder_leaves_the_planted_truth_of_the_shipped_data_alone(tmp_path):
    planted = {f.name: f.read_bytes() for f in paths.PLANTED_TRUTH.iterdir()}
    assert main(["simulate", str(tmp_path / "d"), "--seed", "42", "--types", "2"]) == 0
    assert {f.name: f.read_bytes() for f in paths.PLANTED_TRUTH.iterdir()} == planted
    assert main(["simulate", str(tmp_path / "e"), "--seed", "42", "--truth-dir", str(tmp_path / "t")]) == 0
    assert json.loads((tmp_path / "t" / "planted.json").read_text())["seed"] == 42


@pytest.mark.parametrize("options, problem", [
    (["--types", "7"], "types: 7 planted types"), (["--types", "0"], "types: 0 planted types"),
    (["--interviews", "30,20"], "interviews: give one value or one per region"),
    (["--response-rate", "0"], "response_rate: every rate must be above 0"),
    (["--lost-cases", "20"], "lost_cases: 20 of 20 cases lost"),
    (["--silent-theme", "no_such_theme"], "silent theme no_such_theme: not a field of newcomers"),
    (["--missing", "1"], "missing: a share from 0 to below 1"),
])
def test_the_command_refuses_an_impossible_shape_with_a_clear_message(tmp_path, capsys, options, problem):
    assert main(["simulate", str(tmp_path / "d"), "--no-truth", *options]) == 2
    assert problem in capsys.readouterr().err


def _simulated(tmp_path, seed: int, shape: Shape):
    simulate(tmp_path, tmp_path / "truth", seed=seed, shape=shape)
    assert validate(tmp_path) == []
    return {name: load.table(name, tmp_path) for name in ("survey", "cases", "case_excerpts", "newcomers",
                                                          "newcomer_quotes")}


def test_lost_cases_and_fewer_interviews_give_those_counts(tmp_path):
    data = _simulated(tmp_path, 5, Shape(lost_cases=1, interviews=(30, 28, 20)))
    assert len(data["cases"]) == 19
    assert len(set(data["cases"]["case_id"]) | {f"C{i:02d}" for i in range(1, 21)}) == 20  # one id left a gap
    assert set(data["case_excerpts"]["case_id"]) == set(data["cases"]["case_id"])
    assert data["newcomers"]["region"].value_counts().to_dict() == {"FL": 30, "WA": 28, "BR": 20}


def test_a_silent_theme_is_raised_by_nobody_and_quoted_nowhere(tmp_path):
    data = _simulated(tmp_path, 6, Shape(silent_themes=("discrimination", "barrier_waiting")))
    for theme in ("discrimination", "barrier_waiting"):
        assert (data["newcomers"][theme] == 0).all()
        assert theme not in set(data["newcomer_quotes"]["theme"])


def test_blank_answers_fall_only_where_the_codebook_allows_them(tmp_path):
    data = _simulated(tmp_path, 7, Shape(missing=0.3))
    book = codebook(tmp_path)
    for name in ("survey", "newcomers"):
        for field in book[name].fields:
            blank = data[name][field.name].isna().mean()
            if field.constraints.get("required"):
                assert blank == 0, (name, field.name)
            else:
                assert 0.15 < blank < 0.45, (name, field.name, blank)


@pytest.mark.parametrize("types", range(1, MAX_TYPES + 1))
def test_the_number_of_planted_types_is_what_was_asked(tmp_path, types):
    simulate(tmp_path, tmp_path / "truth", seed=types, shape=Shape(types=types))
    planted = pd.read_csv(tmp_path / "truth" / "survey_types.csv")["planted_type"]
    assert set(planted) == set(range(1, types + 1))
    truth = json.loads((tmp_path / "truth" / "planted.json").read_text())
    assert truth["n_types"] == types and len(truth["item_profiles"]) == types
    profiles = pd.DataFrame(truth["item_profiles"])
    assert not profiles.T.duplicated().any(), "two planted types with the same profile"


def test_a_response_rate_and_fewer_cases_scale_the_design(tmp_path):
    data = _simulated(tmp_path, 8, Shape(response_rate=(0.15,), cases=10))
    frame = pd.read_csv(paths.DATA / "reference" / "pcsw_frame.csv").set_index("region")["municipalities"]
    assert len(data["survey"]) < 0.25 * frame.sum()
    assert len(data["cases"]) == 10 and data["cases"]["pcsw_id"].isin(data["survey"]["pcsw_id"]).all()


# -- The cheaper producers on generated data of several shapes -------------------------------------------------

CHEAP = ("survey.response", "survey.repertoire", "newcomers.sample", "newcomers.barriers", "newcomers.quotes",
         "newcomers.satisfaction")
FAST_SHAPES = {
    "small: 15% respond, 8 cases, 10 interviews per region": (12, Shape(response_rate=(0.15,), cases=8,
                                                                         interviews=(10,))),
    "lost case, 78 interviews, a silent theme, blanks": (5, Shape(lost_cases=1, interviews=(26,),
                                                                  silent_themes=("discrimination",), missing=0.1)),
}  # more shapes, every producer: test_shapes_recompute.py (a fast suite runs in under a minute)


def check_words(result: Result, lang: str) -> None:
    """A result's words are all there: a title, no placeholder left, every column of a table named."""
    assert result.title.strip(), f"{result.key}@{lang}: no title"
    words = [result.title, result.alt, result.note] + ([result.value] if result.kind == "text" else [])
    if result.kind == "table":
        words += [str(c) for c in result.value.columns]
        assert all(str(c).strip() for c in result.value.columns), f"{result.key}@{lang}: an unnamed column"
    for text in words:
        assert "{" not in text and "}" not in text, f"{result.key}@{lang}: a placeholder is left in {text!r}"


@pytest.mark.parametrize("shape", FAST_SHAPES, ids=list(FAST_SHAPES))
def test_the_cheaper_producers_compute_on_generated_data(tmp_path, monkeypatch, shape):
    seed, spec = FAST_SHAPES[shape]
    simulate(tmp_path / "data", None, seed=seed, shape=spec)
    monkeypatch.setenv("BBOX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BBOX_CACHE_DIR", str(tmp_path / "cache"))
    producers = registry.producers()
    for prefix in CHEAP:
        for lang in (i18n.LANGUAGES if producers[prefix].translated else ("en",)):
            for result in registry.under(prefix, lang).values():
                check_words(result, lang)
    quotes = registry.get("newcomers.quotes.table").value
    assert not set(quotes["Theme"]) & {codebook()["newcomers"].field(t).title() for t in spec.silent_themes}


@pytest.mark.parametrize("shares, form", [
    ([0.5, 0.4, 0.3, 0.2, 0.1], "barriers_chart_alt"), ([0.5, 0.5, 0.3, 0.2, 0.1], "barriers_chart_alt"),
    ([0.0] * 5, "barriers_chart_alt_none"), ([0.5, 0.4, 0.3, 0.2], "barriers_chart_alt_hidden"),
], ids=["one largest", "a tie", "nobody names one", "a share hidden"])
def test_the_barriers_chart_names_its_largest_bars_by_the_rule_every_sentence_follows(shares, form):
    from analysis.study.newcomers import present as newcomers_present

    overall = pd.DataFrame({"theme": BARRIERS[:len(shares)], "share": shares})
    for lang in i18n.LANGUAGES:
        alt = newcomers_present.barriers_chart(overall, 90, lang).alt
        assert which_form(alt, "barriers_chart_alt", lang)[0] == form
        if form == "barriers_chart_alt":
            tied = [codebook()["newcomers"].field(t).title(lang) for t, s in zip(BARRIERS, shares) if s == max(shares)]
            assert matching_form(alt, "barriers_chart_alt", lang)["top"] == i18n.named(tuple(tied), lambda x, _: x.lower(), lang)


def test_the_barriers_by_region_chart_says_so_when_every_bar_is_hidden():
    from analysis.study.newcomers import present as newcomers_present

    nothing = pd.DataFrame(columns=["theme", "group", "n", "count", "share", "low", "high"]).astype(
        {"share": float, "low": float, "high": float})
    for lang in i18n.LANGUAGES:
        alt = newcomers_present.barriers_by_region_chart(nothing, 15, lang).alt
        assert alt == i18n.text("newcomers.alt.barriers_by_region_none", lang)
