"""Charts work offline: the Vega libraries are shipped in ``_static`` (vl-convert's bundle, cached per version)
instead of loaded from a CDN, and ``bbox.js`` draws each chart from the spec embedded beside it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx

from analysis import paths


def vega_bundle() -> Path:
    """vl-convert's Vega bundle, made once per vl-convert version (about a second) in the cache."""
    import vl_convert as vlc

    bundle = paths.cache_dir() / "static" / f"vega-bundle-{vlc.__version__}.js"
    if not bundle.exists():
        bundle.parent.mkdir(parents=True, exist_ok=True)
        # Wrapped in a function so that the bundle's top-level names do not clash with the theme's scripts.
        code = "(function () {\n" + vlc.javascript_bundle("window.vegaEmbed = vegaEmbed;") + "\n})();\n"
        partial = bundle.with_name(f"{bundle.name}.{os.getpid()}.tmp")  # editions built side by side: one each
        partial.write_text(code, encoding="utf-8")
        partial.replace(bundle)
    return bundle


def ship_vega(app: Sphinx) -> None:
    if app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    target = Path(app.outdir) / "_static"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(vega_bundle(), target / "vega-bundle.js")


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", ship_vega)
    app.add_js_file("vega-bundle.js")
    app.add_js_file("bbox.js")
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
