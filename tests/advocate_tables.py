"""Small hand-made promoters for the advocate tests: scores, orders, feedback and events whose
percentiles are easy to work out by hand (see tests/understand/advocates/)."""

from __future__ import annotations

from datetime import UTC, datetime

from cxloop.storage import Warehouse

AS_OF = datetime(2025, 7, 1, tzinfo=UTC)


def ts(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def add_promoters(wh: Warehouse) -> None:
    """Three promoters (cus_p1, cus_p2, cus_p3) and three customers who are not (cus_d1,
    cus_x1, cus_o1); e-mails p1@example.com and so on.

    - p1: NPS 10; 3 orders (300); 2 feedback; a page view and a referral
    - p2: NPS 9; 1 order (50); 1 feedback
    - p3: NPS 10; 5 orders (1,000); 1 feedback; 3 page views
    - d1: NPS 3 (a detractor); x1: 9, then 5 (latest counts); o1: 10, but in 2023 (outside
      the 365-day window)
    """
    people = ("cus_p1", "cus_p2", "cus_p3", "cus_d1", "cus_x1", "cus_o1")
    wh.append_rows(
        "customers",
        [{"customer_id": c, "name": f"Person {c[4:]}", "email": f"{c[4:]}@example.com",
          "language": "en"} for c in people],
    )  # fmt: skip
    orders = [("cus_p1", f"2025-0{m}-01", 100.0) for m in (2, 3, 4)]
    orders += [("cus_p2", "2025-05-01", 50.0)]
    orders += [("cus_p3", f"2025-0{m}-10", 200.0) for m in range(1, 6)]
    orders += [("cus_d1", "2025-05-01", 500.0), ("cus_o1", "2023-05-01", 900.0)]
    wh.append_rows(
        "orders",
        [{"order_id": f"o{k}", "customer_id": c, "ts": ts(d), "amount": a, "currency": "EUR"}
         for k, (c, d, a) in enumerate(orders)],
    )  # fmt: skip
    feedback = [
        ("cus_p1", "2025-05-01", 10), ("cus_p1", "2025-03-01", None),
        ("cus_p2", "2025-06-01", 9), ("cus_p3", "2025-06-15", 10), ("cus_d1", "2025-06-01", 3),
        ("cus_x1", "2025-01-01", 9), ("cus_x1", "2025-06-01", 5), ("cus_o1", "2023-06-01", 10),
    ]  # fmt: skip
    wh.append_rows(
        "feedback",
        [{"feedback_id": f"f{k}", "customer_id": c, "ts": ts(d), "nps": n}
         for k, (c, d, n) in enumerate(feedback)],
    )  # fmt: skip
    events = [("cus_p1", "2025-04-05", "Referral Sent"), ("cus_p1", "2025-04-06", "Page Viewed")]
    events += [("cus_p3", f"2025-06-0{d}", "Page Viewed") for d in (1, 2, 3)]
    events += [("cus_d1", "2025-06-02", "Referral Sent")]
    wh.append_rows(
        "events",
        [{"event_id": f"e{k}", "customer_id": c, "ts": ts(d), "name": n}
         for k, (c, d, n) in enumerate(events)],
    )  # fmt: skip
