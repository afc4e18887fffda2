"""Events, per source, from the simulated interactions (Segment-style track, page, screen).

Every interaction leaves events at its touchpoint; a failure leaves a telling one — ``Page
Error`` (web), ``App Crash`` (app), ``Payment Failed`` (billing), ``Delivery Late`` (delivery),
``Long Wait`` (store), ``Issue Unresolved`` (call centre, chat), ``Refund Delayed`` (returns) —
so that journeys and key drivers can find the moments of truth in behaviour alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxloop.demo.identities import SourceIdentity
from cxloop.demo.interactions import (
    BROWSE,
    CALL,
    CHAT,
    DELIVERY,
    INVOICE,
    ORDER_SESSION,
    RETURN,
    STORE,
    WEB,
    Simulation,
)
from cxloop.demo.markets import MARKETS
from cxloop.demo.orders import ORDER_SOURCE
from cxloop.demo.people import People
from cxloop.demo.timeline import DAY, Timeline

FAILURE_EVENTS = {
    "web": "Page Error", "app": "App Crash", "billing": "Payment Failed",
    "delivery": "Delivery Late", "store": "Long Wait", "call_centre": "Issue Unresolved",
    "chat": "Issue Unresolved", "email": "Refund Delayed",
}  # fmt: skip
PAGES = (
    ("/", "Home"), ("/c/kitchen", "Kitchen"), ("/c/living-room", "Living room"),
    ("/c/bedroom", "Bedroom"), ("/c/bathroom", "Bathroom"), ("/c/office", "Home office"),
    ("/sale", "Sale"), ("/cart", "Basket"), ("/account/orders", "My orders"),
    ("/help/delivery", "Delivery information"), ("/help/returns", "Returns"),
)  # fmt: skip
SCREENS = ("Home", "Search", "Product", "Basket", "Orders", "Account", "Wishlist")
CATEGORIES = ("kitchen", "living-room", "bedroom", "bathroom", "office")
PAYMENT_FAILURES = ("card_declined", "duplicate_charge", "3ds_timeout", "amount_mismatch")
CARRIERS = {"US": "UPS", "GB": "Royal Mail", "ES": "SEUR", "MX": "Estafeta", "CN": "顺丰速运"}
ANONYMOUS_SHARE = 0.12
EVENT_PREFIX = {"webshop": "wse", "app": "ape", "crm": "crme", "support": "spe"}
_FIELDS = (
    "source", "person", "ts", "type", "name", "touchpoint", "channel", "properties", "anonymous",
)  # fmt: skip
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def props(**values: object) -> str:
    """Event properties as compact JSON text."""
    return _ENCODER.encode(values)


@dataclass(frozen=True)
class _Spot:
    """Where events happen: one person, at one touchpoint of one source."""

    rows: list[tuple]
    source: str
    person: int
    touchpoint: str
    channel: str
    anonymous: bool = False

    def __call__(self, ts: int, name: str, properties: str = "{}", type_: str = "track") -> None:
        self.rows.append(
            (self.source, self.person, ts, type_, name, self.touchpoint, self.channel,
             properties, self.anonymous)
        )  # fmt: skip


class _EventWriter:
    def __init__(
        self, people: People, sim: Simulation, ids: np.ndarray, rng: np.random.Generator
    ) -> None:
        n = len(sim.interactions)
        self.people, self.sim, self.ids = people, sim, ids
        self.rows: list[tuple] = []
        self.page = rng.integers(0, len(PAGES), size=(n, 4))
        self.gap = rng.integers(20, 180, size=(n, 4))
        self.pages = rng.integers(1, 4, n)
        self.anonymous = rng.random(n) < ANONYMOUS_SHARE
        self.sku = rng.integers(1000, 9999, n)
        self.status = rng.choice((500, 502, 504), n)

    def spot(self, i: int, source: str, touchpoint: str, channel: str, anon: bool = False) -> _Spot:
        return _Spot(self.rows, source, int(self.sim.interactions.person[i]), touchpoint, channel,
                     anon)  # fmt: skip

    def order_props(self, order: int, **extra: object) -> str:
        person = int(self.sim.orders.person[order])
        return props(
            order_id=self.ids[order],
            amount=round(float(self.sim.orders.amount[order]), 2),
            currency=MARKETS[self.people.market[person]].currency,
            **extra,
        )

    def session(self, i: int, ts: int, order: int, failed: bool) -> None:
        web = self.sim.interactions.channel[i] == WEB
        browse = self.sim.interactions.kind[i] == BROWSE
        tp = "web" if web else "app"
        at = self.spot(
            i, "webshop" if web else "app", tp, tp, bool(web and browse and self.anonymous[i])
        )
        sku = int(self.sku[i])
        if not web:
            at(ts, "Application Opened", props(from_background=bool(sku % 2)))
        for k in range(int(self.pages[i])):
            ts += int(self.gap[i, k])
            path, title = PAGES[self.page[i, k]]
            if web:
                at(ts, "Page Viewed", props(path=path, title=title), "page")
            else:
                at(ts, SCREENS[self.page[i, k] % len(SCREENS)], "{}", "screen")
        ts += int(self.gap[i, 3])
        at(ts, "Product Viewed", props(sku=f"SKU-{sku}", category=CATEGORIES[sku % 5]))
        if failed and web:
            path = "/checkout" if order >= 0 else PAGES[self.page[i, 0]][0]
            at(ts + 5, "Page Error", props(path=path, status=int(self.status[i])))
        elif failed:
            version, os = f"4.{sku % 8 + 2}.{sku % 5}", "ios" if sku % 2 else "android"
            at(ts + 5, "App Crash", props(app_version=version, os=os))
        if order >= 0:
            placed = int(self.sim.orders.ts[order])
            at(placed, "Order Placed", self.order_props(order))

    def invoice(self, i: int, ts: int, order: int, failed: bool) -> None:
        source = ORDER_SOURCE[int(self.sim.interactions.channel[i])]
        self.spot(i, source, "billing", "email")(ts, "Invoice Sent", self.order_props(order))
        if failed:
            reason = PAYMENT_FAILURES[int(self.sku[i]) % len(PAYMENT_FAILURES)]
            self.spot(i, source, "billing", "web")(
                ts + 240, "Payment Failed", props(order_id=self.ids[order], reason=reason)
            )

    def delivery(self, i: int, ts: int, order: int) -> None:
        source = ORDER_SOURCE[int(self.sim.interactions.channel[i])]
        at = self.spot(i, source, "delivery", "courier")
        late = int(self.sim.interactions.detail[i])
        carrier = CARRIERS[self.people.country(int(self.sim.interactions.person[i]))]
        shipped = int(self.sim.orders.ts[order]) + DAY // 2 + int(self.gap[i, 0]) * 60
        at(shipped, "Order Shipped", props(order_id=self.ids[order], carrier=carrier))
        if late:
            at(ts - late * DAY, "Delivery Late",
               props(order_id=self.ids[order], days_late=late, carrier=carrier))  # fmt: skip
        at(ts, "Order Delivered", props(order_id=self.ids[order], days_late=late))

    def store(self, i: int, ts: int, order: int, failed: bool) -> None:
        at = self.spot(i, "crm", "store", "store")
        wait = int(self.sim.interactions.detail[i])
        at(ts - wait * 60, "Store Visit", props(order_id=self.ids[order], wait_minutes=wait))
        if failed:
            at(ts - 60, "Long Wait", props(wait_minutes=wait))

    def contact(self, i: int, ts: int, failed: bool) -> None:
        call = self.sim.interactions.kind[i] == CALL
        at = self.spot(i, "support", *(("call_centre", "phone") if call else ("chat", "chat")))
        wait = float(self.sim.interactions.detail[i])
        minutes = int(self.gap[i, 1] // 10 + 3)
        if call:
            at(ts, "Support Call",
               props(wait_minutes=wait, duration_minutes=minutes, resolved=not failed))  # fmt: skip
        else:
            at(ts, "Chat Started", props(wait_minutes=wait))
            at(ts + minutes * 60, "Chat Ended", props(resolved=not failed))
        if failed:
            at(ts + minutes * 60 + 30, "Issue Unresolved", props(wait_minutes=wait))

    def return_(self, i: int, ts: int, order: int, failed: bool) -> None:
        at = self.spot(i, "support", "email", "email")
        days = int(self.sim.interactions.detail[i])
        reference = props(order_id=self.ids[order])
        at(ts, "Return Requested", reference)
        if failed:
            at(ts + 7 * DAY, "Refund Delayed", reference)
        at(ts + days * DAY, "Refund Issued", self.order_props(order, days=days))

    def run(self) -> list[tuple]:
        inter = self.sim.interactions
        kinds, times = inter.kind.tolist(), inter.ts.tolist()
        orders, failures = inter.order.tolist(), inter.failure.tolist()
        for i, (kind, ts, order, failed) in enumerate(
            zip(kinds, times, orders, failures, strict=True)
        ):
            if kind in (ORDER_SESSION, BROWSE):
                self.session(i, ts, order, failed)
            elif kind == INVOICE:
                self.invoice(i, ts, order, failed)
            elif kind == DELIVERY:
                self.delivery(i, ts, order)
            elif kind == STORE:
                self.store(i, ts, order, failed)
            elif kind in (CALL, CHAT):
                self.contact(i, ts, failed)
            elif kind == RETURN:
                self.return_(i, ts, order, failed)
        return self.rows


def build_events(
    people: People, sim: Simulation, ids: np.ndarray, timeline: Timeline, rng: np.random.Generator
) -> pd.DataFrame:
    """Every event of every source (with ``source`` and the hidden ``person``)."""
    rows = _EventWriter(people, sim, ids, rng).run()
    frame = pd.DataFrame.from_records(rows, columns=list(_FIELDS))
    frame = frame[(frame["ts"] >= timeline.start) & (frame["ts"] < timeline.end)]
    return frame.reset_index(drop=True)


def assign_event_ids(
    events: pd.DataFrame, identities: dict[str, SourceIdentity], rng: np.random.Generator
) -> pd.DataFrame:
    """Per source: sort by time, number the events, file each under the source's customer id.

    App events carry the device as ``anonymous_id``; some web page views happen before login and
    carry only a cookie id.
    """
    parts = []
    cookies: dict[int, str] = {}
    for source in ("crm", "webshop", "support", "app"):
        part = events[events["source"] == source].sort_values("ts", kind="stable").copy()
        person = part["person"].to_numpy()
        part["customer_id"] = identities[source].ids_for(person, part["ts"].to_numpy(), rng)
        part["event_id"] = [f"{EVENT_PREFIX[source]}_{k:09d}" for k in range(len(part))]
        part["anonymous_id"] = None
        if source == "app":
            device = identities["app"].record_id[identities["app"].primary[person]]
            part["anonymous_id"] = [f"dev-{d[-12:]}" for d in device]
        if source == "webshop":
            anon = part["anonymous"].to_numpy()
            for p in np.unique(person[anon]).tolist():
                cookies[p] = f"anon-{int(rng.integers(0, 1 << 48)):012x}"
            part.loc[anon, "anonymous_id"] = [cookies[p] for p in person[anon].tolist()]
            part.loc[anon, "customer_id"] = None
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
