"""A small simulated shop for the churn CLI, API and page tests: customers who buy at their
own rate until they leave, leaving sooner when they are unhappy, and say so in their NPS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from cxloop.storage import Warehouse

START = datetime(2025, 1, 1, tzinfo=UTC)
DAYS = 545  # to 2026-06-30


def add_churning_shop(wh: Warehouse, customers: int = 500, seed: int = 7) -> list[str]:
    """Customers ``cus_churn0000``…, their orders and one NPS answer each; return their ids."""
    rng = np.random.default_rng(seed)
    ids = [f"cus_churn{k:04d}" for k in range(customers)]
    satisfaction = rng.normal(0, 1, customers)
    rate = rng.gamma(2.0, 1 / 60, customers)  # purchases per day
    first = rng.uniform(0, 180, customers)
    monthly_hazard = 1 / (1 + np.exp(3.0 + 1.5 * satisfaction))
    leave = first + rng.exponential(30 / monthly_hazard)
    orders, feedback = [], []
    for k, cid in enumerate(ids):
        day, n = first[k], 0
        while day < min(leave[k], DAYS):
            orders.append({"order_id": f"{cid}-o{n}", "customer_id": cid, "currency": "EUR",
                           "ts": START + timedelta(days=float(day)),
                           "amount": round(float(rng.gamma(3, 20)), 2)})  # fmt: skip
            day += rng.exponential(1 / rate[k])
            n += 1
        answered = first[k] + rng.uniform(0, 120)
        nps = int(np.clip(round(7.5 + 1.5 * satisfaction[k] + rng.normal(0, 1)), 0, 10))
        feedback.append({"feedback_id": f"{cid}-f", "customer_id": cid, "nps": nps,
                         "ts": START + timedelta(days=float(answered))})  # fmt: skip
    wh.append_rows(
        "customers",
        [{"customer_id": cid, "name": f"Customer {cid}", "language": "en",
          "first_seen": START + timedelta(days=float(first[k]))}
         for k, cid in enumerate(ids)],
    )  # fmt: skip
    wh.append_rows("orders", orders)
    wh.append_rows("feedback", feedback)
    return ids


def add_churn_score(
    wh: Warehouse, customer_id: str, risk: float, reasons: list[dict[str, object]]
) -> None:
    """A stored churn model (horizon 90 days) and one customer's score, as a score writes."""
    import json
    from datetime import date

    now = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    wh.append_rows("churn_models", [{"model_id": "churn_test", "fitted_at": now,
                                     "as_of": date(2026, 6, 30), "horizon_days": 90,
                                     "active_days": 365}])  # fmt: skip
    wh.append_rows("customer_churn", [{"customer_id": customer_id, "model_id": "churn_test",
                                       "scored_at": now, "cutoff": date(2026, 6, 30),
                                       "risk": risk, "reasons": json.dumps(reasons)}])  # fmt: skip
