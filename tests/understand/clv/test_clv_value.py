"""CLV: the discounted monthly sum, checked against its limiting cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxloop.errors import UsageError
from cxloop.understand.clv.bgnbd import BetaGeoModel
from cxloop.understand.clv.gamma_gamma import GammaGammaModel
from cxloop.understand.clv.value import MONTH_DAYS, customer_lifetime_value, score_customers
from understand.clv.cdnow_data import SUMMARY_WITH_SPEND, needs_cdnow

pytestmark = needs_cdnow


@pytest.fixture(scope="module")
def fitted() -> tuple[pd.DataFrame, BetaGeoModel, GammaGammaModel]:
    frame = pd.read_csv(SUMMARY_WITH_SPEND).rename(
        columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"}
    )
    bgnbd = BetaGeoModel().fit(frame["frequency"], frame["recency"], frame["T"])
    return frame, bgnbd, GammaGammaModel().fit(frame["frequency"], frame["monetary_value"])


def test_undiscounted_clv_is_spend_times_expected_purchases(fitted) -> None:
    frame, bgnbd, gg = fitted
    spend = gg.expected_spend(frame["frequency"], frame["monetary_value"])
    clv = customer_lifetime_value(
        bgnbd, spend, frame["frequency"], frame["recency"], frame["T"],
        horizon_months=12, discount_rate=0.0, time_unit="W",
    )  # fmt: skip
    purchases = bgnbd.expected_purchases(
        12 * MONTH_DAYS / 7, frame["frequency"], frame["recency"], frame["T"]
    )
    np.testing.assert_allclose(clv, spend * purchases, rtol=1e-10)


def test_discounting_lowers_value_and_a_longer_horizon_raises_it(fitted) -> None:
    frame, bgnbd, gg = fitted
    args = (frame["frequency"], frame["recency"], frame["T"])
    spend = gg.expected_spend(frame["frequency"], frame["monetary_value"])
    plain = customer_lifetime_value(bgnbd, spend, *args, discount_rate=0.0, time_unit="W")
    discounted = customer_lifetime_value(bgnbd, spend, *args, discount_rate=0.01, time_unit="W")
    longer = customer_lifetime_value(
        bgnbd, spend, *args, horizon_months=24, discount_rate=0.01, time_unit="W"
    )
    assert (discounted < plain).all() and (discounted > plain / 1.01**12).all()
    assert (longer > discounted).all()


def test_score_customers_columns_and_ranks(fitted) -> None:
    frame, bgnbd, gg = fitted
    scores = score_customers(frame, bgnbd, gg, time_unit="W")
    assert list(scores.columns) == [
        "expected_purchases", "probability_alive", "expected_spend", "clv"
    ]  # fmt: skip
    assert scores["probability_alive"].between(0, 1).all()
    # customer 6 (7 repeats, $73.74) is worth more than customer 2 (1 repeat, $11.77)
    assert scores.loc[5, "clv"] > 5 * scores.loc[1, "clv"]


def test_bad_options_are_usage_errors(fitted) -> None:
    frame, bgnbd, gg = fitted
    with pytest.raises(UsageError, match="--horizon-months"):
        score_customers(frame, bgnbd, gg, horizon_months=0)
    with pytest.raises(UsageError, match="--discount-rate"):
        score_customers(frame, bgnbd, gg, discount_rate=1.5)
