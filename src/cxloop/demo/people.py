"""The true people behind the customer records: one row per person, with the identity that
every source garbles a little differently, and the traits that drive their behaviour.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from faker import Faker

from cxloop.demo.causal import ValueChainModel
from cxloop.demo.contacts import email_address, phone_number, postcode, unique_emails
from cxloop.demo.markets import MARKETS, CityTable
from cxloop.demo.names import NamePool
from cxloop.demo.timeline import DAY, Timeline

MARKET_CODES = tuple(m.country for m in MARKETS)
APP_SHARE = {"US": 0.32, "GB": 0.30, "ES": 0.28, "MX": 0.30, "CN": 0.55}
WEB_SHARE = {"US": 0.58, "GB": 0.60, "ES": 0.52, "MX": 0.50, "CN": 0.45}
CHAT_SHARE = {"US": 0.40, "GB": 0.40, "ES": 0.35, "MX": 0.45, "CN": 0.70}
CRM_SHARE = 0.82
ADDRESS_POOL = 400


@dataclass(frozen=True)
class People:
    """The hidden truth about every person (index ``p`` is person ``person_id[p]``)."""

    person_id: list[str]
    market: np.ndarray
    female: np.ndarray
    first_name: list[str]
    last_name: list[str]
    birth_date: np.ndarray
    city: np.ndarray
    postcode: list[str]
    address: list[str]
    phone: list[str]
    email: list[str]
    acquired: np.ndarray
    in_crm: np.ndarray
    in_web: np.ndarray
    in_app: np.ndarray
    satisfaction_baseline: np.ndarray
    purchase_rate: np.ndarray
    spend_level: np.ndarray
    browse_rate: np.ndarray
    app_rate: np.ndarray
    prefers_chat: np.ndarray

    @property
    def n(self) -> int:
        return len(self.person_id)

    def country(self, p: int) -> str:
        return MARKET_CODES[self.market[p]]

    def language(self, p: int) -> str:
        return MARKETS[self.market[p]].language


def _street_pools(seed: int) -> dict[str, list[str]]:
    pools = {}
    for market in MARKETS:
        fake = Faker(market.faker_locale)
        fake.seed_instance(seed)
        pools[market.country] = [
            " ".join(fake.street_address().split()) for _ in range(ADDRESS_POOL)
        ]
    return pools


def make_people(
    n: int,
    timeline: Timeline,
    cities: CityTable,
    pools: dict[str, NamePool],
    model: ValueChainModel,
    rng: np.random.Generator,
    rnd: random.Random,
    seed: int,
) -> People:
    shares = np.array([m.share for m in MARKETS])
    market = rng.choice(len(MARKETS), size=n, p=shares / shares.sum()).astype(np.int8)
    female = rng.random(n) < 0.52
    first: list[str] = [""] * n
    last: list[str] = [""] * n
    city = np.zeros(n, dtype=np.int16)
    for m, mk in enumerate(MARKETS):
        rows = np.flatnonzero(market == m)
        f, la = pools[mk.country].sample(rng, female[rows])
        for i, row in enumerate(rows):
            first[row], last[row] = f[i], la[i]
        index, weights = cities.weights_in(m)
        city[rows] = rng.choice(index, size=len(rows), p=weights)

    age_days = (rng.beta(2.2, 3.0, n) * 62 + 18) * 365.25
    birth = (np.datetime64(timeline.start, "s") - (age_days * DAY).astype("timedelta64[s]")).astype(
        "datetime64[D]"
    )
    streets = _street_pools(seed)
    codes: list[str] = []
    addresses: list[str] = []
    phones: list[str] = []
    emails: list[str] = []
    for p in range(n):
        mk = MARKETS[market[p]]
        home = cities.cities[city[p]]
        codes.append(postcode(mk.country, home, rnd))
        addresses.append(rnd.choice(streets[mk.country]))
        phones.append(phone_number(mk.country, home, rnd))
        year = int(str(birth[p])[:4])
        emails.append(email_address(first[p], last[p], year, mk.language, mk.email_domains, rnd))
    emails = unique_emails(emails, rnd)

    window = timeline.end - timeline.start
    existing = rng.random(n) < 0.45
    before = timeline.start - (rng.beta(1.0, 1.6, n) * 4 * 365 * DAY).astype(np.int64)
    during = timeline.start + (rng.random(n) * (window - 14 * DAY)).astype(np.int64)
    offset = cities.utc_offsets(datetime.fromtimestamp(timeline.start, UTC))[city]
    local_day = (np.where(existing, before, during) + offset) // DAY * DAY
    acquired = local_day - offset + rng.integers(9 * 3600, 21 * 3600, n)
    acquired = np.minimum(acquired, timeline.end - DAY)

    codes_m = np.array(MARKET_CODES)[market]
    in_app = rng.random(n) < np.vectorize(APP_SHARE.get)(codes_m)
    in_web = rng.random(n) < np.vectorize(WEB_SHARE.get)(codes_m)
    in_crm = rng.random(n) < CRM_SHARE
    in_crm |= ~(in_app | in_web)
    prefers_chat = rng.random(n) < np.vectorize(CHAT_SHARE.get)(codes_m)

    mean_order = np.array([m.mean_order for m in MARKETS])[market]
    return People(
        person_id=[f"P{p + 1:06d}" for p in range(n)],
        market=market,
        female=female,
        first_name=first,
        last_name=last,
        birth_date=birth,
        city=city,
        postcode=codes,
        address=addresses,
        phone=phones,
        email=emails,
        acquired=acquired,
        in_crm=in_crm,
        in_web=in_web,
        in_app=in_app,
        satisfaction_baseline=rng.normal(
            model.satisfaction_baseline_mean, model.satisfaction_baseline_sd, n
        ),
        purchase_rate=rng.gamma(
            model.purchase_rate_shape, model.purchase_rate_mean / model.purchase_rate_shape, n
        ),
        spend_level=rng.gamma(4.0, 0.25, n) * mean_order,
        browse_rate=rng.gamma(2.0, 0.25, n),
        app_rate=rng.gamma(2.0, 0.45, n),
        prefers_chat=prefers_chat,
    )
