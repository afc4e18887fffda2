"""Key-driver analysis: how much each driver explains of an outcome, and how well it performs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Outcome = Literal["nps", "csat", "ces", "churn"]
DriverKind = Literal["rating", "theme", "touchpoint"]


class DriverImportance(BaseModel):
    """One driver: its share of the outcome's R² by both methods, and its performance."""

    name: str = Field(description="kind:id, the name --drivers takes (e.g. theme:delivery).")
    kind: DriverKind
    label: str = Field(description="The touchpoint, theme or question wording.")
    n: int = Field(description="Customers for whom the driver was observed (others: its mean).")
    mean: float | None = Field(
        default=None,
        description="Mean of the observed values: a score for ratings and touchpoints, the "
        "share of customers mentioning it for a theme.",
    )
    performance: float | None = Field(
        default=None,
        description="Share satisfied, 0..1: customers whose mean is in the top two boxes "
        "(ratings, touchpoint CSAT 4–5); for a theme, the share of its mentions that are not "
        "negative.",
    )
    correlation: float = Field(description="Pearson correlation with the outcome (its sign).")
    relative_weight: float = Field(description="Johnson's raw relative weight (share of R²).")
    relative_weight_ci_low: float | None = Field(
        default=None, description="Bootstrap 95% percentile interval."
    )
    relative_weight_ci_high: float | None = None
    shapley: float = Field(description="Shapley value of R² (LMG).")
    shapley_ci_low: float | None = Field(default=None, description="Bootstrap 95% percentile.")
    shapley_ci_high: float | None = None
    rank: int = Field(description="1 = most important by Shapley value.")


class LeftOutDriver(BaseModel):
    """A driver the warehouse has that the analysis did not use, and why."""

    name: str
    reason: Literal["few_observations", "max_drivers"]
    n: int


class DriverReport(BaseModel):
    """Key drivers of one outcome, most important first."""

    outcome: Outcome
    model: Literal["linear", "linear probability"] = Field(
        description="Least squares; for churn (0/1) a linear probability model."
    )
    n: int = Field(description="Customers with the outcome observed.")
    r2: float = Field(description="R² of the full model: both methods' values sum to it.")
    r2_ci_low: float | None = None
    r2_ci_high: float | None = None
    bootstrap: int = Field(description="Bootstrap resamples behind the intervals (0: none).")
    seed: int
    churn_days: int | None = Field(
        default=None, description="churn only: no order for this many days counts as churned."
    )
    mean_importance: float | None = Field(
        default=None, description="Mean Shapley value: the quadrant chart's horizontal line."
    )
    mean_performance: float | None = Field(
        default=None, description="Mean performance: the quadrant chart's vertical line."
    )
    drivers: list[DriverImportance]
    left_out: list[LeftOutDriver] = Field(default_factory=list)
