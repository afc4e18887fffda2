"""Customer journeys and moments of truth: the paths customers take across touchpoints, and
which touchpoints' bad experiences move loyalty most.

Aggregates only: no model here holds a customer id, so every role from viewer up may read them.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class JourneyPath(BaseModel):
    """One of the most common paths: the touchpoints of a journey in order."""

    steps: list[str] = Field(description="Touchpoints in order (immediate repeats collapsed).")
    continues: bool = Field(
        default=False, description="The journeys went on beyond the steps shown (max_steps)."
    )
    journeys: int = Field(description="Journeys that took exactly this path.")
    share: float = Field(description="Share of all journeys, 0..1.")


class JourneyNode(BaseModel):
    """A touchpoint at one step of the journeys (a column of the Sankey chart)."""

    step: int = Field(description="1 for the first touchpoint of a journey.")
    touchpoint: str
    journeys: int = Field(description="Journeys reaching this touchpoint at this step.")
    ended: int = Field(description="Of those, journeys that ended here.")
    drop_off: float = Field(description="ended / journeys, 0..1.")


class JourneyLink(BaseModel):
    """Journeys moving from one touchpoint at ``step`` to the next at ``step + 1``."""

    step: int
    source: str = Field(description="Touchpoint at step.")
    target: str = Field(description="Touchpoint at step + 1.")
    journeys: int


class StepTransition(BaseModel):
    """One touchpoint followed by another, at any step: how often, and how long it took."""

    source: str
    target: str
    journeys: int = Field(description="Times a journey went from source straight to target.")
    median_hours: float | None = Field(description="Median time between the two, in hours.")
    q1_hours: float | None = Field(description="First quartile, hours.")
    q3_hours: float | None = Field(description="Third quartile, hours (IQR = q3 − q1).")


class TouchpointDropOff(BaseModel):
    """How often journeys end at a touchpoint."""

    touchpoint: str
    visits: int = Field(description="Journey steps at this touchpoint (any step).")
    ended: int = Field(description="Journeys whose last step was this touchpoint.")
    exit_rate: float = Field(description="ended / visits, 0..1.")
    share_of_ends: float = Field(description="ended / all journeys, 0..1.")


class TouchpointSatisfaction(BaseModel):
    """CSAT (1–5) of the feedback given about one touchpoint."""

    touchpoint: str
    n: int = Field(description="Feedback rows with a CSAT answer.")
    mean: float | None = Field(default=None, description="Mean CSAT, 1..5.")
    mean_ci_low: float | None = Field(default=None, description="Student t 95% interval.")
    mean_ci_high: float | None = None
    satisfied: float | None = Field(default=None, description="Share answering 4 or 5, 0..1.")
    satisfied_ci_low: float | None = Field(default=None, description="Wilson 95% interval.")
    satisfied_ci_high: float | None = None
    small_n: bool = Field(default=False, description="n below the kpi_small_n setting.")


class MomentOfTruth(BaseModel):
    """The effect of a bad experience at one touchpoint on the NPS answers that follow it."""

    touchpoint: str
    rank: int | None = Field(
        default=None, description="1 = the largest loss; None when too few to rank (small_n)."
    )
    effect: float | None = Field(
        default=None,
        description="Change of the 0–10 likelihood-to-recommend answer after a bad experience "
        "here within the lookback window, other touchpoints and exposure held equal.",
    )
    ci_low: float | None = Field(default=None, description="95% interval, cluster-robust.")
    ci_high: float | None = None
    p_value: float | None = None
    exposed: int = Field(description="NPS answers preceded by a bad experience here.")
    exposed_share: float = Field(description="exposed / NPS answers, 0..1.")
    small_n: bool = Field(
        default=False, description="exposed below the kpi_small_n setting: shown, not ranked."
    )


class MomentsOfTruth(BaseModel):
    """The moments-of-truth model and its estimates, ranked."""

    model: str = Field(description="The regression, in words.")
    outcome: str = "nps"
    responses: int = Field(description="NPS answers in the model.")
    customers: int = Field(description="Distinct customers answering (the clusters).")
    lookback_days: int
    bad_events: list[str] = Field(description="Event names counted as a bad experience.")
    r2: float | None = None
    touchpoints: list[MomentOfTruth] = Field(default_factory=list)


class JourneyReport(BaseModel):
    """Journeys across touchpoints, drop-off, time between steps, satisfaction and moments of
    truth, from events and feedback."""

    since: date | None = None
    gap_days: float = Field(description="Days without a touchpoint that end a journey.")
    max_steps: int = Field(description="Steps shown in paths and the Sankey chart.")
    journeys: int = Field(description="Journeys in the period.")
    customers: int = Field(description="Customers with at least one journey.")
    paths: list[JourneyPath] = Field(default_factory=list)
    nodes: list[JourneyNode] = Field(default_factory=list)
    links: list[JourneyLink] = Field(default_factory=list)
    transitions: list[StepTransition] = Field(default_factory=list)
    drop_off: list[TouchpointDropOff] = Field(default_factory=list)
    satisfaction: list[TouchpointSatisfaction] = Field(default_factory=list)
    moments_of_truth: MomentsOfTruth
