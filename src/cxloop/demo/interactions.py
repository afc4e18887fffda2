"""What a simulation produces: every interaction, order and review, and who churned when.

An interaction is one customer meeting one touchpoint (``KINDS``), through a channel
(``CHANNELS``: web, app, store, or the support desk), handled by the team owning it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxloop.domain.records import TOUCHPOINTS

NEVER = np.iinfo(np.int64).max
KINDS = (
    "order_session", "browse_session", "invoice", "delivery", "store_visit", "call", "chat",
    "return",
)  # fmt: skip
ORDER_SESSION, BROWSE, INVOICE, DELIVERY, STORE, CALL, CHAT, RETURN = range(len(KINDS))
CHANNELS = ("web", "app", "store", "support")
WEB, APP, STORE_CHANNEL, SUPPORT = range(len(CHANNELS))
TP = {name: i for i, name in enumerate(TOUCHPOINTS)}


@dataclass(frozen=True)
class Interactions:
    """One row per interaction; ``cause`` points at the interaction a support contact is about."""

    person: np.ndarray
    ts: np.ndarray
    kind: np.ndarray
    touchpoint: np.ndarray
    team: np.ndarray
    channel: np.ndarray
    order: np.ndarray
    cause: np.ndarray
    quality: np.ndarray
    failure: np.ndarray
    detail: np.ndarray
    satisfaction: np.ndarray

    def __len__(self) -> int:
        return len(self.ts)


@dataclass(frozen=True)
class Orders:
    person: np.ndarray
    ts: np.ndarray
    channel: np.ndarray
    amount: np.ndarray
    returned: np.ndarray

    def __len__(self) -> int:
        return len(self.ts)


@dataclass(frozen=True)
class Reviews:
    person: np.ndarray
    ts: np.ndarray
    stars: np.ndarray
    app_failure: np.ndarray
    satisfaction: np.ndarray


@dataclass(frozen=True)
class Simulation:
    interactions: Interactions
    orders: Orders
    reviews: Reviews
    churn_ts: np.ndarray
    satisfaction_final: np.ndarray


class Columns:
    """Arrays of equal length collected batch by batch."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
        self.size = 0

    def add(self, **columns: np.ndarray) -> np.ndarray:
        """Append one batch; return the global row numbers it got."""
        length = len(next(iter(columns.values())))
        for name, values in columns.items():
            self.parts[name].append(np.asarray(values))
        rows = np.arange(self.size, self.size + length)
        self.size += length
        return rows

    def build(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate(parts) for name, parts in self.parts.items()}
