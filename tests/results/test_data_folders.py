"""Freshness keys every data file by its content, whatever folder it is read from: the same files in another
``BBOX_DATA_DIR`` serve every cache, a file that differs there is named as what changed, and the one recorder of
reads (``analysis.reads``) gives provenance and cache keys from the same record. Fast: no book build (the build
that switches folders and back is in test_freshness.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from analysis import codekeys, hashing, paths, reads
from analysis.results import freshness, pagekeys, registry
from tests.results.test_registry import module, registered, scratch  # noqa: F401 - the fixture, used by name


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """Two data folders holding ``quotes.csv`` and a ``datapackage.json``: B a copy of A whose quote differs."""
    a, b = tmp_path / "A", tmp_path / "B"
    a.mkdir()
    (a / "datapackage.json").write_text('{"resources": []}\n')
    (a / "quotes.csv").write_text('quote_id,text\nQ1,"the quote of folder A"\n')
    shutil.copytree(a, b)
    (b / "quotes.csv").write_text('quote_id,text\nQ1,"the quote of folder B"\n')
    monkeypatch.setenv("BBOX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BBOX_DATA_DIR", str(a))
    return SimpleNamespace(a=a, b=b, use=lambda folder: monkeypatch.setenv("BBOX_DATA_DIR", str(folder)))


def test_a_data_file_is_placed_in_the_data_folder_in_use(folders):
    assert paths.place(folders.a / "quotes.csv") == "data:quotes.csv"
    assert paths.located("data:quotes.csv") == folders.a.resolve() / "quotes.csv"
    folders.use(folders.b)
    assert paths.place(folders.b / "quotes.csv") == "data:quotes.csv"
    assert paths.located("data:quotes.csv") == folders.b.resolve() / "quotes.csv"
    # files outside the data folder keep their path: relative in the repository, absolute elsewhere
    assert paths.place(paths.BIBLIOGRAPHY) == "references.bib"
    assert paths.located("references.bib") == paths.BIBLIOGRAPHY
    assert paths.place(folders.a / "quotes.csv") == str(folders.a.resolve() / "quotes.csv")
    assert paths.located(str(folders.a / "quotes.csv")) == folders.a / "quotes.csv"


def test_the_validation_key_is_the_folders_content_not_its_place(folders, tmp_path):
    copy = shutil.copytree(folders.a, tmp_path / "elsewhere" / "A")
    assert hashing.directory_hash(copy) == hashing.directory_hash(folders.a)
    assert hashing.directory_hash(folders.b) != hashing.directory_hash(folders.a)
    (copy / "extra.csv").write_text("x\n")
    assert hashing.directory_hash(copy) != hashing.directory_hash(folders.a)


def test_a_check_passed_is_remembered_for_its_content_and_code(folders):
    content = hashing.directory_hash(folders.a)
    assert not codekeys.checked("valid-data", content, "analysis.data.validate")
    codekeys.checked("valid-data", content, "analysis.data.validate", passed=True)
    assert codekeys.checked("valid-data", content, "analysis.data.validate")
    assert not codekeys.checked("valid-data", hashing.directory_hash(folders.b), "analysis.data.validate")


def quote_producer(package: Path) -> None:
    module(package, "quotes", """
        from analysis import paths, reads
        from analysis.producers import publishes, text

        @publishes("quotes")
        def values():
            path = paths.DATA / "quotes.csv"
            reads.file("quotes.csv", path)
            return [text("quotes.first", path.read_text().splitlines()[1], title="A quote")]
        """)


def test_the_producer_cache_follows_the_data_folder_by_content(folders, scratch, tmp_path):  # noqa: F811
    quote_producer(scratch)
    registered(scratch)
    assert "folder A" in registry.get("quotes.first").value
    cached = freshness.entry("quotes", "bboxscratch.quotes", "en")
    assert set(cached.inputs.files) == {"data:quotes.csv", "data:datapackage.json"}  # the codebook it is read through

    same = shutil.copytree(folders.a, tmp_path / "copy-of-A")
    folders.use(same)
    assert freshness.valid_entry("quotes", "bboxscratch.quotes", "en") is cached  # the same content elsewhere serves

    folders.use(folders.b)
    assert freshness.stale_because(cached, "en") == str(folders.b.resolve() / "quotes.csv")  # named where it lies
    registry._memory.clear()
    moved = registry.get("quotes.first")
    assert "folder B" in moved.value and moved.data == {"quotes.csv": hashing.file_hash(folders.b / "quotes.csv")}

    folders.use(folders.a)
    assert freshness.why_recomputed("quotes", "bboxscratch.quotes", "en") == str(folders.a.resolve() / "quotes.csv")
    registry._memory.clear()
    assert "folder A" in registry.get("quotes.first").value


def test_a_page_keys_on_a_data_file_by_its_content_in_the_folder_in_use(folders, monkeypatch):
    values = SimpleNamespace()  # file reads need no result
    read = f"{reads.MARKER}file:{paths.place(folders.a / 'quotes.csv')}"
    recorded = pagekeys.reads_of([read], values)
    assert recorded == {"file:data:quotes.csv": codekeys.file_digest(folders.a / "quotes.csv")}
    entry = {"cells": pagekeys.cells_digest(""), "modules": [], "display": {}, "reads": recorded}
    assert pagekeys.causes(entry, "", values) == []

    folders.use(shutil.copytree(folders.a, folders.a.parent / "copy-of-A"))
    assert pagekeys.causes(entry, "", values) == []  # moved, not changed: the page keeps its execution

    folders.use(folders.b)
    assert pagekeys.causes(entry, "", values) == [f"{folders.b.resolve() / 'quotes.csv'} changed"]


def test_the_state_token_is_the_data_folders_content_not_its_place(folders, monkeypatch):
    monkeypatch.setattr(codekeys, "module_keys", lambda modules: {})  # the code's part, here the same throughout
    in_a = pagekeys.state_token()
    folders.use(shutil.copytree(folders.a, folders.a.parent / "copy-of-A"))
    assert pagekeys.state_token() == in_a
    folders.use(folders.b)
    assert pagekeys.state_token() != in_a


def test_one_recording_gives_provenance_and_cache_keys(folders, scratch):  # noqa: F811
    quote_producer(scratch)
    registered(scratch)
    upstream = registry.get("quotes.first")
    with reads.recording() as outer:
        reads.file("quotes.csv", folders.a / "quotes.csv")
        with reads.recording() as inner:  # another producer running meanwhile records its own reads
            reads.computed("survey.typology.membership", "analysis.study.survey.typology_membership")
        registry.get("quotes.first")
    assert inner.code == {"survey.typology.membership": "analysis.study.survey.typology_membership"} and not inner.files
    assert outer.files == {"quotes.csv": (folders.a / "quotes.csv").resolve()} and not outer.code
    assert list(outer.results) == ["quotes.first@en"]

    data, uses = registry.provenance(outer)
    assert data == {"quotes.csv": hashing.file_hash(folders.a / "quotes.csv")} and uses == {"quotes.first": upstream.function}
    keyed = freshness.inputs(outer, registry._producer_of)
    assert keyed.files == {"data:quotes.csv": codekeys.file_digest(folders.a / "quotes.csv"),
                           "data:datapackage.json": codekeys.file_digest(folders.a / "datapackage.json")}
    assert keyed.results == {"quotes.first@en": {"digest": freshness.result_digest(upstream), "prefix": "quotes",
                                                 "module": "bboxscratch.quotes"}}
    assert freshness.inputs(inner, registry._producer_of).code == {
        "analysis.study.survey": codekeys.code_key("analysis.study.survey")}


def test_reads_outside_a_producer_and_a_kernel_are_recorded_nowhere(folders):
    reads.file("quotes.csv", folders.a / "quotes.csv")  # no recording, no page kernel: nothing to note, no error
    with reads.recording() as read:
        pass
    assert read == reads.Reads()


def imported(path: Path) -> set[str]:
    """The package modules a source file imports, at module level or inside a function."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update([node.module] + [f"{node.module}.{alias.name}" for alias in node.names])
    return {name for name in names if name.startswith("analysis.")}


def test_the_hasher_and_the_recorder_sit_below_data_and_results():
    bottom = {"analysis.paths", "analysis.hashing", "analysis.codekeys", "analysis.reads", "analysis.yaml_text"}
    for module in bottom:
        assert imported(codekeys.module_file(module)) <= bottom, f"{module} imports a layer above it"
    # loading data records its reads and keys its validation without results/ (no cycle through the hashers)
    assert not {name for name in imported(codekeys.module_file("analysis.data.load")) if name.startswith("analysis.results")}
