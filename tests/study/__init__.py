"""Helpers shared by the study tests."""

from __future__ import annotations

import functools

import pytest


def plans_made_once(patch: pytest.MonkeyPatch) -> None:
    """While ``patch`` holds: each study part's plan (the form of its linked outputs, which every producer of the
    part makes again from the same data, a second or more each) is made once. Only for tests whose data and
    typology do not change while it holds."""
    from analysis.study import cases, newcomers

    for part in (cases, newcomers):
        patch.setattr(part, "_plan", functools.cache(part._plan))
