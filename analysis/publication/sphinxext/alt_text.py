"""A chart image keeps its text alternative in the EPUB (alt) and the PDF (/Alt): myst-nb drops an output's alt
metadata, so the alternative is read from the image file, which carries it (see analysis.publication.charts)."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from analysis.publication import charts


def describe_images(app: Sphinx, doctree: nodes.document) -> None:
    for image in doctree.findall(nodes.image):
        if image.get("alt") or "://" in image["uri"]:
            continue
        # Sphinx's image collector has made the path relative to the source folder by now (the "*" candidate).
        found = image.get("candidates", {}).get("*")
        path = Path(app.srcdir, found) if found else Path(app.env.relfn2path(image["uri"], app.env.docname)[1])
        if path.suffix in (".png", ".svg") and path.exists():
            description = charts.embedded_description(path)
            if description:
                image["alt"] = description


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", describe_images)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
