"""The demo's time window, its months and calendar quarters, and timestamps written as text.

Inside the generator every instant is an int64 count of seconds since the Unix epoch (UTC);
files get ISO 8601 text in the customer's local time with its offset, in UTC, or in a source's
own local format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

DAY = 86_400
HOUR = 3_600


def epoch(day: date) -> int:
    """Seconds since the epoch at midnight UTC of ``day``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, min(day.day, 28) if months else day.day)


def window_start(last_day: date, months: int) -> date:
    """The first day of a ``months``-month window that ends at midnight starting ``last_day``
    (the 28th when ``last_day`` is later in its month, as :func:`add_months` keeps days <= 28)."""
    return add_months(date(last_day.year, last_day.month, min(last_day.day, 28)), -months)


@dataclass(frozen=True)
class Timeline:
    """Months and calendar quarters of the window ``[start, end)``."""

    start: int
    end: int
    month_edges: np.ndarray
    quarter_edges: np.ndarray
    quarter_labels: tuple[str, ...]
    quarter_mid: np.ndarray

    @property
    def months(self) -> int:
        return len(self.month_edges) - 1

    @property
    def quarters(self) -> int:
        return len(self.quarter_labels)

    def quarter_of(self, ts: np.ndarray) -> np.ndarray:
        """Quarter index of each timestamp (clipped to the window)."""
        index = np.searchsorted(self.quarter_edges, ts, side="right") - 1
        return np.clip(index, 0, self.quarters - 1)


def make_timeline(start: date, months: int) -> Timeline:
    month_days = [add_months(start, k) for k in range(months + 1)]
    month_edges = np.array([epoch(d) for d in month_days], dtype=np.int64)
    end = month_days[-1]
    edges = [start]
    labels = [f"{start.year}Q{(start.month - 1) // 3 + 1}"]
    year, quarter = start.year, (start.month - 1) // 3
    while True:
        quarter += 1
        if quarter == 4:
            year, quarter = year + 1, 0
        begin = date(year, quarter * 3 + 1, 1)
        if begin >= end:
            break
        edges.append(begin)
        labels.append(f"{year}Q{quarter + 1}")
    edges.append(end)
    quarter_edges = np.array([epoch(d) for d in edges], dtype=np.int64)
    mid = (quarter_edges[:-1] + quarter_edges[1:]) // 2
    return Timeline(
        start=int(month_edges[0]),
        end=int(month_edges[-1]),
        month_edges=month_edges,
        quarter_edges=quarter_edges,
        quarter_labels=tuple(labels),
        quarter_mid=mid,
    )


def _offset_text(seconds: int) -> str:
    sign = "+" if seconds >= 0 else "-"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def iso_local(ts: np.ndarray, zone: np.ndarray, zones: tuple[str, ...]) -> np.ndarray:
    """ISO 8601 text in each row's local time with its UTC offset (DST-aware)."""
    out = np.empty(len(ts), dtype=object)
    for z, name in enumerate(zones):
        rows = np.flatnonzero(zone == z)
        if not len(rows):
            continue
        utc = pd.DatetimeIndex(pd.to_datetime(ts[rows], unit="s", utc=True))
        local = utc.tz_convert(name).tz_localize(None).values.astype("datetime64[s]")
        offsets = (local - utc.tz_localize(None).values.astype("datetime64[s]")).astype(np.int64)
        text = np.datetime_as_string(local, unit="s")
        suffix = {int(o): _offset_text(int(o)) for o in np.unique(offsets)}
        out[rows] = [t + suffix[int(o)] for t, o in zip(text, offsets, strict=True)]
    return out


def iso_utc(ts: np.ndarray) -> np.ndarray:
    """ISO 8601 text in UTC with a ``Z``."""
    text = np.datetime_as_string(np.asarray(ts, dtype="datetime64[s]"), unit="s")
    return np.char.add(text.astype(str), "Z").astype(object)


def local_format(ts: np.ndarray, zone: str, fmt: str) -> list[str]:
    """Local wall-clock text in ``zone`` with a strftime ``fmt`` (e.g. ``%d/%m/%Y %H:%M``)."""
    local = pd.DatetimeIndex(pd.to_datetime(ts, unit="s", utc=True)).tz_convert(zone)
    return list(local.strftime(fmt))


def day_text(days: np.ndarray) -> np.ndarray:
    """``YYYY-MM-DD`` from a datetime64[D] array."""
    return np.datetime_as_string(np.asarray(days, dtype="datetime64[D]"), unit="D").astype(object)
