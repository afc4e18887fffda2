"""The analysis table of key-driver analysis: one row per customer, an outcome and the drivers.

Built in the warehouse with Ibis (the functions named ``*_expr`` only *build* expressions;
:func:`analysis_table` runs them), except survey answers, which are JSON text parsed here as
:mod:`cxloop.understand.perception_gap.answers` does.

Outcomes (per customer, from resolved ``feedback`` and ``orders``):

- ``nps``, ``csat``, ``ces``: the mean of the customer's scores.
- ``churn``: 1 when the customer's last order is more than ``churn_days`` before the latest
  order in the warehouse, among customers whose first order is at least that old (the others
  have not had the time to leave); a linear probability model (see :mod:`.report`).

Drivers (named ``kind:id``, the names ``--drivers`` takes):

- ``touchpoint:<tp>``: the customer's mean CSAT at touchpoint ``tp`` (feedback with a CSAT).
- ``theme:<theme>``: 1 when any of the customer's analysed feedback mentions the theme, else 0
  (customers with no analysed feedback count 0).
- ``rating:<survey>.<question>``: the customer's mean answer to a ``rating`` or ``statement``
  question of a customer survey (complete responses only).

A customer without a value for a touchpoint or rating driver (never rated it) gets the
driver's mean (mean imputation), so every customer with the outcome stays in the analysis;
each driver reports how many customers it was observed for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

OUTCOMES = ("nps", "csat", "ces", "churn")
KINDS = ("rating", "theme", "touchpoint")
DEFAULT_CHURN_DAYS = 180
RATING_TYPES = ("rating", "statement")


@dataclass(frozen=True)
class DriverInfo:
    """What the analysis needs to know about one driver besides its column."""

    name: str
    kind: str
    label: str
    scale: tuple[float, float] = (1.0, 5.0)
    theme_mentions: int = 0
    theme_negative: int = 0


@dataclass
class AnalysisTable:
    """One row per customer with the outcome; ``frame`` holds ``customer_id``, ``outcome``
    and one column per driver (NaN where the customer has no value)."""

    outcome: str
    frame: pd.DataFrame
    drivers: dict[str, DriverInfo] = field(default_factory=dict)


def outcome_expr(wh: Warehouse, outcome: str, churn_days: int = DEFAULT_CHURN_DAYS) -> ir.Table:
    """``customer_id``, ``outcome``: one row per customer with the outcome observed."""
    if outcome == "churn":
        orders = wh.table("orders").filter(lambda t: t.customer_id.notnull())
        latest = orders.ts.max().as_scalar()
        cutoff = latest - ibis.interval(days=churn_days)
        spans = orders.group_by("customer_id").aggregate(
            first=orders.ts.min(), last=orders.ts.max()
        )
        spans = spans.filter(spans.first <= cutoff)
        return spans.select("customer_id", outcome=(spans.last < cutoff).cast("float64"))
    feedback = wh.table("feedback")
    scored = feedback.filter(feedback.customer_id.notnull() & feedback[outcome].notnull())
    return scored.group_by("customer_id").aggregate(outcome=scored[outcome].cast("float64").mean())


def touchpoints(wh: Warehouse) -> list[str]:
    """Touchpoints with at least one CSAT in the feedback, sorted."""
    feedback = wh.table("feedback")
    rated = feedback.filter(feedback.csat.notnull() & feedback.touchpoint.notnull())
    frame = wh.to_pandas(rated.select("touchpoint").distinct())
    return sorted(str(t) for t in frame["touchpoint"])


def touchpoint_expr(wh: Warehouse, names: Iterable[str]) -> ir.Table:
    """Per customer, the mean CSAT at each touchpoint of ``names`` (columns
    ``touchpoint:<tp>``)."""
    feedback = wh.table("feedback")
    rated = feedback.filter(feedback.customer_id.notnull() & feedback.csat.notnull())
    csat = rated.csat.cast("float64")
    return rated.group_by("customer_id").aggregate(
        **{f"touchpoint:{tp}": csat.mean(where=rated.touchpoint == tp) for tp in names}
    )


def theme_lists_expr(wh: Warehouse) -> ir.Table:
    """Analysed feedback counted per distinct theme list and negative or not."""
    insights = wh.table("feedback_insights")
    return insights.group_by(
        themes=insights.themes.cast("string").fill_null("[]"),
        negative=(insights.sentiment_label.fill_null("neutral") == "negative"),
    ).aggregate(feedback=insights.count())


def theme_counts(wh: Warehouse) -> dict[str, tuple[int, int]]:
    """theme → (pieces of feedback mentioning it, of which negative)."""
    counts: dict[str, list[int]] = {}
    for row in wh.to_pyarrow(theme_lists_expr(wh)).to_pylist():
        try:
            themes = json.loads(row["themes"])
        except (TypeError, ValueError):
            continue
        for theme in themes if isinstance(themes, list) else []:
            entry = counts.setdefault(str(theme), [0, 0])
            entry[0] += int(row["feedback"])
            entry[1] += int(row["feedback"]) if row["negative"] else 0
    return {theme: (n, negative) for theme, (n, negative) in sorted(counts.items())}


def theme_expr(wh: Warehouse, names: Iterable[str]) -> ir.Table:
    """Per customer with analysed feedback, 1/0: did any of it mention each theme (columns
    ``theme:<theme>``). The JSON list is matched as text on the theme's quoted name."""
    feedback = wh.table("feedback")
    insights = wh.table("feedback_insights")
    joined = insights.join(feedback, insights.feedback_id == feedback.feedback_id)
    joined = joined.filter(joined.customer_id.notnull())
    text = joined.themes.cast("string").fill_null("[]")
    return joined.group_by("customer_id").aggregate(
        **{
            f"theme:{theme}": text.contains(json.dumps(theme)).cast("int64").max()
            for theme in names
        }
    )


