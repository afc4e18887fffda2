"""Wire format of ``POST /v1/surveys/{id}/send``: whom to invite, and the send report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cxloop.act.invitations import SendReport
from cxloop.api.schemas.errors import ErrorResponse

_IDS = Field(default=None, min_length=1, max_length=100_000)


class SendRequest(BaseModel):
    """Exactly one audience, as the CLI's options: ``segment``, ``customer_ids`` or
    ``after_event`` (with ``since``) for a customer survey; ``team``, ``employee_ids`` or
    ``all_employees`` for an employee survey."""

    model_config = ConfigDict(extra="forbid")
    segment: str | None = Field(default=None, min_length=1, max_length=200)
    customer_ids: list[str] | None = _IDS
    after_event: str | None = Field(default=None, min_length=1, max_length=200)
    since: datetime | None = Field(
        default=None, description="With after_event: events at or after this time "
        "(default: the last 7 days)."
    )  # fmt: skip
    team: str | None = Field(default=None, min_length=1, max_length=200)
    employee_ids: list[str] | None = _IDS
    all_employees: bool = False
    wave: str | None = Field(default=None, max_length=64, description="A new round's label.")
    dry_run: bool = Field(default=False, description="Decide and report; write and send nothing.")

    @model_validator(mode="after")
    def _one_audience(self) -> SendRequest:
        given = [self.segment, self.customer_ids, self.after_event, self.team,
                 self.employee_ids, self.all_employees or None]  # fmt: skip
        if sum(value is not None for value in given) != 1:
            raise ValueError(
                "give exactly one of segment, customer_ids or after_event (customer surveys), "
                "or team, employee_ids or all_employees (employee surveys)"
            )
        if self.since is not None and self.after_event is None:
            raise ValueError("since goes with after_event")
        return self


SEND_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in {
        400: "The send cannot work: settings missing (smtp_host, mail_from, public_base_url), "
        "an unknown id in the list, or an audience that does not fit the survey.",
        401: "No API key or session.",
        403: "The caller is not an analyst or admin.",
        404: "No survey, segment or team with this id.",
        422: "The body is not valid (not exactly one audience); the details name the field.",
    }.items()
}

__all__ = ["SEND_ERRORS", "SendReport", "SendRequest"]
