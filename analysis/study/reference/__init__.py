"""Public reference figures: the PCSWs of the sampling frame and the federal statistics the book cites.

These are real, sourced figures (see the ``sources`` of each resource in ``data/datapackage.json``
and the ``source`` column of each file), unlike the stand-in study data. Each producer computes
(:mod:`.compute`) and presents (:mod:`.present`); the sampling frame and the integration income are translated;
the figures on refugees among integration-income beneficiaries are numbers only, formatted in each language.
"""

from __future__ import annotations

from analysis.data import load
from analysis.producers import Result, publishes
from analysis.study.reference import compute, present


@publishes("reference.frame", translated=True)
def sampling_frame(lang: str = "en") -> list[Result]:
    return present.sampling_frame(load.table("pcsw_frame"), lang)


@publishes("reference.income", translated=True)
def integration_income(lang: str = "en") -> list[Result]:
    income = load.table("integration_income")
    return present.integration_income(income, compute.income_summary(income), lang)


@publishes("reference.refugees")
def refugees() -> list[Result]:
    """Refugees among integration-income beneficiaries, as the PPS Social Integration's figures were reported (the
    source of each figure is a key of ``references.bib``, in the data file)."""
    return present.refugee_figures(compute.refugee_figures(load.table("refugee_beneficiaries")))


@publishes("reference.asylum")
def asylum() -> list[Result]:
    """Applications for international protection and persons granted protection, as the CGRS figures were
    reported."""
    years = load.table("asylum")
    return present.asylum(years, compute.asylum_summary(years))
