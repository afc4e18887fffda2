"""RFM: recency, frequency and monetary scores (quintiles, 1–5) and the named RFM segments.

Scores rank the customers with at least one order before ``as_of``: the fifth with the most
recent last order get R = 5, and so on down to 1; F ranks the number of orders, M the summed
amount *among customers who pay in the same currency* (amounts in different currencies do not
compare). A score is ``1 + floor(5 × percent rank)`` (at most 5), so customers who tie share a
score. The named segment comes from R and F, as the usual RFM grid does:

====================  ======  ======
segment               R       F
====================  ======  ======
champions             5       4–5
loyal                 3–4     4–5
potential_loyalists   4–5     2–3
new_customers         5       1
promising             4       1
need_attention        3       3
about_to_sleep        3       1–2
cannot_lose           1–2     5
at_risk               1–2     3–4
hibernating           1–2     1–2
====================  ======  ======
"""

from __future__ import annotations

from datetime import datetime

import ibis
import ibis.expr.types as ir

from cxloop.understand.segments.behaviour import TableGetter, days_between, moment, orders_before

#: (segment, R scores, F scores): every one of the 25 (R, F) cells falls in exactly one
RFM_SEGMENTS: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...] = (
    ("champions", (5,), (4, 5)),
    ("loyal", (3, 4), (4, 5)),
    ("potential_loyalists", (4, 5), (2, 3)),
    ("new_customers", (5,), (1,)),
    ("promising", (4,), (1,)),
    ("need_attention", (3,), (3,)),
    ("about_to_sleep", (3,), (1, 2)),
    ("cannot_lose", (1, 2), (5,)),
    ("at_risk", (1, 2), (3, 4)),
    ("hibernating", (1, 2), (1, 2)),
)
RFM_SEGMENT_NAMES = tuple(name for name, _, _ in RFM_SEGMENTS)


def rfm_segment_name(r: int, f: int) -> str:
    """The named segment of an (R, F) pair."""
    for name, rs, fs in RFM_SEGMENTS:
        if r in rs and f in fs:
            return name
    raise ValueError(f"no RFM segment for R={r}, F={f}")


def _quintile(rank: ir.FloatingValue) -> ir.IntegerValue:
    return ibis.least((rank * 5).floor() + 1, 5).cast("int64")  # type: ignore[no-any-return]


def rfm_scores(table: TableGetter, as_of: datetime) -> ir.Table:
    """Per customer with an order before ``as_of``: ``recency_days``, ``frequency``,
    ``monetary``, ``r_score``, ``f_score``, ``m_score``, ``rfm_score`` (e.g. ``"545"``) and
    ``rfm`` (the named segment)."""
    o = orders_before(table, as_of)
    per = o.group_by("customer_id").aggregate(
        last_order=o.ts.max(),
        frequency=o.count(),
        monetary=o.amount.sum().fill_null(0.0),
        currency=o.currency.fill_null("").max(),
    )
    scored = per.mutate(
        recency_days=days_between(per.last_order, moment(as_of)),
        r_score=_quintile(ibis.percent_rank().over(order_by=per.last_order)),
        f_score=_quintile(ibis.percent_rank().over(order_by=per.frequency)),
        m_score=_quintile(ibis.percent_rank().over(group_by=per.currency, order_by=per.monetary)),
    )
    cases = [
        ((scored.r_score.isin(list(rs))) & (scored.f_score.isin(list(fs))), name)
        for name, rs, fs in RFM_SEGMENTS
    ]
    return scored.select(
        "customer_id", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score",
        rfm_score=scored.r_score.cast("string") + scored.f_score.cast("string")
        + scored.m_score.cast("string"),
        rfm=ibis.cases(*cases),
    )  # fmt: skip
