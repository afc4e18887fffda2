"""The CDNOW files of ``../shared/data/clv`` (Fader, Hardie & Lee 2005) for CLV tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from unify.rows import SHARED_DATA

CDNOW = SHARED_DATA / "clv"
SUMMARY = CDNOW / "cdnow_customers_summary.csv"
SUMMARY_WITH_SPEND = CDNOW / "cdnow_customers_summary_with_transactions.csv"
SAMPLE = CDNOW / "CDNOW_sample.txt"

#: published BG/NBD and Gamma-Gamma estimates on the 1/10 sample, weeks, calibration to 1997-09-30
BGNBD_PAPER = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
GAMMA_GAMMA_PAPER = {"p": 6.25, "q": 3.74, "gamma": 15.44}

needs_cdnow = pytest.mark.skipif(not SAMPLE.is_file(), reason="../shared/data/clv is absent")


def sample_transactions_csv(directory: Path) -> Path:
    """CDNOW_sample.txt (whitespace, no header) written as a CSV with a header line."""
    frame = pd.read_csv(
        SAMPLE, sep=r"\s+", header=None, dtype=str,
        names=["master_id", "customer_id", "date", "cds", "dollar_value"],
    )  # fmt: skip
    path = directory / "cdnow_sample.csv"
    frame.to_csv(path, index=False)
    return path


def published_precision(value: float) -> float:
    """One unit of the last published decimal of ``value`` (0.243 → 0.001).

    Not half a unit: the published γ = 15.44 is 15.4478 at the optimum (lifetimes' own test
    checks to 2 decimals, and scipy's Nelder-Mead gives 15.448 too), so the paper truncates.
    """
    decimals = len(repr(value).split(".")[1])
    return 10**-decimals
