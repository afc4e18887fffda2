"""The fields and functions a segment rule can use, and the per-customer feature table.

A rule names fields (``nps``, ``orders_90d``, ``language``) and calls functions
(``events("Referral Sent", 365)``); :func:`feature_table` builds one row per customer with
exactly the columns the rule needs, joining only the sources those columns come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir

from cxloop.understand.segments import behaviour as b
from cxloop.understand.segments.ladder import ladder_rungs
from cxloop.understand.segments.lifecycle import lifecycle_stages
from cxloop.understand.segments.options import SegmentOptions
from cxloop.understand.segments.rfm import rfm_scores

FieldType = Literal["number", "string", "timestamp"]
Source = Literal[
    "profile",
    "orders",
    "latest",
    "scores",
    "insights",
    "rfm",
    "lifecycle",
    "ladder",
    "clv",
    "churn",
]


@dataclass(frozen=True)
class FieldSpec:
    """One field of the rule language."""

    name: str
    type: FieldType
    source: Source
    description: str


_SPECS = (
    FieldSpec("customer_id", "string", "profile", "the customer's id"),
    FieldSpec("language", "string", "profile", "preferred language (ISO 639-1)"),
    FieldSpec("country", "string", "profile", "country (ISO 3166 alpha-2)"),
    FieldSpec("city", "string", "profile", "city of the golden record"),
    FieldSpec("first_seen", "timestamp", "profile", "first time seen in any source"),
    FieldSpec("last_seen", "timestamp", "profile", "last time seen in any source"),
    FieldSpec("days_since_first_seen", "number", "profile", "days from first_seen to now"),
    FieldSpec("orders_total", "number", "orders", "orders ever placed"),
    FieldSpec("revenue_total", "number", "orders", "summed order amounts, in their currency"),
    FieldSpec("days_since_last_order", "number", "orders", "days since the last order"),
    FieldSpec("days_since_first_order", "number", "orders", "days since the first order"),
    FieldSpec("nps", "number", "latest", "latest NPS answer (0–10)"),
    FieldSpec("csat", "number", "latest", "latest CSAT answer (1–5)"),
    FieldSpec("ces", "number", "latest", "latest CES answer (1–7, 7 = very easy)"),
    FieldSpec("nps_mean", "number", "scores", "mean of the NPS answers"),
    FieldSpec("csat_mean", "number", "scores", "mean of the CSAT answers"),
    FieldSpec("ces_mean", "number", "scores", "mean of the CES answers"),
    FieldSpec("feedback_count", "number", "scores", "pieces of feedback given"),
    FieldSpec("negative_share", "number", "insights", "share of analysed comments, negative"),
    FieldSpec("comments", "number", "insights", "analysed comments"),
    FieldSpec("rfm", "string", "rfm", "named RFM segment (champions, loyal, at_risk, …)"),
    FieldSpec("rfm_score", "string", "rfm", "R, F and M scores as three digits, e.g. 545"),
    FieldSpec("r_score", "number", "rfm", "recency quintile, 5 = most recent"),
    FieldSpec("f_score", "number", "rfm", "frequency quintile, 5 = most orders"),
    FieldSpec("m_score", "number", "rfm", "monetary quintile within the currency"),
    FieldSpec("lifecycle", "string", "lifecycle", "new, active, reactivated, at_risk, lapsed"),
    FieldSpec("ladder", "string", "ladder", "detractor, satisfied, loyal, advocate"),
    FieldSpec("clv", "number", "clv", "lifetime value of the latest cxloop clv score"),
    FieldSpec("probability_alive", "number", "clv", "P(alive) of the latest cxloop clv score"),
    FieldSpec("churn_risk", "number", "churn", "risk (0–1) of the latest cxloop churn score"),
)  # fmt: skip
FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in _SPECS}
#: keys ``attribute()`` may read: letters, digits and underscores (a key is part of a JSON path)
ATTRIBUTE_KEY = re.compile(r"^[A-Za-z0-9_]{1,64}$")
#: ``orders_<N>d`` and ``revenue_<N>d``: orders and revenue over the last N days
WINDOW_FIELD = re.compile(r"^(orders|revenue)_([1-9][0-9]{0,4})d$")
WINDOW_FIELDS = ("orders_<N>d", "revenue_<N>d")


@dataclass(frozen=True)
class FunctionSpec:
    """One function of the rule language: its arguments (type, required) and meaning."""

    name: str
    arguments: tuple[tuple[str, str, bool], ...]
    description: str
    returns: FieldType = "number"

    @property
    def signature(self) -> str:
        parts = [name if required else f"[{name}]" for name, _, required in self.arguments]
        return f"{self.name}({', '.join(parts)})"


FUNCTIONS: dict[str, FunctionSpec] = {
    f.name: f
    for f in (
        FunctionSpec(
            "events", (("name", "string", True), ("days", "number", False)),
            "events with this name (any case) in the last `days` days (default: ever)",
        ),
        FunctionSpec(
            "theme", (("theme", "string", True), ("days", "number", False)),
            "pieces of feedback whose analysed themes include `theme`, in the last `days` days",
        ),
        FunctionSpec("orders", (("days", "number", True),), "orders in the last `days` days"),
        FunctionSpec("revenue", (("days", "number", True),), "revenue in the last `days` days"),
        FunctionSpec(
            "attribute", (("key", "string", True),),
            "the value of `key` in the customer's attributes, as text", returns="string",
        ),
    )
}  # fmt: skip


def field_type(name: str) -> FieldType | None:
    """The type of field ``name``; None when there is no such field."""
    if name in FIELDS:
        return FIELDS[name].type
    return "number" if WINDOW_FIELD.match(name) else None


def valid_field_names() -> list[str]:
    """Every field, the window patterns among them, as an error message lists them."""
    return [*FIELDS, *WINDOW_FIELDS]


@dataclass(frozen=True)
class CallKey:
    """A function call with its (checked) arguments; ``column`` names its feature column."""

    name: str
    args: tuple[str | int, ...]
    column: str


def feature_table(
    getter: b.TableGetter,
    options: SegmentOptions,
    fields: set[str],
    calls: list[CallKey],
) -> ir.Table:
    """One row per customer (of ``customers``) with ``customer_id`` and the columns ``fields``
    and ``calls`` need. Counts and sums are 0 for customers with no rows; scores, stages and
    shares are null."""
    customers = getter("customers")
    now = b.moment(options.as_of)
    base = customers.select(
        "customer_id", "language", "country", "city", "first_seen", "last_seen",
        days_since_first_seen=b.days_between(customers.first_seen, now),
    )  # fmt: skip
    sources = {FIELDS[f].source if f in FIELDS else "orders" for f in fields}
    windows = tuple(sorted({int(m.group(2)) for f in fields if (m := WINDOW_FIELD.match(f))}))
    windows += tuple(int(c.args[0]) for c in calls if c.name in ("orders", "revenue"))
    parts: list[tuple[ir.Table, dict[str, ir.Scalar | None]]] = []
    zero = ibis.literal(0)
    if "orders" in sources or windows:
        orders = b.order_windows(getter, options.as_of, windows)
        zero_fill = {c: zero for c in orders.columns if c.startswith(("orders_", "revenue_"))}
        parts.append((orders, zero_fill))  # type: ignore[arg-type]
    if "latest" in sources:
        for score in ("nps", "csat", "ces"):
            if score in fields:
                parts.append((b.latest_score(getter, options.as_of, score), {}))
    if "scores" in sources:
        parts.append((b.score_summary(getter, options.as_of), {"feedback_count": zero}))
    if "insights" in sources:
        parts.append((b.insight_summary(getter, options.as_of), {"comments": zero}))
    if "rfm" in sources:
        rfm = rfm_scores(getter, options.as_of)
        parts.append((rfm.select("customer_id", "rfm", "rfm_score", "r_score", "f_score",
                                 "m_score"), {}))  # fmt: skip
    if "lifecycle" in sources:
        parts.append((lifecycle_stages(getter, options).select("customer_id", "lifecycle"), {}))
    if "ladder" in sources:
        parts.append((ladder_rungs(getter, options).select("customer_id", "ladder"), {}))
    if "clv" in sources:
        clv = getter("customer_clv")
        parts.append((clv.select("customer_id", "clv", "probability_alive"), {}))
    if "churn" in sources:
        churn = getter("customer_churn")
        parts.append((churn.select("customer_id", churn_risk=churn.risk), {}))
    for call in calls:
        fill = {} if FUNCTIONS[call.name].returns == "string" else {call.column: zero}
        parts.append((_call_table(getter, options, call), fill))  # type: ignore[arg-type]
    out = base
    fills: dict[str, ir.Scalar] = {}
    for part, zeros in parts:
        out = out.left_join(part, "customer_id").drop("customer_id_right")
        fills.update({k: v for k, v in zeros.items() if v is not None})
    if fills:
        out = out.mutate(**{k: out[k].fill_null(v) for k, v in fills.items()})
    return out


def _call_table(getter: b.TableGetter, options: SegmentOptions, call: CallKey) -> ir.Table:
    if call.name == "attribute":
        customers = getter("customers")
        value = customers.attributes.try_cast("json")[str(call.args[0])]
        # a text value without its quotes; a number or true/false as written
        text = ibis.coalesce(value.unwrap_as("string"), value.cast("string"))
        return customers.select("customer_id", text.name(call.column))
    if call.name in ("orders", "revenue"):
        n = int(call.args[0])
        windows = b.order_windows(getter, options.as_of, (n,))
        return windows.select("customer_id", windows[f"{call.name}_{n}d"].name(call.column))
    days = int(call.args[1]) if len(call.args) > 1 else None
    if call.name == "events":
        counted = b.event_count(getter, options.as_of, (str(call.args[0]),), days)
    else:
        counted = b.theme_count(getter, options.as_of, str(call.args[0]), days)
    return counted.select("customer_id", counted.n.name(call.column))
