"""``python -m analysis keys PREFIX`` lists the pinned results under a prefix with what readers see, their title and
the pages that show them (as the last build of each edition recorded); a mistyped prefix gets the closest keys."""

from __future__ import annotations

import json

import pytest

from analysis import __main__ as cli
from analysis import paths
from analysis.results import pins


@pytest.fixture
def recorded(tmp_path, monkeypatch):
    monkeypatch.setenv("BBOX_SHOWN_DIR", str(tmp_path))
    (tmp_path / "book.json").write_text(json.dumps({"chapters/survey": ["survey.response.rate"],
                                                    "chapters/methods": ["survey.response.n_br"]}), encoding="utf-8")
    return tmp_path


def test_keys_lists_every_key_under_a_prefix_with_its_pinned_text_and_pages(recorded, capsys):
    numbers = json.loads((paths.RESULTS / "numbers.json").read_text(encoding="utf-8"))
    assert cli.main(["keys", "survey.response.n"]) == 0
    out = capsys.readouterr().out
    # the keys an f-string builds (survey.response.n_{region}) are found as they are pinned
    listed = [line.split()[0] for line in out.splitlines() if not line.startswith(" ")]
    assert listed == sorted(k for k in numbers if k.startswith("survey.response.n") and "@" not in k)
    assert f"survey.response.n_br  {numbers['survey.response.n_br']['shown']}\n" in out
    assert "shown in: chapters/methods [book]" in out and "shown in: no page" in out


def test_a_number_shows_its_text_in_each_language(recorded, capsys):
    numbers = json.loads((paths.RESULTS / "numbers.json").read_text(encoding="utf-8"))
    cli.main(["keys", "survey.response.rate"])
    first = capsys.readouterr().out.splitlines()[0]
    en, nl = numbers["survey.response.rate"]["shown"], numbers["survey.response.rate@nl"]["shown"]
    assert en != nl and first == f"survey.response.rate  en {en} · nl {nl} · fr {numbers['survey.response.rate@fr']['shown']}"


def test_a_mistyped_prefix_names_the_closest_keys(recorded, capsys):
    assert cli.main(["keys", "survey.respons.rate"]) == 1
    err = capsys.readouterr().err
    assert "no pinned result under 'survey.respons.rate'; did you mean survey.response.rate" in err


def test_pinned_folds_the_languages_of_a_result_and_keeps_tables():
    every = pins.pinned()
    assert every["survey.response.by_region"].kind == "table" and every["survey.response.by_region"].shown == {}
    assert set(every["survey.response.rate"].shown) == {"en", "nl", "fr"}
    assert not any("@" in key for key in every)
