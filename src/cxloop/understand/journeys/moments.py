"""Moments of truth: how much a bad experience at each touchpoint lowers the NPS answers that
follow it.

The model (docs/journeys.md says more): one row per NPS answer ``r`` of customer ``c`` at time
``t``, regressed by OLS::

    nps_r = α + Σ_tp β_tp · bad_tp,r + Σ_tp γ_tp · log(1 + days_tp,r) + δ_survey(r) + ε_r

- ``bad_tp,r`` = 1 when ``c`` had a bad-experience event (the ``journey_bad_events`` setting:
  ``Delivery Late``, ``Payment Failed``, …) at ``tp`` in the ``lookback`` before ``t``;
- ``days_tp,r`` = the days ``c`` visited ``tp`` in that window (exposure: a customer with
  many deliveries has more chances of a late one, and may answer differently anyway);
- ``δ_survey`` = one intercept per touchpoint the NPS answer was about.

β_tp, in points of the 0–10 answer, is the touchpoint's effect; intervals are 95% and robust
to heteroscedasticity and to the many answers of one customer (clustered by customer).
Touchpoints with fewer exposed answers than ``small_n`` are shown but not ranked.

The expressions (:func:`nps_answers`, :func:`window_exposure`) run in the warehouse; the fit
(:func:`fit_moments_of_truth`) is pure pandas and statsmodels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import ibis.expr.types as ir
import numpy as np
import pandas as pd
import statsmodels.api as sm

from cxloop.domain.journey import MomentOfTruth, MomentsOfTruth
from cxloop.understand.journeys.steps import day_start

DAY = 86_400
MODEL = (
    "OLS of each NPS answer (0-10) on a bad experience at each touchpoint in the lookback "
    "window before it, controlling for the days each touchpoint was visited in that window "
    "(log 1 + days) and for the touchpoint the answer was about; 95% intervals clustered by "
    "customer"
)
ANSWER_COLUMNS = ("feedback_id", "customer_id", "survey_touchpoint", "nps")
EXPOSURE_COLUMNS = ("feedback_id", "touchpoint", "bad", "days")


def nps_answers(
    feedback: ir.Table, *, since: date | None = None, until: date | None = None
) -> ir.Table:
    """NPS answers (0–10) of known customers: ``feedback_id``, ``customer_id``,
    ``survey_touchpoint`` (may be null), ``nps`` and ``t`` (epoch seconds)."""
    f = feedback.filter(
        feedback.nps.notnull(), feedback.nps >= 0, feedback.nps <= 10,
        feedback.customer_id.notnull(), feedback.ts.notnull(),
    )  # fmt: skip
    if since is not None:
        f = f.filter(f.ts.cast("timestamp") >= day_start(since))
    if until is not None:
        f = f.filter(f.ts.cast("timestamp") < day_start(until))
    return f.select(
        feedback_id=f.feedback_id.cast("string"),
        customer_id=f.customer_id.cast("string"),
        survey_touchpoint=f.touchpoint.cast("string"),
        nps=f.nps.cast("int64"),
        t=f.ts.cast("timestamp").epoch_seconds().cast("int64"),
    )


def window_exposure(
    answers: ir.Table, events: ir.Table, *, lookback_days: int, bad_events: Sequence[str]
) -> ir.Table:
    """Per (``feedback_id``, ``touchpoint``) with a visit in the ``lookback_days`` before the
    answer: ``bad`` (bad-experience events there, by name in any case) and ``days`` (distinct
    days with a visit)."""
    e = events.filter(events.customer_id.notnull(), events.touchpoint.notnull(),
                      events.ts.notnull())  # fmt: skip
    e = e.select(
        e_customer=e.customer_id.cast("string"),
        touchpoint=e.touchpoint.cast("string"),
        e_t=e.ts.cast("timestamp").epoch_seconds().cast("int64"),
        is_bad=e.name.lower().isin([name.lower() for name in bad_events]).cast("int64"),
    )
    a = answers.select("feedback_id", "customer_id", "t")
    window = lookback_days * DAY
    joined = a.join(e, [a.customer_id == e.e_customer, e.e_t < a.t, e.e_t >= a.t - window])
    return joined.group_by(["feedback_id", "touchpoint"]).aggregate(
        bad=joined.is_bad.sum(), days=(joined.e_t // DAY).nunique()
    )


def _design(
    answers: pd.DataFrame, exposure: pd.DataFrame
) -> tuple[pd.DataFrame, list[str], pd.Series]:
    """The regression's columns, the touchpoints with a bad-experience column, exposed counts."""
    index = pd.Index(answers["feedback_id"].astype(str), name="feedback_id")
    exposure = exposure.assign(feedback_id=exposure["feedback_id"].astype(str))
    bad = exposure.pivot_table(index="feedback_id", columns="touchpoint", values="bad",
                               aggfunc="sum", fill_value=0)  # fmt: skip
    days = exposure.pivot_table(index="feedback_id", columns="touchpoint", values="days",
                                aggfunc="sum", fill_value=0)  # fmt: skip
    bad = (bad.reindex(index).fillna(0) > 0).astype(float)
    days = np.log1p(days.reindex(index).fillna(0).astype(float))
    exposed = bad.sum().astype(int)
    tps = sorted(str(tp) for tp in exposed.index if exposed[tp] > 0)
    columns = {f"bad:{tp}": bad[tp] for tp in tps}
    columns |= {f"days:{tp}": days[tp] for tp in sorted(map(str, days.columns))}
    x = pd.DataFrame(columns, index=index)
    survey = answers["survey_touchpoint"].fillna("").astype(str).to_numpy()
    dummies = pd.get_dummies(pd.Series(survey, index=index), prefix="about", dtype=float)
    x = pd.concat([x, dummies.iloc[:, 1:]], axis=1)
    x.insert(0, "const", 1.0)
    return _independent(x), tps, exposed


