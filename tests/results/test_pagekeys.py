"""What a page keys on at display time: the code it runs but not the study's (whose code reaches it through the
results it reads, by value, or a code read), the fixed strings it read by key and language (not the whole files),
the pins only where a page reads them as files; and `make why` answers for a whole edition."""

from __future__ import annotations

from analysis import __main__ as cli
from analysis import codekeys, i18n
from analysis.results import freshness, pagekeys


def test_a_pages_display_code_leaves_out_the_study():
    keys = pagekeys.display_keys(["analysis.publish"])
    assert "analysis.publication.display" in keys and "analysis.results.registry" in keys
    assert not [m for m in keys if m.startswith("analysis.study")]
    # the closure does reach the study: display_keys leaves it out on purpose
    assert any(m.startswith("analysis.study") for m in codekeys.module_keys(["analysis.publish"]))


def test_the_pins_are_no_part_of_any_modules_code():
    assert "analysis.publication.provenance" not in codekeys.RESOURCES


def test_a_string_read_is_keyed_by_its_text_in_its_language(monkeypatch, tmp_path):
    values = pagekeys.Values()
    recorded = pagekeys.reads_of(["bbox-reads:words:source@nl"], values)
    assert recorded == {"words:source@nl": freshness.words_now("source@nl")}
    entry = {"cells": pagekeys.cells_digest(""), "modules": [], "display": {}, "reads": recorded}
    assert pagekeys.causes(entry, "", values) == []
    for lang in i18n.LANGUAGES:
        strings = (i18n.STRINGS / f"{lang}.yml").read_text(encoding="utf-8")
        if lang == "nl":
            assert strings.count('\nsource: "Bron"\n') == 1
            strings = strings.replace('\nsource: "Bron"\n', '\nsource: "Herkomst"\n')
        (tmp_path / f"{lang}.yml").write_text(strings, encoding="utf-8")
    monkeypatch.setattr(i18n, "_DIR", tmp_path)
    assert pagekeys.causes(entry, "", values) == ["the string source changed (analysis/i18n/nl.yml)"]


def test_a_summary_says_how_many_more_causes():
    assert pagekeys.summary(["a", "b", "c", "d", "e"]) == "a; b; c; and 2 more"
    assert pagekeys.summary(["a", "b"], ", ") == "a, b"


def test_why_answers_for_every_page_of_an_edition(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path))  # no build record: every notebook page would execute
    assert cli.main(["why", "--edition", "report"]) == 0
    out = capsys.readouterr().out
    assert "editions/report/findings (report): would execute again:\n  it has no build record" in out
    notebooks = [p for p in ("editions/report/index", "editions/report/findings") if pagekeys.is_notebook(p)]
    assert out.rstrip().endswith(f"report: {len(notebooks)} of {len(notebooks)} page(s) would execute again")


def test_the_strings_files_are_no_modules_code(monkeypatch):
    """A page keys on each string it read (its ``words:`` reads), a producer too (tests/results/test_registry.py):
    the strings files are in no module's key, so adding a string moves no page's display code and no code key."""
    before, keys = pagekeys.display_keys(["analysis.publish"]), codekeys.module_keys(["analysis.publish"])
    assert "analysis.i18n" in keys and "analysis" in keys  # the module beside the strings, the package holding them
    original = codekeys.source_key
    monkeypatch.setattr(codekeys, "source_key", lambda path: "edited" if i18n.STRINGS in path.parents else original(path))
    monkeypatch.setattr(codekeys, "_module_keys", {})
    assert codekeys.module_keys(["analysis.publish"]) == keys
    assert pagekeys.display_keys(["analysis.publish"]) == before