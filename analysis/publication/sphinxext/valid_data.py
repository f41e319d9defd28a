"""A build refuses invalid data, listing every problem as ``file:row:column: message``."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from analysis.data import load


def refuse_invalid_data(app: Sphinx) -> None:
    try:
        load.ensure_valid()
    except load.DataError as error:
        raise ExtensionError(str(error)) from None


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", refuse_invalid_data)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
