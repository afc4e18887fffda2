"""Synthetic data for ``cxloop bench``: a company of ``customers`` people, written fast.

Vectorised numpy for the people, their orders and their feedback, DuckDB SQL for the large
events file; never a Python loop per row (the loops here run over a few thousand pooled
comments). What makes it honest:

- **duplicates across sources**: every person has a CRM record and 60 % also have a web shop
  account, written differently (e-mail case, phone format, a typo in one name in 8 %), so
  identity resolution has real work; the truth (record → person) is kept beside the files;
- **repeat customers**: activity per person is skewed (a few people make many events, orders
  and comments; most make few), orders follow a gamma–Poisson mix as in BG/NBD data;
- **multilingual comments** from the demo company's phrasebooks (en / es / zh in the demo's
  shares), their mood following the score given with them.

Files (Parquet): ``customers_crm``, ``customers_shop``, ``events``, ``orders``, ``feedback``,
and ``truth`` (record id → person).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

#: languages of the people, as in the demo company (share of en, es, zh)
LANGUAGES = ("en", "es", "zh")
LANGUAGE_SHARES = (0.45, 0.30, 0.25)
MARKETS = {"en": "US", "es": "ES", "zh": "CN"}
TEAMS = 20
#: days covered by the events, orders and feedback
DAYS = 730
START = np.datetime64("2024-01-01T00:00:00", "us")
#: rows of orders and feedback generated and written at once
CHUNK_ROWS = 1_000_000
#: DuckDB's memory limit while it writes the events file
EVENTS_MEMORY = "2GB"


@dataclass(frozen=True)
class Scale:
    """How much data: ``customers`` people and, per customer on average, events and feedback."""

    customers: int
    events_per_customer: int = 50
    feedback_per_customer: int = 5

    @property
    def events(self) -> int:
        return self.customers * self.events_per_customer

    @property
    def feedback(self) -> int:
        return self.customers * self.feedback_per_customer


@dataclass(frozen=True)
class SyntheticFiles:
    """The files written by :func:`write_company` and their row counts."""

    folder: Path
    rows: dict[str, int]

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.parquet"


def _timestamps(days: np.ndarray) -> pa.Array:
    """Days after :data:`START` as UTC timestamps."""
    return pa.array(START + (days * 86_400e6).astype("timedelta64[us]"), pa.timestamp("us", "UTC"))


def _names(rng: np.random.Generator, language: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from cxloop.demo.names import name_pools

    pools = name_pools()
    first = np.empty(len(language), dtype=object)
    last = np.empty(len(language), dtype=object)
    female = rng.random(len(language)) < 0.5
    for code in LANGUAGES:
        pool = pools[MARKETS[code]]
        mask = language == code
        n = int(mask.sum())
        males = np.asarray(pool.male, dtype=object)[rng.choice(len(pool.male), n, p=pool.male_p)]
        females = np.asarray(pool.female, dtype=object)[
            rng.choice(len(pool.female), n, p=pool.female_p)
        ]
        first[mask] = np.where(female[mask], females, males)
        surnames = np.asarray(pool.last, dtype=object)
        last[mask] = surnames[rng.choice(len(surnames), n, p=pool.last_p)]
    return first, last


def _typo(rng: np.random.Generator, names: np.ndarray, share: float) -> np.ndarray:
    """Swap two neighbouring letters in ``share`` of the names (a data-entry slip)."""
    out = names.copy()
    for i in np.flatnonzero(rng.random(len(names)) < share):
        name = str(out[i])
        if len(name) > 3:
            k = int(rng.integers(1, len(name) - 2))
            out[i] = name[:k] + name[k + 1] + name[k] + name[k + 2 :]
    return out


def people_tables(rng: np.random.Generator, customers: int) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The CRM's records, the web shop's (a 60 % subset, written differently) and the truth."""
    language = rng.choice(np.array(LANGUAGES), customers, p=LANGUAGE_SHARES)
    first, last = _names(rng, language)
    person = np.arange(customers)
    email = np.char.add(np.char.add("p", person.astype(str)), "@example.com").astype(object)
    phone_digits = 600_000_000 + rng.integers(0, 399_999_999, customers)
    birth = START.astype("datetime64[D]") - rng.integers(18 * 365, 80 * 365, customers)
    postcode = rng.integers(10_000, 99_999, customers).astype(str).astype(object)
    country = np.vectorize(MARKETS.get, otypes=[object])(language)
    crm = pa.table({
        "customer_id": np.char.add("c", person.astype(str)).astype(object),
        "first_name": first, "last_name": last, "email": email,
        "phone": np.char.add("+34 ", phone_digits.astype(str)).astype(object),
        "birth_date": birth, "postcode": postcode, "country": country, "language": language,
    })  # fmt: skip
    in_shop = np.flatnonzero(rng.random(customers) < 0.6)
    shop_email = email[in_shop].copy()
    upper = rng.random(len(in_shop)) < 0.3
    shop_email[upper] = np.char.upper(shop_email[upper].astype(str)).astype(object)
    shop = pa.table({
        "customer_id": np.char.add("s", in_shop.astype(str)).astype(object),
        "first_name": _typo(rng, first[in_shop], 0.08), "last_name": last[in_shop],
        "email": shop_email, "phone": phone_digits[in_shop].astype(str).astype(object),
        "birth_date": birth[in_shop], "postcode": postcode[in_shop],
        "country": country[in_shop], "language": language[in_shop],
    })  # fmt: skip
    crm_ids = crm.column("customer_id").to_numpy(zero_copy_only=False).astype(str)
    shop_ids = shop.column("customer_id").to_numpy(zero_copy_only=False).astype(str)
    truth = pa.table({
        "record_id": np.concatenate(
            [np.char.add("crm:", crm_ids), np.char.add("shop:", shop_ids)]
        ).astype(object),
        "person": np.concatenate([person, in_shop]),
    })  # fmt: skip
    return crm, shop, truth


