"""Gamma-Gamma: analytic gradient, the published CDNOW estimates, conditional spend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxloop.errors import DataError
from cxloop.understand.clv.gamma_gamma import GammaGammaModel, gamma_gamma_log_likelihood
from understand.clv.cdnow_data import (
    GAMMA_GAMMA_PAPER,
    SUMMARY_WITH_SPEND,
    needs_cdnow,
    published_precision,
)

pytestmark = needs_cdnow


@pytest.fixture(scope="module")
def spend() -> pd.DataFrame:
    return pd.read_csv(SUMMARY_WITH_SPEND)


@pytest.fixture(scope="module")
def model(spend: pd.DataFrame) -> GammaGammaModel:
    return GammaGammaModel().fit(spend["x"], spend["zbar"])


def test_gradient_matches_finite_differences(spend: pd.DataFrame) -> None:
    repeat = spend[spend["x"] > 0]
    p = np.array([4.0, 2.5, 20.0])
    _, gradient = gamma_gamma_log_likelihood(p, repeat["x"], repeat["zbar"])
    for j in range(3):
        step = 1e-6 * p[j]
        up, down = p.copy(), p.copy()
        up[j] += step
        down[j] -= step
        numeric = (
            gamma_gamma_log_likelihood(up, repeat["x"], repeat["zbar"])[0]
            - gamma_gamma_log_likelihood(down, repeat["x"], repeat["zbar"])[0]
        ) / (2 * step)
        assert gradient[j] == pytest.approx(numeric, rel=1e-5)


def test_reproduces_fader_hardie(model: GammaGammaModel) -> None:
    for name, published in GAMMA_GAMMA_PAPER.items():
        assert model.params_[name] == pytest.approx(published, abs=published_precision(published))
    assert model.customers_ == 946
    assert model.log_likelihood_ == pytest.approx(-4055.92, abs=0.01)


def test_conditional_expected_spend_of_the_first_ten(
    model: GammaGammaModel, spend: pd.DataFrame
) -> None:
    first = spend.head(10)
    expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17]
    np.testing.assert_allclose(
        model.expected_spend(first["x"], first["zbar"]), expected, atol=0.011
    )


def test_repeat_buyer_without_spend_is_an_error() -> None:
    with pytest.raises(DataError, match=r"row 2: monetary_value must be > 0"):
        GammaGammaModel().fit([1, 2, 3], [10.0, 0.0, 4.0])
