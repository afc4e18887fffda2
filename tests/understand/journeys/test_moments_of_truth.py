"""The moments-of-truth model on simulated answers with known effects, and per-touchpoint
satisfaction on a hand table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxloop.understand.journeys import fit_moments_of_truth
from cxloop.understand.journeys.satisfaction import touchpoint_satisfaction

EFFECTS = {"delivery": -2.0, "billing": -1.0, "web": 0.0}
RATES = {"delivery": 0.2, "billing": 0.15, "web": 0.1}


def _simulated(n: int = 3000, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    customers = rng.integers(0, n // 2, n)
    mood = rng.normal(0, 1, n // 2)[customers]  # answers of one customer share a mood
    nps = 7.5 + mood
    exposure = []
    for tp, effect in EFFECTS.items():
        bad = rng.random(n) < RATES[tp]
        nps = nps + effect * bad
        days = rng.integers(1, 4, n)
        exposure += [(f"f{i}", tp, int(bad[i]) * 2, int(days[i])) for i in range(n)]
    # a rare touchpoint: too few exposed answers to rank
    exposure += [(f"f{i}", "chat", 1, 1) for i in range(5)]
    answers = pd.DataFrame({
        "feedback_id": [f"f{i}" for i in range(n)], "customer_id": [f"c{c}" for c in customers],
        "survey_touchpoint": rng.choice(["delivery", "web", None], n),
        "nps": np.clip(np.rint(nps + rng.normal(0, 1.2, n)), 0, 10).astype(int),
    })  # fmt: skip
    return answers, pd.DataFrame(exposure, columns=["feedback_id", "touchpoint", "bad", "days"])


def test_known_effects_are_recovered_and_ranked() -> None:
    answers, exposure = _simulated()
    report = fit_moments_of_truth(answers, exposure, lookback_days=30, bad_events=["X"])
    by_tp = {m.touchpoint: m for m in report.touchpoints}
    for tp, effect in EFFECTS.items():
        m = by_tp[tp]
        assert m.ci_low < m.effect < m.ci_high and m.ci_high - m.ci_low < 0.8, (tp, m)
        assert m.effect == pytest.approx(effect, abs=0.3)
    assert [m.touchpoint for m in report.touchpoints[:3]] == ["delivery", "billing", "web"]
    assert [m.rank for m in report.touchpoints[:3]] == [1, 2, 3]
    assert by_tp["delivery"].p_value < 1e-6 and by_tp["web"].p_value > 0.001
    assert by_tp["delivery"].exposed == int(
        exposure[(exposure.touchpoint == "delivery") & (exposure.bad > 0)].shape[0]
    )
    chat = by_tp["chat"]
    assert chat.small_n and chat.rank is None and chat.exposed == 5
    assert report.touchpoints[-1].touchpoint == "chat"  # unranked ones come last
    assert report.responses == len(answers) and report.customers == answers.customer_id.nunique()
    assert 0 < report.r2 < 1


def test_an_effect_the_data_do_not_have_is_not_found() -> None:
    answers, exposure = _simulated(seed=11)
    rng = np.random.default_rng(3)
    answers = answers.assign(nps=rng.integers(0, 11, len(answers)))  # answers unrelated
    report = fit_moments_of_truth(answers, exposure, lookback_days=30, bad_events=["X"])
    delivery = next(m for m in report.touchpoints if m.touchpoint == "delivery")
    assert delivery.ci_low < 0 < delivery.ci_high


def test_no_answers_or_no_exposure_gives_an_empty_ranking() -> None:
    answers, exposure = _simulated(n=40)
    empty = fit_moments_of_truth(answers.iloc[:0], exposure, lookback_days=30, bad_events=[])
    assert empty.responses == 0 and empty.touchpoints == []
    none = fit_moments_of_truth(answers, exposure.iloc[:0], lookback_days=30, bad_events=[])
    assert none.responses == 40 and none.touchpoints == []
    no_bad = fit_moments_of_truth(answers, exposure.assign(bad=0), lookback_days=30, bad_events=[])
    assert all(m.effect is None and m.exposed == 0 for m in no_bad.touchpoints)


def test_satisfaction_intervals_and_order() -> None:
    rows = [
        # web: 10 answers 5,5,5,5,4,4,4,3,2,1 → mean 3.8, 7 satisfied
        {"touchpoint": "web", "n": 10, "total": 38.0, "total_sq": 162.0, "satisfied": 7},
        {"touchpoint": "billing", "n": 40, "total": 100.0, "total_sq": 290.0, "satisfied": 10},
        {"touchpoint": "empty", "n": 0, "total": 0.0, "total_sq": 0.0, "satisfied": 0},
    ]
    cells = touchpoint_satisfaction(rows, small_n=30)
    assert [c.touchpoint for c in cells] == ["billing", "web"]  # weakest first
    web = cells[1]
    assert web.mean == pytest.approx(3.8) and web.satisfied == pytest.approx(0.7)
    sd = np.std([5, 5, 5, 5, 4, 4, 4, 3, 2, 1], ddof=1)
    assert web.mean_ci_high - web.mean == pytest.approx(2.262157 * sd / np.sqrt(10), rel=1e-5)
    assert web.satisfied_ci_low == pytest.approx(0.3968, abs=1e-4)  # Wilson
    assert web.small_n and not cells[0].small_n
