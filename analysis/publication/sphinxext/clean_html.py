"""HTML pages that load without console errors and that assistive technology reads right: a favicon (no 404 for
/favicon.ico), a fixed light colour mode (without one the theme logs an error on a first visit; charts are drawn
for a light background), each script once, and bibliography entries that are list items."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

STATIC = Path(__file__).parent / "static"


def favicon_and_light_mode(app: Sphinx, config) -> None:
    config.html_favicon = config.html_favicon or str(STATIC / "favicon.svg")
    config.html_context = {"default_mode": "light", **(config.html_context or {})}


def favicon_at_root(app: Sphinx, exception) -> None:
    """A /favicon.ico at the root of the HTML build: browsers ask for it on pages that name no icon (the
    redirecting index.html of an edition whose first page is elsewhere), and a 404 is a console error."""
    if exception is None and app.builder.name == "html":
        from PIL import Image

        icon = Image.new("RGB", (32, 32), "#0072B2")
        icon.paste("#FFFFFF", (8, 8, 24, 24))
        icon.save(Path(app.outdir) / "favicon.ico")


def bibliography_entries_as_list_items(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """A bibliography entry is a list item: docutils gives it the deprecated role doc-biblioentry inside a
    role="list", which assistive technology does not take for an item (axe aria-required-children)."""
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def unique_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Each script once: extensions registering on every build (sphinx-thebe, togglebutton) add theirs again,
    and a second ``const THEBE_JS_URL`` is a SyntaxError in the reader's console."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # the same inline script comes once with filename None and once with "" (registered in two ways)
        identity = (str(getattr(script, "filename", script) or ""),
                    tuple(sorted(getattr(script, "attributes", {}).items())))
        if identity not in seen:
            seen.add(identity)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", favicon_and_light_mode)
    app.connect("html-page-context", unique_scripts)
    app.connect("html-page-context", bibliography_entries_as_list_items)
    app.connect("build-finished", favicon_at_root)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
