"""Month-by-month simulation of every customer's life: orders, the interactions each order
brings (a session, an invoice, a delivery, a store visit), returns, support contacts, reviews,
satisfaction and churn — the equations of :mod:`cxloop.demo.causal`, vectorised over people.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

import numpy as np

from cxloop.demo.causal import ValueChainModel
from cxloop.demo.interactions import (
    APP,
    BROWSE,
    CALL,
    CHAT,
    DELIVERY,
    INVOICE,
    NEVER,
    ORDER_SESSION,
    RETURN,
    STORE,
    SUPPORT,
    TP,
    WEB,
    Columns,
    Interactions,
    Orders,
    Reviews,
    Simulation,
)
from cxloop.demo.markets import CityTable
from cxloop.demo.organisation import TEAM_INDEX
from cxloop.demo.people import People
from cxloop.demo.timeline import DAY, HOUR, Timeline
from cxloop.domain.records import TOUCHPOINTS

CONTACT_AFTER_FAILURE = {
    ORDER_SESSION: 0.05, BROWSE: 0.02, INVOICE: 0.45, DELIVERY: 0.35, STORE: 0.08, RETURN: 0.40,
}  # fmt: skip
CONTACT_BASELINE = 0.012
RETURN_RATE = 0.06
RETURN_AFTER_LATE = 0.15
REVIEW_RATE = 0.012
WEB_APP = TEAM_INDEX["web_app"]
BILLING = (INVOICE, TP["billing"], TEAM_INDEX["billing"])
DELIVERING = (DELIVERY, TP["delivery"], TEAM_INDEX["delivery"])
RETURNING = (RETURN, TP["email"], TEAM_INDEX["returns"])


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class _Simulator:
    def __init__(
        self,
        people: People,
        cities: CityTable,
        engagement: np.ndarray,
        timeline: Timeline,
        model: ValueChainModel,
        rng: np.random.Generator,
    ) -> None:
        self.people, self.engagement, self.timeline = people, engagement, timeline
        self.model, self.rng = model, rng
        self.thresholds = np.array([model.threshold(tp) for tp in TOUCHPOINTS])
        self.weights = np.array([model.failure_weights[tp] for tp in TOUCHPOINTS])
        north = cities.north[people.city]
        self.store_team = np.where(
            north, TEAM_INDEX["stores_north"], TEAM_INDEX["stores_south"]
        ).astype(np.int8)
        weights = np.stack([people.in_web * 1.0, people.in_app * 1.3, people.in_crm * 0.9], axis=1)
        self.channel_cdf = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
        start = datetime.fromtimestamp(timeline.start, UTC)
        self.utc_offset = cities.utc_offsets(start)[people.city]
        self.rows = Columns(tuple(f.name for f in fields(Interactions)))
        self.orders = Columns(("person", "ts", "channel", "amount"))
        self.reviews = Columns(tuple(f.name for f in fields(Reviews)))
        self.returned: list[np.ndarray] = []
        self._impacts: list[np.ndarray] = []
        self._persons: list[np.ndarray] = []
        self._times: list[np.ndarray] = []
        self._satisfaction: list[tuple[np.ndarray, np.ndarray]] = []
        self._last: dict[str, np.ndarray] = {}

    def daytime(self, ts: np.ndarray, person: np.ndarray, first: float, last: float) -> np.ndarray:
        """Move each instant to a local time of day between ``first`` and ``last`` o'clock
        (evening-heavy), keeping its local date: people shop and call when awake."""
        offset = self.utc_offset[person]
        day = (ts + offset) // DAY * DAY
        hour = first + (last - first) * self.rng.beta(1.6, 1.2, len(ts))
        return (day + (hour * HOUR).astype(np.int64) - offset).astype(np.int64)

    # -- one interaction batch -------------------------------------------------------------
    def serve(
        self,
        where: tuple,
        person: np.ndarray,
        ts: np.ndarray,
        channel: int | np.ndarray,
        satisfaction: np.ndarray,
        order: np.ndarray | None = None,
        cause: np.ndarray | None = None,
    ) -> dict[str, np.ndarray]:
        """Draw quality and failure for a batch of interactions (equations 3 and 4).

        ``where`` is (kind, touchpoint, team), each a scalar or one value per interaction.
        """
        n = len(person)

        def each(value: int | np.ndarray, dtype: type = np.int8) -> np.ndarray:
            return np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()

        kind, touchpoint, team = (each(v) for v in where)
        ts = np.maximum(ts, self.timeline.start)
        quarter = self.timeline.quarter_of(ts)
        quality = self.model.engagement_to_quality * self.engagement[team, quarter]
        quality = quality + self.rng.normal(0.0, 1.0, n)
        failure = quality < self.thresholds[touchpoint]
        impact = self.model.quality_to_satisfaction * quality - self.weights[touchpoint] * failure
        return {
            "person": person,
            "ts": ts.astype(np.int64),
            "kind": kind,
            "touchpoint": touchpoint,
            "team": team,
            "channel": each(channel),
            "order": each(-1 if order is None else order, np.int64),
            "cause": each(-1 if cause is None else cause, np.int64),
            "quality": quality,
            "failure": failure,
            "detail": np.zeros(n),
            "satisfaction": satisfaction[person] + impact,
        }

    # -- one month -------------------------------------------------------------------------
    def month(self, m: int, alive: np.ndarray, churn_ts: np.ndarray, drift: np.ndarray) -> None:
        p, rng, model = self.people, self.rng, self.model
        n = p.n
        t0, t1 = int(self.timeline.month_edges[m]), int(self.timeline.month_edges[m + 1])
        sat = p.satisfaction_baseline + drift

        existing = alive & (p.acquired < t0)
        hazard = _logistic(model.churn_intercept + model.churn_satisfaction * sat)
        leaving = existing & (rng.random(n) < hazard)
        churn_ts[leaving] = t0 + (rng.random(int(leaving.sum())) * (t1 - t0)).astype(np.int64)
        lo = np.maximum(t0, p.acquired)
        hi = np.minimum(t1, churn_ts)
        active = alive & (p.acquired < t1) & (hi > lo)
        alive &= ~leaving
        span = np.where(active, hi - lo, 0)
        share = span / (t1 - t0)

        # orders (equation 7); a new customer's first order is the acquisition itself
        rate = p.purchase_rate * np.exp(model.purchase_satisfaction * sat) * share
        count = rng.poisson(rate)
        who = np.repeat(np.arange(n), count)
        when = lo[who] + (rng.random(len(who)) * span[who]).astype(np.int64)
        when = np.clip(self.daytime(when, who, 8.0, 23.0), lo[who], hi[who] - 1)
        new = np.flatnonzero(active & (p.acquired >= t0))
        who = np.concatenate([new, who])
        when = np.concatenate([p.acquired[new], when])
        channel = (rng.random(len(who))[:, None] > self.channel_cdf[who]).sum(axis=1)
        channel = np.minimum(channel, 2).astype(np.int8)
        amount = p.spend_level[who] * rng.lognormal(-0.18, 0.6, len(who))
        order = self.orders.add(person=who, ts=when, channel=channel, amount=amount)

        batch = self._order_interactions(who, when, channel, order, sat)
        batch += self._browsing(active, lo, span, share, sat)
        rows = [self._add(b) for b in batch]
        deliveries = batch[2]
        rows.append(self._add(self._returns(deliveries, rows[2], sat)))
        every = {k: np.concatenate([b[k] for b in [*batch, self._last]]) for k in batch[0]}
        index = np.concatenate(rows)
        rows.append(self._add(self._contacts(every, index, active, lo, span, share, sat)))

        # reviews from app users (stars depend on satisfaction and this month's app crashes)
        crashed = np.zeros(n, bool)
        app_rows = (every["touchpoint"] == TP["app"]) & every["failure"]
        crashed[every["person"][app_rows]] = True
        writes = np.flatnonzero(active & p.in_app & (rng.random(n) < REVIEW_RATE * share))
        a, b_sat, b_crash, sd = model.review
        stars = a + b_sat * sat[writes] + b_crash * crashed[writes] + rng.normal(0, sd, len(writes))
        review_ts = lo[writes] + (rng.random(len(writes)) * span[writes]).astype(np.int64)
        self.reviews.add(
            person=writes,
            ts=np.clip(self.daytime(review_ts, writes, 7.0, 24.0), lo[writes], hi[writes] - 1),
            stars=np.clip(np.rint(stars), 1, 5).astype(np.int8),
            app_failure=crashed[writes],
            satisfaction=sat[writes],
        )

        # satisfaction (equation 5): within the month each interaction sees the ones before it
        impact = np.concatenate(self._impacts)
        persons = np.concatenate(self._persons)
        when = np.concatenate(self._times)
        order = np.lexsort((when, persons))
        running = np.cumsum(impact[order])
        first = np.r_[True, persons[order][1:] != persons[order][:-1]]
        starts = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
        before_group = (running - impact[order])[starts]
        seen = np.empty(len(order))
        seen[order] = running - before_group
        self._satisfaction.append((np.concatenate(rows), sat[persons] + seen))
        self._impacts.clear()
        self._persons.clear()
        self._times.clear()
        drift *= model.satisfaction_memory
        drift += np.bincount(persons, weights=impact, minlength=n)

    def _add(self, batch: dict[str, np.ndarray]) -> np.ndarray:
        """Record a served batch; return its global row numbers."""
        self._last = batch
        weights = self.weights[batch["touchpoint"]]
        impact = self.model.quality_to_satisfaction * batch["quality"] - weights * batch["failure"]
        self._impacts.append(impact)
        self._persons.append(batch["person"])
        self._times.append(batch["ts"])
        return self.rows.add(**batch)

    def _order_interactions(
        self,
        who: np.ndarray,
        when: np.ndarray,
        channel: np.ndarray,
        order: np.ndarray,
        sat: np.ndarray,
    ) -> list[dict[str, np.ndarray]]:
        rng = self.rng
        on = np.flatnonzero(channel < 2)
        k, person, via, bought = len(on), who[on], channel[on], order[on]
        tp_session = np.where(via == WEB, TP["web"], TP["app"])
        opened = when[on] - rng.integers(120, 2400, k)
        session = self.serve((ORDER_SESSION, tp_session, WEB_APP), person, opened, via, sat, bought)
        billed = when[on] + rng.integers(60, 900, k)
        invoice = self.serve(BILLING, person, billed, via, sat, bought)
        promised = when[on] + (rng.uniform(2.0, 4.5, k) * DAY).astype(np.int64)
        promised = self.daytime(promised, person, 8.0, 20.0)
        delivery = self.serve(DELIVERING, person, promised, via, sat, bought)
        late = np.where(delivery["failure"], 1 + rng.poisson(2.5, k), 0)
        delivery["detail"] = late.astype(float)
        delivery["ts"] = delivery["ts"] + late * DAY
        shop = np.flatnonzero(channel == 2)
        s = len(shop)
        where = (STORE, TP["store"], self.store_team[who[shop]])
        store = self.serve(where, who[shop], when[shop], channel[shop], sat, order[shop])
        wait = np.where(store["failure"], rng.uniform(20, 50, s), rng.uniform(1, 12, s))
        store["detail"] = wait.round()
        return [session, invoice, delivery, store]

    def _browsing(
        self,
        active: np.ndarray,
        lo: np.ndarray,
        span: np.ndarray,
        share: np.ndarray,
        sat: np.ndarray,
    ) -> list[dict[str, np.ndarray]]:
        p, rng = self.people, self.rng
        out = []
        for channel, member, rate in ((WEB, p.in_web, p.browse_rate), (APP, p.in_app, p.app_rate)):
            count = rng.poisson(rate * share * (active & member))
            who = np.repeat(np.arange(p.n), count)
            when = lo[who] + (rng.random(len(who)) * span[who]).astype(np.int64)
            when = np.clip(self.daytime(when, who, 7.0, 24.0), lo[who], lo[who] + span[who] - 1)
            tp = TP["web"] if channel == WEB else TP["app"]
            out.append(self.serve((BROWSE, tp, WEB_APP), who, when, channel, sat))
        return out

    def _returns(
        self, delivery: dict[str, np.ndarray], rows: np.ndarray, sat: np.ndarray
    ) -> dict[str, np.ndarray]:
        rng = self.rng
        chance = RETURN_RATE + RETURN_AFTER_LATE * delivery["failure"]
        back = np.flatnonzero(rng.random(len(rows)) < chance)
        k = len(back)
        person = delivery["person"][back]
        asked = delivery["ts"][back] + (rng.uniform(2, 12, k) * DAY).astype(np.int64)
        asked = self.daytime(asked, person, 8.0, 23.0)
        order = delivery["order"][back]
        batch = self.serve(RETURNING, person, asked, SUPPORT, sat, order, rows[back])
        batch["detail"] = np.where(
            batch["failure"], rng.uniform(10, 25, k), rng.uniform(2, 7, k)
        ).round()
        self.returned.append(delivery["order"][back])
        return batch

    def _contacts(
        self,
        every: dict[str, np.ndarray],
        index: np.ndarray,
        active: np.ndarray,
        lo: np.ndarray,
        span: np.ndarray,
        share: np.ndarray,
        sat: np.ndarray,
    ) -> dict[str, np.ndarray]:
        """Support calls and chats: most follow a failure, some are plain questions."""
        p, rng = self.people, self.rng
        chance = np.zeros(len(index))
        for kind, prob in CONTACT_AFTER_FAILURE.items():
            chance[(every["kind"] == kind) & every["failure"]] = prob
        follow = np.flatnonzero(rng.random(len(index)) < chance)
        asking = np.flatnonzero(active & (rng.random(p.n) < CONTACT_BASELINE * share))
        person = np.concatenate([every["person"][follow], asking])
        delay = (rng.uniform(0.05, 2.0, len(follow)) * DAY).astype(np.int64)
        ts = np.concatenate(
            [
                every["ts"][follow] + delay,
                lo[asking] + (rng.random(len(asking)) * span[asking]).astype(np.int64),
            ]
        )
        ts = np.maximum(
            self.daytime(ts, person, 8.0, 21.0),
            np.concatenate([every["ts"][follow] + 600, np.zeros(len(asking), np.int64)]),
        )
        cause = np.concatenate([index[follow], np.full(len(asking), -1)])
        chat = p.prefers_chat[person] ^ (rng.random(len(person)) < 0.15)
        where = (
            np.where(chat, CHAT, CALL),
            np.where(chat, TP["chat"], TP["call_centre"]),
            np.where(chat, TEAM_INDEX["chat_support"], TEAM_INDEX["call_centre"]),
        )
        batch = self.serve(where, person, ts, SUPPORT, sat, None, cause)
        k = len(person)
        slow = np.where(chat, rng.uniform(8, 30, k), rng.uniform(15, 50, k))
        quick = np.where(chat, rng.uniform(0.2, 4, k), rng.uniform(0.5, 8, k))
        batch["detail"] = np.where(batch["failure"], slow, quick).round(1)
        return batch

    def run(self) -> Simulation:
        p = self.people
        alive = np.ones(p.n, bool)
        churn_ts = np.full(p.n, NEVER, np.int64)
        drift = np.zeros(p.n)
        for m in range(self.timeline.months):
            self.month(m, alive, churn_ts, drift)
        rows = self.rows.build()
        for index, value in self._satisfaction:
            rows["satisfaction"][index] = value
        keep = rows["ts"] < self.timeline.end
        # a contact about a dropped row is dropped too (it would come even later)
        old_to_new = np.cumsum(keep) - 1
        rows["cause"] = np.where(rows["cause"] >= 0, old_to_new[np.maximum(rows["cause"], 0)], -1)
        interactions = Interactions(**{k: v[keep] for k, v in rows.items()})
        orders = self.orders.build()
        returned = np.zeros(len(orders["ts"]), bool)
        if self.returned:
            returned[np.concatenate(self.returned)] = True
        return Simulation(
            interactions=interactions,
            orders=Orders(**orders, returned=returned),
            reviews=Reviews(**self.reviews.build()),
            churn_ts=churn_ts,
            satisfaction_final=p.satisfaction_baseline + drift,
        )


def simulate(
    people: People,
    cities: CityTable,
    engagement: np.ndarray,
    timeline: Timeline,
    model: ValueChainModel,
    rng: np.random.Generator,
) -> Simulation:
    """Run the customers' lives through the window (see :mod:`cxloop.demo.causal`)."""
    return _Simulator(people, cities, engagement, timeline, model, rng).run()
