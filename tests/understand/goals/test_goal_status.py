"""The status rule on hand-made period series: hit, on track, at risk, miss, not enough data."""

from __future__ import annotations

from datetime import date

import pytest

from cxloop.domain.goal import GoalStatus, StatusReason, TrendPoint
from cxloop.understand.goals import goal_status
from cxloop.understand.goals.projection import weighted_trend
from cxloop.understand.goals.status import period_end


def series(values: list[float], *, half: float = 3.0, n: int = 400) -> list[TrendPoint]:
    """Monthly points from January 2026, each with a symmetric interval of ± ``half``."""
    return [
        TrendPoint(period_start=date(2026, 1 + i, 1), value=v, n=n, ci_low=v - half,
                   ci_high=v + half)
        for i, v in enumerate(values)
    ]  # fmt: skip


def status(points: list[TrendPoint], **options):
    defaults = dict(kpi="nps", target=40.0, direction="higher", deadline=date(2026, 12, 31),
                    as_of=date(2026, 7, 15), period="month", small_n=30)  # fmt: skip
    return goal_status(points, **(defaults | options))


def test_hit_when_the_latest_interval_lies_wholly_above_the_target() -> None:
    result = status(series([30, 35, 44]))
    assert result.status is GoalStatus.HIT and result.reason is StatusReason.HIT
    assert result.latest is not None and result.latest.value == 44
    assert result.sentence.startswith("Hit:") and "41.0 to 47.0" in result.sentence


def test_an_interval_touching_the_target_is_not_yet_a_hit() -> None:
    assert status(series([30, 35, 42.9])).status is not GoalStatus.HIT
    assert status(series([30, 35, 43.0])).status is GoalStatus.HIT  # lower bound = target


def test_on_track_when_the_trend_reaches_the_target_by_the_deadline() -> None:
    result = status(series([20, 23, 26, 29, 32, 35]))  # +3 a month, 35 in June
    assert result.status is GoalStatus.ON_TRACK
    projection = result.projection
    assert projection is not None and projection.periods == 6
    # the middle of June is day 165 of the fit, 31 December day 364: +3/month → about 54.6
    assert projection.value == pytest.approx(54.6, abs=0.3)
    assert projection.slope_per_period == pytest.approx(3.0, abs=0.15)
    assert projection.ci_low < projection.value < projection.ci_high
    assert projection.probability > 0.5
    assert "weighted linear trend over 6 months" in result.sentence


def test_at_risk_when_the_trend_falls_short() -> None:
    result = status(series([30, 31, 30, 32, 31, 32]))  # flat around 31
    assert result.status is GoalStatus.AT_RISK
    assert result.projection is not None and result.projection.value < 40
    assert result.projection.probability < 0.5
    assert result.sentence.startswith("At risk:") and "below the target 40.0" in result.sentence


def test_miss_after_the_deadline_with_the_interval_wholly_below() -> None:
    result = status(series([30, 31, 32]), deadline=date(2026, 3, 31), as_of=date(2026, 4, 2))
    assert result.status is GoalStatus.MISS and result.reason is StatusReason.MISSED
    assert "whole interval is below" in result.sentence


def test_miss_after_the_deadline_when_the_interval_still_includes_the_target() -> None:
    result = status(series([30, 35, 39]), deadline=date(2026, 3, 31), as_of=date(2026, 5, 1))
    assert result.status is GoalStatus.MISS
    assert result.reason is StatusReason.MISSED_UNPROVEN and "was not shown" in result.sentence


def test_periods_after_the_deadline_do_not_count() -> None:
    points = series([30, 35, 39, 50, 55])  # hit only in April and May
    result = status(points, deadline=date(2026, 3, 31), as_of=date(2026, 6, 1))
    assert result.status is GoalStatus.MISS and result.latest.period_start == date(2026, 3, 1)


