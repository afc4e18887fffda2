"""KPI goals and their status: hit, on track, at risk, miss, or not enough data to say."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class GoalStatus(StrEnum):
    """Where a goal stands; the rule is in docs/kpis.md and in :class:`StatusReason`."""

    HIT = "hit"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISS = "miss"
    NOT_ENOUGH_DATA = "not_enough_data"


class StatusReason(StrEnum):
    """Which branch of the status rule decided: each has its own sentence."""

    NO_DATA = "no_data"
    SMALL_N = "small_n"
    HIT = "hit"
    MISSED = "missed"
    MISSED_UNPROVEN = "missed_unproven"
    TOO_FEW_PERIODS = "too_few_periods"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"


class TrendPoint(BaseModel):
    """The KPI over one period of the goal's scope."""

    period_start: date
    value: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    small_n: bool = False


class Projection(BaseModel):
    """A weighted linear trend over the periods, carried to the deadline."""

    value: float = Field(description="The trend line's value at the deadline.")
    ci_low: float
    ci_high: float
    slope_per_period: float
    periods: int = Field(description="Periods the line was fitted to.")
    dispersion: float = Field(
        description="Residual variance over the sampling variance (at least 1): how much the "
        "periods scatter around the line beyond their sampling error."
    )
    probability: float = Field(
        description="Probability, under the fitted line and its uncertainty, that the trend "
        "is on the target's good side at the deadline."
    )


class StatusResult(BaseModel):
    """A goal's status with the numbers that decided it and the rule as a sentence."""

    status: GoalStatus
    reason: StatusReason
    sentence: str
    latest: TrendPoint | None = None
    projection: Projection | None = None


class GoalScope(BaseModel):
    """Whose KPI: the company (no dimension) or one value of a dimension."""

    dimension: str | None = None
    value: str | None = None

    @property
    def label(self) -> str:
        """``company`` or ``team = delivery``."""
        return "company" if self.dimension is None else f"{self.dimension} = {self.value}"


class Goal(BaseModel):
    """One goal as ``goals.yaml`` defines it (after validation and defaults)."""

    id: str
    kpi: str
    title: str | None = None
    scope: GoalScope = Field(default_factory=GoalScope)
    target: float
    direction: str = Field(description="higher or lower: which side of the target is good.")
    deadline: date
    owner: str
    start: date | None = None
    period: str = "month"


class GoalEvaluation(BaseModel):
    """A goal, its status as of a day, and the period values the status was read from."""

    goal: Goal
    as_of: date
    status: GoalStatus
    reason: StatusReason
    sentence: str
    latest: TrendPoint | None = None
    projection: Projection | None = None
    trend: list[TrendPoint]
    small_n_threshold: int
