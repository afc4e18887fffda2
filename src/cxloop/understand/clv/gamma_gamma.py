"""The Gamma-Gamma model of spend per transaction (Fader & Hardie, "The Gamma-Gamma Model of
Monetary Value", 2013; Colombo & Jiang 1999).

A customer's transactions are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, so their
mean ``z̄`` over ``x`` transactions has the density

.. math::

    f(\\bar z \\mid p, q, \\gamma, x) = \\frac{\\Gamma(px+q)}{\\Gamma(px)\\Gamma(q)}
    \\frac{\\gamma^q \\bar z^{px-1} x^{px}}{(\\gamma + x\\bar z)^{px+q}}

It is fitted on the customers with at least one repeat purchase (``x`` = frequency,
``z̄`` = mean value of the repeat purchases), and assumes spend is independent of frequency.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammaln

from cxloop.errors import DataError
from cxloop.understand.clv.likelihood_fit import maximise_log_likelihood

PARAMS = ("p", "q", "gamma")


def gamma_gamma_log_likelihood(
    params: ArrayLike,
    frequency: ArrayLike,
    monetary_value: ArrayLike,
    weights: ArrayLike | None = None,
) -> tuple[float, np.ndarray]:
    """The summed Gamma-Gamma log-likelihood and its analytic gradient in ``(p, q, gamma)``.

    Only rows with ``frequency > 0`` belong in it (the caller filters them).
    """
    p, q, g = (float(v) for v in np.asarray(params, dtype=float))
    x = np.asarray(frequency, dtype=float)
    z = np.asarray(monetary_value, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    px = p * x
    log_total = np.log(x * z + g)
    ll_rows = (
        gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g)
        + (px - 1) * np.log(z) + px * np.log(x) - (px + q) * log_total
    )  # fmt: skip
    psi_pxq = digamma(px + q)
    d_p = x * (psi_pxq - digamma(px) + np.log(z) + np.log(x) - log_total)
    d_q = psi_pxq - digamma(q) + np.log(g) - log_total
    d_g = q / g - (px + q) / (x * z + g)
    gradient = np.array([np.sum(w * d) for d in (d_p, d_q, d_g)])
    return float(np.sum(w * ll_rows)), gradient


class GammaGammaModel:
    """Gamma-Gamma spend model fitted by maximum likelihood.

    Parameters
    ----------
    initial
        Starting ``(p, q, gamma)`` for the optimiser.

    Attributes
    ----------
    params_ : dict
        ``p``, ``q``, ``gamma`` (``v`` in the ``lifetimes`` package).
    standard_errors_ : dict
    log_likelihood_ : float
    fit_seconds_ : float
    customers_ : int
        Repeat buyers the model was fitted on.
    """

    def __init__(self, initial: tuple[float, float, float] = (1.0, 1.0, 1.0)):
        self.initial = initial

    def fit(
        self,
        frequency: ArrayLike,
        monetary_value: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> GammaGammaModel:
        """Fit to customers' repeat-purchase counts and mean repeat spend; rows with
        ``frequency == 0`` are left out. Returns self."""
        x = np.asarray(frequency, dtype=float)
        z = np.asarray(monetary_value, dtype=float)
        w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
        repeat = x > 0
        bad = np.flatnonzero(repeat & ~(np.isfinite(z) & (z > 0)))
        if len(bad):
            raise DataError(
                f"row {int(bad[0]) + 1}: monetary_value must be > 0 for a repeat buyer "
                f"(got {z[bad[0]]!r})"
            )
        if repeat.sum() < 2:
            raise DataError("Gamma-Gamma needs at least two customers with repeat purchases")
        x, z, w = x[repeat], z[repeat], w[repeat]
        start = self.initial
        fit = maximise_log_likelihood(
            lambda params: gamma_gamma_log_likelihood(params, x, z, w),
            np.array(start),
            names=PARAMS,
            observations=float(w.sum()),
            model="Gamma-Gamma",
        )
        self.params_ = dict(zip(PARAMS, (float(v) for v in fit.params), strict=True))
        self.standard_errors_ = dict(
            zip(PARAMS, (float(v) for v in fit.standard_errors), strict=True)
        )
        self.log_likelihood_ = fit.log_likelihood
        self.fit_seconds_ = fit.seconds
        self.customers_ = int(w.sum())
        return self

    def expected_spend(self, frequency: ArrayLike, monetary_value: ArrayLike) -> np.ndarray:
        """E[spend per transaction | x, z̄] = p(γ + x z̄) / (px + q − 1): a weighted mean of the
        population mean pγ/(q − 1) and the customer's own ``z̄``. Customers with no repeat
        purchase get the population mean. NaN when q ≤ 1 (the mean does not exist)."""
        p, q, g = self.params_["p"], self.params_["q"], self.params_["gamma"]
        x = np.asarray(frequency, dtype=float)
        z = np.nan_to_num(np.asarray(monetary_value, dtype=float), nan=0.0)
        z = np.where(x > 0, z, 0.0)
        if q <= 1:
            return np.full(np.shape(x), np.nan)
        return p * (g + x * z) / (p * x + q - 1)
