"""Run the journey analysis over a warehouse: steps, paths, flows, time between steps,
drop-off, satisfaction and moments of truth, in one :class:`~cxloop.domain.journey.JourneyReport`.

The journey steps are computed once in the warehouse, fetched (one row per step), and the
aggregates run over them as an Ibis memtable on the same backend. With a ``cache`` (a dict the
caller keeps, one per server) a report is reused while its options and the row counts of
``events`` and ``feedback`` stay the same (tables only grow, so new data change a count).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import ibis

from cxloop.config import DEFAULT_JOURNEY_BAD_EVENTS
from cxloop.domain.journey import (
    JourneyLink,
    JourneyNode,
    JourneyPath,
    JourneyReport,
    StepTransition,
    TouchpointDropOff,
)
from cxloop.errors import UsageError
from cxloop.understand.journeys import flows
from cxloop.understand.journeys.moments import fit_moments_of_truth, nps_answers, window_exposure
from cxloop.understand.journeys.satisfaction import csat_sums, touchpoint_satisfaction
from cxloop.understand.journeys.steps import day_start, journey_steps, touchpoint_visits

if TYPE_CHECKING:
    from cxloop.config import Settings
    from cxloop.storage import Warehouse

DEFAULT_BAD_EVENTS = DEFAULT_JOURNEY_BAD_EVENTS
ReportCache = dict[tuple[Any, ...], JourneyReport]
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 8
HOUR_COLUMNS = ("median_hours", "q1_hours", "q3_hours")


@dataclass(frozen=True)
class JourneyOptions:
    """What a journey report covers and how journeys are cut.

    ``gap_days``: days without a visit that end a journey; ``max_steps``: steps shown in paths
    and the Sankey chart; ``top``: paths listed; ``lookback_days`` and ``bad_events``: the
    moments-of-truth window and what counts as a bad experience; ``small_n``: fewer exposed
    answers (or CSAT answers) than this are flagged and not ranked.
    """

    since: date | None = None
    until: date | None = None
    gap_days: float = 7.0
    max_steps: int = 5
    top: int = 10
    lookback_days: int = 30
    bad_events: tuple[str, ...] = field(default=DEFAULT_BAD_EVENTS)
    small_n: int = 30

    def __post_init__(self) -> None:
        checks = (
            (self.gap_days > 0, "gap_days", "more than 0"),
            (2 <= self.max_steps <= 12, "max_steps", "between 2 and 12"),
            (self.top >= 1, "top", "at least 1"),
            (self.lookback_days >= 1, "lookback_days", "at least 1"),
        )
        for ok, name, expected in checks:
            if not ok:
                raise UsageError(f"journeys: {name} must be {expected}, got {getattr(self, name)}")
        if self.since and self.until and self.until <= self.since:
            raise UsageError("journeys: until must be after since")

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> JourneyOptions:
        """Options from the ``journey_*`` settings (and ``kpi_small_n``), with overrides."""
        values: dict[str, Any] = {
            "gap_days": settings.journey_gap_days,
            "lookback_days": settings.journey_lookback_days,
            "bad_events": tuple(settings.journey_bad_events),
            "small_n": settings.kpi_small_n,
        }
        values |= {k: v for k, v in overrides.items() if v is not None}
        return cls(**values)


def _records(wh: Warehouse, expr: Any) -> list[dict[str, Any]]:
    return wh.to_pandas(expr).to_dict("records")  # type: ignore[no-any-return]


def _hours(value: Any) -> float | None:
    return None if value is None or value != value else round(float(value), 3)


def _journey_flows(wh: Warehouse, options: JourneyOptions) -> dict[str, Any]:
    visits = touchpoint_visits(
        wh.table("events"), wh.table("feedback"), since=options.since, until=options.until
    )
    steps = journey_steps(visits, gap_seconds=options.gap_days * 86_400)
    fetched = ibis.memtable(wh.to_pyarrow(steps))
    totals = _records(wh, flows.journey_totals(fetched))
    journeys = int(totals[0]["journeys"]) if totals else 0
    customers = int(totals[0]["customers"]) if totals else 0
    max_steps = options.max_steps
    paths = [
        JourneyPath(
            steps=str(r["path"] or "").split(flows.PATH_SEPARATOR),
            continues=bool(r["continues"]),
            journeys=int(r["journeys"]),
            share=int(r["journeys"]) / journeys,
        )
        for r in _records(wh, flows.common_paths(fetched, max_steps=max_steps, top=options.top))
    ]
    nodes = [
        JourneyNode.model_validate(r | {"drop_off": int(r["ended"]) / int(r["journeys"])})
        for r in _records(wh, flows.step_nodes(fetched, max_steps=max_steps))
    ]
    links = [
        JourneyLink.model_validate(r)
        for r in _records(wh, flows.step_links(fetched, max_steps=max_steps))
    ]
    transitions = [
        StepTransition.model_validate(r | {k: _hours(r[k]) for k in HOUR_COLUMNS})
        for r in _records(wh, flows.step_transitions(fetched))
    ]
    ends = [
        TouchpointDropOff.model_validate(
            r
            | {
                "exit_rate": int(r["ended"]) / int(r["visits"]),
                "share_of_ends": int(r["ended"]) / journeys if journeys else 0.0,
            }
        )
        for r in _records(wh, flows.touchpoint_ends(fetched))
    ]
    nodes.sort(key=lambda n: (n.step, -n.journeys, n.touchpoint))
    links.sort(key=lambda k: (k.step, -k.journeys, k.source, k.target))
    transitions.sort(key=lambda t: (-t.journeys, t.source, t.target))
    ends.sort(key=lambda d: (-d.ended, d.touchpoint))
    return {
        "journeys": journeys, "customers": customers, "paths": paths, "nodes": nodes,
        "links": links, "transitions": transitions, "drop_off": ends,
    }  # fmt: skip


def _feedback_in(wh: Warehouse, options: JourneyOptions) -> Any:
    feedback = wh.table("feedback")
    if options.since is not None:
        feedback = feedback.filter(feedback.ts.cast("timestamp") >= day_start(options.since))
    if options.until is not None:
        feedback = feedback.filter(feedback.ts.cast("timestamp") < day_start(options.until))
    return feedback


def build_journey_report(wh: Warehouse, options: JourneyOptions) -> JourneyReport:
    """The journey report of ``wh`` under ``options`` (no caching)."""
    found = _journey_flows(wh, options)
    satisfaction = touchpoint_satisfaction(
        _records(wh, csat_sums(_feedback_in(wh, options))), small_n=options.small_n
    )
    answers_expr = nps_answers(wh.table("feedback"), since=options.since, until=options.until)
    answers = wh.to_pandas(answers_expr)
    exposure = wh.to_pandas(window_exposure(
        answers_expr, wh.table("events"), lookback_days=options.lookback_days,
        bad_events=options.bad_events,
    ))  # fmt: skip
    moments = fit_moments_of_truth(
        answers, exposure, lookback_days=options.lookback_days,
        bad_events=options.bad_events, small_n=options.small_n,
    )  # fmt: skip
    return JourneyReport(
        since=options.since, gap_days=options.gap_days, max_steps=options.max_steps,
        satisfaction=satisfaction, moments_of_truth=moments, **found,
    )  # fmt: skip


def journey_report(
    wh: Warehouse, options: JourneyOptions, *, cache: ReportCache | None = None
) -> JourneyReport:
    """The journey report, reused from ``cache`` while the options and the row counts of
    ``events`` and ``feedback`` stay the same.

    Examples
    --------
    >>> report = journey_report(wh, JourneyOptions(top=5))  # doctest: +SKIP
    >>> report.paths[0].steps  # doctest: +SKIP
    ['app']
    """
    if cache is None:
        return build_journey_report(wh, options)
    counts = wh.counts()
    key = (wh.url, options, counts["events"], counts["feedback"])
    with _CACHE_LOCK:
        found = cache.get(key)
    if found is None:
        found = build_journey_report(wh, options)
        with _CACHE_LOCK:
            while len(cache) >= _CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[key] = found
    return found


def journey_options(
    settings: Settings,
    *,
    since: date | None = None,
    top: int | None = None,
    bad_events: Sequence[str] | None = None,
) -> JourneyOptions:
    """Options from settings with the caller's ``since``, ``top`` and ``bad_events``."""
    return JourneyOptions.from_settings(
        settings, since=since, top=top, bad_events=tuple(bad_events) if bad_events else None
    )
