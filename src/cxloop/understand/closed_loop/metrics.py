"""The closed-loop metrics of the Scorecard: contact within SLA, time to close as a survival
curve, NPS change after resolution, and the loop's effect on retention and later NPS."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from cxloop.domain.kpi import KpiResult
from cxloop.domain.loop_metrics import CurvePoint, LoopEffect, LoopMetrics, NpsAfterResolution
from cxloop.errors import UsageError
from cxloop.understand.closed_loop.followups import detractor_followups, resolution_followups
from cxloop.understand.closed_loop.matching import (
    STRATA,
    matched_difference,
    score_band,
    value_band,
)
from cxloop.understand.kpi import kpi_definition, kpi_report
from cxloop.understand.kpi.aggregation import cell_statistics
from cxloop.understand.kpi.survival import Durations, km_curve

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

DEFAULT_SMALL_N = 30


#: the dates a window may start or end on (pandas timestamps end in 2262)
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


def _in_window(times: pd.Series, since: date | None, until: date | None) -> pd.Series:
    stamps = pd.to_datetime(times, utc=True)
    keep = pd.Series(True, index=times.index)
    if since is not None:
        keep &= stamps >= pd.Timestamp(datetime(since.year, since.month, since.day, tzinfo=UTC))
    if until is not None:
        keep &= stamps < pd.Timestamp(datetime(until.year, until.month, until.day, tzinfo=UTC))
    return keep


def _kpi_cell(wh: Warehouse, name: str, team: str | None, since: date | None,
              until: date | None, small_n: int) -> KpiResult | None:  # fmt: skip
    report = kpi_report(wh, name, by="team" if team else None, since=since, until=until,
                        small_n=small_n)  # fmt: skip
    cells = [r for r in report.results if team is None or r.group == team]
    return cells[0] if cells else None


def _curve(
    wh: Warehouse, team: str | None, since: date | None, until: date | None
) -> list[CurvePoint]:
    definition = kpi_definition("time_to_close")
    expr = cell_statistics(definition, wh.table, dimension="team" if team else None,
                           start=since, end=until)  # fmt: skip
    frame = wh.to_pandas(expr)
    if team is not None and len(frame):
        frame = frame[frame["grp"] == team]
    frame = frame.sort_values(["x", "event"])
    durations = Durations(tuple(map(float, frame["x"])), tuple(map(int, frame["event"])),
                          tuple(map(int, frame["n"])))  # fmt: skip
    return [CurvePoint(**vars(p)) for p in km_curve(durations)] if durations.n else []


def nps_after_resolution(frame: pd.DataFrame, small_n: int) -> NpsAfterResolution:
    """Paired change from the score that opened each case to the customer's next score."""
    rows = frame[frame["after"].notna()]
    n = len(rows)
    if n == 0:
        return NpsAfterResolution(n=0, small_n=True)
    before = rows["before"].to_numpy(dtype=float)
    after = rows["after"].to_numpy(dtype=float)
    change = after - before
    low = high = None
    if n >= 2:
        half = float(stats.t.ppf(0.975, n - 1)) * float(change.std(ddof=1)) / math.sqrt(n)
        low, high = float(change.mean()) - half, float(change.mean()) + half
    nps_after = 100 * (float(np.mean(after >= 9)) - float(np.mean(after <= 6)))
    return NpsAfterResolution(
        n=n, before=float(before.mean()), after=float(after.mean()),
        change=float(change.mean()), ci_low=low, ci_high=high, nps_after=nps_after,
        small_n=n < small_n,
    )  # fmt: skip


def loop_effects(frame: pd.DataFrame, small_n: int, *, seed: int = 0) -> list[LoopEffect]:
    """Retention within 90 days and later NPS of contacted vs matched not-contacted detractors.

    ``frame`` has the columns of :func:`~cxloop.understand.closed_loop.followups.
    detractor_followups`.
    """
    if frame.empty:
        data = frame.assign(**{k: pd.Series(dtype=object) for k in STRATA}, later_nps=None)
    else:
        later = frame["next_nps"].astype(float)
        data = frame.assign(
            score_band=score_band(frame["nps"]),
            value_band=value_band(frame["spend_before"]),
            month=pd.to_datetime(frame["ts"], utc=True).dt.strftime("%Y-%m"),
            touchpoint=frame["touchpoint"].fillna(""),
            team=frame["team"].fillna(""),
            retained=frame["retained"].astype(float),
            later_nps=np.where(later.isna(), np.nan,
                               np.where(later >= 9, 100.0, np.where(later <= 6, -100.0, 0.0))),
        )  # fmt: skip
    out = []
    for outcome, column in (("retention_90d", "retained"), ("later_nps", "later_nps")):
        if data.empty:
            out.append(LoopEffect(outcome=outcome, pairs=0, eligible_contacted=0,
                                  eligible_not_contacted=0, small_n=True))  # fmt: skip
            continue
        r = matched_difference(data, column, seed=seed)
        out.append(
            LoopEffect(
                outcome=outcome,
                pairs=r.pairs,
                contacted=r.treated_mean,
                not_contacted=r.control_mean,
                difference=r.difference,
                ci_low=r.ci_low,
                ci_high=r.ci_high,
                eligible_contacted=r.eligible_treated,
                eligible_not_contacted=r.eligible_control,
                small_n=r.pairs < small_n,
            )
        )
    return out


def loop_metrics(
    wh: Warehouse,
    *,
    team: str | None = None,
    since: date | None = None,
    until: date | None = None,
    small_n: int = DEFAULT_SMALL_N,
) -> LoopMetrics:
    """The closed-loop metrics, company-wide or for ``team``, over ``since <= ts < until``
    (detractor responses by when they were given, cases by when they were opened).

    Examples
    --------
    >>> m = loop_metrics(wh, team="delivery")  # doctest: +SKIP
    >>> m.effects[0].outcome, m.effects[0].pairs  # doctest: +SKIP
    ('retention_90d', 412)
    """
    for name, day in (("since", since), ("until", until)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise UsageError(f"{name}: {day} is outside {EARLIEST} to {LATEST}")
    detractors = wh.to_pandas(detractor_followups(wh.table))
    resolved = wh.to_pandas(resolution_followups(wh.table))
    if team is not None:
        detractors = detractors[detractors["team"] == team]
        resolved = resolved[resolved["team"] == team]
    detractors = detractors[_in_window(detractors["ts"], since, until)]
    resolved = resolved[_in_window(resolved["opened_at"], since, until)]
    return LoopMetrics(
        team=team, since=since, until=until,
        contact_within_sla=_kpi_cell(wh, "closed_loop_rate", team, since, until, small_n),
        time_to_close=_kpi_cell(wh, "time_to_close", team, since, until, small_n),
        curve=_curve(wh, team, since, until),
        nps_after_resolution=nps_after_resolution(resolved, small_n),
        effects=loop_effects(detractors.reset_index(drop=True), small_n),
        matched_on=list(STRATA), small_n_threshold=small_n,
    )  # fmt: skip