def test_small_n_in_the_latest_period_is_not_enough_data() -> None:
    points = series([30, 35, 50])
    points[-1] = points[-1].model_copy(update={"n": 12})
    result = status(points)
    assert result.status is GoalStatus.NOT_ENOUGH_DATA and result.reason is StatusReason.SMALL_N
    assert "n = 12" in result.sentence and "at least 30" in result.sentence


def test_no_observations_is_not_enough_data() -> None:
    result = status([])
    assert result.status is GoalStatus.NOT_ENOUGH_DATA and result.reason is StatusReason.NO_DATA


def test_a_trend_needs_three_periods_with_enough_observations() -> None:
    points = series([20, 30, 35])
    points[0] = points[0].model_copy(update={"n": 5})
    result = status(points)
    assert result.status is GoalStatus.NOT_ENOUGH_DATA
    assert result.reason is StatusReason.TOO_FEW_PERIODS and "2 month(s)" in result.sentence


def test_lower_is_better_turns_every_comparison_round() -> None:
    ces = dict(kpi="ces", target=3.0, direction="lower")
    assert status(series([3.6, 3.2, 2.7], half=0.2), **ces).status is GoalStatus.HIT
    falling = series([4.0, 3.8, 3.6, 3.4, 3.3, 3.2], half=0.1)
    assert status(falling, **ces).status is GoalStatus.ON_TRACK
    rising = series([3.2, 3.3, 3.4, 3.5, 3.6, 3.7], half=0.1)
    assert status(rising, **ces).status is GoalStatus.AT_RISK
    late = status(series([3.6, 3.5, 3.4], half=0.1), deadline=date(2026, 3, 31), **ces)
    assert late.status is GoalStatus.MISS and "whole interval is above" in late.sentence


def test_scatter_beyond_sampling_error_widens_the_projection() -> None:
    calm = weighted_trend([0, 30, 60, 90], [10, 12, 14, 16], [1, 1, 1, 1], 180)
    noisy = weighted_trend([0, 30, 60, 90], [10, 18, 8, 16], [1, 1, 1, 1], 180)
    assert calm.dispersion == 1.0 and noisy.dispersion > 10
    assert (noisy.interval()[1] - noisy.interval()[0]) > 3 * (
        calm.interval()[1] - calm.interval()[0]
    )


def test_a_projection_stays_inside_what_the_kpi_can_be() -> None:
    result = status(series([60, 75, 90], half=2), target=99.0, deadline=date(2027, 12, 31))
    assert result.projection is not None and result.projection.value == 100.0
    share = series([0.5, 0.7, 0.9], half=0.02)
    result = status(share, kpi="csat", target=0.99, deadline=date(2027, 12, 31))
    assert result.projection is not None and result.projection.ci_high <= 1.0


def test_period_ends() -> None:
    assert period_end(date(2026, 12, 1), "month") == date(2027, 1, 1)
    assert period_end(date(2026, 10, 1), "quarter") == date(2027, 1, 1)
    assert period_end(date(2026, 12, 28), "week") == date(2027, 1, 4)


def test_hit_by_chance_is_rare_when_the_truth_sits_on_the_target() -> None:
    """A true CSAT of exactly the target should be called "hit" only about 2.5% of the time
    (the lower bound of a 95% interval clears it), not half the time as a point estimate would."""
    import numpy as np

    from cxloop.understand.kpi.statistics import wilson_interval

    rng = np.random.default_rng(6)
    hits = 0
    runs = 4_000
    for successes in rng.binomial(400, 0.8, size=runs):
        low, high = wilson_interval(float(successes), 400)
        point = TrendPoint(period_start=date(2026, 6, 1), value=successes / 400, n=400,
                           ci_low=low, ci_high=high)  # fmt: skip
        result = status([point], kpi="csat", target=0.8, deadline=date(2026, 6, 30))
        hits += result.status is GoalStatus.HIT
    assert 0.01 < hits / runs < 0.045
