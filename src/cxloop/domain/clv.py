"""Customer lifetime value: fitted model parameters and a customer's scores."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class BgnbdFit(BaseModel):
    """A fitted BG/NBD model (Fader, Hardie & Lee 2005)."""

    r: float = Field(description="Shape of the Gamma heterogeneity of purchase rates.")
    alpha: float = Field(description="Scale of that Gamma, in the time unit.")
    a: float = Field(description="Beta shape of the drop-out probability.")
    b: float = Field(description="Beta shape of the drop-out probability.")
    log_likelihood: float
    standard_errors: dict[str, float | None] = Field(
        default_factory=dict, description="From the Hessian; null where it is singular."
    )
    customers: int = 0
    fit_seconds: float = 0.0


class GammaGammaFit(BaseModel):
    """A fitted Gamma-Gamma spend model (``gamma`` is ``v`` in the lifetimes package)."""

    p: float
    q: float
    gamma: float
    log_likelihood: float
    standard_errors: dict[str, float | None] = Field(default_factory=dict)
    customers: int = Field(0, description="Repeat buyers the model was fitted on.")
    fit_seconds: float = 0.0
    currency: str | None = None


class ClvFitReport(BaseModel):
    """The JSON of ``cxloop clv fit``."""

    bgnbd: BgnbdFit
    gamma_gamma: GammaGammaFit | None = Field(
        None, description="Null when the input has no amounts."
    )
    customers: int
    repeat_customers: int
    time_unit: str
    calibration_end: date | None = None


class CustomerValue(BaseModel):
    """One customer's lifetime value scores, as ``cxloop clv score`` left them."""

    model_id: str
    scored_at: datetime | None = None
    calibration_end: date | None = None
    horizon_months: int
    discount_rate: float = Field(description="Per month.")
    expected_purchases: float = Field(description="Purchases expected in the horizon.")
    probability_alive: float
    expected_spend: float | None = Field(None, description="Per purchase, in `currency`.")
    clv: float | None = Field(None, description="Discounted value over the horizon.")
    currency: str | None = None
