"""Referral events: happy repeat buyers recommend the shop through its refer-a-friend programme.

Planted (see ``ground_truth/referrals.csv``): a person whose final satisfaction is in the top
fifth and who placed at least two orders refers a friend with probability
:data:`HAPPY_REFERRAL_RATE`; every other person with an order, with probability
:data:`BACKGROUND_REFERRAL_RATE`. A referral is a ``Referral Sent`` event 1–30 days after one of
the person's orders (inside the window), in the system that took that order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxloop.demo.events import props
from cxloop.demo.interactions import Simulation
from cxloop.demo.orders import ORDER_SOURCE
from cxloop.demo.people import People
from cxloop.demo.timeline import DAY, Timeline, iso_utc

REFERRAL_EVENT = "Referral Sent"
HAPPY_REFERRAL_RATE = 0.4
BACKGROUND_REFERRAL_RATE = 0.01
_TOUCHPOINT = {"webshop": "web", "app": "app", "crm": "store"}


def build_referrals(
    people: People, sim: Simulation, timeline: Timeline, rng: np.random.Generator
) -> pd.DataFrame:
    """The referral events, with ``source``, the hidden ``person`` and ``planted``
    (``happy_repeat`` or ``background``), in the columns of
    :func:`cxloop.demo.events.build_events`."""
    orders = sim.orders
    counts = np.bincount(orders.person, minlength=people.n)
    satisfaction = np.asarray(sim.satisfaction_final, dtype=float)
    happy = (satisfaction >= np.quantile(satisfaction, 0.8)) & (counts >= 2)
    rate = np.where(happy, HAPPY_REFERRAL_RATE, BACKGROUND_REFERRAL_RATE)
    refers = (counts >= 1) & (rng.random(people.n) < rate)
    persons = np.flatnonzero(refers)
    # one of the person's orders, at random: orders sorted by person, pick an offset
    by_person = np.argsort(orders.person, kind="stable")
    first = np.searchsorted(orders.person[by_person], persons)
    pick = by_person[first + (rng.random(len(persons)) * counts[persons]).astype(np.int64)]
    ts = (
        orders.ts[pick]
        + rng.integers(1, 31, len(persons)) * DAY
        + rng.integers(0, DAY, len(persons))
    )
    sources = [ORDER_SOURCE[int(c)] for c in orders.channel[pick]]
    codes = rng.integers(0, 1 << 32, len(persons))
    frame = pd.DataFrame(
        {
            "source": sources,
            "person": persons,
            "ts": ts,
            "type": "track",
            "name": REFERRAL_EVENT,
            "touchpoint": [_TOUCHPOINT[s] for s in sources],
            "channel": [_TOUCHPOINT[s] for s in sources],
            "properties": [
                props(programme="refer-a-friend", code=f"RF-{int(c):08X}") for c in codes
            ],
            "anonymous": False,
            "planted": np.where(happy[persons], "happy_repeat", "background"),
        }
    )
    return frame[frame["ts"] < timeline.end].reset_index(drop=True)


def referral_truth(people: People, referrals: pd.DataFrame) -> pd.DataFrame:
    """``person_id``, ``ts`` and ``planted`` of every referral, for ``ground_truth/``."""
    return pd.DataFrame(
        {
            "person_id": np.array(people.person_id, dtype=object)[referrals["person"].to_numpy()],
            "ts": iso_utc(referrals["ts"].to_numpy()),
            "planted": referrals["planted"].to_numpy(),
        }
    ).sort_values(["person_id", "ts"], kind="stable")
