"""Advocates: promoters ranked by engagement and value, and the ambassador-programme invite."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class Advocate(BaseModel):
    """One promoter with the components of their advocate score."""

    rank: int = Field(description="1 = the strongest advocate.")
    customer_id: str
    name: str | None = None
    language: str | None = None
    latest_nps: int = Field(description="The latest NPS answer in the window (9 or 10).")
    orders: int = Field(description="Orders in the window.")
    feedback: int = Field(description="Pieces of feedback (survey answers, reviews) given.")
    events: int = Field(description="Tracked events other than referrals.")
    referrals: int = Field(description="Referral events (setting referral_events).")
    value: float = Field(description="CLV where scored, else revenue in the window.")
    value_source: Literal["clv", "revenue"]
    currency: str | None = None
    engagement_percentile: float = Field(
        description="Mean percentile (0–1) of orders, feedback and events."
    )
    referral_percentile: float = Field(description="Percentile (0–1) of referrals.")
    value_percentile: float = Field(description="Percentile (0–1) of value.")
    score: float = Field(
        description="100 × (engagement_percentile + referral_percentile + value_percentile) / 3."
    )
    ladder: str | None = Field(None, description="The loyalty-ladder rung.")


class AdvocateRanking(BaseModel):
    """The JSON of ``cxloop advocates list`` and ``GET /v1/advocates``."""

    as_of: datetime
    window_days: int
    promoters: int = Field(description="Promoters ranked (before the limit).")
    advocates: list[Advocate]


class InviteReport(BaseModel):
    """What ``cxloop advocates invite`` did (or, with ``dry_run``, would do)."""

    segment_id: str
    survey_id: str
    dry_run: bool
    chosen: list[str] = Field(description="The advocates chosen, best first.")
    added: list[str] = Field(description="Of those, the ones new to the segment.")
    segment_created: bool
    segment_members: int
    invitations: dict[str, int] = Field(description="Invitation outcomes by status.")
    outcomes: list[dict[str, str | None]] = Field(
        description="customer_id, status and reason of each invitation."
    )
    stopped: str | None = Field(None, description="Why sending stopped early, if it did.")
    smtp_error: str | None = Field(None, description="The last failure to reach the server.")
