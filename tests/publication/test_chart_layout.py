"""Charts print cleanly: every chart of every edition and language, laid out as its image is for the PDF and the
EPUB, has no text overlapping another, cut short ("…") or running out of the image, and stays legible and whole on
the printed page (analysis/publication/chart_layout.py)."""

from __future__ import annotations

import csv
import io
import json
import re

import altair as alt
import pandas as pd
import pytest

from analysis import paths
from analysis.publication import chart_layout
from analysis.publication.charts import localised, vega_lite

CHARTS = sorted((paths.RESULTS / "charts").glob("*.vl.json"))  # every published chart, in every language


def test_every_chart_is_checked():
    assert len(CHARTS) >= 20 and any("@nl" in path.name for path in CHARTS) and any("@fr" in path.name for path in CHARTS)


@pytest.mark.parametrize("path", CHARTS, ids=[path.name for path in CHARTS])
def test_every_chart_prints_cleanly(path):
    assert chart_layout.layout_problems(json.loads(path.read_text(encoding="utf-8"))) == []


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

TABLES = sorted((paths.RESULTS / "tables").glob("*.csv"))  # every published table, in every language
# Measured in the short editions' sans (wider than the book's serif) at the book's table size (the larger: bbox.typ
# sets tables at 0.85em of 11 pt), with the cells' insets (bbox.typ: inset x 4pt).
TABLE_PT = 11 * 0.85
CELL_INSETS_PT = 2 * 4
HYPHENATION = {"nl": "nl_NL", "fr": "fr"}  # bbox.typ hyphenates Dutch and French tables, not English ones


class _Whole:
    """No hyphenation: words break only at their hyphens and slashes."""

    @staticmethod
    def inserted(word: str, hyphen: str = "-") -> str:
        return word


def _heros(weight: str):
    import subprocess

    from PIL import ImageFont

    found = subprocess.run(["fc-match", "-f", "%{file}", f"TeX Gyre Heros:{weight}"], capture_output=True, text=True,
                           check=True).stdout
    assert "heros" in found.lower(), f"TeX Gyre Heros is not installed (make fonts): {found}"
    return ImageFont.truetype(found, 100)


def _widest_fragment(text: str, font, hyphenator) -> float:
    """The widest piece of ``text`` a line cannot break: each word, at its hyphens and slashes, then at the
    syllables where the language hyphenates (as Typst does in a Dutch or French table)."""
    widest = 0.0
    for word in text.split():
        for part in re.split(r"(?<=[-/–])", word):
            pieces = hyphenator.inserted(part, hyphen="\u00ad").split("\u00ad")
            widest = max([widest, *(font.getlength(piece + ("-" if i < len(pieces) - 1 else ""))
                                    for i, piece in enumerate(pieces))])
    return widest * TABLE_PT / 100


def column_widths(rows: list[list[str]], lang: str) -> list[float]:
    """The least width of each column of a printed table, in points: its widest unbreakable piece (the header in
    bold) and the cell insets."""
    import pyphen

    regular, bold = (_heros(weight) for weight in ("regular", "bold"))
    hyphenator = pyphen.Pyphen(lang=HYPHENATION[lang], left=2, right=3) if lang in HYPHENATION else _Whole()
    header, *body = rows
    return [max([_widest_fragment(name, bold, hyphenator),
                 *(_widest_fragment(row[column], regular, hyphenator) for row in body)]) + CELL_INSETS_PT
            for column, name in enumerate(header)]


@pytest.mark.parametrize("path", TABLES, ids=[path.name for path in TABLES])
def test_every_table_fits_the_printed_column_without_breaking_a_word(path):
    """Every column can be as wide as its longest unbreakable piece and the table still fits the page's column:
    no word is broken where it has no syllable break ("generalis t service")."""
    lang = next((lang for lang in ("nl", "fr") if path.name.endswith(f"@{lang}.csv")), "en")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    widths = column_widths(rows, lang)
    assert sum(widths) <= chart_layout.COLUMN_PT, (
        f"{path.name}: its columns need {sum(widths):.0f} pt, the page's column is {chart_layout.COLUMN_PT:.0f} pt "
        f"({', '.join(f'{name}: {width:.0f}' for name, width in zip(rows[0], widths))})")


def test_the_column_check_reads_syllables_and_refuses_a_table_too_wide():
    compound = [["Betrouwbaarheidsinterval"], ["x"]]
    [hyphenated] = column_widths(compound, "nl")
    import pyphen

    whole = _heros("bold").getlength("Betrouwbaarheidsinterval") * TABLE_PT / 100
    assert CELL_INSETS_PT < hyphenated < whole  # it breaks at a syllable, so the column may be narrower
    assert pyphen.Pyphen(lang="nl_NL").inserted("betrouwbaarheidsinterval").count("-") >= 3
    assert column_widths(compound, "en") > [hyphenated]  # English tables are not hyphenated
    wide = [[f"Column {i}" for i in range(20)], ["generalist"] * 20]
    assert sum(column_widths(wide, "en")) > chart_layout.COLUMN_PT
