"""Why a customer is at risk: the top feature contributions, as phrases.

The attribution is a reference substitution, cheap and easy to read: for each group of
features (recency; orders in the windows; NPS latest, mean and detractor flag; …) the
customer's risk is predicted again with that group set to its reference value (the median of
the training rows), and the group's impact is the risk minus that counterfactual risk. A
positive impact says "this raises the risk above a typical customer's". The groups with the
largest positive impacts (at least :data:`MIN_IMPACT`) become the reasons. A group the customer
has no value for (no NPS answered) gives no reason. Cost: one prediction per group and
customer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxloop.domain.churn import ChurnReason
from cxloop.understand.churn.features import FEATURES
from cxloop.understand.churn.model import ChurnModel

#: the smallest impact (probability points) that counts as a reason
MIN_IMPACT = 0.01
#: reasons kept per customer
TOP_REASONS = 3


def reference_values(frame: pd.DataFrame, features: Sequence[str]) -> dict[str, float]:
    """The median of each feature over ``frame`` (the training rows), missing values aside."""
    medians = frame.loc[:, list(features)].median(skipna=True)
    return {name: float(value) for name, value in medians.items() if pd.notna(value)}


def feature_groups(features: Sequence[str]) -> dict[str, list[str]]:
    """The model's features by reason group, in the order of :data:`FEATURES`."""
    groups: dict[str, list[str]] = {}
    for name in features:
        groups.setdefault(FEATURES[name].group, []).append(name)
    return groups


def reason_impacts(
    model: ChurnModel, frame: pd.DataFrame, reference: dict[str, float]
) -> pd.DataFrame:
    """Per customer (rows of ``frame``) and group (columns): risk minus the risk with the
    group at its reference. Groups the customer has no value for are NaN."""
    risk = model.predict_risk(frame)
    out = {}
    for group, names in feature_groups(model.used_features).items():
        names = [n for n in names if n in reference]
        if not names:
            continue
        changed = frame.copy()
        for name in names:
            changed[name] = reference[name]
        impact = risk - model.predict_risk(changed)
        present = frame[names].notna().any(axis=1).to_numpy()
        out[group] = np.where(present, impact, np.nan)
    return pd.DataFrame(out, index=frame.index)


def top_reasons(frame: pd.DataFrame, impacts: pd.DataFrame) -> list[list[ChurnReason]]:
    """The :data:`TOP_REASONS` largest positive impacts of each customer, as phrases."""
    reasons = []
    values = impacts.to_numpy(dtype=float)
    groups = list(impacts.columns)
    for i, (_, row) in enumerate(frame.iterrows()):
        found = [(values[i, j], groups[j]) for j in range(len(groups))
                 if np.isfinite(values[i, j]) and values[i, j] >= MIN_IMPACT]  # fmt: skip
        found.sort(key=lambda pair: -pair[0])
        reasons.append(
            [
                ChurnReason(
                    feature=group,
                    text=reason_text(group, row),
                    impact=round(impact, 4),
                    numbers=reason_numbers(group, row),
                )
                for impact, group in found[:TOP_REASONS]
            ]
        )
    return reasons


def _count(n: float, one: str, many: str) -> str:
    k = round(n)
    return f"{k} {one if k == 1 else many}"


def reason_text(group: str, row: pd.Series) -> str:
    """A phrase that states the customer's value of ``group``, e.g. "no order for 140 days"."""
    if group == "recency":
        return f"no order for {int(row['days_since_last_order'])} days"
    if group == "frequency":
        for n in (30, 90, 365):
            if row.get(f"orders_{n}d", 0) > 0:
                return f"{_count(row[f'orders_{n}d'], 'order', 'orders')} in the last {n} days"
        return "no order in the last 365 days"
    if group == "revenue":
        return f"revenue of {row['revenue_365d']:,.2f} in the last 365 days"
    if group == "tenure":
        return f"first order {int(row['tenure_days'])} days ago"
    if group == "activity":
        if row.get("events_30d", 0) == 0:
            return "no visits or other events in the last 30 days"
        return f"{_count(row['events_90d'], 'event', 'events')} in the last 90 days"
    if group in ("nps", "csat", "ces"):
        last = row.get(f"{group}_last")
        if pd.notna(last):
            return f"last {group.upper()} {int(last)}"
        return f"mean {group.upper()} {row[f'{group}_mean']:.1f}"
    if group == "responses":
        return _count(row["responses"], "piece of feedback", "pieces of feedback")
    if group == "negative":
        return f"{row['negative_share']:.0%} of comments negative"
    if group == "alive":
        return f"probability still active {row['probability_alive']:.0%}"
    if f"theme_{group}" in row.index:
        return f"{_count(row[f'theme_{group}'], 'comment', 'comments')} about {group}"
    return group


def reason_numbers(group: str, row: pd.Series) -> dict[str, float]:
    """The numbers :func:`reason_text` states for ``group`` (days, orders, window, score…),
    so that a page can say the same in another language."""
    if group == "recency":
        return {"days": float(int(row["days_since_last_order"]))}
    if group == "frequency":
        for n in (30, 90, 365):
            if row.get(f"orders_{n}d", 0) > 0:
                return {"orders": float(round(row[f"orders_{n}d"])), "window": float(n)}
        return {"orders": 0.0, "window": 365.0}
    if group == "revenue":
        return {"revenue": round(float(row["revenue_365d"]), 2)}
    if group == "tenure":
        return {"days": float(int(row["tenure_days"]))}
    if group == "activity":
        return {"events_30d": float(row["events_30d"]), "events_90d": float(row["events_90d"])}
    if group in ("nps", "csat", "ces"):
        last = row.get(f"{group}_last")
        if pd.notna(last):
            return {"last": float(last)}
        return {"mean": round(float(row[f"{group}_mean"]), 1)}
    if group == "responses":
        return {"responses": float(row["responses"])}
    if group == "negative":
        return {"share": float(row["negative_share"])}
    if group == "alive":
        return {"probability": float(row["probability_alive"])}
    if f"theme_{group}" in row.index:
        return {"comments": float(row[f"theme_{group}"])}
    return {}
