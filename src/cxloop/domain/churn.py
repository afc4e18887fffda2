"""Churn risk: validation figures of a fitted model, and a customer's risk with its reasons."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field


class ReliabilityBin(BaseModel):
    """One decile of predicted risk on the validation cutoff: mean predicted vs observed."""

    decile: int = Field(description="1 = lowest predicted risk.")
    customers: int
    predicted: float = Field(description="Mean predicted risk.")
    observed: float = Field(description="Share that churned.")


class ChurnMetrics(BaseModel):
    """How well a model ranked and estimated churn on one cutoff."""

    auc: float = Field(description="Area under the ROC curve.")
    brier: float = Field(description="Mean squared error of the probabilities (lower is better).")
    customers: int
    churn_rate: float


class ChurnValidation(BaseModel):
    """The out-of-time check: train at ``train_cutoff``, validate at ``validation_cutoff``."""

    train_cutoff: date
    validation_cutoff: date
    train_rows: int
    model: ChurnMetrics
    recency_baseline: ChurnMetrics = Field(
        description="The same model on days since the last order alone."
    )
    reliability: list[ReliabilityBin]
    max_calibration_gap: float = Field(
        description="Largest |predicted − observed| over deciles with at least 20 customers."
    )
    importance: dict[str, float] = Field(
        default_factory=dict,
        description="Per feature group, the mean drop of validation AUC when the group's "
        "columns are shuffled together (permutation importance).",
    )


class ChurnFitReport(BaseModel):
    """What ``cxloop churn fit`` did (its JSON)."""

    model_id: str
    fitted_at: datetime
    as_of: date = Field(
        description="The last day of data; the model was fitted on labels up to it."
    )
    horizon_days: int
    active_days: int
    train_cutoffs: list[date] = Field(description="Cutoffs of the final model's training rows.")
    train_rows: int
    churn_rate: float = Field(description="Share of the final training rows that churned.")
    features: list[str]
    validation: ChurnValidation
    fit_seconds: float
    model_file: str = Field(description="The serialised model, relative to the project.")


class ChurnScoreReport(BaseModel):
    """What ``cxloop churn score`` did (its JSON)."""

    model_id: str
    scored_at: datetime
    cutoff: date = Field(description="Features read the data up to the end of this day.")
    customers: int
    mean_risk: float
    high_risk: int = Field(description="Customers with a risk of 0.5 or more.")
    seconds: float


class ChurnReason(BaseModel):
    """One reason for a customer's risk: a group of features and what it adds."""

    feature: str = Field(description="The feature group, e.g. recency, nps, delivery.")
    text: str = Field(description='Human-readable, e.g. "no order for 140 days".')
    impact: float = Field(description="Risk minus the risk with this group at its reference.")
    numbers: dict[str, float] = Field(
        default_factory=dict,
        description="The numbers the text states, by name (for the text in other languages).",
    )


class CustomerChurn(BaseModel):
    """A customer's churn risk from the latest ``cxloop churn score``."""

    model_id: str
    scored_at: datetime | None = None
    cutoff: date | None = None
    horizon_days: int
    risk: float = Field(description="Probability of no purchase within the horizon.")
    reasons: list[ChurnReason] = Field(default_factory=list)


class ChurnNoBasis(BaseModel):
    """Why a customer has no churn risk although churn was scored: the risk is "no purchase in
    the next horizon" for customers who are buying, and this customer made no purchase in the
    model's ``active_days`` up to the scoring's cutoff (never bought, or lapsed before it).
    Not a risk of zero, and not a missing value: there is nothing to predict from."""

    reason: Literal["no_recent_purchase"] = "no_recent_purchase"
    model_id: str
    cutoff: date | None = None
    active_days: int = Field(description="Days before the cutoff a purchase must fall in.")
