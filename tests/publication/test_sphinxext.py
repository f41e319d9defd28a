"""The Sphinx extension is one module a concern, each an extension of its own that is safe in parallel."""

import importlib
from types import SimpleNamespace

import pytest

from analysis.publication import sphinxext
from analysis.publication.sphinxext import freshness


class Recorder:
    """Stands in for the Sphinx application: records what an extension's setup registers."""

    def __init__(self):
        self.config = SimpleNamespace(templates_path=[], html_static_path=[])
        self.calls = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args))


@pytest.mark.parametrize("concern", sphinxext.CONCERNS)
def test_each_concern_is_an_extension_safe_to_read_and_write_in_parallel(concern):
    module = importlib.import_module(f"{sphinxext.__name__}.{concern}")
    metadata = module.setup(Recorder())
    assert metadata["parallel_read_safe"] and metadata["parallel_write_safe"], concern


def test_the_package_sets_up_every_concern():
    app = Recorder()
    sphinxext.setup(app)
    assert [args[0] for name, args in app.calls if name == "setup_extension"] == [
        f"{sphinxext.__name__}.{concern}" for concern in sphinxext.CONCERNS]


def test_notebook_pages_read_in_parallel_are_merged_into_the_build_environment():
    main, reader = SimpleNamespace(), SimpleNamespace()
    freshness.notebooks(main).update({"intro", "removed"})
    freshness.forget_page(None, main, "removed")  # Sphinx purges a page before it is read again or when it is gone
    freshness.notebooks(reader).update({"intro", "survey"})  # a reading process's copy, which read "survey", "about"
    freshness.read_now(reader).update({"survey": ("source", "token", []), "intro": ("old", "token", [])})
    freshness.merge_parallel_reads(None, main, {"survey", "about"}, reader)
    assert freshness.notebooks(main) == {"intro", "survey"}
    assert set(freshness.read_now(main)) == {"survey"}  # its token is recorded after reading, as in a serial build


def test_only_pages_with_a_kernel_get_the_token_cell(tmp_path, monkeypatch):
    monkeypatch.setattr(freshness.pagekeys, "read_record", lambda edition: {"pages": {}, "executed": {}})
    freshness._build.clear()
    app = SimpleNamespace(env=SimpleNamespace(), config=SimpleNamespace(bbox_edition="book"))
    page = ["---\nkernelspec:\n  name: python3\n---\n# Title\n\n```{code-cell} ipython3\nx = 1\n```\n"]
    plain = ["# Title\n\nProse only.\n"]
    freshness.add_token_cell(app, "page", page)
    freshness.add_token_cell(app, "plain", plain)
    assert page[0].rstrip().endswith("```") and "at state" in page[0] and ":tags: [remove-cell]" in page[0]
    assert set(freshness.read_now(app.env)) == {"page"}
    assert plain == ["# Title\n\nProse only.\n"] and freshness.notebooks(app.env) == {"page"}


def test_the_lists_of_figures_and_tables_are_made_again_whenever_a_page_is_read_and_only_then():
    from analysis.publication.sphinxext import figures

    env = SimpleNamespace(found_docs={"chapters/survey", "figures-and-tables"})
    figures.list_pages(env).add("figures-and-tables")
    nothing, survey = [], ["chapters/survey"]
    figures.reread_lists(None, env, nothing)
    figures.reread_lists(None, env, survey)
    assert nothing == [] and survey == ["chapters/survey", "figures-and-tables"]
    assert figures.reread_lists_after_removal(None, env, set(), set(), {"chapters/gone"}) == ["figures-and-tables"]
    assert figures.reread_lists_after_removal(None, env, set(), set(), set()) == []


def test_citation_plugins_are_looked_up_once_not_per_citation(monkeypatch):
    import pybtex.plugin

    from analysis.publication.sphinxext import bibliography

    config = SimpleNamespace(bibtex_default_style="plain")
    found = {pair: pybtex.plugin.find_plugin(*pair) for pair in bibliography.plugins_asked_for(config)}
    bibliography.register_once(None, config)

    def no_scan(**kwargs):
        raise AssertionError(f"entry points scanned for {kwargs}")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_scan)
    assert {pair: pybtex.plugin.find_plugin(*pair) for pair in found} == found
