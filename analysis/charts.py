"""The house look of every chart: the palette, the font and sizes, and the number conventions of each language.

A study part draws its charts with Altair and hands them to :func:`analysis.producers.chart`, which makes each one a
Vega-Lite spec in this theme (:func:`vega_lite`); :func:`localised` gives a chart the number conventions of its
language. How a chart is then shown in each format is :mod:`analysis.publication.charts`; the checks of a spec's
titles, locale and colours are :mod:`analysis.publication.chartchecks`.

A chart has no title of its own: it is a numbered figure whose caption (the result's title) names it, in every
format, so a title drawn in the chart would say the same thing twice.

This module sits below the study (it imports only :mod:`analysis.i18n`), so a study part draws its charts without
importing the publication.
"""

from __future__ import annotations

import altair as alt

from analysis import i18n

# Okabe & Ito's palette in their order (blue, orange, bluish green, reddish purple, vermillion, black), the light ones
# darkened to meet WCAG 2.2 SC 1.4.11 (3:1 on white: orange #E69F00 was 2.25:1, reddish purple #CC79A7 3.06:1).
# Sky blue (#56B4E9, 2.31:1) and yellow (#F0E442, 1.32:1) are left out: dark enough for 3:1 they become a second
# blue and an olive, which the dichromacies confuse with the blue and the orange. Six colours, and no chart has more
# than five categories. Every colour has 3:1 or more on white, and the closest two under normal vision, protanopia,
# deuteranopia and tritanopia are 17.0 ΔE*ab apart (blue and bluish green, tritanopia), more than the closest two of
# the original palette (16.1, bluish green and sky blue, tritanopia): see colours.separation and palette_problems.
PALETTE = ["#0072B2", "#B38000", "#009E73", "#9C4C80", "#A5400B", "#000000"]
# The least CIELAB distance two palette colours may have under any simulated vision: the original Okabe–Ito
# palette's own (16.05), so the darker palette is at least as easy to tell apart as the one it replaces.
MIN_SEPARATION = 16.0
# Colours that carry no category (backgrounds, gridlines, neutral marks), and Vega's colour schemes that stay
# readable with the common colour-vision deficiencies (perceptually ordered single-hue or blue–orange ramps).
NEUTRALS = {"white", "#ffffff", "black", "transparent", "gray", "grey", "#888888", "lightgray", "#dddddd"}
CVD_SAFE_SCHEMES = {"viridis", "cividis", "magma", "inferno", "plasma", "blues", "greys", "oranges", "purples",
                    "blueorange", "lightgreyteal", "darkblue", "lightorange"}
# The colour of a chart with one series (a mark with no colour of its own): the palette's first, dark enough on the
# white background for WCAG 2.1 SC 1.4.11 (3:1 for graphical objects; about 5.2:1). Without it Vega draws such a
# mark in its own default blue, VEGA_DEFAULT, which is not in the palette.
SINGLE_SERIES = PALETTE[0]
VEGA_DEFAULT = "#4c78a8"
BACKGROUND = "white"  # Vega's default background, which the theme keeps
MIN_CONTRAST = 3.0  # WCAG 2.2 SC 1.4.11, non-text contrast of graphical objects
FONT = "DejaVu Sans"
WIDTH = 520


def _theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig({
        "config": {
            "font": FONT,
            "range": {"category": PALETTE},
            # opaque marks: Vega-Lite draws points (and layered bars) at 0.7 opacity by default, which blends a
            # colour with the white under it and takes it below the 3:1 the palette was chosen for
            "mark": {"color": SINGLE_SERIES, "opacity": 1},
            "view": {"continuousWidth": WIDTH, "stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 320},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 320},
        }
    })


THEME = "bbox"


def vega_lite(chart) -> dict:
    """The Vega-Lite spec of an Altair chart (a spec already made stays as it is) in the house theme (palette,
    single-series colour, font, sizes), with all its data inline however many rows. The theme is applied here, where a chart becomes a
    spec, and only for that moment: importing this module changes nothing in Altair."""
    if isinstance(chart, dict):
        return chart
    alt.theme.register(THEME, enable=False)(_theme)
    with alt.theme.enable(THEME), alt.data_transformers.disable_max_rows():
        return chart.to_dict()


def localised(chart, lang: str):
    """``chart`` with the number conventions of ``lang`` (decimal mark, grouping, percent sign) as its Vega
    ``config.locale``: the browser's Vega and vl-convert both read it from the spec, so the interactive chart, its
    tooltips and the static images write numbers as the prose does (English too, explicitly)."""
    return chart.configure(locale=i18n.vega_locale(lang))
