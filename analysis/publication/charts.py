"""Charts: one look for every chart, and one rendering for every output format.

A chart is published as a Vega-Lite spec with its data inline. :class:`ChartOutput` shows it in a
notebook as one bundle of three formats; the book's configuration picks one per builder:
interactive ``text/html`` for HTML (rendered by the Vega bundle the book ships, no network needed),
``image/svg+xml`` for the PDF (Typst) and the EPUB, ``image/png`` for any other builder; both images are
rendered by vl-convert and carry the chart's text alternative. :func:`vega_lite` makes a spec in the house
theme from an Altair chart; :func:`localised` gives it the number conventions of its language;
:func:`colour_problems` checks a spec's colours.

A chart has no title of its own: it is a numbered figure whose caption (the result's title) names it, in every
format, so a title drawn in the chart would say the same thing twice.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import re
from pathlib import Path

import altair as alt
import vl_convert as vlc
from PIL import Image, PngImagePlugin

from analysis import i18n
from analysis.colours import contrast, separation

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
            "image/svg+xml": with_svg_title(without_hidden_text(vlc.vegalite_to_svg(self.spec)), self.alt_text),
        }, {"image/png": {"alt": self.alt_text}, "image/svg+xml": {"alt": self.alt_text}}

    @property
    def element_id(self) -> str:
        """The HTML id of the chart's container."""
        return "vega-" + hashlib.sha256(json.dumps(self.spec, sort_keys=True).encode()).hexdigest()[:12]


# -- Text alternatives carried by the image files ---------------------------------------------------

SVG_ROOT = re.compile(r"<svg\b[^>]*>")
SVG_TITLE = re.compile(r"<svg\b[^>]*>\s*<title>(.*?)</title>", re.S)
PNG_KEYWORD = "Description"  # PNG's keyword for a description of the image (an iTXt chunk: any language)


def with_png_description(png: bytes, text: str) -> bytes:
    """The PNG with ``text`` in an iTXt "Description" chunk, written by Pillow (the pixels are unchanged)."""
    image = Image.open(io.BytesIO(png))
    info = PngImagePlugin.PngInfo()
    info.add_itxt(PNG_KEYWORD, text)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, **({"dpi": image.info["dpi"]} if "dpi" in image.info else {}))
    return out.getvalue()


HIDDEN_TEXT = re.compile(r'<text\b[^>]*\bopacity="0"[^>]*>.*?</text>', re.S)


def without_hidden_text(svg: str) -> str:
    """The SVG without the labels Vega hid: where axis labels would overlap, Vega keeps every other one and writes
    the rest with opacity 0, invisible but still text that a PDF's reader, search and copy see ("90100 % %")."""
    return HIDDEN_TEXT.sub("", svg)


def with_svg_title(svg: str, text: str) -> str:
    """The SVG with ``text`` as the <title> of its root element (its accessible name)."""
    root = SVG_ROOT.search(svg)
    if root is None:
        raise ValueError("not an SVG image")
    return svg[:root.end()] + f"<title>{html.escape(text, quote=False)}</title>" + svg[root.end():]


def embedded_description(path: Path) -> str | None:
    """The text alternative a PNG or SVG file written by :class:`ChartOutput` carries, if any."""
    if Path(path).suffix == ".png":
        with Image.open(path) as image:
            return image.text.get(PNG_KEYWORD)
    title = SVG_TITLE.search(Path(path).read_text(encoding="utf-8", errors="replace"))
    return html.unescape(title.group(1)) if title else None


# -- What a chart must not say twice, and how it writes numbers --------------------------------------------

VIEWS = ("spec", "layer", "concat", "hconcat", "vconcat")  # where a Vega-Lite spec nests views that may have titles


def view_titles(spec: dict) -> list[str]:
    """The titles a spec draws over its views (not axis, legend or header titles): the text of each, a subtitle
    as its own entry."""
    found = []
    title = spec.get("title")
    for part in ([title.get("text"), title.get("subtitle")] if isinstance(title, dict) else [title]):
        if part:
            found.append(" ".join(part) if isinstance(part, list) else str(part))
    children = [spec[key] for key in VIEWS if key in spec]
    for child in children:
        for view in child if isinstance(child, list) else [child]:
            found += view_titles(view) if isinstance(view, dict) else []
    return found


def title_problems(spec: dict, caption: str) -> list[str]:
    """Where a chart draws a title: its caption names it (a numbered figure), so a title repeats it or competes."""
    return [f"the chart repeats its caption as a title: {title!r}" if title.strip() == caption.strip()
            else f"the chart draws a title, {title!r}, beside its caption {caption!r}" for title in view_titles(spec)]


def locale_problems(spec: dict, lang: str) -> list[str]:
    """Whether a spec writes numbers in ``lang`` (its ``config.locale`` is :func:`i18n.vega_locale`)."""
    locale = spec.get("config", {}).get("locale")
    wanted = i18n.vega_locale(lang)
    return [] if locale == wanted else [f"config.locale is {locale!r}, not the number conventions of {lang!r} "
                                        f"({wanted!r}): its axes and tooltips would not write numbers as the prose"]


# -- Colour-blind safety ------------------------------------------------------------------------------

COLOUR_KEYS = {"color", "fill", "stroke", "background"}


def colour_problems(spec: dict) -> list[str]:
    """Where a Vega-Lite spec uses a colour outside the house palette, or a scheme not safe for CVD, leaves a
    mark to Vega's default blue, or draws any colour (a category's, a single series', a grey) with less than 3:1
    contrast on its background."""
    problems = []
    category = spec.get("config", {}).get("range", {}).get("category")
    if category != PALETTE:
        problems.append(f"config.range.category is {category!r}, not the house palette (Okabe–Ito, darkened: the bbox theme)")

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
    return problems + default_colour_problems(spec) + contrast_problems(spec)


