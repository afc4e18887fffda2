"""The RFM summary of :mod:`.summary` as an Ibis expression, so it runs inside the warehouse.

A pure function: a table expression in (``orders`` or anything with a customer, a timestamp
and an amount), a table expression out; nothing is executed here.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from cxloop.understand.clv.summary import TimeUnit, unit_days

#: order statuses that are not a completed purchase
NOT_PURCHASES = ("returned", "cancelled", "canceled", "refunded")


def rfm_summary_expr(
    orders: ir.Table,
    calibration_end: date,
    *,
    time_unit: TimeUnit = "D",
    customer_col: str = "customer_id",
    ts_col: str = "ts",
    amount_col: str | None = "amount",
) -> ir.Table:
    """Per customer: ``frequency``, ``recency``, ``T`` and (with amounts) ``monetary_value``,
    by the conventions of :mod:`.summary`.

    Rows without a customer are left out; so are orders whose ``status`` (when the table
    has one) says they were returned or cancelled, and orders after ``calibration_end``.

    Examples
    --------
    >>> from datetime import date
    >>> expr = rfm_summary_expr(wh.table("orders"), date(2025, 6, 30))  # doctest: +SKIP
    >>> wh.to_pandas(expr).columns.tolist()  # doctest: +SKIP
    ['customer_id', 'frequency', 'recency', 'T', 'monetary_value']
    """
    days_per_unit = unit_days(time_unit)
    end_day = (calibration_end - date(1970, 1, 1)).days
    day = orders[ts_col].date()
    kept = orders.filter(orders[customer_col].notnull(), day <= ibis.literal(calibration_end))
    if "status" in orders.columns:
        status = kept.status.lower()
        kept = kept.filter(status.isnull() | ~status.isin(NOT_PURCHASES))
    columns: dict[str, ir.Value] = {
        "customer": kept[customer_col],
        "day": kept[ts_col].date().epoch_days(),
    }
    if amount_col is not None:
        columns["amount"] = kept[amount_col].cast("float64").fill_null(0.0)
    rows = kept.select(**columns)
    per_day = rows.group_by(["customer", "day"]).aggregate(
        amount=rows.amount.sum() if amount_col is not None else rows.day.count().cast("float64")
    )
    ranked = per_day.mutate(
        first_day=per_day.day.min().over(group_by=per_day.customer),
    )
    per_customer = ranked.group_by("customer").aggregate(
        days=ranked.count(),
        first=ranked.day.min(),
        last=ranked.day.max(),
        total=ranked.amount.sum(),
        first_amount=ranked.amount.sum(where=ranked.day == ranked.first_day),
    )
    frequency = (per_customer.days - 1).cast("int64")
    out = per_customer.select(
        **{customer_col: per_customer.customer},
        frequency=frequency,
        recency=(per_customer["last"] - per_customer["first"]).cast("float64") / days_per_unit,
        T=(ibis.literal(end_day) - per_customer["first"]).cast("float64") / days_per_unit,
        **(
            {
                "monetary_value": ibis.ifelse(
                    frequency > 0,
                    (per_customer.total - per_customer.first_amount) / frequency.cast("float64"),
                    0.0,
                )
            }
            if amount_col is not None
            else {}
        ),
    )
    return out.order_by(customer_col)
