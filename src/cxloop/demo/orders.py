"""Orders, per source: web shop, app, and the store tills (POS) of loyalty members."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxloop.demo.identities import SourceIdentity
from cxloop.demo.interactions import APP, STORE_CHANNEL, WEB, Simulation
from cxloop.demo.markets import MARKETS, CityTable
from cxloop.demo.people import People

ORDER_SOURCE = {WEB: "webshop", APP: "app", STORE_CHANNEL: "crm"}
ORDER_PREFIX = {"webshop": "WS-", "app": "APP-", "crm": "TPV-"}


def order_ids(sim: Simulation) -> np.ndarray:
    """Each order's id in its source (``WS-``, ``APP-``, ``TPV-``, numbered by time)."""
    orders = sim.orders
    ids = np.empty(len(orders), dtype=object)
    for channel, source in ORDER_SOURCE.items():
        rows = np.flatnonzero(orders.channel == channel)
        rows = rows[np.argsort(orders.ts[rows], kind="stable")]
        ids[rows] = [f"{ORDER_PREFIX[source]}{1_000_000 + k}" for k in range(len(rows))]
    return ids


def build_orders(
    people: People,
    sim: Simulation,
    ids: np.ndarray,
    identities: dict[str, SourceIdentity],
    cities: CityTable,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Every order with its source, the source's customer id and the hidden person."""
    orders = sim.orders
    currency = np.array([m.currency for m in MARKETS])[people.market[orders.person]]
    frame = pd.DataFrame(
        {
            "source": [ORDER_SOURCE[int(c)] for c in orders.channel],
            "person": orders.person,
            "order_id": ids,
            "ts": orders.ts,
            "amount": np.round(orders.amount, 2),
            "currency": currency,
            "status": np.where(orders.returned, "returned", "completed"),
            "channel": np.array(["web", "app", "store"])[orders.channel],
            "store": [cities.cities[c].name for c in people.city[orders.person]],
        }
    )
    frame = frame.sort_values(["ts", "order_id"], kind="stable").reset_index(drop=True)
    frame["customer_id"] = None
    for source in ("crm", "webshop", "app"):
        rows = frame["source"] == source
        frame.loc[rows, "customer_id"] = identities[source].ids_for(
            frame.loc[rows, "person"].to_numpy(), frame.loc[rows, "ts"].to_numpy(), rng
        )
    return frame
