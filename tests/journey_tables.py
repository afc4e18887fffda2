"""A small shop for journey tests: 200 customers who order on the web, are invoiced, and get
their delivery two days later; every fourth delivery is late (``Delivery Late``), and the NPS
answer a day after the delivery drops by 4 points when it was. Some customers also call the
call centre after delivery. A few anonymous page views have no customer.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cxloop.storage import Warehouse

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
CUSTOMERS = 200


def seed_journey_shop(wh: Warehouse) -> None:
    """Write the events and feedback described above."""
    events: list[dict[str, object]] = []
    feedback: list[dict[str, object]] = []

    def event(c: int, k: int, ts: datetime, name: str, touchpoint: str, cid: str | None) -> None:
        events.append({
            "event_id": f"e{c}-{k}", "source": "shop", "customer_id": cid, "type": "track",
            "name": name, "touchpoint": touchpoint, "channel": touchpoint, "ts": ts,
            "properties": "{}",
        })  # fmt: skip

    for c in range(CUSTOMERS):
        cid = f"C{c:04d}"
        t0 = START + timedelta(hours=3 * c)
        late = c % 4 == 0
        event(c, 0, t0, "Page Viewed", "web", cid)
        event(c, 1, t0 + timedelta(minutes=2), "Product Viewed", "web", cid)
        event(c, 2, t0 + timedelta(minutes=5), "Invoice Sent", "billing", cid)
        if late:
            event(c, 3, t0 + timedelta(days=1), "Delivery Late", "delivery", cid)
        event(c, 4, t0 + timedelta(days=2), "Order Delivered", "delivery", cid)
        if c % 5 == 0:
            event(c, 5, t0 + timedelta(days=3), "Support Call", "call_centre", cid)
        event(c, 6, t0 + timedelta(minutes=1), "Page Viewed", "web", None)
        feedback.append({
            "feedback_id": f"f{c}", "source": "shop", "customer_id": cid,
            "ts": t0 + timedelta(days=2, hours=20), "kind": "survey", "touchpoint": "delivery",
            "nps": (5 if late else 9) - (c % 3 == 0), "csat": 2 if late else 4 + (c % 2),
        })  # fmt: skip
    wh.append_rows("events", events)
    wh.append_rows("feedback", feedback)
