"""Customer lifetime value for a horizon and a discount rate, from a fitted BG/NBD (how many
purchases) and Gamma-Gamma (how much each is worth).

With monthly steps :math:`t_i = i` months (a month is 365.25 / 12 days) and a monthly
discount rate ``d``, discrete monthly discounting gives

.. math::

    \\mathrm{CLV} = m \\cdot E[Z \\mid \\bar z, x] \\sum_{i=1}^{H}
        \\frac{E[X(t_i) \\mid x, t_x, T] - E[X(t_{i-1}) \\mid x, t_x, T]}{(1 + d)^{i}}

the purchases expected in month ``i`` (BG/NBD, conditional on the customer's history) times the
expected spend per purchase (Gamma-Gamma), discounted to today, over ``H`` months; ``m`` is the
margin (1 gives revenue).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from cxloop.errors import UsageError
from cxloop.understand.clv.bgnbd import BetaGeoModel
from cxloop.understand.clv.gamma_gamma import GammaGammaModel
from cxloop.understand.clv.summary import unit_days

#: days in one month of the CLV sum
MONTH_DAYS = 365.25 / 12


def customer_lifetime_value(
    bgnbd: BetaGeoModel,
    expected_spend: ArrayLike,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    *,
    horizon_months: int = 12,
    discount_rate: float = 0.01,
    time_unit: str = "D",
    margin: float = 1.0,
) -> np.ndarray:
    """Discounted value of each customer's purchases over the next ``horizon_months``.

    Parameters
    ----------
    bgnbd
        A fitted :class:`BetaGeoModel` whose times are in ``time_unit``.
    expected_spend
        Expected value of one purchase per customer (e.g.
        :meth:`GammaGammaModel.expected_spend`).
    frequency, recency, T
        The customers' summary, in ``time_unit``.
    horizon_months
        Months ahead (whole, ≥ 1).
    discount_rate
        Monthly discount rate ``d`` (0.01 is about 12.7 % a year).
    time_unit
        ``D`` or ``W``: the unit of ``recency``, ``T`` and the model.
    margin
        Share of spend that is profit (1 for revenue).
    """
    check_value_options(horizon_months, discount_rate, margin)
    months_in_unit = MONTH_DAYS / unit_days(time_unit)
    x = np.asarray(frequency, dtype=float)
    previous = np.zeros_like(x)
    total = np.zeros_like(x)
    for month in range(1, horizon_months + 1):
        cumulative = bgnbd.expected_purchases(month * months_in_unit, x, recency, T)
        total += (cumulative - previous) / (1 + discount_rate) ** month
        previous = cumulative
    return margin * np.asarray(expected_spend, dtype=float) * total


def check_value_options(horizon_months: int, discount_rate: float, margin: float = 1.0) -> None:
    """Raise :class:`UsageError` for a horizon, discount rate or margin that cannot work."""
    if horizon_months < 1:
        raise UsageError(f"--horizon-months must be a whole number ≥ 1 (got {horizon_months})")
    if not 0 <= discount_rate < 1:
        raise UsageError(f"--discount-rate must be in [0, 1) per month (got {discount_rate})")
    if not 0 < margin <= 1:
        raise UsageError(f"the margin must be in (0, 1] (got {margin})")


def score_customers(
    summary: pd.DataFrame,
    bgnbd: BetaGeoModel,
    gamma_gamma: GammaGammaModel | None,
    *,
    horizon_months: int = 12,
    discount_rate: float = 0.01,
    time_unit: str = "D",
) -> pd.DataFrame:
    """Per customer of ``summary``: ``expected_purchases`` in the horizon,
    ``probability_alive``, ``expected_spend`` per purchase and ``clv``.

    Without a spend model (or without ``monetary_value``) the last two are NaN.
    """
    check_value_options(horizon_months, discount_rate)
    x, t_x, big_t = summary["frequency"], summary["recency"], summary["T"]
    horizon = horizon_months * MONTH_DAYS / unit_days(time_unit)
    out = pd.DataFrame(index=summary.index)
    out["expected_purchases"] = bgnbd.expected_purchases(horizon, x, t_x, big_t)
    out["probability_alive"] = bgnbd.probability_alive(x, t_x, big_t)
    if gamma_gamma is not None and "monetary_value" in summary:
        spend = gamma_gamma.expected_spend(x, summary["monetary_value"])
    else:
        spend = np.full(len(summary), np.nan)
    out["expected_spend"] = spend
    out["clv"] = customer_lifetime_value(
        bgnbd, spend, x, t_x, big_t,
        horizon_months=horizon_months, discount_rate=discount_rate, time_unit=time_unit,
    )  # fmt: skip
    return out
