"""BG/NBD: analytic gradient, the published CDNOW estimates, Hardie's spreadsheet checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxloop.errors import DataError
from cxloop.understand.clv.bgnbd import BetaGeoModel, bgnbd_log_likelihood
from cxloop.understand.clv.simulation import simulate_bgnbd_summary
from understand.clv.cdnow_data import BGNBD_PAPER, SUMMARY, needs_cdnow, published_precision

pytestmark = needs_cdnow


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return pd.read_csv(SUMMARY)


@pytest.fixture(scope="module")
def model(summary: pd.DataFrame) -> BetaGeoModel:
    return BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])


@pytest.mark.parametrize("params", [(0.3, 5.0, 0.9, 2.0), (1.7, 0.4, 3.0, 0.6)])
def test_gradient_matches_finite_differences(summary: pd.DataFrame, params: tuple) -> None:
    p = np.array(params)
    data = (summary["frequency"], summary["recency"], summary["T"])
    _, gradient = bgnbd_log_likelihood(p, *data)
    for j in range(4):
        step = 1e-6 * p[j]
        up, down = p.copy(), p.copy()
        up[j] += step
        down[j] -= step
        numeric = (bgnbd_log_likelihood(up, *data)[0] - bgnbd_log_likelihood(down, *data)[0]) / (
            2 * step
        )
        assert gradient[j] == pytest.approx(numeric, rel=1e-5, abs=1e-4)


def test_reproduces_fader_hardie_lee(model: BetaGeoModel) -> None:
    for name, published in BGNBD_PAPER.items():
        assert model.params_[name] == pytest.approx(published, abs=published_precision(published))
    assert model.log_likelihood_ == pytest.approx(-9582.43, abs=0.01)
    assert all(0 < se < 1 for se in model.standard_errors_.values())


def test_hardie_spreadsheet_expectations(model: BetaGeoModel) -> None:
    assert float(model.expected_purchases(39, 2, 30.43, 38.86)) == pytest.approx(1.226, abs=1e-3)
    unconditional = model.unconditional_expected_purchases([0.1429, 1, 3, 31.8571, 32, 78])
    expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576]
    np.testing.assert_allclose(unconditional, expected, rtol=1e-3, atol=1e-4)


def test_probability_alive(model: BetaGeoModel) -> None:
    p = model.probability_alive([0, 5, 5], [0.0, 38.0, 5.0], [38.86, 38.86, 38.86])
    assert p[0] == 1.0
    assert 0.8 < p[1] < 1.0  # bought often and recently
    assert p[2] < 0.2  # bought often, then nothing for 34 weeks


def test_weights_equal_repeated_rows(summary: pd.DataFrame) -> None:
    counts = summary.groupby(["frequency", "recency", "T"]).size().reset_index(name="w")
    params = np.array([0.3, 4.0, 0.8, 2.5])
    full, _ = bgnbd_log_likelihood(params, summary["frequency"], summary["recency"], summary["T"])
    compressed, _ = bgnbd_log_likelihood(
        params, counts["frequency"], counts["recency"], counts["T"], counts["w"]
    )
    assert compressed == pytest.approx(full)


def test_recovers_parameters_of_simulated_customers() -> None:
    truth = {"r": 0.5, "alpha": 2.0, "a": 0.8, "b": 3.0}
    rng = np.random.default_rng(7)
    summary = simulate_bgnbd_summary(50_000, 52.0, rng=rng, **truth)
    model = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
    for name, value in truth.items():
        # within three standard errors of the truth, and the errors are small
        assert abs(model.params_[name] - value) < 3 * model.standard_errors_[name], name
        assert model.standard_errors_[name] < 0.2 * value


def test_inconsistent_summary_names_the_row() -> None:
    with pytest.raises(DataError, match="row 2: T must be ≥ recency"):
        BetaGeoModel().fit([1, 2], [3.0, 9.0], [10.0, 8.0])
    with pytest.raises(DataError, match="repeat purchase"):
        BetaGeoModel().fit([0, 0], [0.0, 0.0], [10.0, 8.0])


def test_large_summaries_in_whole_days_are_compressed_without_changing_the_likelihood(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cxloop.understand.clv import bgnbd

    rng = np.random.default_rng(3)
    n = 60_000
    summary = simulate_bgnbd_summary(
        n, rng.integers(100, 200, n).astype(float), r=0.3, alpha=20.0, a=0.8, b=2.5, rng=rng
    )
    days = (summary["frequency"], np.floor(summary["recency"]), summary["T"])
    compressed = bgnbd.BgnbdData(*days)
    assert len(compressed.x) < n // 2 and compressed.customers == n
    monkeypatch.setattr(bgnbd, "COMPRESS_ROWS", 10**9)
    full = bgnbd.BgnbdData(*days)
    assert len(full.x) == n
    params = np.array([0.3, 20.0, 0.8, 2.5])
    ll_c, grad_c = bgnbd.prepared_log_likelihood(params, compressed)
    ll_f, grad_f = bgnbd.prepared_log_likelihood(params, full)
    assert ll_c == pytest.approx(ll_f, rel=1e-12)
    np.testing.assert_allclose(grad_c, grad_f, rtol=1e-9)
