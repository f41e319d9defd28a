"""YAML text parsed the one way the package parses it: safely, with libyaml's C parser where PyYAML was built with
it (the pure-Python parser takes a tenth of a second for each string table, which builds, checks and tests read
again and again), else the pure-Python one, which gives the same data."""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str):
    """The data ``text`` holds, as ``yaml.safe_load`` gives it."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
