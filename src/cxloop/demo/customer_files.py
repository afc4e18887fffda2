"""Each source's customer records, written the way that system writes people down.

- ``crm``: canonical columns, full names (Spanish people with both surnames), national phone
  formats, some missing e-mails, extra columns ``segment_code``, ``loyalty_tier``,
  ``marketing_opt_in``; about 3 % of people entered twice.
- ``webshop``: e-mail always (it is the login), capitals as typed, phone in E.164 when given,
  country names in English, BCP 47 locales, accents often dropped.
- ``app``: a single ``name`` field, Chinese names often in pinyin (either order), private-relay
  e-mails, phones as bare digits; Parquet with real timestamps.
- ``support``: the desk's own Spanish column names, agents' typos, Chinese names typed in pinyin
  and sometimes family name first, local dates ``23/11/2025 14:05`` (Europe/Madrid).
"""

from __future__ import annotations

import random
import string

import numpy as np
import pandas as pd

from cxloop.demo.contacts import format_phone
from cxloop.demo.identities import SourceIdentity
from cxloop.demo.interactions import Simulation
from cxloop.demo.markets import COUNTRY_NAMES, MARKETS, CityTable
from cxloop.demo.noise import (
    city_variant,
    email_case,
    first_given_name,
    first_surname,
    is_chinese,
    nickname,
    pinyin_name,
    strip_accents,
    typo,
)
from cxloop.demo.people import People
from cxloop.demo.timeline import iso_local, local_format

SUPPORT_COLUMNS = {
    "customer_id": "Ticket Contact ID",
    "first_name": "Nombre",
    "last_name": "Apellidos",
    "email": "Correo",
    "phone": "Teléfono",
    "city": "Ciudad",
    "country": "País",
    "language": "Idioma",
    "created_at": "Alta",
}
SUPPORT_TIME_FORMAT = "%d/%m/%Y %H:%M"
SUPPORT_TIMEZONE = "Europe/Madrid"


class _Renderer:
    def __init__(self, people: People, cities: CityTable, rnd: random.Random) -> None:
        self.people, self.cities, self.rnd = people, cities, rnd

    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def style(self, weights: dict[str, float]) -> str:
        return self.rnd.choices(list(weights), weights=list(weights.values()))[0]

    def name(
        self, p: int, *, nick: float, slip: float, fold: float, one_surname: float, pinyin: float
    ) -> tuple[str, str]:
        first, last = self.people.first_name[p], self.people.last_name[p]
        if is_chinese(last):
            if self.chance(pinyin):
                return pinyin_name(first, last)
            if self.chance(slip):
                first = typo(first, self.rnd)
            return first, last
        if self.chance(nick):
            first = nickname(first, self.rnd)
        if self.chance(one_surname):
            last = first_surname(last)
        if self.chance(slip):
            if self.chance(0.5):
                first = typo(first, self.rnd)
            else:
                last = typo(last, self.rnd)
        if self.chance(fold):
            first, last = strip_accents(first), strip_accents(last)
        return first, last

    def phone(self, p: int, present: float, styles: dict[str, float]) -> str | None:
        if not self.chance(present):
            return None
        return format_phone(self.people.phone[p], self.people.country(p), self.style(styles))

    def email(self, p: int, present: float, cased: float) -> str | None:
        if not self.chance(present):
            return None
        address = self.people.email[p]
        return email_case(address, self.rnd) if self.chance(cased) else address

    def city(self, p: int, present: float, varied: float) -> str | None:
        if not self.chance(present):
            return None
        city = self.cities.cities[self.people.city[p]]
        return (
            city_variant(city.name, city.variants, self.rnd) if self.chance(varied) else city.name
        )

    def postcode(self, p: int, present: float) -> str | None:
        if not self.chance(present):
            return None
        code = self.people.postcode[p]
        if self.people.country(p) == "GB" and self.chance(0.2):
            return code.replace(" ", "").lower()
        return code


def _local_times(
    people: People, cities: CityTable, persons: np.ndarray, ts: np.ndarray
) -> np.ndarray:
    return iso_local(ts, cities.timezone[people.city[persons]], cities.timezones)


