"""What happened after a detractor answered, and after a case was resolved: Ibis expressions
(pure, no I/O) that reduce the warehouse to one row per detractor response and one row per
resolved case, for :mod:`cxloop.understand.closed_loop.metrics` to compare in Python.

Times are compared as epoch seconds (the same instant on every backend).
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

from cxloop.understand.kpi.case_rows import DETRACTOR_MAX, contact_outcomes

TableGetter = Callable[[str], ir.Table]
DAY = 86_400
#: a purchase within this many days after the answer counts as retained
RETENTION_DAYS = 90
#: spend in this many days before the answer sets the value band
VALUE_DAYS = 365


def _scored_feedback(table: TableGetter) -> ir.Table:
    """Answers to the 0–10 question with the customer's next answer beside each."""
    f = table("feedback")
    f = f.filter(f.nps.notnull() & f.customer_id.notnull())
    f = f.mutate(at=f.ts.epoch_seconds().cast("int64"))
    w = ibis.window(group_by=f.customer_id, order_by=[f.at, f.feedback_id])
    return f.mutate(next_nps=f.nps.lead().over(w), next_at=f.at.lead().over(w))


def detractor_followups(table: TableGetter) -> ir.Table:
    """One row per detractor response: ``feedback_id``, ``customer_id``, ``ts``, ``nps``,
    ``touchpoint``, ``team`` (the case's team, else the response's), ``contacted`` (0/1),
    ``spend_before`` (orders in the year before), ``retained`` (an order in the 90 days after;
    null when the orders do not reach 90 days past the answer) and ``next_nps`` (the customer's
    next answer, null if none)."""
    f = _scored_feedback(table)
    det = f.filter(f.nps <= DETRACTOR_MAX)
    outcomes = contact_outcomes(table)
    outcomes = outcomes.filter(outcomes.feedback_id.notnull())
    contact = outcomes.group_by("feedback_id").aggregate(
        contacted=outcomes.contacted.cast("int64").max(), case_team=outcomes.team_id.min()
    )
    det = det.left_join(contact, det.feedback_id == contact.feedback_id)
    o = table("orders")
    o = o.filter(o.customer_id.notnull() & o.amount.notnull())
    o = o.select(
        "customer_id", paid=o.amount.cast("float64"), order_at=o.ts.epoch_seconds().cast("int64")
    )
    horizon = o.order_at.max().as_scalar()  # the orders reach this far
    joined = det.left_join(o, det.customer_id == o.customer_id)
    after = (joined.order_at > joined.at) & (joined.order_at <= joined.at + RETENTION_DAYS * DAY)
    before = (joined.order_at < joined.at) & (joined.order_at >= joined.at - VALUE_DAYS * DAY)
    per = joined.group_by("feedback_id").aggregate(
        customer_id=joined.customer_id.min(), ts=joined.ts.min(), at=joined.at.min(),
        nps=joined.nps.min(), touchpoint=joined.touchpoint.min(),
        team=joined.case_team.fill_null(joined.team_id).min(),
        contacted=joined.contacted.fill_null(0).max(),
        bought_after=after.fill_null(False).cast("int64").max(),
        spend_before=ibis.ifelse(before.fill_null(False), joined.paid, 0.0).sum(),
        next_nps=joined.next_nps.min(),
    )  # fmt: skip
    observed = per.at + RETENTION_DAYS * DAY <= horizon
    retained = ibis.ifelse(observed, per.bought_after, ibis.null("int64"))
    return per.mutate(retained=retained).drop("bought_after", "at")


def resolution_followups(table: TableGetter) -> ir.Table:
    """One row per resolved case opened from an answer to the 0–10 question: ``case_id``,
    ``team``, ``opened_at``, ``before`` (the score that opened it) and ``after`` (the
    customer's first score after the case's first resolution, null if none yet)."""
    events = table("case_events")
    resolved = events.filter(events.kind == "resolved")
    resolved = resolved.group_by("case_id").aggregate(
        resolved_at=resolved.ts.epoch_seconds().cast("int64").min()
    )
    cases = table("cases")
    f = _scored_feedback(table)
    trigger = f.select("feedback_id", before=f.nps)
    c = cases.join(resolved, cases.case_id == resolved.case_id)
    c = c.join(trigger, c.feedback_id == trigger.feedback_id)
    later = f.select(later_customer=f.customer_id, later_at=f.at, later_nps=f.nps)
    j = c.left_join(
        later, (c.customer_id == later.later_customer) & (later.later_at > c.resolved_at)
    )
    first = j.group_by("case_id").aggregate(first_at=j.later_at.min())
    j = j.join(first, j.case_id == first.case_id)
    j = j.filter(j.first_at.isnull() | (j.later_at == j.first_at))
    return j.group_by("case_id").aggregate(
        team=j.team_id.min(), opened_at=j.opened_at.min(), before=j.before.min(),
        after=j.later_nps.cast("float64").mean(),
    )  # fmt: skip
