"""The loop's effect: contacted detractors against comparable detractors who were not contacted.

Exact (coarsened) matching: detractors are put into strata by what was known before anyone
called them — score band (0–3, 4–6), touchpoint, team, value band (their spend in the year
before the answer: none, or below / above the median of those who spent) and month. In each
stratum, contacted and not-contacted detractors are paired one to one at random (a fixed seed,
so the same data give the same pairs); a stratum without both kinds adds nothing. The effect is
the mean over pairs of (contacted − not contacted), with a paired t interval.

This is an observational comparison, not an experiment: it removes differences in the matched
characteristics, not in anything else that decided who was contacted (a customer who cannot be
reached, an agent's judgement).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

#: the columns that define a stratum, in the order the docs list them
STRATA = ("score_band", "touchpoint", "team", "value_band", "month")


@dataclass(frozen=True)
class MatchedDifference:
    """What :func:`matched_difference` found."""

    pairs: int
    treated_mean: float | None
    control_mean: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    eligible_treated: int
    eligible_control: int


def score_band(nps: pd.Series) -> pd.Series:
    """0–3 "angry" and 4–6 "unhappy": the two kinds of detractor."""
    return np.where(nps.astype(float) <= 3, "0-3", "4-6")  # type: ignore[return-value]


def value_band(spend: pd.Series) -> pd.Series:
    """ "none" for no spend, else "low" / "high" around the median of those who spent."""
    spend = spend.fillna(0).astype(float)
    positive = spend[spend > 0]
    median = float(positive.median()) if len(positive) else 0.0
    bands = np.where(spend <= 0, "none", np.where(spend <= median, "low", "high"))
    return pd.Series(bands, index=spend.index)


def matched_difference(
    frame: pd.DataFrame,
    outcome: str,
    *,
    treatment: str = "contacted",
    strata: tuple[str, ...] = STRATA,
    seed: int = 0,
) -> MatchedDifference:
    """Pair treated and control rows 1:1 within exact strata and compare ``outcome``.

    Rows with a missing outcome are left out first. Returns the number of pairs, the mean
    outcome of each half, their mean paired difference and its 95% t interval.

    Examples
    --------
    >>> f = pd.DataFrame({"contacted": [1, 0, 1, 0], "y": [1.0, 0.0, 1.0, 1.0],
    ...                   "g": ["a", "a", "b", "b"]})
    >>> r = matched_difference(f, "y", strata=("g",))
    >>> r.pairs, r.difference
    (2, 0.5)
    """
    rows = frame[frame[outcome].notna()]
    treated_all = rows[rows[treatment].astype(bool)]
    control_all = rows[~rows[treatment].astype(bool)]
    rng = np.random.default_rng(seed)
    diffs: list[float] = []
    treated_values: list[float] = []
    control_values: list[float] = []
    key = list(strata)
    control_groups = {k: g for k, g in control_all.groupby(key, sort=True, dropna=False)}
    for k, treated in treated_all.groupby(key, sort=True, dropna=False):
        control = control_groups.get(k)
        if control is None or control.empty:
            continue
        m = min(len(treated), len(control))
        t = treated[outcome].to_numpy(dtype=float)[rng.permutation(len(treated))[:m]]
        c = control[outcome].to_numpy(dtype=float)[rng.permutation(len(control))[:m]]
        treated_values.extend(t)
        control_values.extend(c)
        diffs.extend(t - c)
    n = len(diffs)
    if n == 0:
        return MatchedDifference(0, None, None, None, None, None, len(treated_all),
                                 len(control_all))  # fmt: skip
    d = np.asarray(diffs)
    mean = float(d.mean())
    low = high = None
    if n >= 2:
        sd = float(d.std(ddof=1))
        half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
        low, high = mean - half, mean + half
    return MatchedDifference(
        pairs=n, treated_mean=float(np.mean(treated_values)),
        control_mean=float(np.mean(control_values)), difference=mean, ci_low=low, ci_high=high,
        eligible_treated=len(treated_all), eligible_control=len(control_all),
    )  # fmt: skip