def crm_customers(
    ident: SourceIdentity,
    people: People,
    cities: CityTable,
    orders: np.ndarray,
    spend: np.ndarray,
    rnd: random.Random,
) -> pd.DataFrame:
    """The CRM's contacts (``orders``/``spend``: per-person totals for tier and segment)."""
    r = _Renderer(people, cities, rnd)
    rows = []
    spend_cut = np.quantile(spend[ident.person], [0.33, 0.66, 0.97]) if len(ident) else np.zeros(3)
    for p, dup in zip(ident.person, ident.duplicate, strict=True):
        harder = 3.0 if dup else 1.0
        first, last = r.name(
            p, nick=0.10 * harder, slip=0.04 * harder, fold=0.25, one_surname=0.3, pinyin=0.05
        )
        email = r.email(p, 0.88 if not dup else 0.55, 0.10)
        if dup and email and r.chance(0.4):
            local, _ = email.split("@")
            email = f"{local}@{r.style(dict(MARKETS[people.market[p]].email_domains))}"
        country = people.country(p)
        rows.append(
            {
                "first_name": first,
                "last_name": last,
                "email": email,
                "phone": r.phone(
                    p,
                    0.9 if not dup else 0.7,
                    {"national": 45, "intl": 25, "digits": 20, "dashes": 10},
                ),
                "birth_date": str(people.birth_date[p]) if r.chance(0.65) else None,
                "address": people.address[p] if r.chance(0.8) else None,
                "city": r.city(p, 0.97, 0.15 * harder),
                "postcode": r.postcode(p, 0.92),
                "country": country if r.chance(0.9) else COUNTRY_NAMES[country][people.language(p)],
                "language": people.language(p),
                "segment_code": _segment(spend[p], spend_cut),
                "loyalty_tier": _tier(orders[p]),
                "marketing_opt_in": "Y" if r.chance(0.65) else "N",
            }
        )
    frame = pd.DataFrame(rows, columns=[*_CRM_COLUMNS[1:]])
    frame.insert(0, "customer_id", ident.record_id)
    frame.insert(
        frame.columns.get_loc("language") + 1,
        "created_at",
        _local_times(people, cities, ident.person, ident.created),
    )
    return frame


_CRM_COLUMNS = (
    "customer_id", "first_name", "last_name", "email", "phone", "birth_date", "address", "city",
    "postcode", "country", "language", "segment_code", "loyalty_tier", "marketing_opt_in",
)  # fmt: skip


def _segment(spend: float, cuts: np.ndarray) -> str:
    if spend >= cuts[2]:
        return "VIP"
    return "RET-A" if spend >= cuts[1] else "RET-B" if spend >= cuts[0] else "RET-C"


def _tier(orders: int) -> str:
    return (
        "Platinum"
        if orders >= 12
        else "Gold"
        if orders >= 6
        else "Silver"
        if orders >= 3
        else "Bronze"
    )


def webshop_customers(
    ident: SourceIdentity, people: People, cities: CityTable, rnd: random.Random
) -> pd.DataFrame:
    r = _Renderer(people, cities, rnd)
    rows = []
    for p in ident.person:
        first, last = r.name(p, nick=0.08, slip=0.03, fold=0.4, one_surname=0.5, pinyin=0.15)
        if r.chance(0.2):
            first = first_given_name(first)
        if is_chinese(last) and r.chance(0.05):
            first, last = last, first
        market = MARKETS[people.market[p]]
        rows.append(
            {
                "first_name": first,
                "last_name": last,
                "email": r.email(p, 1.0, 0.2),
                "phone": r.phone(p, 0.45, {"e164": 70, "intl": 30}),
                "city": r.city(p, 0.9, 0.1),
                "postcode": r.postcode(p, 0.8),
                "country": COUNTRY_NAMES[market.country]["en"],
                "language": market.locale,
                "newsletter": r.chance(0.4),
            }
        )
    frame = pd.DataFrame(rows)
    frame.insert(0, "customer_id", ident.record_id)
    frame.insert(
        frame.columns.get_loc("language") + 1,
        "created_at",
        _local_times(people, cities, ident.person, ident.created),
    )
    return frame


