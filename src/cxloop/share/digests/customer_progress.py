"""What a customer's progress e-mail says: their own activity and what it led to.

Only customers whose latest answer about e-mail for purpose ``progress`` (or ``all``) is a
grant get one (opt-in). Everything in it is read with the customer's id as a filter: member
since, orders in the month and in all, the comments and ratings they gave, milestones that
follow from those numbers (a first, 5th, 10th… order; a whole number of years as a
customer), their cases resolved in the month (when they wrote, what the comment was about,
when and how it was resolved) and how many are still open.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel

from cxloop.act.case_queries import case_state_expr
from cxloop.act.invitations.audience import ids_table
from cxloop.act.invitations.eligibility import PROGRESS_PURPOSE, email_consent_expr
from cxloop.domain.case import ACTIVE_STATUSES
from cxloop.share.digests.periods import DigestPeriod
from cxloop.share.digests.stories import theme_list
from cxloop.storage import Warehouse

#: order counts that are a milestone when a month's orders reach them
ORDER_MILESTONES = (1, 5, 10, 25, 50, 100, 250, 500, 1000)


class ResolvedMatter(BaseModel):
    """A case of the customer's resolved in the period."""

    opened_at: date
    resolved_at: date
    resolution: str | None = None
    themes: list[str] = []


class CustomerProgress(BaseModel):
    """One customer's month, in no language yet."""

    customer_id: str
    email: str
    language: str | None = None
    greeting_name: str | None = None
    member_since: date | None = None
    orders: int = 0
    orders_total: int = 0
    feedback: int = 0
    order_milestones: list[int] = []
    years: int | None = None
    resolved: list[ResolvedMatter] = []
    still_open: int = 0

    @property
    def has_news(self) -> bool:
        """Whether the month has anything to tell (an e-mail with nothing in it is not sent)."""
        return bool(
            self.orders or self.feedback or self.order_milestones or self.years or self.resolved
        )


def consenting_customers_expr(consents: ir.Table, customers: ir.Table) -> ir.Table:
    """Customers whose latest answer about progress e-mail is a grant, with an e-mail address.

    Columns: ``customer_id``, ``email``, ``language``, ``greeting_name``, ``first_seen``.
    """
    asked = consents.select("customer_id").distinct()
    latest = email_consent_expr(consents, asked, PROGRESS_PURPOSE)
    granted = latest.filter(latest.granted).select(_id=latest.customer_id)
    people = customers.filter(customers.email.notnull() & (customers.email.strip() != ""))
    joined = people.join(granted, people.customer_id == granted._id)
    return joined.select(
        "customer_id", "email", "language",
        greeting_name=ibis.coalesce(joined.first_name, joined.name), first_seen=joined.first_seen,
    )  # fmt: skip


def customer_progress(
    wh: Warehouse, period: DigestPeriod, *, customer_ids: list[str] | None = None,
    now: datetime | None = None,
) -> list[CustomerProgress]:  # fmt: skip
    """The progress of every consenting customer (or of those of ``customer_ids`` who
    consent) over the month ``period``."""
    people = consenting_customers_expr(wh.table("consents"), wh.table("customers"))
    if customer_ids is not None:
        people = people.filter(people.customer_id.isin(customer_ids))
    rows = wh.to_pyarrow(people.order_by("customer_id")).to_pylist()
    if not rows:
        return []
    wanted = ids_table("customer_id", [r["customer_id"] for r in rows])
    orders = _orders(wh, wanted, period)
    feedback = _feedback_counts(wh, wanted, period)
    resolved, still_open = _cases(wh, wanted, period, now or datetime.now(UTC))
    out = []
    for row in rows:
        cid = row["customer_id"]
        first_order, in_period, total = orders.get(cid, (None, 0, 0))
        first_seen = row["first_seen"].date() if row["first_seen"] else None
        since = (
            min(d for d in (first_seen, first_order) if d) if first_seen or first_order else None
        )
        out.append(
            CustomerProgress(
                customer_id=cid, email=row["email"], language=row["language"],
                greeting_name=row["greeting_name"], member_since=since, orders=in_period,
                orders_total=total,
                order_milestones=[m for m in ORDER_MILESTONES if total - in_period < m <= total],
                years=_anniversary(since, period), feedback=feedback.get(cid, 0),
                resolved=resolved.get(cid, []), still_open=still_open.get(cid, 0),
            )
        )  # fmt: skip
    return out


