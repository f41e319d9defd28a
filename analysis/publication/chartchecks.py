"""The checks every published chart passes: no title beside its caption, the number conventions of its language,
colours from the palette that people with a colour-vision deficiency tell apart, 3:1 contrast on the background.

Used by the tests of every published chart (``tests/publication/test_charts.py``) and of the palette itself.
"""

from __future__ import annotations

from analysis import i18n
from analysis.charts import (BACKGROUND, CVD_SAFE_SCHEMES, MIN_CONTRAST, MIN_SEPARATION, NEUTRALS, PALETTE,
                             SINGLE_SERIES, VEGA_DEFAULT)
from analysis.colours import contrast, separation


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
