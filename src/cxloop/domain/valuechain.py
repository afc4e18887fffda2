"""The value chain: a fitted PLS path model as a JSON document (``cxloop valuechain``)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class PathEstimate(BaseModel):
    """One arrow of the inner model (also used for total effects)."""

    model_config = ConfigDict(serialize_by_alias=True)

    source: str = Field(serialization_alias="from")
    target: str = Field(serialization_alias="to")
    coef: float
    ci_low: float | None = Field(None, description="Bootstrap percentile interval; null without.")
    ci_high: float | None = None


class IndicatorEstimate(BaseModel):
    """One manifest variable: its outer weight and loading (with intervals when bootstrapped)."""

    block: str
    indicator: str
    weight: float
    loading: float
    communality: float
    weight_ci_low: float | None = None
    weight_ci_high: float | None = None
    loading_ci_low: float | None = None
    loading_ci_high: float | None = None


class ConstructSummary(BaseModel):
    """One latent variable: its block and fit."""

    name: str
    mode: str = Field(description="A (reflective) or B (formative).")
    indicators: list[str]
    r2: float | None = Field(None, description="Null for an exogenous construct.")
    r2_ci_low: float | None = None
    r2_ci_high: float | None = None
    communality: float
    redundancy: float


class ValueChainFit(BaseModel):
    """The JSON of ``cxloop valuechain fit`` (and the model part of ``valuechain run``)."""

    paths: list[PathEstimate]
    r2: dict[str, float]
    total_effects: list[PathEstimate]
    gof: float = Field(description="sqrt(mean communality x mean R2) (Tenenhaus et al. 2004).")
    weights: list[IndicatorEstimate]
    constructs: list[ConstructSummary]
    scheme: str
    n: int = Field(description="Cases the model was fitted on.")
    iterations: int
    bootstrap: int = Field(0, description="Resamples behind the intervals (0: none).")
    bootstrap_failed: int = 0
    seed: int | None = None
    level: float | None = None


class ChainOutcome(BaseModel):
    """How much of one customer outcome engagement accounts for."""

    outcome: str
    total_effect: float = Field(description="Total effect of engagement, standardised.")
    ci_low: float | None = None
    ci_high: float | None = None
    explained_share: float = Field(
        description="Share of the outcome's variance engagement accounts for through the paths "
        "(the squared total effect)."
    )


class ValueChainRun(BaseModel):
    """The JSON of ``cxloop valuechain run`` and ``GET /v1/valuechain``."""

    unit: str = Field(description="One case: team x quarter or team x month.")
    cases: int
    teams: int
    periods: int
    since: date | None = None
    until: date | None = None
    fit: ValueChainFit
    outcomes: list[ChainOutcome]
    engagement: str = Field(description="The construct that starts the chain.")
    within_team: bool = Field(description="Each team's mean was removed before fitting.")
