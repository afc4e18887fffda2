"""The shape of an explanation of two source records (``cxloop resolve explain A B --json``,
``GET /v1/identities/explain``): self-describing, so a page can draw Splink's waterfall
(the prior, then each comparison's match weight, summing to the total) without knowing the
model."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from cxloop.unify.overrides import Override


class ExplainOptions(BaseModel):
    """Options of :func:`cxloop.unify.explain.explain_records`."""

    model_id: str | None = Field(
        default=None, description="Explain with this saved model (default: the latest run's)."
    )
    max_path_records: int = Field(
        default=200, ge=2, description="Largest customer searched for the path that joins the pair."
    )


class RecordSide(BaseModel):
    """One of the two records, as the warehouse holds it."""

    record_id: str
    source: str
    source_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    customer_id: str | None = Field(
        default=None, description="Its customer now (null: unresolved)."
    )
    method: str | None = Field(default=None, description="What ties it to its customer.")


class ModelInfo(BaseModel):
    """The saved model the pair was scored with."""

    model_id: str
    created_at: datetime
    trained: bool = Field(description="m and u learned from the data (else built-in values).")
    records: int = Field(description="Records it was trained on.")
    prior_match_probability: float = Field(description="λ, before any comparison.")


KeyKind = Literal["deterministic:email", "deterministic:phone", "collector_link"]


class KeyMatch(BaseModel):
    """A deterministic key: do the two records share it, and does it count?"""

    kind: KeyKind
    shared: bool
    value_a: str | None = None
    value_b: str | None = None
    records_sharing: int | None = Field(
        default=None, description="Records with this value (a key shared by too many is ignored)."
    )
    used: bool = Field(description="Whether it links the pair.")
    note: str


class ComparisonWeight(BaseModel):
    """One comparison of the waterfall."""

    name: str = Field(description="The comparison (`name`, `dob`, `email` …).")
    description: str
    level: int = Field(description="Comparison vector value (-1: a value is missing).")
    label: str = Field(description="The level the pair fell into.")
    values_a: dict[str, str | None] = Field(description="The compared columns of record a.")
    values_b: dict[str, str | None]
    m_probability: float | None = Field(default=None, description="P(this level | same person).")
    u_probability: float | None = Field(
        default=None, description="P(this level | different people)."
    )
    level_weight: float = Field(description="log2(m / u); 0 for a missing value.")
    term_frequency_weight: float = Field(
        default=0.0, description="Adjustment for how common the shared value is (0 if none)."
    )
    match_weight: float = Field(description="level_weight + term_frequency_weight.")


class PathStep(BaseModel):
    """One link on the path that joins the pair within their customer."""

    record_l: str
    record_r: str
    kind: str = Field(description="`deterministic:email`, `probabilistic`, `override:merge` …")
    match_probability: float | None = None


class PairExplanation(BaseModel):
    """Why two source records were, or were not, linked."""

    a: RecordSide
    b: RecordSide
    model: ModelInfo
    keys: list[KeyMatch]
    comparisons: list[ComparisonWeight]
    prior_weight: float = Field(description="log2(λ / (1 − λ)): where the waterfall starts.")
    total_weight: float = Field(description="prior_weight + every comparison's match_weight.")
    match_probability: float = Field(description="2^total / (1 + 2^total).")
    threshold: float = Field(description="Match probability at or above which pairs link.")
    threshold_weight: float = Field(description="The threshold as a match weight.")
    compared: bool = Field(description="Whether a blocking rule admits the pair (else unscored).")
    blocking_rules: list[str] = Field(description="The blocking rules that admit the pair.")
    direct_link: str | None = Field(
        default=None, description="The strongest link between the two records themselves, if any."
    )
    same_customer: bool
    path: list[PathStep] = Field(
        default_factory=list, description="Links joining them within their customer, a to b."
    )
    overrides: list[Override] = Field(description="Overrides in force naming either record.")
    decision: Literal["linked", "not_linked"]
    reason: str
