"""The registry cannot miss or mis-attribute a result: producers are discovered, provenance follows nested reads,
keys match by whole dotted segments, and "where shown" is what each page's build recorded. Fast: no book build."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis import hashing
from analysis.results import pins, registry
from analysis.publication import display, provenance
from analysis.publication.sphinxext import shown


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A temporary package (importable, removed afterwards); the registry's state is restored after the test."""
    registry.producers()  # the study's producers registered before the snapshot, so they outlive the test
    monkeypatch.setattr(registry, "_producers", dict(registry._producers))
    monkeypatch.setattr(registry, "_memory", {})
    monkeypatch.setenv("BBOX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(tmp_path))
    package = tmp_path / "bboxscratch"
    package.mkdir()
    (package / "__init__.py").write_text("")
    yield package
    for name in [m for m in sys.modules if m == "bboxscratch" or m.startswith("bboxscratch.")]:
        del sys.modules[name]


def module(package: Path, name: str, source: str) -> None:
    (package / f"{name}.py").write_text(textwrap.dedent(source))
    importlib.invalidate_caches()


def test_a_new_producer_module_is_discovered(scratch):
    module(scratch, "newpart", """
        from analysis.results.registry import number, publishes

        @publishes("newpart.count")
        def count():
            return [number("newpart.count.n", 3, style="count")]
        """)
    module(scratch, "otherpart", """
        from analysis.results import registry

        def total():
            return [registry.number("otherpart.total", 1.5)]

        registry.publishes("otherpart")(total)  # registered without the decorator syntax
        """)
    module(scratch, "helpers", """
        def publishes_nothing():  # names the word, registers nothing
            return "publishes"
        """)
    assert registry.study_modules("bboxscratch") == ["bboxscratch.newpart", "bboxscratch.otherpart"]
    found = registry.producers("bboxscratch")
    assert sorted(found) == ["newpart.count", "otherpart"]
    assert registry.get("newpart.count.n").value == 3
    assert registry.get("otherpart.total").function == "bboxscratch.otherpart.total"


def test_every_study_module_of_the_package_is_discovered():
    modules = set(registry.study_modules())
    assert {"analysis.study.survey", "analysis.study.cases", "analysis.study.newcomers", "analysis.study.reference",
            "analysis.study.literature", "analysis.data.datapackage"} <= modules
    by_module = {p.function.__module__ for p in registry.producers().values()}
    assert by_module == modules
    assert not {m for m in modules if m.startswith(("analysis.results", "analysis.publication"))}


def test_a_nested_result_names_both_data_files_and_the_code_it_came_from(scratch, tmp_path):
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(f"{name}\n")
    module(scratch, "inner", f"""
        from pathlib import Path
        from analysis import reads
        from analysis.results.registry import number, publishes

        @publishes("inner")
        def values():
            reads.file("a.csv", Path({str(tmp_path / "a.csv")!r}))
            return [number("inner.x", 2.0)]
        """)
    module(scratch, "outer", f"""
        from pathlib import Path
        from analysis import reads
        from analysis.results import registry
        from analysis.results.registry import number, publishes

        @publishes("outer")
        def values():
            reads.file("b.csv", Path({str(tmp_path / "b.csv")!r}))
            return [number("outer.y", registry.get("inner.x").value + 1)]
        """)
    registry.producers("bboxscratch")
    registry.get("inner.x")  # the inner result is already computed (and cached) when the outer one reads it
    outer = registry.get("outer.y")
    assert outer.data == {"a.csv": hashing.file_hash(tmp_path / "a.csv"), "b.csv": hashing.file_hash(tmp_path / "b.csv")}
    assert outer.uses == {"inner.x": "bboxscratch.inner.values"}
    assert "bboxscratch.inner.values" in provenance.plain(provenance.sentence(outer.origin))
    assert registry.get("inner.x").uses == {}  # the inner result does not inherit its reader's files


def test_the_case_chapter_names_the_survey_data_it_reads_through_the_typology():
    # the survey membership is unit-level, so it is computed (analysis.study.survey.typology_membership), never a
    # published result; its data file still reaches the provenance of every case table whose form the linked
    # disclosure audit chose beside the survey (the selection, and the design matrix too)
    for key in ("cases.typology.selection", "cases.design.matrix"):
        result = registry.get(key)
        assert {"cases.csv", "survey.csv"} <= set(result.data), key
        assert result.uses["survey.typology.membership"] == "analysis.study.survey.typology_membership", key


def test_keys_match_by_whole_dotted_segments(scratch):
    module(scratch, "keys", """
        from analysis.results.registry import number, publishes

        @publishes("keys.rate")
        def rate():
            return [number("keys.rate", 0.5, style="share"), number("keys.rate.ci", 0.1, style="share")]

        @publishes("keys.rate_fl")
        def rate_fl():
            return [number("keys.rate_fl", 0.25, style="share")]
        """)
    registry.producers("bboxscratch")
    assert sorted(registry.under("keys.rate")) == ["keys.rate", "keys.rate.ci"]
    assert sorted(registry.under("keys.rate_fl")) == ["keys.rate_fl"]
    assert sorted(registry.under("keys")) == ["keys.rate", "keys.rate.ci", "keys.rate_fl"]
    assert registry.under("keys.ra") == {}
    assert registry.get("keys.rate_fl").function == "bboxscratch.keys.rate_fl"
    with pytest.raises(KeyError, match="keys.rate_f"):
        registry.get("keys.rate_f")


def test_where_shown_comes_from_what_each_page_prints_or_shows_in_the_build(monkeypatch, tmp_path):
    """A brochure glues with a variable language (glue_numbers("reference", LANG)); the build's record finds what
    its prose prints (the keys its glue roles pasted) and what it shows, not every key it glued."""
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path / "shown"))
    import myst_nb

    glued: list[str] = []
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: glued.append(name))
    monkeypatch.setattr(display, "_recorded", set())
    LANG = "nl"
    display.glue_numbers("reference", LANG)  # what editions/brochure/nl.md runs
    display.record_shown("reference.income.chart")  # what show() records
    assert "reference.frame.total" in glued and "reference.frame.totals" not in glued
    env = SimpleNamespace(found_docs={"editions/brochure/nl", "index"},
                          nb_metadata={"editions/brochure/nl": {"glue": glued}, "index": {}},
                          bbox_printed={"editions/brochure/nl": ["reference.frame.total"]})
    shown.record(SimpleNamespace(config=SimpleNamespace(bbox_edition="brochure-nl")), env)
    assert pins.where_shown("reference.frame.total") == ["editions/brochure/nl [brochure-nl]"]
    assert pins.where_shown("reference.income.chart") == ["editions/brochure/nl [brochure-nl]"]
    assert "reference.frame.fl" in glued and pins.where_shown("reference.frame.fl") == []  # glued, never printed
    assert pins.where_shown("survey.response.rate") == []
    report = pins.report([pins.Change("reference.frame.total", "581 (shown as 581)", "582 (shown as 582)")])
    assert "shown in: editions/brochure/nl [brochure-nl]" in report
    assert "not built, so not searched: book" in report


def test_the_drift_report_says_when_no_build_record_exists(monkeypatch, tmp_path):
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path / "none"))
    report = pins.report([pins.Change("reference.frame.total", "581 (shown as 581)", "582 (shown as 582)")])
    assert "no edition has a build record" in report
    assert "shown in: no page" not in report