def comment_pool(seed: int, per_cell: int = 40) -> dict[tuple[str, str], list[str]]:
    """Comments from the demo company's phrasebooks: ``per_cell`` per language and mood."""
    from cxloop.demo.comments import THEMES, CommentWriter, Slots

    rnd = random.Random(seed)
    writer = CommentWriter(rnd)
    staff = {"en": "Emma", "es": "Lucía", "zh": "王芳"}
    city = {"en": "Leeds", "es": "Sevilla", "zh": "成都"}
    pool: dict[tuple[str, str], list[str]] = {}
    for language in LANGUAGES:
        for mood in ("positive", "negative", "middle"):
            texts = []
            for _ in range(per_cell):
                theme, other = rnd.sample(THEMES, 2)
                slots = Slots(days=rnd.randint(1, 14), amount=f"{rnd.uniform(5, 400):.2f}",
                              staff=staff[language], minutes=rnd.randint(5, 90),
                              city=city[language])  # fmt: skip
                texts.append(writer.write(language, mood, theme, other, slots).text)
            pool[(language, mood)] = texts
    return pool


def _comment_index(
    pool: dict[tuple[str, str], list[str]],
) -> tuple[pa.Array, dict[tuple[str, str], int], int]:
    """The pool as one flat array, each (language, mood) cell's offset in it, and its size."""
    cells = list(pool)
    flat = pa.array([text for cell in cells for text in pool[cell]])
    size = len(pool[cells[0]])
    return flat, {cell: i * size for i, cell in enumerate(cells)}, size


