"""Closed-loop metrics: is the loop closed in time, how long cases stay open, and does closing
it pay (see docs/cases.md, "Closed-loop metrics")."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from cxloop.domain.kpi import KpiResult


class CurvePoint(BaseModel):
    """The Kaplan-Meier curve of time to close at one resolution time."""

    hours: float
    still_open: float = Field(description="Estimated share of cases still open at this time.")
    ci_low: float | None = None
    ci_high: float | None = None
    at_risk: int = Field(description="Cases still open (and observed) just before this time.")


class NpsAfterResolution(BaseModel):
    """The customer's next answer after a case's resolution against the answer that opened it."""

    n: int = Field(description="Resolved cases whose customer answered the 0–10 question again.")
    before: float | None = Field(default=None, description="Mean score (0–10) that opened them.")
    after: float | None = Field(default=None, description="Mean score of the next answers.")
    change: float | None = Field(default=None, description="Mean of after − before, paired.")
    ci_low: float | None = None
    ci_high: float | None = None
    nps_after: float | None = Field(default=None, description="NPS of the next answers.")
    small_n: bool


class LoopEffect(BaseModel):
    """Contacted detractors against comparable detractors who were not contacted."""

    outcome: str = Field(description="retention_90d (share) or later_nps (NPS points).")
    pairs: int = Field(description="Matched pairs: one contacted, one not, in the same stratum.")
    contacted: float | None = Field(default=None, description="Outcome of the contacted half.")
    not_contacted: float | None = Field(
        default=None, description="Outcome of the matched detractors who were not contacted."
    )
    difference: float | None = Field(default=None, description="contacted − not contacted.")
    ci_low: float | None = None
    ci_high: float | None = None
    eligible_contacted: int = Field(description="Contacted detractors with the outcome observed.")
    eligible_not_contacted: int = Field(
        description="Detractors not contacted with the outcome observed."
    )
    small_n: bool


class LoopMetrics(BaseModel):
    """The closed-loop section of the Scorecard (company-wide or one team's)."""

    team: str | None = None
    since: date | None = None
    until: date | None = None
    contact_within_sla: KpiResult | None = Field(
        default=None, description="The closed_loop_rate KPI over the window."
    )
    time_to_close: KpiResult | None = Field(
        default=None, description="The time_to_close KPI (Kaplan-Meier median, hours)."
    )
    curve: list[CurvePoint]
    nps_after_resolution: NpsAfterResolution
    effects: list[LoopEffect]
    matched_on: list[str] = Field(
        description="What contacted and not-contacted detractors are matched on exactly."
    )
    small_n_threshold: int
