"""The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers
the easy way").

While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after every
purchase they drop out with probability p ~ Beta(a, b). A customer is summarised by
``x`` (repeat purchases), ``t_x`` (time of the last one since the first purchase) and ``T``
(time from the first purchase to the end of calibration). Per customer,

.. math::

    \\ln L = A_1 + A_2 + \\ln\\big(e^{A_3} + \\delta_{x>0} e^{A_4}\\big)

with :math:`A_1 = \\ln\\Gamma(r+x) - \\ln\\Gamma(r) + r\\ln\\alpha`,
:math:`A_2 = \\ln B(a, b+x) - \\ln B(a, b)`, :math:`A_3 = -(r+x)\\ln(\\alpha+T)` and
:math:`A_4 = \\ln a - \\ln(b+x-1) - (r+x)\\ln(\\alpha+t_x)`; the last sum is a log-sum-exp.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.special import betaln, digamma, gammaln, hyp2f1

from cxloop.errors import DataError
from cxloop.understand.clv.likelihood_fit import MaximumLikelihood, maximise_log_likelihood

PARAMS = ("r", "alpha", "a", "b")
#: summaries longer than this are compressed to their distinct (x, t_x, T) rows
COMPRESS_ROWS = 50_000


def _arrays(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(frequency, dtype=float)
    t_x = np.asarray(recency, dtype=float)
    big_t = np.asarray(T, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    return x, t_x, big_t, w


class BgnbdData:
    """A summary prepared for repeated likelihood evaluations.

    Customers with the same ``(x, t_x, T)`` are one row with their count as its weight (with
    times in whole days, a million customers are a few hundred thousand rows). The terms that
    depend on ``x`` alone (Gamma and Beta functions, digammas) are computed once per distinct
    ``x`` (a few dozen values) and weighted by how many customers have it; only the terms in
    ``t_x`` and ``T`` are computed per row.
    """

    def __init__(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> None:
        x, t_x, big_t, w = _arrays(frequency, recency, T, weights)
        if len(x) > COMPRESS_ROWS:
            x, t_x, big_t, w = _compressed(x, t_x, big_t, w)
        self.x, self.t_x, self.big_t, self.w = x, t_x, big_t, w
        self.levels, self.level = np.unique(x, return_inverse=True)
        self.level_weight = np.bincount(self.level, weights=w, minlength=len(self.levels))
        self.repeat = x > 0
        self.customers = float(w.sum())


def _compressed(
    x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows with the same ``(x, t_x, T)`` merged, their weights added; the input unchanged
    when that would not halve the rows (continuous times)."""
    frame = pd.DataFrame({"x": x, "t_x": t_x, "T": big_t, "w": w})
    merged = frame.groupby(["x", "t_x", "T"], sort=False, as_index=False)["w"].sum()
    if len(merged) > len(frame) // 2:
        return x, t_x, big_t, w
    return (merged["x"].to_numpy(), merged["t_x"].to_numpy(), merged["T"].to_numpy(),
            merged["w"].to_numpy())  # fmt: skip


def bgnbd_log_likelihood(
    params: ArrayLike,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    weights: ArrayLike | None = None,
) -> tuple[float, np.ndarray]:
    """The summed BG/NBD log-likelihood and its analytic gradient in ``(r, alpha, a, b)``.

    Parameters
    ----------
    params
        ``(r, alpha, a, b)``, all positive.
    frequency, recency, T
        Per customer: repeat purchases ``x``, ``t_x`` and ``T`` (same time unit).
    weights
        How many customers share each row (default 1 each).

    Returns
    -------
    (float, numpy.ndarray)
        The log-likelihood and ``∂ℓ/∂(r, alpha, a, b)``.
    """
    return prepared_log_likelihood(params, BgnbdData(frequency, recency, T, weights))


def prepared_log_likelihood(params: ArrayLike, data: BgnbdData) -> tuple[float, np.ndarray]:
    """:func:`bgnbd_log_likelihood` on a :class:`BgnbdData`."""
    r, alpha, a, b = (float(v) for v in np.asarray(params, dtype=float))
    u, uw = data.levels, data.level_weight  # distinct x and their weights
    # terms in x alone, per distinct x
    a12 = gammaln(r + u) - gammaln(r) + r * np.log(alpha) + betaln(a, b + u) - betaln(a, b)
    ub1 = np.where(u > 0, b + u - 1, 1.0)
    log_odds_u = np.where(u > 0, np.log(a) - np.log(ub1), -np.inf)
    psi_ab = digamma(a + b)
    d_r_u = digamma(r + u) - digamma(r) + np.log(alpha)
    d_a_u = psi_ab - digamma(a + b + u)
    d_b_u = psi_ab + digamma(b + u) - digamma(b) - digamma(a + b + u)
    # terms per customer: the log-sum-exp of A3 and A4
    x, w, level = data.x, data.w, data.level
    log_alpha_t = np.log(alpha + data.big_t)
    log_alpha_tx = np.log(alpha + data.t_x)
    a3 = -(r + x) * log_alpha_t
    # log-sum-exp of A3 and A4 = A3 + softplus(d), d = A4 - A3, with one exp and one log1p
    d = log_odds_u[level] + (r + x) * (log_alpha_t - log_alpha_tx)
    e = np.exp(-np.abs(d))  # 0 where x = 0 (d = -inf)
    tail = a3 + np.maximum(d, 0.0) + np.log1p(e)
    w4 = np.where(d > 0, 1.0, e) / (1.0 + e)  # softmax weights of A4 and A3
    w3 = 1.0 - w4
    ll = float(uw @ a12 + w @ tail)
    d_r = uw @ d_r_u - w @ (w3 * log_alpha_t + w4 * log_alpha_tx)
    d_alpha = r / alpha * data.customers - w @ (
        (r + x) * (w3 / (alpha + data.big_t) + w4 / (alpha + data.t_x))
    )
    w4_by_level = np.bincount(level, weights=w * w4, minlength=len(u))
    d_a = uw @ d_a_u + w4_by_level.sum() / a
    d_b = uw @ d_b_u - w4_by_level @ (1 / ub1)
    return ll, np.array([d_r, d_alpha, d_a, d_b])


