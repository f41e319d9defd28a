"""The reference figures' computations: the public series as read, summarised into numbers (no labels)."""

from __future__ import annotations

import pandas as pd


def income_summary(income: pd.DataFrame) -> dict:
    """The integration-income series' first and last period and their numbers of beneficiaries, its peak, and the
    growth from the first period to the last full year of the same published series (``growth_last_period``)."""
    first, last = income.iloc[0], income.iloc[-1]
    # A rise is computed within one published series: the Planning Bureau's indicator is another series of the same
    # administrative data, revised between versions, so a rise across the two would mix a break into the change.
    same = income[income["series"] == first.series]
    full_years = same[same["period"].str.fullmatch(r"\d{4}")]
    end = full_years.iloc[-1] if len(full_years) else same.iloc[-1]
    return {"first_period": first.period, "first": first.beneficiaries, "first_year": int(first.period[:4]),
            "last_period": last.period, "last": last.beneficiaries, "last_year": int(last.period[:4]),
            "growth": end.beneficiaries / first.beneficiaries - 1, "growth_last_period": end.period,
            "growth_last_year": int(end.period[:4]), "growth_series": first.series, "series": income["series"].nunique(),
            "highest": income["beneficiaries"].max(),
            "highest_period": income.loc[income["beneficiaries"].idxmax(), "period"], "periods": len(income)}


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
