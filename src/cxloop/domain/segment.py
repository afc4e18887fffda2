"""Segments: definitions from ``segments/*.yaml`` and what a refresh of their membership did.

A definition holds either a ``rule`` (members are whoever matches it) or a ``members`` list of
customer ids (a member-list segment, e.g. the ambassador programme's invitees, written by
``cxloop advocates invite``).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SEGMENT_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"
#: the most customer ids a member-list segment may list
MAX_LISTED_MEMBERS = 100_000


class WebhookTarget(BaseModel):
    """Where a segment's membership changes are POSTed, and how the secret is found."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(description="http(s) URL that receives the signed POST.")
    secret_env: str | None = Field(
        default=None,
        pattern=ENV_NAME_PATTERN,
        description="Environment variable holding the signing secret (else the setting "
        "segment_webhook_secrets).",
    )

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


class SegmentDefinition(BaseModel):
    """One ``segments/*.yaml`` file."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=SEGMENT_ID_PATTERN, description="Stable id: a-z, 0-9, _ and -.")
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    rule: str | None = Field(
        default=None, min_length=1, description="The rule in the segment rule language."
    )
    members: list[str] | None = Field(
        default=None,
        max_length=MAX_LISTED_MEMBERS,
        description="A member-list segment: these customer ids (instead of a rule).",
    )
    webhook: WebhookTarget | None = None
    #: the file it was loaded from (not part of the YAML)
    path: str | None = Field(default=None, exclude=True)

    @field_validator("members")
    @classmethod
    def _ids(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item or len(item) > 200 or not item.isprintable():
                raise ValueError(f"item {index}: {item!r} is not a customer id")
        return sorted(set(value))

    @model_validator(mode="after")
    def _rule_or_members(self) -> SegmentDefinition:
        if (self.rule is None) == (self.members is None):
            raise ValueError("give either rule or members (a list of customer ids), not both")
        return self

    @property
    def kind(self) -> str:
        """``rule`` or ``members`` (a member-list segment)."""
        return "members" if self.members is not None else "rule"


class SegmentRefresh(BaseModel):
    """What one refresh of one segment did."""

    segment_id: str
    refresh_id: str | None = Field(description="None when nothing changed (no events written).")
    ts: datetime
    as_of: datetime
    members: int
    entered: list[str]
    left: list[str]
    webhook: str | None = Field(
        default=None, description="delivered, failed, no_secret, or None (no webhook or change)."
    )


class SegmentSummary(BaseModel):
    """A segment with its current membership count (the list and the API)."""

    id: str
    name: str
    description: str
    rule: str | None = Field(description="None for a member-list segment.")
    listed: int | None = Field(
        default=None, description="Customer ids a member-list segment lists (None for a rule)."
    )
    members: int
    last_refreshed: datetime | None
    has_webhook: bool


class MembershipChange(BaseModel):
    """Entries and exits of one refresh."""

    refresh_id: str | None
    ts: datetime
    entered: int
    left: int


class SegmentMember(BaseModel):
    """A current member, their name on the golden record, and when they (last) entered."""

    customer_id: str
    name: str | None = None
    entered_at: datetime


class SegmentDetail(SegmentSummary):
    """A segment, its history of changes (newest first)."""

    history: list[MembershipChange]


class MemberPage(BaseModel):
    """A page of a segment's current members."""

    segment_id: str
    total: int
    limit: int
    offset: int
    members: list[SegmentMember]


class CustomerSegmentMembership(BaseModel):
    """A segment a customer is in now, and since when (their latest entry in the log)."""

    segment_id: str
    name: str | None = Field(None, description="None when the definition file is gone.")
    since: datetime


class CustomerSegments(BaseModel):
    """Where one customer stands: segments, lifecycle stage, ladder rung and RFM segment
    (the Customer 360's segments panel)."""

    as_of: datetime = Field(description="The moment stages and scores were computed for.")
    segments: list[CustomerSegmentMembership]
    lifecycle: str | None = Field(None, description="new, active, reactivated, at_risk, lapsed.")
    ladder: str | None = Field(None, description="detractor, satisfied, loyal, advocate.")
    referrals: int = Field(0, description="Referrals in the ladder window.")
    rfm: str | None = Field(None, description="The named RFM segment.")
    rfm_score: str | None = Field(None, description="R, F and M quintiles, e.g. 545.")
