"""Satisfaction per touchpoint: mean CSAT with a t interval, share satisfied with a Wilson
interval, and n, from the feedback given about each touchpoint.

The sufficient statistics (n, sum, sum of squares, satisfied) are one group-by in the
warehouse (:func:`csat_sums`); the intervals run here on a few numbers per touchpoint.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import ibis.expr.types as ir

from cxloop.domain.journey import TouchpointSatisfaction
from cxloop.understand.kpi import statistics as st

#: CSAT is 1–5; 4 and 5 are satisfied (the csat KPI's definition)
CSAT_SCALE = (1, 5)
SATISFIED_FROM = 4


def csat_sums(feedback: ir.Table) -> ir.Table:
    """Per touchpoint: ``n``, ``total``, ``total_sq`` and ``satisfied`` of CSAT answers on the
    1–5 scale (answers outside it are left out)."""
    low, high = CSAT_SCALE
    rated = feedback.filter(
        feedback.touchpoint.notnull(), feedback.csat.notnull(),
        feedback.csat >= low, feedback.csat <= high,
    )  # fmt: skip
    csat = rated.csat.cast("float64")
    return rated.group_by(touchpoint=rated.touchpoint.cast("string")).aggregate(
        n=rated.count(),
        total=csat.sum(),
        total_sq=(csat * csat).sum(),
        satisfied=(rated.csat >= SATISFIED_FROM).cast("int64").sum(),
    )


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def touchpoint_satisfaction(
    sums: Iterable[Mapping[str, Any]], *, small_n: int = 30
) -> list[TouchpointSatisfaction]:
    """Intervals from :func:`csat_sums` rows, lowest mean first (the weakest touchpoint on top).

    Examples
    --------
    >>> rows = [{"touchpoint": "web", "n": 10, "total": 40.0, "total_sq": 170.0,
    ...          "satisfied": 8}]
    >>> cell = touchpoint_satisfaction(rows)[0]
    >>> cell.mean, cell.satisfied, cell.small_n
    (4.0, 0.8, True)
    """
    out = []
    for row in sums:
        n = int(row["n"])
        if n <= 0:
            continue
        total, total_sq, satisfied = float(row["total"]), float(row["total_sq"]), row["satisfied"]
        low, high = st.mean_interval(n, total, total_sq)
        share_low, share_high = st.wilson_interval(int(satisfied), n)
        out.append(TouchpointSatisfaction(
            touchpoint=str(row["touchpoint"]), n=n, mean=total / n,
            mean_ci_low=_num(low), mean_ci_high=_num(high), satisfied=int(satisfied) / n,
            satisfied_ci_low=share_low, satisfied_ci_high=share_high, small_n=n < small_n,
        ))  # fmt: skip
    return sorted(out, key=lambda s: (s.mean if s.mean is not None else 9.0, s.touchpoint))
