"""What segment figures are computed for: the moment, and the windows of lifecycle and ladder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from cxloop.config import Settings
    from cxloop.storage import Warehouse


@dataclass(frozen=True)
class SegmentOptions:
    """The moment (``as_of``, aware UTC) and the windows the figures are computed with.

    Lifecycle: a customer whose first order is less than ``lifecycle_new_days`` old is *new*;
    one whose last order is at most ``lifecycle_active_days`` old is *active* (*reactivated*
    when the gap before that order was ``lifecycle_lapsed_days`` or more); up to
    ``lifecycle_lapsed_days`` *at risk*; older *lapsed*. Ladder: scores, orders and referrals
    count over the last ``ladder_window_days``; ``ladder_repeat_orders`` orders make a repeat
    buyer; events named one of ``referral_events`` are referrals.
    """

    as_of: datetime
    lifecycle_new_days: int = 30
    lifecycle_active_days: int = 90
    lifecycle_lapsed_days: int = 180
    ladder_window_days: int = 365
    ladder_repeat_orders: int = 2
    referral_events: tuple[str, ...] = ("Referral Sent",)

    @classmethod
    def from_settings(cls, settings: Settings, as_of: datetime) -> SegmentOptions:
        """Options with the windows of ``settings``."""
        return cls(
            as_of=as_of,
            lifecycle_new_days=settings.lifecycle_new_days,
            lifecycle_active_days=settings.lifecycle_active_days,
            lifecycle_lapsed_days=settings.lifecycle_lapsed_days,
            ladder_window_days=settings.ladder_window_days,
            ladder_repeat_orders=settings.ladder_repeat_orders,
            referral_events=tuple(settings.referral_events),
        )

    def at(self, as_of: datetime) -> SegmentOptions:
        """The same windows at another moment."""
        return SegmentOptions(
            as_of, self.lifecycle_new_days, self.lifecycle_active_days,
            self.lifecycle_lapsed_days, self.ladder_window_days, self.ladder_repeat_orders,
            self.referral_events,
        )  # fmt: skip


def snapshot_table(moments: list[datetime]) -> ir.Table:
    """The moments as a one-column table (``snapshot_at``), to compute many snapshots at once."""
    return ibis.memtable(
        pa.table({"snapshot_at": pa.array(sorted(set(moments)), pa.timestamp("us", tz="UTC"))})
    )


def start_of_day(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime.combine(day, time(), tzinfo=UTC)


def data_end(warehouse: Warehouse) -> datetime | None:
    """Just after the newest order, event or piece of feedback of a customer (None if none)."""
    latest: list[datetime] = []
    for name in ("orders", "events", "feedback"):
        t = warehouse.table(name)
        value = warehouse.to_pandas(t.filter(t.customer_id.notnull()).aggregate(m=t.ts.max()))
        stamp = value["m"].iloc[0] if len(value) else None
        if stamp is not None and not pd.isna(stamp):
            latest.append(pd.Timestamp(stamp).tz_convert(UTC).to_pydatetime())
    return max(latest) + timedelta(seconds=1) if latest else None


def reference_moment(warehouse: Warehouse, as_of: date | None) -> datetime:
    """The moment figures are computed for: the end of ``as_of`` when it is given, else just
    after the newest activity in the warehouse (so that old data still reads sensibly), else now.
    """
    if as_of is not None:
        return start_of_day(as_of + timedelta(days=1))
    return data_end(warehouse) or datetime.now(UTC)