# Marks that Vega-Lite draws black, not in its default blue, when given no colour.
BLACK_BY_DEFAULT = {"text", "rule"}
MARK_COLOURS = {"color", "fill", "stroke"}
COMPOSITIONS = ("layer", "concat", "hconcat", "vconcat")


def _unit_marks(node: dict, where: str = "", encoding: dict | None = None):
    """Each mark of a spec (unit specs inside layers, concatenations, facets and repeats): (where, mark
    definition, the encoding it sees, its own and its parents')."""
    seen = {**(encoding or {}), **node.get("encoding", {})}
    if "mark" in node:
        mark = node["mark"]
        yield where or "spec", mark if isinstance(mark, dict) else {"type": mark}, seen
    for key in COMPOSITIONS:
        for index, child in enumerate(node.get(key, [])):
            yield from _unit_marks(child, f"{where}.{key}[{index}]", seen)
    if isinstance(node.get("spec"), dict):
        yield from _unit_marks(node["spec"], f"{where}.spec", seen)


def default_colour_problems(spec: dict) -> list[str]:
    """Marks with no colour of their own (in the mark, its encoding, or the config for marks) that Vega draws in
    its default blue, outside the palette: a spec made without the house theme, or a config that lost it."""
    config = spec.get("config", {})
    problems = []
    for where, mark, encoding in _unit_marks(spec):
        kind = mark.get("type")
        configured = any(config.get(key, {}).get(c) for key in ("mark", kind) for c in MARK_COLOURS)
        if kind not in BLACK_BY_DEFAULT and not MARK_COLOURS & (set(mark) | set(encoding)) and not configured:
            problems.append(f"{where}: {kind} mark has no colour and falls back to Vega's default {VEGA_DEFAULT}, "
                            f"not in the palette (the theme's config.mark.color is {SINGLE_SERIES})")
    return problems


def palette_problems(palette: list[str], background: str = BACKGROUND) -> list[str]:
    """Where a categorical palette fails a reader: a colour under 3:1 on the background (WCAG 2.2 SC 1.4.11: the
    marks of a category are needed to read the chart), or two colours closer than :data:`MIN_SEPARATION` under
    normal vision or a simulated dichromacy (:func:`colours.separation`)."""
    problems = [f"{c} has contrast {contrast(c, background):.2f}:1 on {background}, under {MIN_CONTRAST:g}:1 "
                f"(WCAG 1.4.11)" for c in palette if contrast(c, background) < MIN_CONTRAST]
    if len(palette) > 1:
        distance, vision, first, second = separation(palette)
        if distance < MIN_SEPARATION:
            problems.append(f"{first} and {second} are {distance:.1f} ΔE*ab apart with {vision} vision, under "
                            f"{MIN_SEPARATION:g}: a reader with {vision} could not tell them apart")
    return problems


def _drawn_colours(spec: dict):
    """Each colour a spec draws marks in, with where: the config's mark colour and categorical range, each mark's
    own colours and constant encodings, and the explicit ranges of its colour scales. A mark's fill is not counted
    when its stroke is drawn: the outline is then the edge a reader sees (as WCAG's Understanding 1.4.11 allows)."""
    config = spec.get("config", {})
    yield from (("config.mark", config.get("mark", {}).get(c)) for c in MARK_COLOURS)
    yield from (("config.range.category", c) for c in config.get("range", {}).get("category") or [])
    for where, mark, encoding in _unit_marks(spec):
        outlined = isinstance(mark.get("stroke"), str) and mark.get("stroke") != "transparent"
        for key in MARK_COLOURS - ({"fill", "color"} if outlined else set()):
            channel = encoding.get(key) or {}
            yield f"{where}.mark", mark.get(key)
            yield f"{where}.encoding.{key}", channel.get("value")
            yield from ((f"{where}.encoding.{key}.scale.range", c) for c in (channel.get("scale") or {}).get("range") or [])


def contrast_problems(spec: dict) -> list[str]:
    """Every colour a chart draws marks in (:func:`_drawn_colours`: single colours, categorical ranges, greys) with
    less than 3:1 contrast on the chart's background (WCAG 2.2 SC 1.4.11). Greys are not exempt: a grey bar that
    sets off the points drawn over it still shows a value the reader needs, so it meets 3:1 (or is outlined);
    1.4.11 leaves out only what is not needed to understand the content (here: gridlines and the view's frame,
    which are config, not marks). Sequential schemes are left to the palette check (CVD-safe schemes)."""
    config = spec.get("config", {})
    background = spec.get("background") or config.get("background") or BACKGROUND
    found = dict.fromkeys((where, colour) for where, colour in _drawn_colours(spec)
                          if isinstance(colour, str) and colour.lower() not in ("transparent", "none"))
    return [f"{where}: {colour} has contrast {contrast(colour, background):.2f}:1 on {background}, under "
            f"{MIN_CONTRAST:g}:1 (WCAG 1.4.11)" for where, colour in found if contrast(colour, background) < MIN_CONTRAST]


def _allowed(colour: str) -> bool:
    return colour.lower() in {c.lower() for c in PALETTE} | NEUTRALS or _is_grey(colour)


def _is_grey(colour: str) -> bool:
    """A hex grey (red = green = blue): it carries no hue, so no colour-vision deficiency changes it."""
    digits = colour.lower().lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return colour.startswith("#") and len(digits) == 6 and digits[0:2] == digits[2:4] == digits[4:6]
