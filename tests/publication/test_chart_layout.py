"""Charts print cleanly: every chart of every edition and language, laid out as its image is for the PDF and the
EPUB, has no text overlapping another, cut short ("…") or running out of the image, and stays legible and whole on
the printed page (analysis/publication/chart_layout.py)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from analysis import paths
from analysis.charts import localised, vega_lite
from analysis.publication import chart_layout

CHARTS = sorted((paths.RESULTS / "charts").glob("*.vl.json"))  # every published chart, in every language


def test_every_chart_is_checked():
    assert len(CHARTS) >= 20 and any("@nl" in path.name for path in CHARTS) and any("@fr" in path.name for path in CHARTS)


@pytest.mark.parametrize("path", CHARTS, ids=[path.name for path in CHARTS])
def test_every_chart_prints_cleanly(path):
    assert chart_layout.layout_problems(json.loads(path.read_text(encoding="utf-8"))) == []


TRANSLATED = [path for path in CHARTS if "@" in path.name]
SAME_IN_EVERY_LANGUAGE = {"Type", "Dimension", "Total"}


@pytest.mark.parametrize("path", TRANSLATED, ids=[path.name for path in TRANSLATED])
def test_a_dutch_or_french_chart_draws_no_english_text(path):
    """Every text a Dutch or French chart draws (axes, legend, headers, value labels) is in its language: none is
    the English chart's, but numbers and the words the languages share."""
    english = json.loads((path.parent / re.sub(r"@\w+\.vl\.json$", ".vl.json", path.name)).read_text(encoding="utf-8"))
    drawn = {box.text for box in chart_layout.text_boxes(json.loads(path.read_text(encoding="utf-8")))[0]}
    shared = drawn & {box.text for box in chart_layout.text_boxes(english)[0]}
    assert {text for text in shared if re.search(r"[^\W\d_]", text)} <= SAME_IN_EVERY_LANGUAGE


def _percent_axis(width: int, **axis) -> dict:
    frame = pd.DataFrame({"share": [i / 10 for i in range(11)], "n": range(11)})
    x = alt.X("share:Q", axis=alt.Axis(format="%", values=[i / 10 for i in range(11)], **axis))
    return vega_lite(localised(alt.Chart(frame).mark_point().encode(x=x, y="n:Q").properties(width=width), "fr"))


def test_the_check_finds_overlapping_labels():
    """'90 %' and '100 %' drawn over each other (the brochure's "90100 % %"); where Vega hides the labels that
    would overlap, nothing overlaps."""
    problems = chart_layout.layout_problems(_percent_axis(120, labelOverlap=False))
    assert any("'90\\xa0%' overlaps axis-label: '100\\xa0%'" in problem for problem in problems), problems
    assert chart_layout.layout_problems(_percent_axis(120)) == []


def test_the_check_finds_labels_cut_short_and_out_of_the_image():
    long = "a practice whose name runs on well past the width its axis allows"
    chart = alt.Chart(pd.DataFrame({"practice": [long], "n": [1]})).mark_bar().encode(
        y=alt.Y("practice:N", axis=alt.Axis(labelLimit=90)), x="n:Q")
    assert chart_layout.layout_problems(vega_lite(chart)) == [f"axis-label: {long!r} is cut short (wider than its "
                                                              f"label limit)"]
    # laid out without room for its axes (autosize "none"), the labels fall outside the image
    spec = {**vega_lite(chart), "autosize": {"type": "none"}}
    assert any("runs out of the image" in problem for problem in chart_layout.layout_problems(spec))


def test_the_check_finds_charts_too_small_or_too_tall_in_print():
    wide = chart_layout.layout_problems(_percent_axis(1400))
    assert any("prints at" in problem and "under 6 pt" in problem for problem in wide), wide
    frame = pd.DataFrame({"item": [f"item {i}" for i in range(60)], "n": range(60)})
    tall = vega_lite(alt.Chart(frame).mark_bar().encode(y=alt.Y("item:N", sort=None), x="n:Q")
                     .properties(height=alt.Step(20)))
    assert any("would be cut off" in problem for problem in chart_layout.layout_problems(tall))


# -- Tables: no column narrower than its longest word -------------------------------------------------------------

def _shown_tables() -> list[Path]:
    """Every published table as an edition shows it: the book's in English, and the short editions' (report and
    brochure) in Dutch and French too."""
    from analysis.publication import findings

    short = {key for edition in findings.SHORT_EDITIONS for key in findings.listed(edition, "shows")}
    folder = paths.RESULTS / "tables"
    return sorted([path for path in folder.glob("*.csv") if "@" not in path.name]
                  + [folder / f"{key}@{lang}.csv" for key in short for lang in ("nl", "fr")
                     if (folder / f"{key}@{lang}.csv").exists()])


TABLES = _shown_tables()
# Measured in the short editions' sans (wider than the book's serif) at the book's table size (the larger: bbox.typ
# sets tables at 0.85em of 11 pt), with the cells' insets (bbox.typ: inset x 4pt).
TABLE_PT = 11 * 0.85
CELL_INSETS_PT = 2 * 4


def _heros(weight: str):
    import subprocess

    from PIL import ImageFont

    found = subprocess.run(["fc-match", "-f", "%{file}", f"TeX Gyre Heros:{weight}"], capture_output=True, text=True,
                           check=True).stdout
    assert "heros" in found.lower(), f"TeX Gyre Heros is not installed (make fonts): {found}"
    return ImageFont.truetype(found, 100)


def _widest_piece(text: str, font) -> float:
    """The widest piece of ``text`` a line cannot break, in points: a word, or the part of it before or after a
    hyphen or a slash (tables are not hyphenated)."""
    pieces = [part for word in text.split() for part in re.split(r"(?<=[-/–])", word)]
    return max([0.0, *map(font.getlength, pieces)]) * TABLE_PT / 100


def column_widths(rows: list[list[str]]) -> list[float]:
    """The least width of each column of a printed table, in points: its widest unbreakable piece (the header in
    bold) and the cell insets."""
    regular, bold = (_heros(weight) for weight in ("regular", "bold"))
    header, *body = rows
    return [max([_widest_piece(name, bold), *(_widest_piece(row[column], regular) for row in body)]) + CELL_INSETS_PT
            for column, name in enumerate(header)]


def test_every_shown_table_is_checked():
    names = {path.name for path in TABLES}
    assert "survey.typology.sizes@nl.csv" in names and "newcomers.themes.overall@fr.csv" in names
    assert all(path.exists() for path in TABLES) and len(names) > 40


@pytest.mark.parametrize("path", TABLES, ids=[path.name for path in TABLES])
def test_every_table_fits_the_printed_column_without_breaking_a_word(path):
    """Every column can be as wide as its longest word and the table still fits the page's column: no word need
    be broken inside ("generalis t service")."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    widths = column_widths(rows)
    assert sum(widths) <= chart_layout.COLUMN_PT, (
        f"{path.name}: its columns need {sum(widths):.0f} pt, the page's column is {chart_layout.COLUMN_PT:.0f} pt "
        f"({', '.join(f'{name}: {width:.0f}' for name, width in zip(rows[0], widths))})")


def test_the_column_check_refuses_a_table_too_wide():
    [compound] = column_widths([["Betrouwbaarheidsinterval"], ["x"]])
    [split] = column_widths([["Betrouwbaarheids-interval"], ["x"]])
    assert CELL_INSETS_PT < split < compound  # a word breaks at its own hyphen only
    wide = [[f"Column {i}" for i in range(20)], ["generalist"] * 20]
    assert sum(column_widths(wide)) > chart_layout.COLUMN_PT
