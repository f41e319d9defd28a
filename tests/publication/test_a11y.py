"""The accessibility report of every artifact (``make a11y``, tests/a11y.py): the absolute bars, and no
regression against the stored baseline tests/a11y-baseline.json. The HTML's serious and critical axe findings fail
tests/publication/test_browser.py, which opens every page once for all its checks."""

from __future__ import annotations

import json

import pytest

from analysis.publication import editions
from tests import a11y
from tests.checks import a11y_of


def _language(edition: str) -> str:
    spec = editions.editions()[edition].get("config", {})
    return spec.get("sphinx", {}).get("config", {}).get("language", "en")


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


def for_every_built_edition(test):
    """A test of each edition's built artifacts; each check runs once per artifact and run (tests/checks.py)."""
    for mark in (pytest.mark.parametrize("name", list(editions.editions())), pytest.mark.build):
        test = mark(test)
    return test


@for_every_built_edition
@pytest.mark.browser  # the HTML's counts come from every page opened in Chromium
def test_no_accessibility_regression_against_the_baseline(artifacts, name):
    results = {f"{name}.html": a11y_of(name, "html"), f"bbox-{name}.epub": a11y_of(name, "epub"),
               f"bbox-{name}.pdf": a11y_of(name, "pdf")}
    found = a11y.regressions(results, json.loads(a11y.BASELINE.read_text(encoding="utf-8")))
    assert not found, "\n".join(found) + "\n\n" + a11y.markdown(results)


@for_every_built_edition
def test_every_pdf_is_tagged_pdfua_in_its_language_with_alt_text_and_embedded_fonts(artifacts, name):
    pdf = a11y_of(name, "pdf")
    assert pdf["tagged"] and pdf["lang"] == _language(name), pdf
    assert pdf["figures without alt"] == 0 and pdf["fonts not embedded"] == 0, pdf
    assert pdf["pdfua errors"] == 0 and pdf["pdfua warnings"] == 0, pdf


@for_every_built_edition
def test_every_epub_passes_ace_and_epubcheck(artifacts, name):
    epub = a11y_of(name, "epub")
    assert epub["ace outcome"] == "pass" and all(epub[f"ace {impact}"] == 0 for impact in a11y.IMPACTS), epub
    assert epub["epubcheck fatals+errors"] == 0 and epub["epubcheck warnings"] == 0, epub
