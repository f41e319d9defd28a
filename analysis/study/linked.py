"""The linked sets of the study: published outputs that share units, audited together.

Each study part that publishes such outputs says which they are and how they are read into an integer programme
(its ``linked`` module); :func:`audit_published` audits every set over what is published, as
``tests/protection/test_linked_disclosure.py`` does over ``results/`` and the tests over many data sets do over
results computed in memory.
"""

from __future__ import annotations

from analysis.protection.linked import Finding, audit
from analysis.study.cases import linked as cases
from analysis.study.newcomers import linked as newcomers

LINKED_SETS = {"cases and survey": (cases.OUTPUTS, cases.model), "newcomers": (newcomers.OUTPUTS, newcomers.model)}


def audit_published(published: dict[str, object], threshold: int | None = None) -> dict[str, list[Finding]]:
    """The audit of every linked set over ``published``; each set needs every one of its outputs."""
    report = {}
    for name, (keys, build) in LINKED_SETS.items():
        missing = [k for k in keys if k not in published]
        if missing:
            raise KeyError(f"linked set {name!r}: published outputs missing: {', '.join(missing)}")
        report[name] = audit(build(published), threshold)
    return report
