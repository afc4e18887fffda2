"""Segments: definitions from ``segments/*.yaml`` and what a refresh of their membership did."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

SEGMENT_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"


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
    rule: str = Field(min_length=1, description="The rule in the segment rule language.")
    webhook: WebhookTarget | None = None
    #: the file it was loaded from (not part of the YAML)
    path: str | None = Field(default=None, exclude=True)


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
    rule: str
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
