"""The registry cannot miss or mis-attribute a result: producers register when their part is imported, provenance follows nested reads,
keys match by whole dotted segments, and "where shown" is what each page's build recorded. Fast: no book build."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis import codekeys, hashing, i18n, paths, study
from analysis.producers import PRODUCERS
from analysis.publication import display, provenance
from analysis.publication.editions import editions
from analysis.results import freshness, pins, registry
from analysis.publication.sphinxext import shown


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A temporary package (importable, removed afterwards); the table of producers is restored after the test."""
    registry.producers()  # the study's producers registered before the snapshot, so they outlive the test
    saved = dict(PRODUCERS)
    monkeypatch.setattr(registry, "_memory", {})
    monkeypatch.setenv("BBOX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(tmp_path))
    package = tmp_path / "bboxscratch"
    package.mkdir()
    (package / "__init__.py").write_text("")
    yield package
    PRODUCERS.clear()
    PRODUCERS.update(saved)
    for name in [m for m in sys.modules if m == "bboxscratch" or m.startswith("bboxscratch.")]:
        del sys.modules[name]


def module(package: Path, name: str, source: str) -> None:
    (package / f"{name}.py").write_text(textwrap.dedent(source))
    importlib.invalidate_caches()


def registered(package: Path) -> None:
    """Import every module of the scratch package, as :func:`analysis.study.register` imports the study's parts."""
    for path in sorted(package.glob("*.py")):
        if path.stem != "__init__":
            importlib.import_module(f"{package.name}.{path.stem}")


def test_a_part_registers_its_producers_when_imported_and_nothing_else_finds_them(scratch):
    module(scratch, "newpart", """
        from analysis.producers import number, publishes

        @publishes("newpart.count")
        def count():
            return [number("newpart.count.n", 3, style="count")]
        """)
    module(scratch, "otherpart", """
        from analysis import producers

        def total():
            return [producers.number("otherpart.total", 1.5)]

        producers.publishes("otherpart")(total)  # registered without the decorator syntax
        """)
    with pytest.raises(KeyError, match="no registered function publishes 'newpart.count.n'"):
        registry.get("newpart.count.n")  # written but not imported: the sources are never searched
    registered(scratch)
    assert registry.get("newpart.count.n").value == 3
    assert registry.get("otherpart.total").function == "bboxscratch.otherpart.total"


def test_a_key_that_does_not_start_with_its_module_name_is_refused_with_the_rule(scratch):
    module(scratch, "misnamed", """
        from analysis.producers import number, publishes

        @publishes("survey.extra")
        def extra():
            return [number("survey.extra.n", 1, style="count")]
        """)
    with pytest.raises(ValueError, match=r"bboxscratch\.misnamed\.extra registers 'survey\.extra': a key's first "
                                         r"segment names the module that registers it"):
        registered(scratch)


def test_a_prefix_registered_by_two_functions_is_refused(scratch):
    module(scratch, "twice", """
        from analysis.producers import publishes

        @publishes("twice.n")
        def one():
            return []

        @publishes("twice.n")
        def two():
            return []
        """)
    with pytest.raises(ValueError, match="'twice.n' is registered twice: by bboxscratch.twice.one and by "
                                         "bboxscratch.twice.two"):
        registered(scratch)


def test_every_part_of_the_study_registers_its_producers_and_the_sources_declare_the_same():
    found = registry.producers()
    assert {p.function.__module__ for p in found.values()} == {f"analysis.study.{part}" for part in study.PARTS}
    assert {prefix.split(".")[0] for prefix in found} == set(study.PARTS)
    # the page keys read the producers from the sources without importing the study (codekeys.declared_producers)
    declared = codekeys.declared_producers()
    assert {prefix: (d.module, d.translated) for prefix, d in declared.items()} == \
        {prefix: (p.function.__module__, p.translated) for prefix, p in found.items()}


def test_a_study_part_that_does_not_exist_is_named_in_the_error():
    with pytest.raises(KeyError, match="no study part named 'surveys'"):
        study.register("surveys")


def test_a_nested_result_names_both_data_files_and_the_code_it_came_from(scratch, tmp_path):
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(f"{name}\n")
    module(scratch, "inner", f"""
        from pathlib import Path
        from analysis import reads
        from analysis.producers import number, publishes

        @publishes("inner")
        def values():
            reads.file("a.csv", Path({str(tmp_path / "a.csv")!r}))
            return [number("inner.x", 2.0)]
        """)
    module(scratch, "outer", f"""
        from pathlib import Path
        from analysis import reads
        from analysis.producers import number, publishes, read

        @publishes("outer")
        def values():
            reads.file("b.csv", Path({str(tmp_path / "b.csv")!r}))
            return [number("outer.y", read("inner.x").value + 1)]
        """)
    registered(scratch)
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
        from analysis.producers import number, publishes

        @publishes("keys.rate")
        def rate():
            return [number("keys.rate", 0.5, style="share"), number("keys.rate.ci", 0.1, style="share")]

        @publishes("keys.rate_fl")
        def rate_fl():
            return [number("keys.rate_fl", 0.25, style="share")]
        """)
    registered(scratch)
    assert sorted(registry.under("keys.rate")) == ["keys.rate", "keys.rate.ci"]
    assert sorted(registry.under("keys.rate_fl")) == ["keys.rate_fl"]
    assert sorted(registry.under("keys")) == ["keys.rate", "keys.rate.ci", "keys.rate_fl"]
    assert registry.under("keys.ra") == {}
    assert registry.get("keys.rate_fl").function == "bboxscratch.keys.rate_fl"
    with pytest.raises(KeyError, match="keys.rate_f"):
        registry.get("keys.rate_f")


def test_where_shown_is_what_each_page_printed_or_showed_in_the_build(monkeypatch, tmp_path):
    """A brochure glues every number under a prefix with a variable language (glue_numbers("reference", LANG)) but
    prints one of them, and shows a chart: the build records those two, not every number it glued."""
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path / "shown"))
    import myst_nb

    glued: list[str] = []
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: glued.append(name))
    monkeypatch.setattr(display, "_recorded", set())
    LANG = "nl"
    display.glue_numbers("reference", LANG)  # what editions/brochure/nl.md runs
    display.record_shown("reference.income.chart")  # what show() records
    assert "reference.frame.total" in glued and "reference.frame.totals" not in glued
    unprinted = next(key for key in glued if key.startswith("reference.") and key != "reference.frame.total")
    env = SimpleNamespace(found_docs={"editions/brochure/nl", "index"},
                          nb_metadata={"editions/brochure/nl": {"glue": glued}, "index": {}},
                          bbox_printed={"editions/brochure/nl": ["reference.frame.total"]})  # its {glue} roles
    shown.record(SimpleNamespace(config=SimpleNamespace(bbox_edition="brochure-nl")), env)
    assert pins.where_shown("reference.frame.total") == ["editions/brochure/nl [brochure-nl]"]
    assert pins.where_shown("reference.income.chart") == ["editions/brochure/nl [brochure-nl]"]
    assert pins.where_shown(unprinted) == []  # glued with its prefix, never printed
    assert pins.where_shown("survey.response.rate") == []
    report = pins.report([pins.Change("reference.frame.total", "581 (shown as 581)", "582 (shown as 582)")], editions())
    assert "shown in: editions/brochure/nl [brochure-nl]" in report
    assert "not built, so not searched: book" in report


def test_the_drift_report_says_when_no_build_record_exists(monkeypatch, tmp_path):
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path / "none"))
    report = pins.report([pins.Change("reference.frame.total", "581 (shown as 581)", "582 (shown as 582)")], editions())
    assert "no edition has a build record" in report
    assert "shown in: no page" not in report


def test_two_processes_that_need_one_producer_compute_it_once(tmp_path):
    """A second test worker or edition build that needs a producer another is computing waits and reads its result."""
    package = tmp_path / "bboxlocked"
    package.mkdir()
    (package / "__init__.py").write_text("")
    module(package, "slow", f"""
        import time
        from analysis.producers import number, publishes

        @publishes("slow")
        def values():
            with open({str(tmp_path / "runs")!r}, "a") as runs:
                runs.write("run\\n")
            time.sleep(2)
            return [number("slow.n", 1, style="count")]
        """)
    script = "import bboxlocked.slow; from analysis.results import registry; print(registry.get('slow.n').value)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(paths.ROOT)]),
           "BBOX_CACHE_DIR": str(tmp_path / "cache")}
    processes = [subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
                 for _ in range(2)]
    assert [process.communicate(timeout=120)[0].strip() for process in processes] == ["1", "1"]
    assert (tmp_path / "runs").read_text() == "run\n"


def test_a_producer_computes_again_when_a_string_it_read_changes_and_only_then(scratch, tmp_path, monkeypatch):
    """A producer's cached run keys on each fixed string it read, by key and language (no strings file is part of
    a code key): a string added or edited elsewhere leaves it serving; an edit of its own string computes it again,
    and the why names the string."""
    strings = tmp_path / "i18n"
    strings.mkdir()
    for lang in i18n.LANGUAGES:
        (strings / f"{lang}.yml").write_text((i18n.STRINGS / f"{lang}.yml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(i18n, "_DIR", strings)
    module(scratch, "greeting", """
        from analysis import i18n
        from analysis.producers import publishes, text

        @publishes("greeting", translated=True)
        def words(lang="en"):
            return [text("greeting.none", i18n.text("largest_none", lang), title="Words")]
        """)
    registered(scratch)
    shown = {lang: registry.get("greeting.none", lang).value for lang in ("en", "fr")}
    cached = {lang: freshness.valid_entry("greeting", "bboxscratch.greeting", lang) for lang in ("en", "fr")}
    assert set(cached["en"].inputs.words) == {"largest_none@en"} and all(cached.values())

    def edit(lang: str, old: str, new: str) -> None:
        path = strings / f"{lang}.yml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("en", "\nlargest_withheld:", '\nanother_string: "added"\nlargest_withheld:')  # added, and another edited
    edit("en", 'largest_withheld: "', 'largest_withheld: "edited ')
    assert all(freshness.valid_entry("greeting", "bboxscratch.greeting", lang) is cached[lang] for lang in cached)

    edit("fr", 'largest_none: "', 'largest_none: "modifié ')  # its own string, in French only
    assert freshness.valid_entry("greeting", "bboxscratch.greeting", "en") is cached["en"]
    assert freshness.stale_because(cached["fr"], "fr") == "analysis/i18n/fr.yml: largest_none"
    registry._memory.clear()
    assert registry.get("greeting.none", "fr").value != shown["fr"]
    assert registry.get("greeting.none", "en").value == shown["en"]
