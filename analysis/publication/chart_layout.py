"""Whether a chart prints cleanly: every text it draws (axis labels and titles, legend, headers, value labels) laid
out as vl-convert lays it out for the PDF and the EPUB, checked for boxes that overlap, run out of the image, or
were cut short by a label limit ("…"), and for a size still legible once the chart is scaled to the page's column.

The boxes come from the chart's Vega scenegraph (``vl_convert.vegalite_to_scenegraph``: every mark item with its
position, text, font size, alignment, baseline and angle, groups nested) and the widths from the font the chart
names (DejaVu Sans, measured with its own metrics by Pillow), as Vega measures them when it renders the image.
"""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass
from functools import cache

import vl_convert as vlc
from PIL import ImageFont

# The narrowest column a chart is printed in: A4 less 25 mm margins each side (editions/typst/bbox.typ), in points.
# Typst reads an SVG's pixel as 0.75 pt (CSS's 96 px to the inch) and shrinks an image wider than its column to fit.
COLUMN_PT = (210 - 2 * 25) / 25.4 * 72
PT_PER_PX = 0.75
PAGE_PT = (297 - 25 - 28) / 25.4 * 72 - 50  # the text area's height (bbox.typ's margins), less a caption's lines
MIN_PRINTED_PT = 6.0  # the smallest text a chart may print at, once shrunk to the column (body text is 10–11 pt)
TOLERANCE = 1.0  # px: glyph boxes that touch by less are not read as overlapping (Vega's own label test allows 1)
ELLIPSIS = "…"


@dataclass(frozen=True)
class Box:
    text: str
    role: str
    x1: float
    y1: float
    x2: float
    y2: float
    font_size: float
    truncated: bool

    def overlaps(self, other: "Box") -> bool:
        return (min(self.x2, other.x2) - max(self.x1, other.x1) > TOLERANCE
                and min(self.y2, other.y2) - max(self.y1, other.y1) > TOLERANCE)


@cache
def _font(size: float, bold: bool) -> ImageFont.FreeTypeFont:
    name = "DejaVu Sans:bold" if bold else "DejaVu Sans"
    path = subprocess.run(["fc-match", "-f", "%{file}", name], capture_output=True, text=True, check=True).stdout
    return ImageFont.truetype(path, size=size)


def _width(text: str, size: float, bold: bool) -> float:
    return _font(round(size * 4) / 4, bold).getlength(text)


def _lines(item: dict) -> list[str]:
    text = item.get("text")
    lines = text if isinstance(text, list) else [text]
    return ["" if line is None else str(line) for line in lines]


def _box(item: dict, role: str, ox: float, oy: float) -> Box | None:
    lines = [line for line in _lines(item)]
    if not any(line.strip() for line in lines):
        return None
    size = float(item.get("fontSize", 11))
    bold = str(item.get("fontWeight", "")) in ("bold", "700", "800", "900")
    limit = float(item.get("limit") or 0)
    widths = [_width(line, size, bold) for line in lines]
    truncated = bool(limit) and max(widths) > limit
    width = min(max(widths), limit) if limit else max(widths)
    line_height = float(item.get("lineHeight") or size + 2)
    height = size + line_height * (len(lines) - 1)
    x = ox + float(item.get("x", 0)) + float(item.get("dx", 0))
    y = oy + float(item.get("y", 0)) + float(item.get("dy", 0))
    align = item.get("align", "left")
    left = {"left": 0.0, "center": -width / 2, "right": -width}.get(align, 0.0)
    baseline = item.get("baseline", "alphabetic")
    top = {"top": 0.0, "middle": -height / 2, "bottom": -height, "line-top": 0.0, "line-bottom": -height}.get(
        baseline, -size * 0.8)  # alphabetic: the first line's ascent above the anchor
    # the box's corners, turned about the anchor by the item's angle (a rotated axis title, slanted labels)
    angle = math.radians(float(item.get("angle", 0) or 0))
    corners = [(left, top), (left + width, top), (left, top + height), (left + width, top + height)]
    turned = [(x + cx * math.cos(angle) - cy * math.sin(angle), y + cx * math.sin(angle) + cy * math.cos(angle))
              for cx, cy in corners]
    xs, ys = [p[0] for p in turned], [p[1] for p in turned]
    return Box(" ".join(lines), role, min(xs), min(ys), max(xs), max(ys), size, truncated)


def _texts(mark: dict, ox: float, oy: float, role: str = ""):
    role = mark.get("role") or role
    for item in mark.get("items", []):
        if mark.get("marktype") == "group":
            gx, gy = ox + float(item.get("x", 0)), oy + float(item.get("y", 0))
            for child in item.get("items", []):
                yield from _texts(child, gx, gy, role)
        elif mark.get("marktype") == "text":
            hidden = item.get("opacity", 1) == 0 or item.get("fillOpacity", 1) == 0 or item.get("fill") in (None, "none", "transparent")
            if not hidden:
                box = _box(item, role, ox, oy)
                if box is not None:
                    yield box


def text_boxes(spec: dict) -> tuple[list[Box], float, float]:
    """Every visible text of a rendered chart as a box in the image's pixels, and the image's width and height."""
    boxes, width, height = _laid_out(json.dumps(spec, sort_keys=True))
    return list(boxes), width, height


@cache  # a chart is laid out once per process, however many checks read its texts (a layout costs about 0.1 s)
def _laid_out(spec: str) -> tuple[tuple[Box, ...], float, float]:
    rendered = vlc.vegalite_to_scenegraph(json.loads(spec))
    ox, oy = rendered.get("origin", (0, 0))
    return tuple(_texts(rendered["scenegraph"], float(ox), float(oy))), float(rendered["width"]), float(rendered["height"])


def layout_problems(spec: dict) -> list[str]:
    """What keeps a chart from printing cleanly: texts that overlap, texts cut short by a label limit, texts that
    run out of the image, text too small once the chart is shrunk to the page's column, a chart taller than a page."""
    boxes, width, height = text_boxes(spec)
    problems = [f"{b.role}: {b.text!r} is cut short (wider than its label limit)" for b in boxes if b.truncated]
    problems += [f"{b.role}: {b.text!r} runs out of the image ({b.x1:.0f}, {b.y1:.0f})–({b.x2:.0f}, {b.y2:.0f}) "
                 f"of {width:.0f}×{height:.0f}" for b in boxes
                 if b.x1 < -TOLERANCE or b.y1 < -TOLERANCE or b.x2 > width + TOLERANCE or b.y2 > height + TOLERANCE]
    for index, first in enumerate(boxes):
        for second in boxes[index + 1:]:
            if first.overlaps(second):
                problems.append(f"{first.role}: {first.text!r} overlaps {second.role}: {second.text!r}")
    printed = printed_scale(width)
    smallest = min((b.font_size for b in boxes), default=MIN_PRINTED_PT)
    if smallest * printed < MIN_PRINTED_PT:
        problems.append(f"text of {smallest:g} px prints at {smallest * printed:.1f} pt once the {width:.0f} px wide "
                        f"chart is shrunk to the {COLUMN_PT:.0f} pt column (under {MIN_PRINTED_PT:g} pt)")
    if height * printed > PAGE_PT:
        problems.append(f"the chart prints {height * printed:.0f} pt high, more than the {PAGE_PT:.0f} pt a page "
                        f"holds with its caption: its bottom would be cut off")
    return problems


def printed_scale(width: float) -> float:
    """Points in print per pixel of a chart ``width`` pixels wide: 0.75, less when shrunk to the column."""
    return PT_PER_PX * min(1.0, COLUMN_PT / (width * PT_PER_PX)) if width else PT_PER_PX
