from __future__ import annotations

import pandas as pd

from cxloop.unify.sampling import training_sample


def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": [f"r{i}" for i in range(n)], "x": range(n)})


def test_a_small_frame_is_used_whole() -> None:
    records = frame(50)
    assert training_sample(records, 50, seed=1) is records


def test_a_large_frame_is_sampled_reproducibly_in_order() -> None:
    records = frame(10_000)
    sample = training_sample(records, 1_000, seed=3)
    assert len(sample) == 1_000 and sample["unique_id"].is_unique
    assert sample.index.is_monotonic_increasing
    assert sample.equals(training_sample(records, 1_000, seed=3))
    assert not sample.equals(training_sample(records, 1_000, seed=4))
    # uniform: the sample's mean position is near the middle
    assert abs(sample["x"].mean() - 5_000) < 500