def app_customers(
    ident: SourceIdentity, people: People, cities: CityTable, rnd: random.Random
) -> pd.DataFrame:
    r = _Renderer(people, cities, rnd)
    rows = []
    for p in ident.person:
        first, last = r.name(p, nick=0.12, slip=0.03, fold=0.3, one_surname=0.6, pinyin=0.4)
        if is_chinese(last):
            name = last + first
        elif people.country(p) == "CN":  # a Chinese name in pinyin: family name first, or not
            name = f"{last} {first}" if r.chance(0.6) else f"{first} {last}"
        else:
            name = f"{first} {last}"
        email = r.email(p, 0.7, 0.0)
        if email and r.chance(0.12):
            handle = "".join(
                r.rnd.choice(string.ascii_lowercase + string.digits) for _ in range(10)
            )
            email = f"{handle}@privaterelay.appleid.com"
        market = MARKETS[people.market[p]]
        rows.append(
            {
                "name": name,
                "email": email,
                "phone": r.phone(p, 0.65, {"digits": 100}),
                "city": r.city(p, 0.5, 0.0),
                "country": market.country,
                "language": market.locale,
                "platform": "ios" if r.chance(0.5) else "android",
                "push_opt_in": r.chance(0.55),
                "app_version": f"4.{r.rnd.randint(2, 9)}.{r.rnd.randint(0, 4)}",
            }
        )
    frame = pd.DataFrame(rows)
    frame.insert(0, "customer_id", ident.record_id)
    frame["created_at"] = pd.to_datetime(ident.created, unit="s", utc=True)
    return frame


def support_customers(
    ident: SourceIdentity, people: People, cities: CityTable, rnd: random.Random
) -> pd.DataFrame:
    """The support desk's contacts, in its own column names (see :data:`SUPPORT_COLUMNS`)."""
    r = _Renderer(people, cities, rnd)
    rows = []
    for p in ident.person:
        first, last = r.name(p, nick=0.10, slip=0.08, fold=0.3, one_surname=0.5, pinyin=0.5)
        if r.chance(0.4):
            first = first_given_name(first)  # "José Luis" → "José"
        if r.chance(0.2 if people.country(p) == "CN" else 0.02):
            first, last = last, first
        family: str | None = None if r.chance(0.05) else last
        rows.append(
            {
                "first_name": first,
                "last_name": family,
                "email": r.email(p, 0.8, 0.15),
                "phone": r.phone(p, 0.85, {"intl": 50, "national": 30, "e164": 10, "zerozero": 10}),
                "city": r.city(p, 0.7, 0.25),
                "country": COUNTRY_NAMES[people.country(p)]["es"],
                "language": people.language(p) if r.chance(0.8) else None,
            }
        )
    frame = pd.DataFrame(rows)
    frame.insert(0, "customer_id", ident.record_id)
    frame["created_at"] = local_format(ident.created, SUPPORT_TIMEZONE, SUPPORT_TIME_FORMAT)
    return frame.rename(columns=SUPPORT_COLUMNS)


def customer_frames(
    identities: dict[str, SourceIdentity],
    people: People,
    cities: CityTable,
    sim: Simulation,
    seed: int,
) -> dict[str, pd.DataFrame]:
    """Every source's customer records, each source garbling people its own way."""
    orders = np.bincount(sim.orders.person, minlength=people.n)
    spend = np.bincount(sim.orders.person, weights=sim.orders.amount, minlength=people.n)
    usd = np.array([m.usd_rate for m in MARKETS])[people.market]
    return {
        "crm": crm_customers(
            identities["crm"], people, cities, orders, spend * usd, random.Random(f"crm-{seed}")
        ),
        "webshop": webshop_customers(
            identities["webshop"], people, cities, random.Random(f"webshop-{seed}")
        ),
        "support": support_customers(
            identities["support"], people, cities, random.Random(f"support-{seed}")
        ),
        "app": app_customers(identities["app"], people, cities, random.Random(f"app-{seed}")),
    }
