"""The KPI library: each KPI as a pure Ibis expression over canonical tables.

A definition turns warehouse tables into *scored rows*: one row per observation with a ``ts``,
the dimension columns it can be broken down by, and ``x``, the observation's score. Rows are
reduced to sufficient statistics by :func:`cxloop.understand.kpi.aggregation.sufficient_statistics`;
nothing here runs a query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir

from cxloop.errors import UsageError
from cxloop.understand.kpi.case_rows import closed_loop_rows, time_to_close_rows

Shape = Literal["nps", "proportion", "mean", "survival"]
TableGetter = Callable[[str], ir.Table]

#: dimension name → column of the scored rows (``country`` comes from the customer's record,
#: ``segment`` from the segments the customer was in at the row's time: see segment_rows.py)
DIMENSIONS = ("touchpoint", "channel", "team", "language", "country", "source", "segment")
_COLUMN = {"team": "team_id"}


class UnknownKpiError(UsageError):
    """A KPI name or a breakdown dimension that does not exist."""


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI: its name, how it is scored, and which rows it is computed over."""

    name: str
    title: str
    shape: Shape
    table: str
    formula: str
    dimensions: tuple[str, ...]
    scored_rows: Callable[[TableGetter], ir.Table]
    #: observations are first summed per customer (``sum``), counted (``repeat``: ≥ 2), or
    #: customers active in one period are followed into the next (``retained``/``churned``)
    customer_rollup: Literal["sum", "repeat", "retained", "churned"] | None = None
    unit: str = ""
    #: employee answers: the scored rows carry ``employee_id``, and a cell with fewer distinct
    #: employees than ``survey_min_group_n`` is suppressed (see understand/confidentiality.py)
    confidential: bool = False

    def column(self, dimension: str) -> str:
        """The column of the scored rows holding ``dimension``."""
        return _COLUMN.get(dimension, dimension)


def with_country(rows: ir.Table, table: TableGetter) -> ir.Table:
    """``rows`` with the ``country`` of each row's customer (golden record), null if none."""
    customers = table("customers").select("customer_id", "country")
    return rows.left_join(customers, rows.customer_id == customers.customer_id).drop(
        "customer_id_right"
    )


def _feedback(
    score: Callable[[ir.Table], ir.Value], column: str
) -> Callable[[TableGetter], ir.Table]:
    def build(table: TableGetter) -> ir.Table:
        f = table("feedback")
        f = f.filter(f[column].notnull())
        rows = f.select(
            "customer_id", "ts", "touchpoint", "channel", "team_id", "language", "source",
            x=score(f),
        )  # fmt: skip
        return rows

    return build


def _enps_rows(table: TableGetter) -> ir.Table:
    p = table("employee_pulses")
    return p.filter(p.enps.notnull()).select("ts", "team_id", "employee_id", x=p.enps)


def _response_rows(table: TableGetter) -> ir.Table:
    inv = table("survey_invitations")
    sent = inv.group_by("invitation_id").aggregate(
        ts=inv.ts.min(), channel=inv.channel.arbitrary(), customer_id=inv.customer_id.arbitrary()
    )
    resp = table("survey_responses")
    # a partial response (a form left half-way) is no answer; rows from before the status
    # column existed have none and are complete
    complete = resp.status.isnull() | (resp.status == "complete")
    answered = resp.filter(resp.invitation_id.notnull() & complete).select("invitation_id")
    answered = answered.distinct()
    answered = answered.mutate(answered=ibis.literal(1))
    joined = sent.left_join(answered, sent.invitation_id == answered.invitation_id)
    return joined.select(
        "customer_id", "ts", "channel", x=joined.answered.fill_null(0).cast("int64")
    )


def _order_rows(table: TableGetter) -> ir.Table:
    o = table("orders")
    o = o.filter(o.amount.notnull())
    # before identity resolution an order has only its source's own customer id: count that
    source_key = o.source.fill_null("") + ":" + o.source_customer_id
    customer = o.customer_id.fill_null(source_key)
    o = o.filter(customer.notnull())
    return o.select("ts", "channel", customer_id=customer, x=o.amount.cast("float64"))


