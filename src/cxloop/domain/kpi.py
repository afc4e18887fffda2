"""KPI results: a value with its n, 95% interval and change against the previous period."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class KpiResult(BaseModel):
    """One KPI value for one cell (the whole scope, a dimension value, a period, or both)."""

    kpi: str
    value: float | None = Field(
        description="NPS in points (-100..100); shares in 0..1; time to close in hours."
    )
    n: int = Field(description="Observations the value is computed from.")
    ci_low: float | None = None
    ci_high: float | None = None
    small_n: bool = Field(description="n is below the kpi_small_n setting: read with care.")
    events: int | None = Field(
        default=None,
        description="Survival KPIs (time to close): cases resolved; the other n - events are "
        "still open and count as censored. The value is the Kaplan-Meier median in hours.",
    )
    dimension: str | None = None
    group: str | None = Field(default=None, description="The dimension's value of this cell.")
    period_start: date | None = None
    previous_value: float | None = None
    previous_n: int | None = None
    change: float | None = None
    p_value: float | None = None
    q_value: float | None = Field(
        default=None, description="Benjamini-Hochberg adjusted p-value over the cells tested."
    )
    significant: bool | None = Field(
        default=None, description="q (or p for a single value) below 0.05."
    )
    test: str | None = Field(default=None, description="The significance test used.")
    suppressed: Literal["min_group_n", "complementary"] | None = Field(
        default=None,
        description="Employee answers only: why this cell's value is withheld (fewer respondents "
        "than survey_min_group_n, or hidden with such a cell so a total cannot give it away).",
    )


class KpiInfo(BaseModel):
    """What a KPI is: for the list of KPIs in the API and the docs."""

    name: str
    title: str
    shape: str
    table: str
    formula: str
    unit: str
    dimensions: list[str]


class KpiReport(BaseModel):
    """The cells of one KPI query, with the parameters that produced them."""

    kpi: str
    dimension: str | None = None
    period: str | None = None
    since: date | None = None
    until: date | None = None
    previous_since: date | None = None
    small_n_threshold: int
    results: list[KpiResult]
    note: str | None = Field(
        default=None,
        description="How to read the cells: by segment, a row counts once in each segment its "
        "customer was in at the row's time, so the cells do not add up to the company figure.",
    )
