"""A customer's timeline: events, orders, feedback, survey responses and cases in one list,
newest first.

Functions named ``*_expr`` only build Ibis expressions (no I/O). Each activity table is cut to
the customer first, then brought to the shape of :data:`TIMELINE_COLUMNS` and unioned, so the
warehouse sorts only that customer's rows; a page of the list is ``limit`` rows from ``offset``.
"""

from __future__ import annotations

from typing import Literal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

TimelineKind = Literal["event", "order", "feedback", "survey_response", "case"]
#: the kinds, in the order a page lists their counts
KINDS: tuple[TimelineKind, ...] = ("event", "order", "feedback", "survey_response", "case")
#: the table each kind comes from
KIND_TABLES: dict[TimelineKind, str] = {
    "event": "events",
    "order": "orders",
    "feedback": "feedback",
    "survey_response": "survey_responses",
    "case": "cases",
}

TIMELINE_COLUMNS: dict[str, dt.DataType] = {
    "kind": dt.string,
    "item_id": dt.string,
    "ts": dt.Timestamp(timezone="UTC"),
    "source": dt.string,
    "title": dt.string,
    "channel": dt.string,
    "touchpoint": dt.string,
    "amount": dt.float64,
    "currency": dt.string,
    "status": dt.string,
    "priority": dt.string,
    "nps": dt.int64,
    "csat": dt.int64,
    "ces": dt.int64,
    "rating": dt.float64,
    "text": dt.string,
    "language": dt.string,
    "details": dt.string,
}


def _shaped(kind: TimelineKind, table: ir.Table, columns: dict[str, ir.Value]) -> ir.Table:
    """``table`` with exactly the timeline columns (missing ones as typed nulls)."""
    values = {"kind": ibis.literal(kind, dt.string)}
    for name, type_ in TIMELINE_COLUMNS.items():
        if name == "kind":
            continue
        value = columns.get(name)
        values[name] = (ibis.null(type_) if value is None else value).cast(type_)
    return table.select(**values)


def events_expr(events: ir.Table) -> ir.Table:
    e = events
    return _shaped(
        "event",
        e,
        {
            "item_id": e.event_id,
            "ts": e.ts,
            "source": e.source,
            "title": e.name,
            "channel": e.channel,
            "touchpoint": e.touchpoint,
            "status": e.type,
            "details": e.properties,
        },
    )


def orders_expr(orders: ir.Table) -> ir.Table:
    o = orders
    return _shaped(
        "order",
        o,
        {
            "item_id": o.order_id,
            "ts": o.ts,
            "source": o.source,
            "channel": o.channel,
            "amount": o.amount,
            "currency": o.currency,
            "status": o.status,
        },
    )


def feedback_expr(feedback: ir.Table) -> ir.Table:
    f = feedback
    return _shaped(
        "feedback",
        f,
        {
            "item_id": f.feedback_id,
            "ts": f.ts,
            "source": f.source,
            "title": f.kind,
            "channel": f.channel,
            "touchpoint": f.touchpoint,
            "nps": f.nps,
            "csat": f.csat,
            "ces": f.ces,
            "rating": f.rating,
            "text": f.text,
            "language": f.language,
        },
    )


def survey_responses_expr(responses: ir.Table) -> ir.Table:
    r = responses
    return _shaped(
        "survey_response",
        r,
        {
            "item_id": r.response_id,
            "ts": r.ts,
            "title": r.survey_id,
            "language": r.language,
            "details": r.answers,
        },
    )


def cases_expr(cases: ir.Table, case_events: ir.Table) -> ir.Table:
    """Cases with their current status: the status of their latest case event that has one."""
    with_status = case_events.filter(case_events.status.notnull())
    latest = with_status.mutate(
        _n=ibis.row_number().over(
            group_by=with_status.case_id,
            order_by=[ibis.desc(with_status.ts), ibis.desc(with_status.case_event_id)],
        )
    )
    current = latest.filter(latest._n == 0).select(_case_id=latest.case_id, _status=latest.status)
    joined = cases.left_join(current, cases.case_id == current._case_id)
    return _shaped(
        "case",
        joined,
        {
            "item_id": joined.case_id,
            "ts": joined.opened_at,
            "title": joined.title,
            "status": joined._status,
            "priority": joined.priority,
            "touchpoint": joined.team_id,
        },
    )


def customer_timeline_expr(tables: dict[str, ir.Table], customer_id: str) -> ir.Table:
    """Every timeline row of one customer, unsorted. ``tables`` maps table names to
    expressions (``events``, ``orders``, ``feedback``, ``survey_responses``, ``cases``,
    ``case_events``)."""

    def mine(name: str) -> ir.Table:
        table = tables[name]
        return table.filter(table.customer_id == customer_id)

    parts = [
        events_expr(mine("events")),
        orders_expr(mine("orders")),
        feedback_expr(mine("feedback")),
        survey_responses_expr(mine("survey_responses")),
    ]
    if "cases" in tables and "case_events" in tables:
        mine_cases = mine("cases")
        events = tables["case_events"]
        parts.append(cases_expr(mine_cases, events.semi_join(mine_cases, "case_id")))
    return ibis.union(*parts)


def timeline_page_expr(timeline: ir.Table, limit: int, offset: int = 0) -> ir.Table:
    """``limit`` rows of a timeline from ``offset``, newest first (undated rows last)."""
    ordered = timeline.order_by([ibis.desc(timeline.ts), timeline.kind, timeline.item_id])
    return ordered.limit(limit, offset=offset)


def timeline_counts_expr(timeline: ir.Table) -> ir.Table:
    """Rows per kind: columns ``kind``, ``count``."""
    return timeline.group_by("kind").aggregate(count=timeline.count())
