"""The records the probabilistic model learns from: all of them, or a random sample when
there are many.

m and u probabilities are proportions (how often a level occurs among matching / non-matching
pairs), and so is the chance that two random records match: a uniform sample of records keeps
each pair with the same probability, matching or not, so all three estimates stay unbiased
while the pairs that training blocks on shrink with the square of the sample. A quarter of a
million records give tens of thousands of matching pairs, plenty for EM.
"""

from __future__ import annotations

import pandas as pd


def training_sample(frame: pd.DataFrame, max_records: int, seed: int) -> pd.DataFrame:
    """``frame`` itself when it has at most ``max_records`` rows, else a uniform random sample
    of ``max_records`` rows in their original order (the same for the same ``seed``).

    Examples
    --------
    >>> frame = pd.DataFrame({"unique_id": [f"r{i}" for i in range(10)]})
    >>> training_sample(frame, 4, seed=1)["unique_id"].tolist()
    ['r2', 'r4', 'r6', 'r9']
    """
    if len(frame) <= max_records:
        return frame
    return frame.sample(n=max_records, random_state=seed).sort_index()