_FEEDBACK_DIMS = DIMENSIONS
_CASE_DIMS = ("team", "touchpoint", "channel", "language", "country", "source", "segment")
KPIS: dict[str, KpiDefinition] = {
    d.name: d
    for d in (
        KpiDefinition(
            "nps", "Net Promoter Score", "nps", "feedback",
            "100 × (promoters (9–10) − detractors (0–6)) / answers to the 0–10 question",
            _FEEDBACK_DIMS, _feedback(lambda f: f.nps, "nps"), unit="points",
        ),
        KpiDefinition(
            "csat", "Customer satisfaction (top-2-box)", "proportion", "feedback",
            "share of 1–5 CSAT answers that are 4 or 5",
            _FEEDBACK_DIMS, _feedback(lambda f: (f.csat >= 4).cast("int64"), "csat"), unit="share",
        ),
        KpiDefinition(
            "csat_mean", "Customer satisfaction (mean)", "mean", "feedback",
            "mean of 1–5 CSAT answers", _FEEDBACK_DIMS, _feedback(lambda f: f.csat, "csat"),
        ),
        KpiDefinition(
            "ces", "Customer effort score", "mean", "feedback",
            "mean of 1–7 effort answers (lower is easier)",
            _FEEDBACK_DIMS, _feedback(lambda f: f.ces, "ces"),
        ),
        KpiDefinition(
            "enps", "Employee Net Promoter Score", "nps", "employee_pulses",
            "100 × (promoters − detractors) / answers to the 0–10 employee question",
            ("team",), _enps_rows, unit="points", confidential=True,
        ),
        KpiDefinition(
            "response_rate", "Survey response rate", "proportion", "survey_invitations",
            "invitations with at least one response / invitations sent (dated when first sent)",
            ("channel", "country", "segment"), _response_rows, unit="share",
        ),
        KpiDefinition(
            "revenue_per_customer", "Revenue per customer", "mean", "orders",
            "mean over customers with an order in the period of their summed order amount",
            ("channel", "country", "segment"), _order_rows, customer_rollup="sum",
        ),
        KpiDefinition(
            "repeat_purchase_rate", "Repeat-purchase rate", "proportion", "orders",
            "share of customers with an order in the period who placed two or more",
            ("channel", "country", "segment"), _order_rows, customer_rollup="repeat", unit="share",
        ),
        KpiDefinition(
            "retention_rate", "Customer retention rate", "proportion", "orders",
            "share of customers with an order in the previous period who order again in this one",
            ("channel", "country", "segment"), _order_rows, customer_rollup="retained",
            unit="share",
        ),
        KpiDefinition(
            "churn_rate", "Customer churn rate", "proportion", "orders",
            "share of customers with an order in the previous period with none in this one",
            ("channel", "country", "segment"), _order_rows, customer_rollup="churned", unit="share",
        ),
        KpiDefinition(
            "closed_loop_rate", "Closed-loop rate", "proportion", "cases",
            "share of detractor responses (NPS 0–6) whose customer was contacted within the SLA "
            "of a case opened from the response (no case: not contacted; still inside the SLA: "
            "not counted yet)",
            _CASE_DIMS, closed_loop_rows, unit="share",
        ),
        KpiDefinition(
            "time_to_close", "Time to close", "survival", "cases",
            "Kaplan–Meier median of the hours from a case's opening to its first resolution; "
            "cases still open count as censored at their time open so far",
            _CASE_DIMS, time_to_close_rows, unit="hours",
        ),
    )
}  # fmt: skip


def kpi_definition(name: str) -> KpiDefinition:
    """The definition of KPI ``name``; an error naming the valid ones when there is none."""
    try:
        return KPIS[name]
    except KeyError:
        raise UnknownKpiError(f"unknown KPI {name!r}; valid KPIs: {', '.join(KPIS)}") from None


def check_dimension(definition: KpiDefinition, dimension: str) -> None:
    """Raise when ``definition`` cannot be broken down by ``dimension``, naming the valid ones."""
    if dimension not in definition.dimensions:
        raise UnknownKpiError(
            f"KPI {definition.name!r} cannot be broken down by {dimension!r}; "
            f"valid dimensions: {', '.join(definition.dimensions)}"
        )
