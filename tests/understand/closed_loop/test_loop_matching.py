"""The matched comparison recovers a planted effect of contacting on a synthetic table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxloop.understand.closed_loop.matching import matched_difference, score_band, value_band


def _planted(n: int = 6000, effect: float = 0.12, seed: int = 3) -> pd.DataFrame:
    """Detractors whose chance of being contacted AND of buying again both depend on the team
    and the score band (confounding), plus a planted +``effect`` on buying for the contacted."""
    rng = np.random.default_rng(seed)
    team = rng.choice(["a", "b", "c"], n)
    band = rng.choice(["0-3", "4-6"], n)
    base = 0.2 + 0.25 * (team == "a") + 0.15 * (band == "4-6")
    p_contact = 0.2 + 0.6 * (team == "a")  # team a calls back more, and its customers buy more
    contacted = (rng.random(n) < p_contact).astype(int)
    retained = (rng.random(n) < base + effect * contacted).astype(float)
    return pd.DataFrame({"team": team, "score_band": band, "contacted": contacted,
                         "retained": retained})  # fmt: skip


def test_matching_recovers_a_planted_effect_that_the_raw_difference_overstates() -> None:
    frame = _planted()
    raw = (frame[frame.contacted == 1].retained.mean()
           - frame[frame.contacted == 0].retained.mean())  # fmt: skip
    r = matched_difference(frame, "retained", strata=("team", "score_band"))
    assert raw > 0.2  # confounded: team a is both called more and buys more
    assert r.ci_low is not None and r.ci_high is not None
    assert r.ci_low < 0.12 < r.ci_high
    assert abs((r.difference or 0) - 0.12) < 0.05
    assert r.pairs > 1000 and r.eligible_treated + r.eligible_control == len(frame)


def test_no_effect_gives_an_interval_around_zero() -> None:
    r = matched_difference(_planted(effect=0.0), "retained", strata=("team", "score_band"))
    assert r.ci_low is not None and r.ci_high is not None
    assert r.ci_low < 0 < r.ci_high


def test_pairs_are_made_only_within_a_stratum_by_hand() -> None:
    frame = pd.DataFrame({
        "contacted": [1, 1, 0, 1, 0, 0, 1],
        "y":         [1, 1, 0, 0, 1, 1, None],
        "g":         ["a", "a", "a", "b", "b", "c", "c"],
    })  # fmt: skip
    r = matched_difference(frame, "y", strata=("g",))
    # a: two contacted (1, 1) vs one not (0) → one pair, difference 1; b: 0 vs 1 → −1;
    # c: the contacted one has no outcome, so no pair
    assert r.pairs == 2 and r.difference == pytest.approx(0.0)
    assert (r.treated_mean, r.control_mean) == (pytest.approx(0.5), pytest.approx(0.5))
    assert (r.eligible_treated, r.eligible_control) == (3, 3)


def test_no_pairs_when_nobody_is_comparable() -> None:
    frame = pd.DataFrame({"contacted": [1, 0], "y": [1.0, 0.0], "g": ["a", "b"]})
    r = matched_difference(frame, "y", strata=("g",))
    assert (r.pairs, r.difference, r.ci_low) == (0, None, None)


def test_bands() -> None:
    assert list(score_band(pd.Series([0, 3, 4, 6]))) == ["0-3", "0-3", "4-6", "4-6"]
    assert list(value_band(pd.Series([0.0, None, 10.0, 20.0, 30.0]))) == [
        "none",
        "none",
        "low",
        "low",
        "high",
    ]
