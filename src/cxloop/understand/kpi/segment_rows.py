"""Rows of customer tables in the segments their customer was in at the row's time.

``segment_members`` is a log: a row per customer entering or leaving a segment at a refresh
(:mod:`cxloop.understand.segments.membership`). Read as membership *intervals*, each entry is
valid from its refresh up to the customer's next change in that segment (or open). A row counts
for a segment when its customer was a member at the row's ``ts``.

Before a segment's first refresh nothing is known about it, so the membership found by that
first refresh stands for all earlier time (otherwise a segment defined today would have no
history at all). Log rows without a time (written before the log had one) are valid always.

A customer can be in several segments at once: a row then counts once in each, and a total over
segments is not the company figure.
"""

from __future__ import annotations

from datetime import UTC, datetime

import ibis
import ibis.expr.types as ir

#: the explanation every breakdown by segment carries (CLI, API, pages)
SEGMENT_NOTE = (
    "A row counts for each segment its customer was in at the row's time (before a segment's "
    "first refresh, its first membership stands); a customer can be in several segments, so "
    "the segments' figures do not add up to the company figure."
)

_SINCE_ALWAYS = datetime(1, 1, 1, tzinfo=UTC)
_UNTIL_EVER = datetime(9999, 12, 31, tzinfo=UTC)


def membership_intervals(log: ir.Table, segment_id: str | None = None) -> ir.Table:
    """Membership intervals from the ``segment_members`` log: ``segment_id``, ``customer_id``,
    ``valid_from`` (null: since always) and ``valid_to`` (null: still a member), one row per
    stay, distinct."""
    rows = log.filter(log.customer_id.notnull() & log.segment_id.notnull())
    if segment_id is not None:
        rows = rows.filter(rows.segment_id == segment_id)
    first = rows.computed_at.min().over(group_by=rows.segment_id)
    after = ibis.window(group_by=[rows.segment_id, rows.customer_id],
                        order_by=[rows.computed_at, rows.member_id])  # fmt: skip
    change = rows.change.fill_null("entered") if "change" in rows.columns else None
    stays = rows.mutate(
        valid_from=ibis.ifelse(
            rows.computed_at.isnull() | (rows.computed_at == first), ibis.null(), rows.computed_at
        ).cast("timestamp('UTC')"),
        valid_to=rows.computed_at.lead().over(after),
        entered=ibis.literal(True) if change is None else change == "entered",
    )
    stays = stays.filter(stays.entered)
    return stays.select("segment_id", "customer_id", "valid_from", "valid_to").distinct()


def _during(rows: ir.Table, stays: ir.Table) -> list[ir.BooleanValue]:
    return [rows.customer_id == stays._member, rows.ts >= stays._from, rows.ts < stays._to]


def _stays(log: ir.Table, segment_id: str | None = None) -> ir.Table:
    s = membership_intervals(log, segment_id)
    # open ends as far-off times: plain inequalities let the backend hash-join on the customer
    # and check the range after (an ``is null or`` made it several times slower)
    since_always = ibis.literal(_SINCE_ALWAYS, type="timestamp('UTC')")
    until_ever = ibis.literal(_UNTIL_EVER, type="timestamp('UTC')")
    return s.select(
        segment=s.segment_id, _member=s.customer_id, _from=s.valid_from.fill_null(since_always),
        _to=s.valid_to.fill_null(until_ever),
    )  # fmt: skip


def rows_in_segment(rows: ir.Table, log: ir.Table, segment_id: str) -> ir.Table:
    """``rows`` (with ``customer_id`` and ``ts``) whose customer was in ``segment_id`` at the
    row's time; each row at most once."""
    stays = _stays(log, segment_id)
    return rows.semi_join(stays, _during(rows, stays))


def with_segment(rows: ir.Table, log: ir.Table) -> ir.Table:
    """``rows`` joined to the segments their customer was in at the row's time, with the
    segment's id in column ``segment``: a row appears once per such segment, and not at all
    when its customer was in none."""
    stays = _stays(log)
    joined = rows.inner_join(stays, _during(rows, stays))
    return joined.select(*rows.columns, "segment")
