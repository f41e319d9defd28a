"""Helpers shared by the study tests."""

from __future__ import annotations

import pytest


def plans_made_once(patch: pytest.MonkeyPatch) -> None:
    """While ``patch`` holds: each study part's plan (the form of its linked outputs, which every producer of the
    part makes again from the same data, a second or more each) is made once per content of the data folder. Only
    for tests whose typology does not change while it holds, and that assert nothing on what a producer read (a
    plan made before is not read again, so its reads are not recorded again)."""
    from analysis import hashing
    from analysis.data import load
    from analysis.study import cases, newcomers

    for part in (cases, newcomers):
        made = {}

        def plan(make=part._plan, made=made) -> dict:
            data = hashing.directory_hash(load.data_dir())
            if data not in made:
                made[data] = make()
            return made[data]

        patch.setattr(part, "_plan", plan)
