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
from numpy.typing import ArrayLike
from scipy.special import betaln, digamma, gammaln, hyp2f1

from cxloop.errors import DataError
from cxloop.understand.clv.likelihood_fit import MaximumLikelihood, maximise_log_likelihood

PARAMS = ("r", "alpha", "a", "b")


def _arrays(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(frequency, dtype=float)
    t_x = np.asarray(recency, dtype=float)
    big_t = np.asarray(T, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    return x, t_x, big_t, w


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
    r, alpha, a, b = (float(v) for v in np.asarray(params, dtype=float))
    x, t_x, big_t, w = _arrays(frequency, recency, T, weights)
    repeat = x > 0
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    log_alpha_t = np.log(alpha + big_t)
    log_alpha_tx = np.log(alpha + t_x)
    a3 = -(r + x) * log_alpha_t
    bx1 = np.where(repeat, b + x - 1, 1.0)
    a4 = np.where(repeat, np.log(a) - np.log(bx1) - (r + x) * log_alpha_tx, -np.inf)
    tail = np.logaddexp(a3, a4)
    ll = float(np.sum(w * (a1 + a2 + tail)))
    w3 = np.exp(a3 - tail)  # softmax weights of the two terms of the log-sum-exp
    w4 = np.where(repeat, np.exp(a4 - tail), 0.0)
    psi_ab = digamma(a + b)
    psi_abx = digamma(a + b + x)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * log_alpha_t - w4 * log_alpha_tx
    d_alpha = r / alpha - w3 * (r + x) / (alpha + big_t) - w4 * (r + x) / (alpha + t_x)
    d_a = psi_ab - psi_abx + w4 / a
    d_b = psi_ab + digamma(b + x) - digamma(b) - psi_abx - w4 / bx1
    gradient = np.array([np.sum(w * d) for d in (d_r, d_alpha, d_a, d_b)])
    return ll, gradient


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
        if not np.any(x > 0):
            raise DataError("BG/NBD needs at least one customer with a repeat purchase")
        fit = maximise_log_likelihood(
            lambda p: bgnbd_log_likelihood(p, x, t_x, big_t, w),
            np.array(self.initial),
            names=PARAMS,
            observations=float(w.sum()),
            model="BG/NBD",
        )
        self._store(fit, int(w.sum()))
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