def _anniversary(since: date | None, period: DigestPeriod) -> int | None:
    """Whole years as a customer when the anniversary falls in the period."""
    if since is None:
        return None
    years = period.end.year - since.year
    if years < 1:
        return None
    try:
        day = since.replace(year=period.end.year)
    except ValueError:  # 29 February
        day = date(period.end.year, 3, 1)
    return years if period.start <= day <= period.end else None


def _orders(
    wh: Warehouse, wanted: ir.Table, period: DigestPeriod
) -> dict[str, tuple[date | None, int, int]]:
    o = wh.table("orders")
    o = o.filter(o.customer_id.isin(wanted.customer_id) & (o.ts < period.until))
    grouped = o.group_by("customer_id").aggregate(
        first=o.ts.min(),
        total=o.count(),
        in_period=(o.ts >= period.since).cast("int64").sum(),
    )
    return {
        r["customer_id"]: (r["first"].date() if r["first"] else None, int(r["in_period"] or 0),
                           int(r["total"]))
        for r in wh.to_pyarrow(grouped).to_pylist()
    }  # fmt: skip


def _feedback_counts(wh: Warehouse, wanted: ir.Table, period: DigestPeriod) -> dict[str, int]:
    f = wh.table("feedback")
    f = f.filter(
        f.customer_id.isin(wanted.customer_id) & (f.ts >= period.since) & (f.ts < period.until)
    )
    grouped = f.group_by("customer_id").aggregate(n=f.count())
    return {r["customer_id"]: int(r["n"]) for r in wh.to_pyarrow(grouped).to_pylist()}


def _cases(
    wh: Warehouse, wanted: ir.Table, period: DigestPeriod, now: datetime
) -> tuple[dict[str, list[ResolvedMatter]], dict[str, int]]:
    cases = wh.table("cases")
    cases = cases.filter(cases.customer_id.isin(wanted.customer_id))
    events = wh.table("case_events")
    state = case_state_expr(cases, events, now)
    active = state.filter(state.status.isin(list(ACTIVE_STATUSES)))
    counts = active.group_by("customer_id").aggregate(n=active.count())
    still_open = {r["customer_id"]: int(r["n"]) for r in wh.to_pyarrow(counts).to_pylist()}
    done = events.filter(
        (events.kind == "resolved") & (events.ts >= period.since) & (events.ts < period.until)
    )
    done = done.group_by("case_id").aggregate(resolved_at=done.ts.max(),
                                              resolution=done.resolution.max())  # fmt: skip
    joined = cases.join(done, "case_id")
    insights = wh.table("feedback_insights").select(_fid="feedback_id", themes="themes")
    joined = joined.left_join(insights, joined.feedback_id == insights._fid)
    rows = wh.to_pyarrow(
        joined.select("customer_id", "opened_at", "resolved_at", "resolution", "themes")
        .order_by(["customer_id", "resolved_at"])
    ).to_pylist()  # fmt: skip
    resolved: dict[str, list[ResolvedMatter]] = defaultdict(list)
    for r in rows:
        resolved[r["customer_id"]].append(
            ResolvedMatter(
                opened_at=r["opened_at"].date(), resolved_at=r["resolved_at"].date(),
                resolution=r["resolution"], themes=theme_list(r["themes"]),
            )
        )  # fmt: skip
    return dict(resolved), still_open