def feedback_table(
    rng: np.random.Generator, language: np.ndarray, owner: np.ndarray, first_id: int,
    comments: tuple[pa.Array, dict[tuple[str, str], int], int],
) -> pa.Table:  # fmt: skip
    """Survey answers and comments of the customers ``owner`` (one row each, ids from
    ``first_id``) keyed by CRM id: NPS on 70 %, CSAT on 40 %, a comment on 40 % in the
    customer's language, its mood following the NPS."""
    rows = len(owner)
    flat, offset, size = comments
    lang = language[owner]
    nps = rng.choice(11, rows, p=np.array([2, 1, 1, 2, 2, 4, 6, 10, 14, 18, 16]) / 76.0)
    mood = np.where(nps >= 9, "positive", np.where(nps <= 6, "negative", "middle"))
    base = np.zeros(rows, dtype=np.int64)
    for cell, start in offset.items():
        base[(lang == cell[0]) & (mood == cell[1])] = start
    index = base + rng.integers(0, size, rows)
    has_text = rng.random(rows) < 0.4
    text = pa.DictionaryArray.from_arrays(pa.array(index, pa.int32(), mask=~has_text), flat).cast(
        pa.string()
    )
    days = rng.uniform(0, DAYS, rows)
    ids = np.arange(first_id, first_id + rows)
    return pa.table({
        "feedback_id": np.char.add("f", ids.astype(str)).astype(object),
        "customer_id": np.char.add("c", owner.astype(str)).astype(object),
        "ts": _timestamps(days),
        "kind": np.full(rows, "survey", dtype=object),
        "touchpoint": rng.choice(np.array(["web", "app", "store", "delivery", "billing"]), rows),
        "team_id": np.char.add("team_", (owner % TEAMS).astype(str)).astype(object),
        "nps": pa.array(nps, pa.int64(), mask=rng.random(rows) >= 0.7),
        "csat": pa.array(np.clip((nps + 1) // 2, 1, 5), pa.int64(), mask=rng.random(rows) >= 0.4),
        "text": text,
        "language": pa.array(lang.astype(object), mask=~has_text),
    })  # fmt: skip


def write_feedback(
    path: Path, rng: np.random.Generator, language: np.ndarray, rows: int, seed: int
) -> int:
    """``rows`` feedback rows (see :func:`feedback_table`) streamed to ``path`` in chunks of
    :data:`CHUNK_ROWS`, so that 5M rows take the memory of one chunk; returns the rows."""
    customers = len(language)
    cumulative = np.cumsum(rng.gamma(0.6, 1.0, customers))  # skewed activity per customer
    comments = _comment_index(comment_pool(seed))
    writer: pq.ParquetWriter | None = None
    try:
        for start in range(0, rows, CHUNK_ROWS):
            n = min(CHUNK_ROWS, rows - start)
            owner = np.minimum(
                np.searchsorted(cumulative, rng.uniform(0.0, cumulative[-1], n)), customers - 1
            )
            chunk = feedback_table(rng, language, owner, start, comments)
            writer = writer or pq.ParquetWriter(path, chunk.schema)
            writer.write_table(chunk)
    finally:
        if writer is not None:
            writer.close()
    return rows


def orders_table(rng: np.random.Generator, customers: np.ndarray, first_id: int) -> pa.Table:
    """Orders of the customers ``customers`` (ids from ``first_id``) keyed by CRM id: purchase
    rates gamma-distributed across people (BG/NBD-like), about three per customer, amounts
    log-normal around each customer's own mean."""
    n = len(customers)
    rate = rng.gamma(0.5, 6.0 / DAYS, n)  # mean 3 orders per customer over the window
    first = rng.uniform(0, DAYS, n)
    counts = 1 + rng.poisson(rate * (DAYS - first))
    owner = np.repeat(np.arange(n), counts)
    day = first[owner] + rng.uniform(0, 1, len(owner)) * (DAYS - first[owner])
    firsts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    day[firsts] = first  # each customer's first order opens their history
    spend = rng.lognormal(3.5, 0.6, n)
    amount = np.round(spend[owner] * rng.lognormal(0, 0.3, len(owner)), 2)
    ids = np.arange(first_id, first_id + len(owner))
    return pa.table({
        "order_id": np.char.add("o", ids.astype(str)).astype(object),
        "customer_id": np.char.add("c", customers[owner].astype(str)).astype(object),
        "ts": _timestamps(day),
        "amount": amount, "currency": np.full(len(owner), "EUR", dtype=object),
    })  # fmt: skip


def write_orders(path: Path, rng: np.random.Generator, customers: int) -> int:
    """Every customer's orders (:func:`orders_table`) streamed to ``path`` in chunks of
    customers; returns the rows written."""
    per_chunk = max(1, CHUNK_ROWS // 4)  # about three orders per customer
    written = 0
    writer: pq.ParquetWriter | None = None
    try:
        for start in range(0, customers, per_chunk):
            people = np.arange(start, min(customers, start + per_chunk))
            chunk = orders_table(rng, people, written)
            writer = writer or pq.ParquetWriter(path, chunk.schema)
            writer.write_table(chunk)
            written += chunk.num_rows
    finally:
        if writer is not None:
            writer.close()
    return written


def write_events(path: Path, customers: int, rows: int, seed: int) -> None:
    """``rows`` events in DuckDB SQL: skewed customers (squared uniform draw), a weighted mix
    of names and touchpoints, timestamps over two years."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone='UTC'")
        con.execute(f"SET memory_limit='{EVENTS_MEMORY}'")
        con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
        con.execute(
            f"""COPY (
              SELECT 'e' || i AS event_id,
                     'c' || least({customers - 1},
                                  floor({customers} * pow(random(), 2.0))::BIGINT) AS customer_id,
                     'track' AS type,
                     ['Page Viewed','Page Viewed','Page Viewed','Product Viewed','Product Viewed',
                      'Added To Cart','Order Placed','Order Delivered','App Opened',
                      'Support Contacted'][1 + floor(random() * 10)::INT] AS name,
                     ['web','web','app','app','store','delivery','billing','call_centre']
                       [1 + floor(random() * 8)::INT] AS touchpoint,
                     ['organic','email','paid'][1 + floor(random() * 3)::INT] AS channel,
                     TIMESTAMPTZ '2024-01-01 00:00:00+00'
                       + to_microseconds(floor(random() * {DAYS * 86_400_000_000})::BIGINT) AS ts
              FROM range({rows}) t(i)
            ) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)"""
        )
    finally:
        con.close()


def write_company(folder: Path, scale: Scale, seed: int = 11) -> SyntheticFiles:
    """Write every file of a company of ``scale`` into ``folder``; returns their row counts.

    Memory stays bounded: the people (one row per customer) are built whole, the orders and
    the feedback are streamed in chunks of :data:`CHUNK_ROWS`, and the events are written by
    DuckDB under :data:`EVENTS_MEMORY`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    crm, shop, truth = people_tables(rng, scale.customers)
    language = crm.column("language").to_numpy(zero_copy_only=False)
    rows = {}
    for name, table in {"customers_crm": crm, "customers_shop": shop, "truth": truth}.items():
        pq.write_table(table, folder / f"{name}.parquet")
        rows[name] = table.num_rows
    del crm, shop, truth
    rows["orders"] = write_orders(folder / "orders.parquet", rng, scale.customers)
    rows["feedback"] = write_feedback(
        folder / "feedback.parquet", rng, language, scale.feedback, seed
    )
    write_events(folder / "events.parquet", scale.customers, scale.events, seed)
    rows["events"] = scale.events
    return SyntheticFiles(folder, rows)
