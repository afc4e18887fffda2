"""Small hand-made customers, orders, feedback and events for the segment tests."""

from __future__ import annotations

from datetime import UTC, datetime

from cxloop.storage import Warehouse

AS_OF = datetime(2025, 7, 1, tzinfo=UTC)
ATTRIBUTES = {"c1": '{"loyalty_tier": "gold", "visits": 12}', "c2": '{"loyalty_tier": "silver"}'}


def ts(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def add_shop(wh: Warehouse) -> None:
    """Six customers with known orders, scores, events and insights (see each comment)."""
    wh.append_rows(
        "customers",
        [
            {"customer_id": cid, "language": lang, "country": country, "first_seen": ts(seen),
             "attributes": ATTRIBUTES.get(cid)}
            for cid, lang, country, seen in (
                ("c1", "en", "GB", "2024-01-01"), ("c2", "es", "ES", "2024-06-01"),
                ("c3", "zh", "CN", "2025-06-20"), ("c4", "es", "MX", "2023-01-01"),
                ("c5", "en", "US", "2024-03-01"), ("c6", "zh", "CN", "2024-03-01"),
            )
        ],
    )  # fmt: skip
    orders = [
        # c1: four recent orders, a big spender (active, repeat)
        ("c1", "2025-03-01", 100.0), ("c1", "2025-04-15", 120.0),
        ("c1", "2025-05-20", 80.0), ("c1", "2025-06-25", 200.0),
        # c2: two orders, the last 120 days ago → at_risk
        ("c2", "2024-12-01", 30.0), ("c2", "2025-03-03", 20.0),
        # c3: first order 10 days ago → new
        ("c3", "2025-06-21", 15.0),
        # c4: an order in 2024-01, back on 2025-06-01 after 17 months → reactivated
        ("c4", "2024-01-10", 50.0), ("c4", "2025-06-01", 60.0),
        # c5: one order 300 days ago → lapsed
        ("c5", "2024-09-04", 40.0),
    ]  # fmt: skip
    wh.append_rows(
        "orders",
        [
            {"order_id": f"o{k}", "customer_id": c, "ts": ts(d), "amount": a, "currency": "EUR"}
            for k, (c, d, a) in enumerate(orders)
        ],
    )
    feedback = [
        ("f1", "c1", "2025-06-01", 10, None),  # promoter, repeat buyer → advocate
        ("f2", "c2", "2025-01-01", 9, None),
        ("f3", "c2", "2025-05-01", 3, None),  # latest NPS 3 → detractor (mean 6)
        ("f4", "c3", "2025-06-22", None, 4),  # CSAT 4, no NPS → satisfied
        ("f5", "c4", "2025-06-02", 8, 2),  # passive, one order in the window → satisfied
        ("f6", "c6", "2025-06-10", 7, None),  # passive, no orders, a referral → advocate
        ("f7", "c5", "2025-07-05", 0, None),  # after as_of: not seen
    ]
    wh.append_rows(
        "feedback",
        [
            {"feedback_id": f, "customer_id": c, "ts": ts(d), "nps": n, "csat": s, "text": "t"}
            for f, c, d, n, s in feedback
        ],
    )
    wh.append_rows(
        "feedback_insights",
        [
            {"feedback_id": "f2", "sentiment_label": "positive", "themes": '["delivery"]'},
            {"feedback_id": "f3", "sentiment_label": "negative", "themes": '["billing","price"]'},
            {"feedback_id": "f4", "sentiment_label": "negative", "themes": '["billing_x"]'},
        ],
    )
    wh.append_rows(
        "events",
        [
            {
                "event_id": "e1",
                "customer_id": "c6",
                "ts": ts("2025-06-11"),
                "name": "Referral Sent",
            },
            {
                "event_id": "e2",
                "customer_id": "c5",
                "ts": ts("2023-06-11"),
                "name": "referral sent",
            },
            {"event_id": "e3", "customer_id": "c1", "ts": ts("2025-06-11"), "name": "Page Viewed"},
        ],
    )
