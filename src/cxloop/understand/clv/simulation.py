"""Customers drawn from a known BG/NBD (and Gamma-Gamma) model: for checking that a fit
recovers the parameters, and for benchmarks at any size.

Each customer makes a first purchase at time 0 and is then observed until ``T``. While alive
they buy at rate λ ~ Gamma(r, α); after each repeat purchase they drop out with probability
p ~ Beta(a, b). Every step is vectorised over the customers still buying.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulate_bgnbd_purchases(
    customers: int,
    T: float | np.ndarray,
    *,
    r: float,
    alpha: float,
    a: float,
    b: float,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Every purchase of ``customers`` BG/NBD customers: columns ``customer`` (0, 1, …) and
    ``t`` (time since the customer's first purchase; the first is at 0), sorted.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> purchases = simulate_bgnbd_purchases(3, 52.0, r=0.5, alpha=2, a=0.8, b=3, rng=rng)
    >>> purchases.groupby("customer")["t"].min().tolist()
    [0.0, 0.0, 0.0]
    """
    horizon = np.broadcast_to(np.asarray(T, dtype=float), (customers,))
    rate = rng.gamma(r, 1.0 / alpha, customers)
    dropout = rng.beta(a, b, customers)
    owners = [np.arange(customers)]
    times = [np.zeros(customers)]
    active = np.arange(customers)
    clock = np.zeros(customers)
    while len(active):
        clock[active] += rng.exponential(1.0, len(active)) / rate[active]
        inside = clock[active] <= horizon[active]
        active = active[inside]
        owners.append(active)
        times.append(clock[active].copy())
        active = active[rng.random(len(active)) >= dropout[active]]
    frame = pd.DataFrame({"customer": np.concatenate(owners), "t": np.concatenate(times)})
    return frame.sort_values(["customer", "t"], kind="stable").reset_index(drop=True)


def simulate_bgnbd_summary(
    customers: int,
    T: float | np.ndarray,
    *,
    r: float,
    alpha: float,
    a: float,
    b: float,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """``frequency``, ``recency`` and ``T`` of ``customers`` simulated customers (continuous
    times: no two purchases fall on the same "day")."""
    purchases = simulate_bgnbd_purchases(customers, T, r=r, alpha=alpha, a=a, b=b, rng=rng)
    grouped = purchases.groupby("customer")["t"]
    return pd.DataFrame(
        {
            "frequency": (grouped.size() - 1).to_numpy(np.int64),
            "recency": grouped.max().to_numpy(),
            "T": np.broadcast_to(np.asarray(T, dtype=float), (customers,)).copy(),
        }
    )


def simulate_spend(
    transactions: np.ndarray, *, p: float, q: float, gamma: float, rng: np.random.Generator
) -> np.ndarray:
    """A Gamma-Gamma amount for each transaction, where ``transactions[i]`` is the customer
    of transaction ``i``: ν ~ Gamma(q, γ) per customer, amounts ~ Gamma(p, ν)."""
    owners = np.asarray(transactions)
    nu = rng.gamma(q, 1.0 / gamma, int(owners.max()) + 1 if len(owners) else 0)
    return rng.gamma(p, 1.0 / nu[owners])
