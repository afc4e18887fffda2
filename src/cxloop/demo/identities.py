"""Who is in which source, under which id, since when — and which id each order, event and
piece of feedback carries. The hidden ``person`` index is the truth that identity resolution
must recover from the records.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxloop.demo.interactions import APP, STORE_CHANNEL, SUPPORT, WEB, Simulation
from cxloop.demo.people import People
from cxloop.demo.timeline import DAY, HOUR, Timeline

SOURCES = ("crm", "webshop", "support", "app")
CRM_DUPLICATE_SHARE = 0.03
CRM_DUPLICATE_USE = 0.4


@dataclass(frozen=True)
class SourceIdentity:
    """The customer records of one source; rows in creation order."""

    source: str
    person: np.ndarray
    record_id: np.ndarray
    created: np.ndarray
    duplicate: np.ndarray
    primary: np.ndarray
    second: np.ndarray

    def __len__(self) -> int:
        return len(self.person)

    def has(self, person: np.ndarray) -> np.ndarray:
        return self.primary[person] >= 0

    def ids_for(self, person: np.ndarray, ts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """The record id each activity row of ``person`` at ``ts`` is filed under.

        A person with a duplicate record (the CRM's) has activity filed under either record
        once the second one exists.
        """
        rows = self.primary[person]
        if (rows < 0).any():
            raise ValueError(f"{self.source}: activity for a person without a record")
        second = self.second[person]
        use = (second >= 0) & (ts >= self.created[np.maximum(second, 0)])
        use &= rng.random(len(person)) < CRM_DUPLICATE_USE
        return self.record_id[np.where(use, second, rows)]


def _first_seen(n: int, person: np.ndarray, ts: np.ndarray) -> np.ndarray:
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, person, ts)
    return first


def _uuid(rng: np.random.Generator, n: int) -> np.ndarray:
    raw = rng.integers(0, 1 << 62, size=(n, 2), dtype=np.int64)
    out = []
    for a, b in raw:
        h = f"{int(a):016x}{int(b):016x}"[-32:].rjust(32, "0")
        out.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}")
    return np.array(out, dtype=object)


def _ids(source: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if source == "app":
        return _uuid(rng, n)
    gaps = rng.integers(1, 7 if source != "support" else 3, n)
    numbers = np.cumsum(gaps)
    if source == "crm":
        return np.array([f"C{1_040_000 + x}" for x in numbers], dtype=object)
    if source == "webshop":
        return np.array([str(200_000 + x) for x in numbers], dtype=object)
    return np.array([f"SC-{x:06d}" for x in numbers], dtype=object)


def build_identities(
    people: People,
    sim: Simulation,
    feedback: pd.DataFrame,
    timeline: Timeline,
    rng: np.random.Generator,
) -> dict[str, SourceIdentity]:
    n = people.n
    inter = sim.interactions
    members = {
        "crm": people.in_crm,
        "webshop": people.in_web,
        "app": people.in_app,
        "support": np.bincount(inter.person[inter.channel == SUPPORT], minlength=n) > 0,
    }
    channel_of = {"crm": STORE_CHANNEL, "webshop": WEB, "app": APP, "support": SUPPORT}
    out: dict[str, SourceIdentity] = {}
    for source in SOURCES:
        member = members[source]
        rows = inter.channel == channel_of[source]
        first = _first_seen(n, inter.person[rows], inter.ts[rows])
        own = feedback[feedback["source"] == source]
        if len(own):
            first = np.minimum(
                first,
                _first_seen(n, own["person"].to_numpy(), own["ts"].to_numpy() - HOUR),
            )
        if source == "support":
            created = first - rng.integers(30, 600, n)
        else:
            signup = people.acquired + (rng.random(n) * 10 * DAY).astype(np.int64)
            created = np.minimum(signup, first)
        created = np.minimum(created, timeline.end - HOUR)
        persons = np.flatnonzero(member)
        made = created[persons]
        duplicate = np.zeros(len(persons), bool)
        if source == "crm":
            twins = persons[rng.random(len(persons)) < CRM_DUPLICATE_SHARE]
            later = created[twins] + (rng.uniform(30, 500, len(twins)) * DAY).astype(np.int64)
            ok = later < timeline.end - DAY
            twins, later = twins[ok], later[ok]
            persons = np.concatenate([persons, twins])
            made = np.concatenate([made, later])
            duplicate = np.concatenate([duplicate, np.ones(len(twins), bool)])
        order = np.lexsort((persons, made))
        persons, made, duplicate = persons[order], made[order], duplicate[order]
        primary = np.full(n, -1, dtype=np.int64)
        second = np.full(n, -1, dtype=np.int64)
        primary[persons[~duplicate]] = np.flatnonzero(~duplicate)
        second[persons[duplicate]] = np.flatnonzero(duplicate)
        out[source] = SourceIdentity(
            source=source,
            person=persons,
            record_id=_ids(source, len(persons), rng),
            created=made,
            duplicate=duplicate,
            primary=primary,
            second=second,
        )
    return out