def rating_questions(wh: Warehouse) -> dict[str, DriverInfo]:
    """Rating and statement questions of customer surveys: ``rating:<survey>.<question>``."""
    surveys = wh.to_pandas(wh.table("surveys").select("survey_id", "version", "definition"))
    surveys = surveys.sort_values("version", ascending=False, na_position="last", kind="stable")
    found: dict[str, DriverInfo] = {}
    for row in surveys.itertuples(index=False):
        try:
            definition = json.loads(row.definition) if row.definition else {}
        except (TypeError, ValueError):
            continue
        if not isinstance(definition, dict):
            continue
        if str(definition.get("audience") or "customers") != "customers":
            continue
        for question in definition.get("questions") or []:
            if not isinstance(question, dict) or question.get("type") not in RATING_TYPES:
                continue
            name = f"rating:{row.survey_id}.{question.get('id')}"
            if name in found or not question.get("id"):
                continue
            scale = question.get("scale") or {}
            low, high = float(scale.get("min", 1)), float(scale.get("max", 5))
            found[name] = DriverInfo(name, "rating", _label(question.get("text"), name),
                                     scale=(low, high))  # fmt: skip
    return dict(sorted(found.items()))


def _label(text: Any, fallback: str) -> str:
    if isinstance(text, dict):
        text = text.get("en") or next(iter(text.values()), None)
    return str(text) if text else fallback


def rating_frame(wh: Warehouse, questions: dict[str, DriverInfo]) -> pd.DataFrame:
    """Per customer, the mean answer to each rating question of ``questions``."""
    columns = ["customer_id", *questions]
    if not questions:
        return pd.DataFrame(columns=columns)
    wanted: dict[str, dict[str, str]] = {}
    for name in questions:
        survey, question = name.removeprefix("rating:").split(".", 1)
        wanted.setdefault(survey, {})[question] = name
    r = wh.table("survey_responses")
    r = r.filter(r.survey_id.isin(list(wanted)) & r.customer_id.notnull())
    if "status" in r.columns:
        r = r.filter(r.status.isnull() | (r.status == "complete"))
    responses = wh.to_pandas(r.select("customer_id", "survey_id", "answers"))
    rows: list[dict[str, Any]] = []
    for row in responses.itertuples(index=False):
        try:
            answers = json.loads(row.answers) if row.answers else {}
        except (TypeError, ValueError):
            continue
        if not isinstance(answers, dict):
            continue
        for question, name in wanted[row.survey_id].items():
            value = answers.get(question)
            if isinstance(value, int | float) and not isinstance(value, bool):
                rows.append({"customer_id": row.customer_id, "name": name, "value": value})
    if not rows:
        return pd.DataFrame(columns=columns)
    long = pd.DataFrame(rows)
    wide = long.pivot_table(index="customer_id", columns="name", values="value", aggfunc="mean")
    return wide.reindex(columns=list(questions)).reset_index()


def available_drivers(wh: Warehouse) -> dict[str, DriverInfo]:
    """Every driver the warehouse can give, by name (ratings, themes, touchpoints)."""
    found = dict(rating_questions(wh))
    for theme, (mentions, negative) in theme_counts(wh).items():
        found[f"theme:{theme}"] = DriverInfo(
            f"theme:{theme}", "theme", theme, scale=(0.0, 1.0), theme_mentions=mentions,
            theme_negative=negative,
        )  # fmt: skip
    for tp in touchpoints(wh):
        found[f"touchpoint:{tp}"] = DriverInfo(f"touchpoint:{tp}", "touchpoint", tp)
    return found


def analysis_table(
    wh: Warehouse,
    outcome: str,
    drivers: dict[str, DriverInfo],
    *,
    churn_days: int = DEFAULT_CHURN_DAYS,
) -> AnalysisTable:
    """The per-customer table of ``outcome`` and ``drivers`` (see the module docstring)."""
    base = outcome_expr(wh, outcome, churn_days)
    by_kind = {kind: [d for d in drivers.values() if d.kind == kind] for kind in KINDS}
    expr = base
    parts: list[ir.Table] = []
    if by_kind["touchpoint"]:
        names = [d.name.removeprefix("touchpoint:") for d in by_kind["touchpoint"]]
        parts.append(touchpoint_expr(wh, names))
    if by_kind["theme"]:
        parts.append(theme_expr(wh, [d.name.removeprefix("theme:") for d in by_kind["theme"]]))
    for part in parts:
        expr = expr.left_join(part, expr.customer_id == part.customer_id).drop("customer_id_right")
    frame = wh.to_pandas(expr)
    if by_kind["rating"]:
        ratings = rating_frame(wh, {d.name: d for d in by_kind["rating"]})
        frame = frame.merge(ratings, on="customer_id", how="left")
    for d in by_kind["theme"]:
        frame[d.name] = frame[d.name].fillna(0)
    frame = frame.sort_values("customer_id", kind="stable").reset_index(drop=True)
    columns = ["customer_id", "outcome", *drivers]
    frame = frame.reindex(columns=columns)
    frame[list(drivers)] = frame[list(drivers)].astype(float)
    frame["outcome"] = frame["outcome"].astype(float)
    return AnalysisTable(outcome=outcome, frame=frame, drivers=dict(drivers))


def imputed(frame: pd.DataFrame, names: list[str]) -> np.ndarray:
    """The driver columns with each missing value replaced by the column's observed mean."""
    values = frame[names].to_numpy(dtype=float)
    means = np.nanmean(np.where(np.isnan(values).all(axis=0), 0.0, values), axis=0)
    return np.where(np.isnan(values), means, values)
