"""Who a survey is sent to: a segment's members, a file of customer ids, or the customers
who had an event; for an employee survey, a team, a file of employee ids, or every employee.

Each audience member comes with a *trigger*: what the invitation is for. The invitation id is
a hash of (survey, customer, trigger), so the same person is invited once per trigger however
often a send is run. Triggers: ``segment:<id>``, ``customers`` (a file of ids; the file name
is not part of it, so a renamed copy invites nobody twice), ``event:<event_id>`` and
``case:<case_id>`` (the follow-up survey on a resolved case); for employees ``team:<id>``,
``employees`` (a file) and ``all-employees``; each followed by ``@<wave>`` when a wave is named
(a new wave invites the same people again).
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

AudienceKind = Literal[
    "segment", "customers", "event", "case", "team", "employees", "all-employees"
]
Respondent = Literal["customer", "employee"]
#: the audiences of employee surveys
EMPLOYEE_KINDS = ("team", "employees", "all-employees")
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
    team_id: str | None = None
    #: ids given as a list (the HTTP API) instead of a file (``path``)
    ids: tuple[str, ...] | None = None
    case_id: str | None = None
    customer_id: str | None = None
    #: a segment's members as an action is about to make them (its dry run reads these
    #: instead of ``segment_members``, which it must not change)
    members: tuple[str, ...] | None = None

    @property
    def respondent(self) -> Respondent:
        """Who the audience's members are: customers or employees."""
        return "employee" if self.kind in EMPLOYEE_KINDS else "customer"

    def describe(self) -> str:
        """One line for people: ``segment vip``, ``customers.csv``, ``event delivered since …``,
        ``team support``, ``all employees``."""
        if self.kind == "segment":
            text = f"segment {self.segment_id}"
        elif self.kind in ("customers", "employees"):
            text = str(self.path) if self.ids is None else f"{len(self.ids)} listed {self.kind}"
        elif self.kind == "team":
            text = f"team {self.team_id}"
        elif self.kind == "all-employees":
            text = "all employees"
        elif self.kind == "case":
            text = f"case {self.case_id}"
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


def customer_ids_audience(ids: list[str], *, wave: str | None = None) -> Audience:
    """The customers with these ids (checked as a file's would be; see :func:`listed_ids`)."""
    return Audience("customers", ids=tuple(ids), wave=_check_wave(wave))


def employee_ids_audience(ids: list[str], *, wave: str | None = None) -> Audience:
    """The employees with these ids, for an employee survey."""
    return Audience("employees", ids=tuple(ids), wave=_check_wave(wave))


def listed_ids(audience: Audience, column_name: str) -> tuple[str, list[tuple[int, str]]]:
    """Where a listed audience's ids come from (the file, or ``customer_ids``/``employee_ids``
    for a list) and its (line or 1-based position, id) pairs, repeats dropped."""
    if audience.ids is None:
        assert audience.path is not None
        return str(audience.path), read_ids(audience.path, column_name)
    source = f"{column_name}s"
    found = [
        (k, _checked_id(source, k, value.strip(), column_name))
        for k, value in enumerate(audience.ids, start=1)
    ]
    unique = list({value: (k, value) for k, value in reversed(found)}.values())[::-1]
    if not unique:
        raise DataError(f"{source}: no {column_name.removesuffix('_id')} ids given")
    return source, unique


def team_audience(team_id: str, *, wave: str | None = None) -> Audience:
    """The employees of a team (``employees.team_id``), for an employee survey."""
    if not team_id.strip():
        raise UsageError("--team: give a team id")
    return Audience("team", team_id=team_id, wave=_check_wave(wave))


def employees_audience(path: str | Path, *, wave: str | None = None) -> Audience:
    """The employees listed in a file (see :func:`read_employee_ids`), for an employee survey."""
    return Audience("employees", path=Path(path), wave=_check_wave(wave))


def all_employees_audience(*, wave: str | None = None) -> Audience:
    """Every employee in ``employees``, for an employee survey."""
    return Audience("all-employees", wave=_check_wave(wave))


def case_audience(case_id: str, customer_id: str) -> Audience:
    """The customer of a resolved case, invited once for that case (the follow-up)."""
    return Audience("case", case_id=case_id, customer_id=customer_id)


def with_wave(trigger: str, wave: str | None) -> str:
    return f"{trigger}@{wave}" if wave else trigger


def read_customer_ids(path: Path) -> list[tuple[int, str]]:
    """(line, customer id) of each id in a file, in file order, repeats dropped.

    The file is either a CSV whose header has a ``customer_id`` column, or text with one id
    per line (blank lines and lines starting with ``#`` are skipped). A malformed id raises
    :class:`DataError` naming the file and line.
    """
    return read_ids(path, "customer_id")


def read_employee_ids(path: Path) -> list[tuple[int, str]]:
    """(line, employee id) of each id in a file: as :func:`read_customer_ids`, with a CSV
    column ``employee_id``."""
    return read_ids(path, "employee_id")


def read_ids(path: Path, column_name: str) -> list[tuple[int, str]]:
    """(line, id) of each id in a file with a ``column_name`` CSV column or one id a line."""
    noun = column_name.removesuffix("_id")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the {noun} ids: {exc}") from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    header = [cell.strip().lower() for cell in next(csv.reader([first]), [])]
    found: list[tuple[int, str]] = []
    if column_name in header:
        column = header.index(column_name)
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
        next(reader)
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            value = row[column].strip() if column < len(row) else ""
            found.append((line, _checked_id(path, line, value, column_name)))
    else:
        for line, raw in enumerate(lines, start=1):
            value = raw.strip()
            if value and not value.startswith("#"):
                found.append((line, _checked_id(path, line, value, column_name)))
    seen: set[str] = set()
    unique = []
    for line, value in found:
        if value not in seen:
            seen.add(value)
            unique.append((line, value))
    if not unique:
        raise DataError(f"{path}: no {noun} ids in the file")
    return unique


def _checked_id(path: Path | str, line: int, value: str, column_name: str = "customer_id") -> str:
    if not value:
        raise DataError(f"{path}:{line}: {column_name} is empty")
    if len(value) > MAX_ID_LENGTH or _BAD_ID.search(value):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise DataError(
            f"{path}:{line}: {shown!r} is not a {column_name.removesuffix('_id')} id (no spaces "
            f"or control characters, at most {MAX_ID_LENGTH} characters)"
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
