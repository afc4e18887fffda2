"""Orders of customers drawn from a known BG/NBD and Gamma-Gamma, written to a warehouse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from customer_data import write_rows
from cxloop.storage import Warehouse
from cxloop.understand.clv.simulation import simulate_bgnbd_purchases, simulate_spend

START = datetime(2025, 1, 1, 12, tzinfo=UTC)


def add_simulated_orders(
    warehouse: Warehouse, customers: int, *, currency: str, prefix: str, seed: int = 0
) -> int:
    """``customers`` customers (``{prefix}0000`` …) who first buy in the first 60 days of 2025
    and are watched for a year, in days; return how many orders were written."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 60, customers)
    purchases = simulate_bgnbd_purchases(
        customers, 365.0 - first, r=0.8, alpha=40.0, a=0.6, b=2.5, rng=rng
    )
    amounts = simulate_spend(purchases["customer"].to_numpy(), p=5.0, q=4.0, gamma=30.0, rng=rng)
    rows = [
        {
            "order_id": f"{prefix}-o{i}",
            "source": "shop",
            "customer_id": f"{prefix}{c:04d}",
            "ts": START + timedelta(days=float(first[c] + t)),
            "amount": round(float(amount), 2),
            "currency": currency,
            "status": "completed",
        }
        for i, (c, t, amount) in enumerate(
            zip(purchases["customer"], purchases["t"], amounts, strict=True)
        )
    ]
    write_rows(warehouse, "orders", rows)
    return len(rows)