class BetaGeoModel:
    """BG/NBD fitted by maximum likelihood.

    Parameters
    ----------
    initial
        Starting ``(r, alpha, a, b)`` for the optimiser.

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha``, ``a``, ``b``.
    standard_errors_ : dict
        Standard errors from the Hessian (NaN where it is singular).
    log_likelihood_ : float
    fit_seconds_ : float
    customers_ : int

    Examples
    --------
    >>> model = BetaGeoModel().fit([2, 0, 5], [30.4, 0.0, 36.1], [38.9, 38.9, 38.9])
    >>> sorted(model.params_)
    ['a', 'alpha', 'b', 'r']
    """

    def __init__(self, initial: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)):
        self.initial = initial

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> BetaGeoModel:
        """Fit to per-customer ``frequency``, ``recency`` and ``T``; return self."""
        x, t_x, big_t, w = _arrays(frequency, recency, T, weights)
        check_summary(x, t_x, big_t)
        data = BgnbdData(x, t_x, big_t, w)
        if not np.any(data.repeat):
            raise DataError("BG/NBD needs at least one customer with a repeat purchase")
        fit = maximise_log_likelihood(
            lambda p: prepared_log_likelihood(p, data),
            np.array(self.initial, dtype=float),
            names=PARAMS,
            observations=data.customers,
            model="BG/NBD",
        )
        self._store(fit, int(data.customers))
        return self

    def _store(self, fit: MaximumLikelihood, customers: int) -> None:
        self.params_ = dict(zip(PARAMS, (float(v) for v in fit.params), strict=True))
        self.standard_errors_ = dict(
            zip(PARAMS, (float(v) for v in fit.standard_errors), strict=True)
        )
        self.log_likelihood_ = fit.log_likelihood
        self.fit_seconds_ = fit.seconds
        self.customers_ = customers

    def _p(self) -> tuple[float, float, float, float]:
        p = self.params_
        return p["r"], p["alpha"], p["a"], p["b"]

    def expected_purchases(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """Expected purchases in the next ``t`` time units of customers with this history
        (equation 10 of Fader, Hardie & Lee 2005)."""
        r, alpha, a, b = self._p()
        t = np.asarray(t, dtype=float)
        x, t_x, big_t, _ = _arrays(frequency, recency, T)
        z = t / (alpha + big_t + t)
        head = (a + b + x - 1) / (a - 1)
        body = 1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * hyp2f1(
            r + x, b + x, a + b + x - 1, z
        )
        return head * body * self.probability_alive(x, t_x, big_t)

    def probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """P(still a customer at ``T`` | ``x``, ``t_x``, ``T``); 1 for those with no repeat."""
        r, alpha, a, b = self._p()
        x, t_x, big_t, _ = _arrays(frequency, recency, T)
        repeat = x > 0
        log_odds = np.where(
            repeat,
            np.log(a)
            - np.log(np.where(repeat, b + x - 1, 1.0))
            + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x)),
            -np.inf,
        )
        return 1.0 / (1.0 + np.exp(log_odds))

    def unconditional_expected_purchases(self, t: ArrayLike) -> np.ndarray:
        """E[X(t)]: purchases expected in ``t`` time units from a new customer's first one."""
        r, alpha, a, b = self._p()
        t = np.asarray(t, dtype=float)
        return (
            (a + b - 1)
            / (a - 1)
            * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
        )


def check_summary(x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> None:
    """Raise :class:`DataError` unless the summary is consistent."""
    if not (len(x) == len(t_x) == len(big_t)):
        raise DataError("frequency, recency and T must have the same length")
    if len(x) == 0:
        raise DataError("there are no customers to fit")
    problems = [
        (np.flatnonzero(~np.isfinite(x) | (x < 0) | (x != np.round(x))), "frequency",
         "a whole number ≥ 0"),
        (np.flatnonzero(~np.isfinite(t_x) | (t_x < 0)), "recency", "≥ 0"),
        (np.flatnonzero(~np.isfinite(big_t) | (big_t < t_x)), "T", "≥ recency"),
        (np.flatnonzero((x == 0) & (t_x != 0)), "recency", "0 when frequency is 0"),
    ]  # fmt: skip
    for rows, column, expected in problems:
        if len(rows):
            raise DataError(f"row {int(rows[0]) + 1}: {column} must be {expected}")
