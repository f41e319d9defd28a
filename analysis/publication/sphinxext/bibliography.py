"""Citations resolve without scanning every installed package each time.

sphinxcontrib-bibtex asks pybtex for its plain-text backend and its formatting style once per citation. pybtex
looks first among plugins registered at run time, then through the entry points of every installed distribution:
a scan of the whole environment per citation, about a fifth of a rebuild that reads and writes every page of the
book. Registering, once per build, the plugins it asks for as run-time plugins (pybtex's own ``register_plugin``,
with the very classes the entry points name) turns each later lookup into a dictionary read.
"""

from __future__ import annotations

from pybtex.plugin import find_plugin, register_plugin
from sphinx.application import Sphinx


def plugins_asked_for(config) -> list[tuple[str, str]]:
    """The pybtex plugins sphinxcontrib-bibtex looks up for every citation and bibliography."""
    return [("pybtex.backends", "plaintext"),
            ("pybtex.style.formatting", getattr(config, "bibtex_default_style", "unsrt"))]


def register_once(app: Sphinx, config) -> None:
    for group, name in plugins_asked_for(config):
        register_plugin(group, name, find_plugin(group, name), force=True)


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", register_once)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
