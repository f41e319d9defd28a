"""Charts: one look for every chart, and one rendering for every output format.

A chart is published as a Vega-Lite spec with its data inline. :class:`ChartOutput` shows it in a
notebook as one bundle of three formats; the book's configuration picks one per builder:
interactive ``text/html`` for HTML (rendered by the Vega bundle the book ships, no network needed),
``image/png`` for PDF and ``image/svg+xml`` for EPUB, both rendered by vl-convert.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json

import altair as alt
import vl_convert as vlc

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "DejaVu Sans"
WIDTH = 520


def _theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig({
        "config": {
            "font": FONT,
            "range": {"category": PALETTE},
            "view": {"continuousWidth": WIDTH, "stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 320},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 320},
            "title": {"fontSize": 14, "anchor": "start"},
        }
    })


alt.theme.register("bbox", enable=True)(_theme)
alt.data_transformers.disable_max_rows()


class ChartOutput:
    """A published chart as a notebook output (interactive HTML, PNG and SVG)."""

    def __init__(self, spec: dict, alt_text: str):
        self.spec = spec
        self.alt_text = alt_text

    def _repr_mimebundle_(self, include=None, exclude=None):
        spec_json = json.dumps(self.spec, sort_keys=True)
        element = "vega-" + hashlib.sha256(spec_json.encode()).hexdigest()[:12]
        label = html.escape(self.alt_text, quote=True)
        embedded = spec_json.replace("</", "<\\/")  # a JSON escape, so the spec cannot close its script element
        markup = (
            f'<div class="bbox-chart" id="{element}" role="img" aria-label="{label}"></div>\n'
            f'<script type="application/json" id="{element}-spec">{embedded}</script>\n'
            f'<script>bboxChart("{element}");</script>'
        )
        png = vlc.vegalite_to_png(self.spec, scale=2)
        return {
            "text/html": markup,
            "image/png": base64.b64encode(png).decode(),
            "image/svg+xml": vlc.vegalite_to_svg(self.spec),
        }, {"image/png": {"alt": self.alt_text}, "image/svg+xml": {"alt": self.alt_text}}


def describe_bars(frame, category: str, value: str, what: str, unit_format=lambda v: f"{v:.0f}") -> str:
    """A text alternative for a bar chart: what it shows and its extremes, from the data."""
    ordered = frame.sort_values(value)
    low, high = ordered.iloc[0], ordered.iloc[-1]
    return (f"Bar chart of {what} for {len(frame)} categories of {category}; highest: {high[category]} "
            f"({unit_format(high[value])}), lowest: {low[category]} ({unit_format(low[value])}).")
