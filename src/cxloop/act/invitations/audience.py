"""Who a survey is sent to: a segment's members, a file of customer ids, or the customers
who had an event.

Each audience member comes with a *trigger*: what the invitation is for. The invitation id is
a hash of (survey, customer, trigger), so the same person is invited once per trigger however
often a send is run. Triggers: ``segment:<id>``, ``customers`` (a file of ids; the file name
is not part of it, so a renamed copy invites nobody twice) and ``event:<event_id>``, each
followed by ``@<wave>`` when a wave is named (a new wave invites the same people again).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from cxloop.errors import DataError, UsageError

AudienceKind = Literal["segment", "customers", "event"]
#: a customer id: printable, no spaces, at most this long
MAX_ID_LENGTH = 200
_BAD_ID = re.compile(r"[\s\x00-\x1f\x7f]")
_WAVE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Audience:
    """Whom to invite: build one with :func:`segment_audience`, :func:`customers_audience`
    or :func:`event_audience`."""

    kind: AudienceKind
    segment_id: str | None = None
    path: Path | None = None
    event_name: str | None = None
    since: datetime | None = None
    wave: str | None = None
    #: a segment's members as an action is about to make them (its dry run reads these
    #: instead of ``segment_members``, which it must not change)
    members: tuple[str, ...] | None = None

    def describe(self) -> str:
        """One line for people: ``segment vip``, ``customers.csv``, ``event delivered since …``."""
        if self.kind == "segment":
            text = f"segment {self.segment_id}"
        elif self.kind == "customers":
            text = str(self.path)
        else:
            text = f"event {self.event_name}"
            if self.since is not None:
                text += f" since {self.since:%Y-%m-%d %H:%M}"
        return f"{text} (wave {self.wave})" if self.wave else text


def _check_wave(wave: str | None) -> str | None:
    if wave is not None and not _WAVE.match(wave):
        raise UsageError(
            f"--wave {wave!r}: use letters, digits, '.', '_' or '-' (at most 64, e.g. 2026-q4)"
        )
    return wave


def segment_audience(
    segment_id: str, *, wave: str | None = None, members: list[str] | None = None
) -> Audience:
    """The current members of a segment (``segment_members``); or, given ``members``, those
    (what a dry run of an action that first changes the segment invites)."""
    listed = tuple(sorted(set(members))) if members is not None else None
    return Audience("segment", segment_id=segment_id, wave=_check_wave(wave), members=listed)


def customers_audience(path: str | Path, *, wave: str | None = None) -> Audience:
    """The customers listed in a file (see :func:`read_customer_ids`)."""
    return Audience("customers", path=Path(path), wave=_check_wave(wave))


def event_audience(name: str, since: datetime, *, wave: str | None = None) -> Audience:
    """Customers who had an event named ``name`` at or after ``since``; each is invited for
    their latest such event, once."""
    if not name.strip():
        raise UsageError("--after-event: give an event name")
    return Audience("event", event_name=name, since=since, wave=_check_wave(wave))


def with_wave(trigger: str, wave: str | None) -> str:
    return f"{trigger}@{wave}" if wave else trigger


def read_customer_ids(path: Path) -> list[tuple[int, str]]:
    """(line, customer id) of each id in a file, in file order, repeats dropped.

    The file is either a CSV whose header has a ``customer_id`` column, or text with one id
    per line (blank lines and lines starting with ``#`` are skipped). A malformed id raises
    :class:`DataError` naming the file and line.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the customer ids: {exc}") from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    header = [cell.strip().lower() for cell in next(csv.reader([first]), [])]
    found: list[tuple[int, str]] = []
    if "customer_id" in header:
        column = header.index("customer_id")
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
        next(reader)
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            value = row[column].strip() if column < len(row) else ""
            found.append((line, _checked_id(path, line, value)))
    else:
        for line, raw in enumerate(lines, start=1):
            value = raw.strip()
            if value and not value.startswith("#"):
                found.append((line, _checked_id(path, line, value)))
    seen: set[str] = set()
    unique = []
    for line, value in found:
        if value not in seen:
            seen.add(value)
            unique.append((line, value))
    if not unique:
        raise DataError(f"{path}: no customer ids in the file")
    return unique


def _checked_id(path: Path, line: int, value: str) -> str:
    if not value:
        raise DataError(f"{path}:{line}: customer_id is empty")
    if len(value) > MAX_ID_LENGTH or _BAD_ID.search(value):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise DataError(
            f"{path}:{line}: {shown!r} is not a customer id (no spaces or control "
            f"characters, at most {MAX_ID_LENGTH} characters)"
        )
    return value


def ids_table(column: str, values: list[str]) -> ir.Table:
    """A one-column memtable of string ids (the ``wanted`` table of the queries)."""
    return ibis.memtable(pa.table({column: pa.array(values, pa.string())}))


def segment_members_expr(segment_members: ir.Table, segment_id: str) -> ir.Table:
    """The customers in a segment now: ``customer_id``, one row each.

    ``segment_members`` holds one row per member, or (where it has a ``change`` column) a log
    of customers entering and leaving: then a customer is a member when their latest row for
    the segment is not ``left`` (a row without a change counts as entering).
    """
    rows = segment_members.filter(
        (segment_members.segment_id == segment_id) & segment_members.customer_id.notnull()
    )
    if "change" in rows.columns:
        ranked = rows.mutate(
            _n=ibis.row_number().over(
                group_by=rows.customer_id,
                order_by=[ibis.desc(rows.computed_at), ibis.desc(rows.member_id)],
            )
        )
        rows = ranked.filter((ranked._n == 0) & (ranked.change.fill_null("entered") != "left"))
    return rows.select("customer_id").distinct()


def known_customers_expr(customers: ir.Table, wanted: ir.Table) -> ir.Table:
    """Which of the wanted ids are customers: ``customer_id``."""
    return customers.filter(customers.customer_id.isin(wanted.customer_id)).select("customer_id")


def latest_events_expr(events: ir.Table, name: str, since: datetime) -> ir.Table:
    """Each customer's latest event named ``name`` at or after ``since``:
    ``customer_id``, ``event_id``, ``ts``."""
    rows = events.filter(
        (events.name == name) & (events.ts >= since) & events.customer_id.notnull()
    )
    ranked = rows.mutate(
        _n=ibis.row_number().over(
            group_by=rows.customer_id, order_by=[ibis.desc(rows.ts), ibis.desc(rows.event_id)]
        )
    )
    return ranked.filter(ranked._n == 0).select("customer_id", "event_id", "ts")
