"""Maximum likelihood for the CLV models: L-BFGS-B on log-parameters with an analytic gradient,
standard errors from the Hessian of the log-likelihood.

Each model supplies a function that returns the summed log-likelihood and its gradient with
respect to the natural (positive) parameters. Optimising over ``log θ`` keeps every parameter
positive without bounds; the chain rule gives ``∂ℓ/∂log θ = θ · ∂ℓ/∂θ``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize
from threadpoolctl import threadpool_limits

from cxloop.errors import DataError

#: (parameters) → (summed log-likelihood, its gradient in the natural parameters)
LogLikelihood = Callable[[np.ndarray], tuple[float, np.ndarray]]


@dataclass(frozen=True)
class MaximumLikelihood:
    """The optimum of a log-likelihood."""

    params: np.ndarray
    log_likelihood: float
    standard_errors: np.ndarray
    iterations: int
    seconds: float


def maximise_log_likelihood(
    log_likelihood: LogLikelihood,
    start: np.ndarray,
    *,
    names: tuple[str, ...],
    observations: float,
    model: str,
    with_errors: bool = True,
) -> MaximumLikelihood:
    """Find the parameters that maximise ``log_likelihood``.

    Parameters
    ----------
    log_likelihood
        Returns the summed log-likelihood and its gradient in the natural parameters.
    start
        Starting parameters (all positive).
    names
        Parameter names, for error messages.
    observations
        How many observations (customers) the sum runs over: the objective is the mean
        negative log-likelihood, so the optimiser's tolerances do not depend on the data size.
    model
        The model's name, for error messages.
    with_errors
        Compute standard errors (2k more gradient calls); NaN otherwise.

    Raises
    ------
    DataError
        When the optimiser does not converge to finite parameters.
    """
    began = time.perf_counter()
    scale = max(float(observations), 1.0)

    def objective(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value, gradient = log_likelihood(params)
        if not np.isfinite(value):
            return np.inf, np.zeros_like(log_params)
        return -value / scale, -(gradient * params) / scale

    # L-BFGS-B's few-parameter linear algebra and the likelihood's dot products go through
    # BLAS, whose threads cost far more to wake than the work itself (10x the whole CDNOW fit
    # on a busy machine): one thread only.
    with threadpool_limits(limits=1, user_api="blas"):
        result = optimize.minimize(
            objective,
            np.log(np.asarray(start, dtype=float)),
            jac=True,
            method="L-BFGS-B",
            bounds=[(-30.0, 30.0)] * len(start),
            options={"maxiter": 1_000, "ftol": 1e-11, "gtol": 1e-7},
        )
        params = np.exp(result.x)
        value, _ = log_likelihood(params)
        if not np.all(np.isfinite(params)) or not np.isfinite(value):
            raise DataError(
                f"the {model} fit did not converge ({result.message}); "
                "check that the summary has repeat buyers and sensible times"
            )
        errors = np.full(len(params), np.nan)
        if with_errors:
            errors = standard_errors(log_likelihood, params)
    return MaximumLikelihood(
        params=params,
        log_likelihood=float(value),
        standard_errors=errors,
        iterations=int(result.nit),
        seconds=time.perf_counter() - began,
    )


def standard_errors(log_likelihood: LogLikelihood, params: np.ndarray) -> np.ndarray:
    """Standard errors of ``params`` from the observed information (the negative Hessian of
    the log-likelihood), which is differenced from the analytic gradient: 2k gradient calls.

    NaN where the information matrix is not positive definite.
    """
    k = len(params)
    hessian = np.empty((k, k))
    for j in range(k):
        step = 1e-5 * max(abs(params[j]), 1e-8)
        up, down = params.copy(), params.copy()
        up[j] += step
        down[j] -= step
        hessian[:, j] = (log_likelihood(up)[1] - log_likelihood(down)[1]) / (2 * step)
    information = -(hessian + hessian.T) / 2
    try:
        covariance = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        return np.full(k, np.nan)
    variances = np.diag(covariance)
    return np.where(variances > 0, np.sqrt(np.abs(variances)), np.nan)
