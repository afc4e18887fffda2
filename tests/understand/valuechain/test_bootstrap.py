"""Bootstrap intervals: reproducible by seed, covering the estimate, immune to sign flips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxloop.errors import UsageError
from cxloop.understand.valuechain import PathModelSpec, PLSPathModel, bootstrap
from valuechain_models import ecsi_spec, mobi


def test_same_seed_same_intervals_other_seed_other_intervals() -> None:
    data = mobi()
    model = PLSPathModel(ecsi_spec(), scheme="path").fit(data)
    first = bootstrap(model, data, n=40, seed=11)
    again = bootstrap(model, data, n=40, seed=11)
    other = bootstrap(model, data, n=40, seed=12)
    pd.testing.assert_frame_equal(first.paths_low, again.paths_low)
    pd.testing.assert_series_equal(first.weights_high, again.weights_high)
    assert not np.allclose(first.paths_low.to_numpy(), other.paths_low.to_numpy())
    assert first.resamples == 40 and first.failed == 0


def test_intervals_cover_the_estimates() -> None:
    data = mobi()
    model = PLSPathModel(ecsi_spec(), scheme="centroid").fit(data)
    ci = bootstrap(model, data, n=100, seed=1)
    for source, target in model.spec.paths:
        estimate = model.path_coefficients_.loc[source, target]
        assert ci.paths_low.loc[source, target] < estimate < ci.paths_high.loc[source, target]
    # Image -> Expectation is clearly positive; Expectation -> Value is not significant
    assert ci.paths_low.loc["Image", "Expectation"] > 0.3
    assert ci.paths_low.loc["Expectation", "Value"] < 0 < ci.paths_high.loc["Expectation", "Value"]
    assert (ci.loadings_low <= model.loadings_ + 1e-12).all()
    assert ((ci.r2_low <= model.r2_) & (model.r2_ <= ci.r2_high)).all()


def test_a_construct_flipped_in_a_resample_is_flipped_back() -> None:
    """One indicator against the other: sign fixing alone cannot decide; the construct-level
    correction keeps every resample pointing the way the full sample does."""
    rng = np.random.default_rng(5)
    a = rng.normal(size=120)
    frame = pd.DataFrame({"a1": a + rng.normal(size=120), "a2": -a + rng.normal(size=120),
                          "b": 0.6 * a + rng.normal(size=120)})  # fmt: skip
    spec = PathModelSpec({"A": ["a1", "a2"], "B": ["b"]}, [("A", "B")])
    model = PLSPathModel(spec).fit(frame)
    ci = bootstrap(model, frame, n=200, seed=2)
    coef = model.path_coefficients_.loc["A", "B"]
    low, high = ci.paths_low.loc["A", "B"], ci.paths_high.loc["A", "B"]
    assert low < coef < high
    assert np.sign(low) == np.sign(high) == np.sign(coef)  # no mixture of +/- resamples


def test_too_few_resamples_is_refused() -> None:
    data = mobi()
    model = PLSPathModel(ecsi_spec()).fit(data)
    with pytest.raises(UsageError, match="--bootstrap 1"):
        bootstrap(model, data, n=1)
