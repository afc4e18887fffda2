"""Scored rows of the closed-loop KPIs, from ``feedback``, ``cases`` and ``case_events``.

Pure Ibis expressions, like every KPI definition: they run on every backend. Times are compared
as epoch seconds, which means the same instant whatever time zone a backend reads a timestamp
in; "now" is the warehouse's clock (``ibis.now()``).

- ``closed_loop_rate``: one row per **detractor response** (``feedback.nps`` 0–6), dated when
  the customer answered. ``x`` is 1 when a case opened from that response recorded a
  ``customer_contacted`` event at or before the case's due time (its SLA; a case without a
  due time counts when the customer was contacted at all). A detractor whose response opened no
  case counts as not contacted: the loop missed them. A response whose case is still inside
  its SLA and not yet contacted is left out until its outcome is known.
- ``time_to_close``: one row per **case**, dated when it was opened; ``x`` is the hours from
  opened to its first ``resolved`` event, or, for a case not resolved yet, the hours it has been
  open so far with ``event`` 0 (censored: "open for at least this long").
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

TableGetter = Callable[[str], ir.Table]

#: a detractor answers 0 to 6 to the 0–10 question
DETRACTOR_MAX = 6
_SECONDS_PER_HOUR = 3600.0


def _now_seconds() -> ir.Value:
    return ibis.now().epoch_seconds().cast("int64")


def _first_event(events: ir.Table, kind: str, column: str) -> ir.Table:
    """``case_id`` and the time (epoch seconds) of each case's first event of ``kind``."""
    rows = events.filter(events.kind == kind)
    return rows.group_by("case_id").aggregate(
        **{column: rows.ts.epoch_seconds().cast("int64").min()}
    )


def contact_outcomes(table: TableGetter) -> ir.Table:
    """One row per case: ``case_id``, ``feedback_id``, ``team_id``, ``contacted`` (the customer
    was contacted at all), ``within_sla`` (contacted by the due time) and ``decided`` (contacted
    in time, or the due time has passed)."""
    cases = table("cases")
    contact = _first_event(table("case_events"), "customer_contacted", "contacted_at")
    joined = cases.left_join(contact, cases.case_id == contact.case_id)
    due = joined.due_at.epoch_seconds().cast("int64")
    contacted = joined.contacted_at.notnull()
    within = contacted & (due.isnull() | (joined.contacted_at <= due))
    decided = within | due.isnull() | (due <= _now_seconds())
    return joined.select(
        "case_id", "feedback_id", "team_id", contacted=contacted, within_sla=within,
        decided=decided,
    )  # fmt: skip


def closed_loop_rows(table: TableGetter) -> ir.Table:
    """Scored rows of ``closed_loop_rate`` (see the module docstring)."""
    outcomes = contact_outcomes(table)
    outcomes = outcomes.filter(outcomes.feedback_id.notnull())
    per_response = outcomes.group_by("feedback_id").aggregate(
        ok=outcomes.within_sla.cast("int64").max(),
        decided=outcomes.decided.cast("int64").max(),
        case_team=outcomes.team_id.min(),
    )
    f = table("feedback")
    f = f.filter(f.nps.notnull() & (f.nps <= DETRACTOR_MAX))
    joined = f.left_join(per_response, f.feedback_id == per_response.feedback_id)
    joined = joined.filter(joined.decided.isnull() | (joined.decided == 1))
    return joined.select(
        "customer_id", "ts", "touchpoint", "channel", "language", "source",
        team_id=joined.case_team.fill_null(joined.team_id),  # the team that owns the case
        x=joined.ok.fill_null(0).cast("int64"),
    )  # fmt: skip


def time_to_close_rows(table: TableGetter) -> ir.Table:
    """Scored rows of ``time_to_close`` (see the module docstring): ``x`` hours, ``event``."""
    cases = table("cases")
    resolved = _first_event(table("case_events"), "resolved", "resolved_at")
    joined = cases.left_join(resolved, cases.case_id == resolved.case_id)
    f = table("feedback").select("feedback_id", "touchpoint", "channel", "language", "source")
    joined = joined.left_join(f, joined.feedback_id == f.feedback_id)
    opened = joined.opened_at.epoch_seconds().cast("int64")
    end = joined.resolved_at.fill_null(_now_seconds())
    hours = ((end - opened).cast("float64") / _SECONDS_PER_HOUR).clip(lower=0)
    return joined.select(
        "customer_id", "touchpoint", "channel", "language", "source", "team_id",
        ts=joined.opened_at,
        x=hours,
        event=joined.resolved_at.notnull().cast("int64"),
    )  # fmt: skip
