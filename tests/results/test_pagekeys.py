"""What a page keys on at display time: the code it runs but not the study's (whose code reaches it through the
results it reads, by value, or a code read), the fixed strings it read by key and language (not the whole files),
the pins only where a page reads them as files; and `make why` answers for a whole edition."""

from __future__ import annotations

from analysis import __main__ as cli
from analysis import codekeys, i18n
from analysis.results import pagekeys


def test_a_pages_display_code_leaves_out_the_study_and_the_strings_files():
    keys = pagekeys.display_keys(["analysis.publish"])
    assert "analysis.publication.display" in keys and "analysis.results.registry" in keys
    assert not [m for m in keys if m.startswith("analysis.study")]
    assert keys["analysis.i18n"] != codekeys.module_keys(["analysis.i18n"])["analysis.i18n"]  # without en.yml…
    assert keys["analysis"] != codekeys.module_keys(["analysis"])["analysis"]  # the package's folder holds them too
    # the closure does reach the study and the strings' folder: display_keys leaves them out on purpose
    assert any(m.startswith("analysis.study") for m in codekeys.module_keys(["analysis.publish"]))


def test_the_pins_are_no_part_of_any_modules_code():
    assert "analysis.publication.provenance" not in codekeys.RESOURCES


def test_a_string_read_is_keyed_by_its_text_in_its_language(monkeypatch):
    values = pagekeys.Values()
    recorded = pagekeys.reads_of(["bbox-reads:words:source@nl"], values)
    assert recorded == {"words:source@nl": pagekeys._digest(i18n.text("source", "nl"))}
    entry = {"cells": pagekeys.cells_digest(""), "modules": [], "display": {}, "reads": recorded}
    assert pagekeys.causes(entry, "", values) == []
    other = {**i18n.strings("nl"), "source": "Herkomst"}
    monkeypatch.setattr(i18n, "strings", lambda lang: other if lang == "nl" else {})
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


def test_an_edit_of_the_strings_files_moves_no_pages_display_code(monkeypatch):
    before, whole = pagekeys.display_keys(["analysis.publish"]), codekeys.module_keys(["analysis.publish"])
    original = codekeys.source_key
    monkeypatch.setattr(codekeys, "source_key", lambda path: "edited" if i18n.STRINGS in path.parents else original(path))
    monkeypatch.setattr(codekeys, "_module_keys", {})
    assert codekeys.module_keys(["analysis.publish"]) != whole  # the files are part of the package's code…
    assert pagekeys.display_keys(["analysis.publish"]) == before  # …but a page reads their strings one by one
