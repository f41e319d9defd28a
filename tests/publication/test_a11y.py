"""The accessibility report of every artifact (``make a11y``, tests/a11y.py): the absolute bars, and no
regression against the stored baseline tests/a11y-baseline.json."""

from __future__ import annotations

import json

import pytest

from analysis.publication import editions
from tests import a11y


def _language(edition: str) -> str:
    spec = editions.editions()[edition].get("config", {})
    return spec.get("sphinx", {}).get("config", {}).get("language", "en")


@pytest.fixture(scope="module")
def results(artifacts) -> dict[str, dict]:
    return a11y.report()


def test_regressions_are_found_and_equal_counts_pass():
    baseline = {"bbox-x.pdf": {"tagged": True, "lang": "nl", "pdfua errors": 0, "figures": 3},
                "bbox-x.epub": {"ace serious": 1}}
    same = {"bbox-x.pdf": {"tagged": True, "lang": "nl", "pdfua errors": 0, "figures": 5},
            "bbox-x.epub": {"ace serious": 0}}
    assert a11y.regressions(same, baseline) == []
    worse = {"bbox-x.pdf": {"tagged": False, "lang": "en", "pdfua errors": 2, "figures": 1},
             "bbox-x.epub": {"ace serious": 2}, "bbox-y.pdf": {}}
    found = "\n".join(a11y.regressions(worse, baseline))
    for words in ("tagged", "lang", "pdfua errors 2", "ace serious 2", "bbox-y.pdf: not in the baseline"):
        assert words in found
    assert "figures" not in found  # a count of things shown, not of findings


@pytest.mark.build
@pytest.mark.xdist_group("artifacts")
def test_no_accessibility_regression_against_the_baseline(results):
    baseline = json.loads(a11y.BASELINE.read_text(encoding="utf-8"))
    found = a11y.regressions(results, baseline)
    assert not found, "\n".join(found) + "\n\n" + a11y.markdown(results)


def for_every_built_edition(test):
    """A test of each edition's built artifacts (one build per session, see tests/conftest.py)."""
    for mark in (pytest.mark.parametrize("name", list(editions.editions())), pytest.mark.build,
                 pytest.mark.xdist_group("artifacts")):
        test = mark(test)
    return test


@for_every_built_edition
def test_every_pdf_is_tagged_pdfua_in_its_language_with_alt_text_and_embedded_fonts(results, name):
    pdf = results[f"bbox-{name}.pdf"]
    assert pdf["tagged"] and pdf["lang"] == _language(name), pdf
    assert pdf["figures without alt"] == 0 and pdf["fonts not embedded"] == 0, pdf
    assert pdf["pdfua errors"] == 0 and pdf["pdfua warnings"] == 0, pdf


@for_every_built_edition
def test_every_epub_passes_ace_and_epubcheck(results, name):
    epub = results[f"bbox-{name}.epub"]
    assert epub["ace outcome"] == "pass" and all(epub[f"ace {impact}"] == 0 for impact in a11y.IMPACTS), epub
    assert epub["epubcheck fatals+errors"] == 0 and epub["epubcheck warnings"] == 0, epub


@for_every_built_edition
def test_no_html_page_has_a_serious_or_critical_axe_violation(results, name):
    html = results[f"{name}.html"]
    assert html["pages"] > 0 and html["axe serious"] == 0 and html["axe critical"] == 0, html
