"""The reference figures' computations: the public series as read, summarised into numbers (no labels)."""

from __future__ import annotations

import pandas as pd


def income_summary(income: pd.DataFrame) -> dict:
    """The integration-income series' first and last period, their numbers of beneficiaries, growth and peak."""
    first, last = income.iloc[0], income.iloc[-1]
    return {"first_period": first.period, "first": first.beneficiaries, "first_year": int(first.period),
            "last_period": last.period, "last": last.beneficiaries, "last_year": int(last.period[:4]),
            "growth": last.beneficiaries / first.beneficiaries - 1, "highest": income["beneficiaries"].max(),
            "periods": len(income)}


def asylum_summary(years: pd.DataFrame) -> dict:
    """The asylum series' first, last and peak year, and the last year with a number of persons granted protection."""
    first, last = years.iloc[0], years.iloc[-1]
    peak = years.loc[years["applicants"].idxmax()]
    granted = years.dropna(subset=["protection_granted"])
    return {"first_year": first.year, "last_year": last.year, "first": first.applicants, "last": last.applicants,
            "peak_year": peak.year, "peak": peak.applicants, "lowest": years["applicants"].min(),
            "granted_years": len(granted), "granted_last_year": granted.iloc[-1].year,
            "granted_last": granted.iloc[-1].protection_granted, "years": len(years)}


def refugee_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """The published figures on refugees among integration-income beneficiaries, one row per figure: its id, the
    value as the registry takes it (a percent as a share of one, percentage points and persons as given), the unit
    and the decimals the source gives."""
    scaled = figures["value"].astype(float).where(figures["unit"] != "percent", figures["value"].astype(float) / 100)
    return pd.DataFrame({"figure": figures["figure"].astype(str), "value": scaled,
                         "unit": figures["unit"].astype(str), "decimals": figures["decimals"].astype(int),
                         "period": figures["period"].astype(str), "measures": figures["measures"].astype(str)})
