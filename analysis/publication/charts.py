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
import re
import struct
import zlib
from pathlib import Path

import altair as alt
import vl_convert as vlc

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Colours that carry no category (backgrounds, gridlines, neutral marks), and Vega's colour schemes that stay
# readable with the common colour-vision deficiencies (perceptually ordered single-hue or blue–orange ramps).
NEUTRALS = {"white", "#ffffff", "black", "transparent", "gray", "grey", "#888888", "lightgray", "#dddddd"}
CVD_SAFE_SCHEMES = {"viridis", "cividis", "magma", "inferno", "plasma", "blues", "greys", "oranges", "purples",
                    "blueorange", "lightgreyteal", "darkblue", "lightorange"}
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
        element = self.element_id
        label = html.escape(self.alt_text, quote=True)
        embedded = spec_json.replace("</", "<\\/")  # a JSON escape, so the spec cannot close its script element
        markup = (
            f'<div class="bbox-chart" id="{element}" role="img" aria-label="{label}"></div>\n'
            f'<script type="application/json" id="{element}-spec">{embedded}</script>\n'
            f'<script>bboxChart("{element}");</script>'
        )
        # The static images carry their text alternative inside the file: myst-nb ignores an output's "alt"
        # metadata, so the book's Sphinx extension reads it from there (see embedded_description).
        png = with_png_description(vlc.vegalite_to_png(self.spec, scale=2), self.alt_text)
        return {
            "text/html": markup,
            "image/png": base64.b64encode(png).decode(),
            "image/svg+xml": with_svg_title(vlc.vegalite_to_svg(self.spec), self.alt_text),
        }, {"image/png": {"alt": self.alt_text}, "image/svg+xml": {"alt": self.alt_text}}

    @property
    def element_id(self) -> str:
        """The HTML id of the chart's container."""
        return "vega-" + hashlib.sha256(json.dumps(self.spec, sort_keys=True).encode()).hexdigest()[:12]


# -- Text alternatives carried by the image files ---------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_ROOT = re.compile(r"<svg\b[^>]*>")
SVG_TITLE = re.compile(r"<svg\b[^>]*>\s*<title>(.*?)</title>", re.S)


def with_png_description(png: bytes, text: str) -> bytes:
    """The PNG with ``text`` in an iTXt "Description" chunk (PNG's keyword for a description of the image)."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG image")
    data = b"Description\0\0\0\0\0" + text.encode("utf-8")  # keyword, uncompressed, no language tag
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))
    end = png.rindex(b"IEND") - 4  # the IEND chunk starts with its 4-byte length
    return png[:end] + chunk + png[end:]


def with_svg_title(svg: str, text: str) -> str:
    """The SVG with ``text`` as the <title> of its root element (its accessible name)."""
    root = SVG_ROOT.search(svg)
    if root is None:
        raise ValueError("not an SVG image")
    return svg[:root.end()] + f"<title>{html.escape(text, quote=False)}</title>" + svg[root.end():]


def embedded_description(path: Path) -> str | None:
    """The text alternative a PNG or SVG file written by :class:`ChartOutput` carries, if any."""
    content = Path(path).read_bytes()
    if content.startswith(PNG_SIGNATURE):
        position = len(PNG_SIGNATURE)
        while position < len(content):
            (length,), kind = struct.unpack(">I", content[position:position + 4]), content[position + 4:position + 8]
            data = content[position + 8:position + 8 + length]
            if kind == b"iTXt" and data.startswith(b"Description\0"):
                return data.split(b"\0", 5)[5].decode("utf-8")
            position += 12 + length
        return None
    title = SVG_TITLE.search(content.decode("utf-8", errors="replace"))
    return html.unescape(title.group(1)) if title else None


# -- Colour-blind safety ------------------------------------------------------------------------------

COLOUR_KEYS = {"color", "fill", "stroke", "background"}


def colour_problems(spec: dict) -> list[str]:
    """Where a Vega-Lite spec uses a colour outside the Okabe–Ito palette, or a scheme not safe for CVD."""
    problems = []
    category = spec.get("config", {}).get("range", {}).get("category")
    if category != PALETTE:
        problems.append(f"config.range.category is {category!r}, not the Okabe–Ito palette (the bbox theme)")

    def check(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{where}.{key}"
                colour = value.get("value") if key in COLOUR_KEYS and isinstance(value, dict) else value
                if key in COLOUR_KEYS and isinstance(colour, str) and not _allowed(colour):
                    problems.append(f"{here}: colour {colour!r} is not in the palette")
                elif key == "range" and isinstance(value, list):
                    problems.extend(f"{here}: colour {c!r} is not in the palette"
                                    for c in value if isinstance(c, str) and c.startswith("#") and not _allowed(c))
                elif key == "scheme":
                    name = value.get("name") if isinstance(value, dict) else value
                    if str(name).lower() not in CVD_SAFE_SCHEMES:
                        problems.append(f"{here}: colour scheme {name!r} is not one that is safe for colour-blind readers")
                check(value, here)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                check(item, f"{where}[{index}]")

    check({key: value for key, value in spec.items() if key != "datasets"}, "")
    return problems


def _allowed(colour: str) -> bool:
    return colour.lower() in {c.lower() for c in PALETTE} | NEUTRALS or _is_grey(colour)


def _is_grey(colour: str) -> bool:
    """A hex grey (red = green = blue): it carries no hue, so no colour-vision deficiency changes it."""
    digits = colour.lower().lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return colour.startswith("#") and len(digits) == 6 and digits[0:2] == digits[2:4] == digits[4:6]


def describe_bars(frame, category: str, value: str, what: str, unit_format=lambda v: f"{v:.0f}") -> str:
    """A text alternative for a bar chart: what it shows and its extremes, from the data."""
    ordered = frame.sort_values(value)
    low, high = ordered.iloc[0], ordered.iloc[-1]
    return (f"Bar chart of {what} for {len(frame)} categories of {category}; highest: {high[category]} "
            f"({unit_format(high[value])}), lowest: {low[category]} ({unit_format(low[value])}).")
