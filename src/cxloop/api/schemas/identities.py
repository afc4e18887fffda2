"""Request bodies of the identity routes: merging customers, splitting one, removing an
override. Responses reuse the library's models (``PairExplanation``, ``CorrectionResult``,
``Override``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Ref = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=300, strip_whitespace=True, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]
Reason = Annotated[str, StringConstraints(max_length=1_000, strip_whitespace=True)]


class MergeRequest(BaseModel):
    """Customers (``cus_…``) or source records (``source:source_id``) that are one person."""

    model_config = ConfigDict(extra="forbid")

    customers: list[Ref] = Field(
        min_length=2,
        max_length=100,
        description="Two or more customer ids or record ids; a customer id stands for all "
        "its records, a record id for that record alone.",
        examples=[["cus_3f2a9c1d0b4e5f60", "web:u-903"]],
    )
    reason: Reason | None = Field(default=None, description="Why: kept with the override.")


class SplitRequest(BaseModel):
    """Records of the customer in the path that are not the same person as the rest."""

    model_config = ConfigDict(extra="forbid")

    records: list[Ref] = Field(
        min_length=1,
        max_length=1_000,
        description="Source record ids (``source:source_id``) of this customer.",
        examples=[["support:4471"]],
    )
    reason: Reason | None = Field(default=None, description="Why: kept with the override.")


class RemoveOverrideRequest(BaseModel):
    """Why an override is removed."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason | None = None