def _independent(x: pd.DataFrame, tolerance: float = 1e-8) -> pd.DataFrame:
    """The columns of ``x`` in order, leaving out each one that adds nothing to the span of
    those before it (a constant, or days at a touchpoint visited only with a bad experience),
    so every estimate left is identified. Gram–Schmidt, one pass."""
    keep: list[str] = []
    basis: list[np.ndarray] = []
    for column in x.columns:
        v = x[column].to_numpy(dtype=float)
        norm = float(np.linalg.norm(v))
        if norm == 0.0:
            continue
        residual = v.copy()
        for _ in range(2):  # twice is enough for numerical orthogonality
            for q in basis:
                residual -= (q @ residual) * q
        left = float(np.linalg.norm(residual))
        if left > tolerance * norm * np.sqrt(len(v)):
            keep.append(column)
            basis.append(residual / left)
    return x[keep]


def fit_moments_of_truth(
    answers: pd.DataFrame,
    exposure: pd.DataFrame,
    *,
    lookback_days: int,
    bad_events: Sequence[str],
    small_n: int = 30,
) -> MomentsOfTruth:
    """Fit the model of the module docstring and rank the touchpoints.

    Parameters
    ----------
    answers
        :func:`nps_answers` rows: ``feedback_id``, ``customer_id``, ``survey_touchpoint``,
        ``nps``.
    exposure
        :func:`window_exposure` rows: ``feedback_id``, ``touchpoint``, ``bad``, ``days``.
    small_n
        Touchpoints with fewer exposed answers are shown, with an estimate, but not ranked.
    """
    report = MomentsOfTruth(
        model=MODEL, responses=len(answers),
        customers=int(answers["customer_id"].nunique()) if len(answers) else 0,
        lookback_days=lookback_days, bad_events=list(bad_events),
    )  # fmt: skip
    if not len(answers) or not len(exposure):
        return report
    x, tps, exposed = _design(answers, exposure)
    y = answers["nps"].astype(float).to_numpy()
    estimates: dict[str, tuple[float, float, float, float]] = {}
    clusters = pd.factorize(answers["customer_id"].astype(str))[0]
    if tps and len(y) > x.shape[1] + 1 and len(set(clusters)) > 1:
        fit = sm.OLS(y, x.to_numpy()).fit(cov_type="cluster", cov_kwds={"groups": clusters})
        names = list(x.columns)
        ci = np.asarray(fit.conf_int(0.05))
        params, pvalues = np.asarray(fit.params), np.asarray(fit.pvalues)
        for tp in tps:
            if f"bad:{tp}" not in names:
                continue
            k = names.index(f"bad:{tp}")
            estimates[tp] = (float(params[k]), float(ci[k, 0]), float(ci[k, 1]),
                             float(pvalues[k]))  # fmt: skip
        report.r2 = _finite(float(fit.rsquared))
    n = len(answers)
    rows = []
    for tp in sorted({*map(str, exposure["touchpoint"].dropna().unique())}):
        count = int(exposed.get(tp, 0))
        effect, low, high, p = estimates.get(tp, (math.nan,) * 4)
        rows.append(MomentOfTruth(
            touchpoint=tp, effect=_finite(effect), ci_low=_finite(low), ci_high=_finite(high),
            p_value=_finite(p), exposed=count, exposed_share=count / n, small_n=count < small_n,
        ))  # fmt: skip
    ranked = sorted(
        (r for r in rows if not r.small_n and r.effect is not None), key=lambda r: r.effect or 0.0
    )
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank
    rest = sorted((r for r in rows if r.rank is None), key=lambda r: (-r.exposed, r.touchpoint))
    report.touchpoints = [*ranked, *rest]
    return report


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None
