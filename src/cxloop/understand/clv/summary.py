"""Recency-frequency-monetary summaries of transactions, with the usual BTYD conventions.

- A customer's purchases on the same day count as one (their amounts are added).
- ``frequency`` is the number of repeat purchase days: purchase days less the first.
- ``recency`` is the time from the first purchase day to the last one; 0 without repeats.
- ``T`` is the time from the first purchase day to the end of calibration.
- ``monetary_value`` is the mean amount of the repeat purchase days (the first purchase is
  left out); 0 without repeats.
- Times are in days (``D``) or weeks (``W`` = days / 7). Transactions after the calibration
  end are ignored, and customers whose first purchase is after it are left out.

The same summary is built here from a pandas frame and, in :mod:`.summary_expr`, as an Ibis
expression that runs in the warehouse.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

import numpy as np
import pandas as pd

from cxloop.errors import UsageError

TimeUnit = Literal["D", "W"]
#: days in one time unit
UNIT_DAYS: dict[str, float] = {"D": 1.0, "W": 7.0}
SUMMARY_COLUMNS = ("frequency", "recency", "T", "monetary_value")


def unit_days(time_unit: str) -> float:
    """Days in ``time_unit`` (``D`` or ``W``)."""
    try:
        return UNIT_DAYS[time_unit.upper()]
    except KeyError:
        raise UsageError(f"unknown time unit {time_unit!r}: use D (days) or W (weeks)") from None


def rfm_summary(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = None,
    calibration_end: date | datetime | str | None = None,
    time_unit: TimeUnit = "D",
) -> pd.DataFrame:
    """One row per customer: frequency, recency, T and (with amounts) monetary_value.

    Parameters
    ----------
    transactions
        One row per purchase; ``date_col`` holds dates or timestamps.
    customer_col, date_col, amount_col
        The columns to read; without ``amount_col`` there is no ``monetary_value``.
    calibration_end
        The last day of the calibration period (included); default: the last purchase day.
    time_unit
        ``D`` (days) or ``W`` (weeks).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer, sorted by it.

    Examples
    --------
    >>> frame = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-08", "2024-01-05"]),
    ...     "amount": [5.0, 5.0, 30.0, 12.0]})
    >>> rfm_summary(frame, amount_col="amount", calibration_end="2024-01-15",
    ...             time_unit="W").round(3).to_dict("index")["a"]
    {'frequency': 1, 'recency': 1.0, 'T': 2.0, 'monetary_value': 30.0}
    """
    days_per_unit = unit_days(time_unit)
    day = _days(transactions[date_col])
    frame = pd.DataFrame({"customer": transactions[customer_col].to_numpy(), "day": day})
    if amount_col is not None:
        frame["amount"] = pd.to_numeric(transactions[amount_col]).to_numpy(dtype=float)
    end = int(_days(pd.Series([calibration_end]))[0]) if calibration_end is not None else None
    if end is None:
        end = int(frame["day"].max()) if len(frame) else 0
    frame = frame[frame["day"] <= end]
    per_day = frame.groupby(["customer", "day"], sort=True, as_index=False).agg(
        **({"amount": ("amount", "sum")} if amount_col is not None else {"n": ("day", "size")})
    )
    grouped = per_day.groupby("customer", sort=True)
    first = grouped["day"].min()
    last = grouped["day"].max()
    days = grouped["day"].size()
    summary = pd.DataFrame(
        {
            "frequency": (days - 1).astype("int64"),
            "recency": (last - first) / days_per_unit,
            "T": (end - first) / days_per_unit,
        }
    )
    if amount_col is not None:
        total = grouped["amount"].sum()
        first_amount = per_day.drop_duplicates("customer", keep="first").set_index("customer")
        repeat = (total - first_amount["amount"]).where(summary["frequency"] > 0, 0.0)
        summary["monetary_value"] = np.where(
            summary["frequency"] > 0, repeat / summary["frequency"].clip(lower=1), 0.0
        )
    summary.index.name = customer_col
    return summary


def _days(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 of dates or timestamps (timestamps in UTC)."""
    stamps = pd.to_datetime(values)
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return stamps.dt.floor("D").to_numpy(dtype="datetime64[D]").astype(np.int64)
