"""Charts as published: one rendering for every output format, with the chart's text alternative in each.

A chart is published as a Vega-Lite spec with its data inline (in the house theme, :mod:`analysis.charts`).
:class:`ChartOutput` shows it in a notebook as one bundle of three formats; the book's configuration picks one per
builder: interactive ``text/html`` for HTML (rendered by the Vega bundle the book ships, no network needed),
``image/svg+xml`` for the PDF (Typst) and the EPUB, ``image/png`` for any other builder; both images are rendered by
vl-convert and carry the chart's text alternative; each spec is rendered once per vl-convert version
(``_build/.cache/charts/``), so a page executed again renders only the charts that changed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
from pathlib import Path

import vl_convert as vlc
from PIL import Image, PngImagePlugin

from analysis import paths
from analysis.publication import blocks


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
        png, svg = rendered(self.spec)
        images = {"image/png": base64.b64encode(with_png_description(png, self.alt_text)).decode(),
                  "image/svg+xml": with_svg_title(without_hidden_text(svg), self.alt_text)}
        metadata = {"image/png": {"alt": self.alt_text}, "image/svg+xml": {"alt": self.alt_text}}
        # the interactive markup needs the book's script, which JupyterLab does not load: there, the SVG shows
        return ({} if blocks.in_lab() else {"text/html": markup}) | images, metadata

    @property
    def element_id(self) -> str:
        """The HTML id of the chart's container."""
        return "vega-" + hashlib.sha256(json.dumps(self.spec, sort_keys=True).encode()).hexdigest()[:12]


def rendered(spec: dict) -> tuple[bytes, str]:
    """vl-convert's PNG (at twice the size) and SVG of ``spec``, rendered once per spec and vl-convert version (a
    few tenths of a second each): a page executed again shows its unchanged charts without rendering them again."""
    key = hashlib.sha256(json.dumps([vlc.__version__, spec], sort_keys=True).encode()).hexdigest()[:24]
    png, svg = (paths.cache_dir() / "charts" / f"{key}.{suffix}" for suffix in ("png", "svg"))
    if png.exists() and svg.exists():
        return png.read_bytes(), svg.read_text(encoding="utf-8")
    made = vlc.vegalite_to_png(spec, scale=2), vlc.vegalite_to_svg(spec)
    png.parent.mkdir(parents=True, exist_ok=True)
    for path, content in ((png, made[0]), (svg, made[1].encode("utf-8"))):  # the SVG last: both there, both whole
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(content)
        partial.replace(path)
    return made


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
