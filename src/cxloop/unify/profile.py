"""Customer 360: one customer's golden record, source records, identities, summary figures and
timeline, as one pydantic model (the JSON of ``cxloop profile --json`` and of
``GET /v1/customers/{id}``).

Later stages add their own parts (insights, segments, CLV, churn risk) as new fields.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, Field

from cxloop.domain.churn import ChurnNoBasis, ChurnReason, CustomerChurn
from cxloop.domain.clv import CustomerValue
from cxloop.domain.segment import CustomerSegments
from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse
from cxloop.unify.contacts import clean_email, country_code, language_tag, phone_digits_tail
from cxloop.unify.lookup import find_customer_id
from cxloop.unify.names import fold
from cxloop.unify.timeline import (
    KIND_TABLES,
    KINDS,
    TimelineKind,
    customer_timeline_expr,
    timeline_counts_expr,
    timeline_page_expr,
)

#: timeline rows a profile carries unless asked for another number
DEFAULT_TIMELINE_LIMIT = 50
MAX_TIMELINE_LIMIT = 1_000
#: the fields of a source record that a golden record is made of, compared side by side
COMPARED_FIELDS = (
    "name", "first_name", "last_name", "email", "phone", "birth_date", "address", "city",
    "postcode", "country", "language",
)  # fmt: skip


class GoldenRecord(BaseModel):
    """The best value of each field across the customer's source records."""

    customer_id: str
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = Field(None, description="E.164.")
    birth_date: date | None = None
    address: str | None = None
    city: str | None = None
    postcode: str | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-2.")
    language: str | None = Field(None, description="BCP 47.")
    attributes: dict[str, Any] = Field(default_factory=dict)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    updated_at: datetime | None = None


class SourceRecord(BaseModel):
    """One system's record of the person, as imported."""

    record_id: str
    source: str
    source_id: str
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    address: str | None = None
    city: str | None = None
    postcode: str | None = None
    country: str | None = None
    language: str | None = None
    created_at: datetime | None = None
    imported_at: datetime | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)


class Identity(BaseModel):
    """How a source record was tied to the customer."""

    record_id: str
    source: str
    source_id: str
    method: str | None = Field(
        None,
        description="deterministic:email, deterministic:phone, collector_link, probabilistic "
        "or singleton.",
    )
    match_probability: float | None = Field(
        None, description="1 for deterministic links; the best link's for probabilistic ones."
    )
    resolved_at: datetime | None = None


class Revenue(BaseModel):
    currency: str | None
    amount: float
    orders: int


class Score(BaseModel):
    value: int
    ts: datetime | None


class ProfileSummary(BaseModel):
    """Headline figures of a customer."""

    orders: int = 0
    revenue: list[Revenue] = Field(default_factory=list, description="Per currency.")
    feedback: int = 0
    events: int = 0
    survey_responses: int = 0
    cases: int = 0
    latest_nps: Score | None = None
    latest_csat: Score | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None


class TimelineItem(BaseModel):
    """One thing that happened: an event, an order, feedback, a survey response or a case."""

    kind: TimelineKind
    item_id: str
    ts: datetime | None = None
    source: str | None = None
    title: str | None = Field(
        None,
        description="Event name, kind of feedback, survey id or case title.",
    )
    channel: str | None = None
    touchpoint: str | None = Field(None, description="For cases, the owning team.")
    amount: float | None = None
    currency: str | None = None
    status: str | None = Field(None, description="Order status, event type, case status.")
    priority: str | None = None
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    rating: float | None = None
    text: str | None = None
    language: str | None = None
    details: dict[str, Any] | None = Field(None, description="Event properties or survey answers.")


class Timeline(BaseModel):
    """A page of the timeline, newest first, and how many rows of each kind there are."""

    total: int
    counts: dict[str, int]
    limit: int
    offset: int
    items: list[TimelineItem]


class CustomerProfile(BaseModel):
    """Everything known about one customer."""

    customer_id: str
    golden_record: GoldenRecord
    source_records: list[SourceRecord]
    identities: list[Identity]
    differing_fields: list[str] = Field(
        default_factory=list,
        description="Fields on which the source records disagree (case and spacing aside).",
    )
    summary: ProfileSummary
    clv: CustomerValue | None = Field(
        None, description="Lifetime value scores of the latest `cxloop clv score`, if any."
    )
    segments: CustomerSegments | None = Field(
        default=None,
        description="Current segments, lifecycle stage, ladder rung and RFM segment (filled in "
        "by cxloop.understand.segments.customer_view; None where not asked for).",
    )
    churn: CustomerChurn | None = Field(
        None, description="Churn risk and its reasons from the latest `cxloop churn score`, if any."
    )
    churn_no_basis: ChurnNoBasis | None = Field(
        None,
        description="Set when churn was scored but not for this customer: no purchase in the "
        "model's active days up to the cutoff, so there is no basis for a risk (churn is null).",
    )
    timeline: Timeline


def customer_profile(
    warehouse: Warehouse,
    reference: str,
    *,
    timeline_limit: int = DEFAULT_TIMELINE_LIMIT,
    timeline_offset: int = 0,
) -> CustomerProfile:
    """The 360 profile of the customer that ``reference`` names.

    Parameters
    ----------
    warehouse
        The warehouse, after ``cxloop resolve``.
    reference
        A customer id, an e-mail address, or a source record as ``source:source_id``
        (see :func:`cxloop.unify.lookup.find_customer_id`).
    timeline_limit, timeline_offset
        Which page of the timeline (newest first) to include: at most ``timeline_limit``
        rows (0 to 1,000) after skipping ``timeline_offset``.

    Raises
    ------
    NotFoundError
        When no customer matches.

    Examples
    --------
    >>> profile = customer_profile(wh, "ana.ruiz@example.es", timeline_limit=10)  # doctest: +SKIP
    >>> profile.summary.orders, [item.kind for item in profile.timeline.items][:3]  # doctest: +SKIP
    (4, ['feedback', 'event', 'order'])
    """
    if not 0 <= timeline_limit <= MAX_TIMELINE_LIMIT:
        raise UsageError(f"the timeline limit must be between 0 and {MAX_TIMELINE_LIMIT:,}")
    if timeline_offset < 0:
        raise UsageError("the timeline offset cannot be negative")
    customer_id = find_customer_id(warehouse, reference)
    golden = _golden_record(warehouse, customer_id)
    identities = _identities(warehouse, customer_id)
    records = _source_records(warehouse, [i.record_id for i in identities])
    tables = {name: warehouse.table(name) for name in (*KIND_TABLES.values(), "case_events")}
    timeline = customer_timeline_expr(tables, customer_id)
    counts = {
        row["kind"]: int(row["count"])
        for row in warehouse.to_pyarrow(timeline_counts_expr(timeline)).to_pylist()
    }
    page = warehouse.to_pyarrow(timeline_page_expr(timeline, timeline_limit, timeline_offset))
    items = [_timeline_item(row) for row in page.to_pylist()]
    churn = customer_churn(warehouse, customer_id)
    return CustomerProfile(
        customer_id=customer_id,
        golden_record=golden,
        source_records=records,
        identities=identities,
        differing_fields=differing_fields(records),
        summary=_summary(warehouse, customer_id, golden, counts),
        clv=customer_value(warehouse, customer_id),
        churn=churn,
        churn_no_basis=None if churn is not None else churn_no_basis(warehouse),
        timeline=Timeline(
            total=sum(counts.values()),
            counts={kind: counts.get(kind, 0) for kind in KINDS},
            limit=timeline_limit,
            offset=timeline_offset,
            items=items,
        ),
    )


def differing_fields(records: list[SourceRecord]) -> list[str]:
    """The :data:`COMPARED_FIELDS` on which at least two records hold different values.

    Values are compared as identity resolution reads them: names folded (case, accents and
    punctuation aside), e-mail cleaned, phones by their digits (the last 8: ``+86 191 4694
    3617`` and ``19146943617`` agree), countries as ISO codes, languages by their primary
    subtag (``zh`` and ``zh-CN`` agree). A missing value disagrees with nothing.
    """
    differing = []
    for name in COMPARED_FIELDS:
        values = {_comparable(name, getattr(r, name)) for r in records}
        values.discard(None)
        if len(values) > 1:
            differing.append(name)
    return differing


def _comparable(field: str, value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    if field == "email":
        return clean_email(text) or fold(text)
    if field == "phone":
        return phone_digits_tail(text) or fold(text)
    if field == "country":
        return country_code(text) or fold(text)
    if field == "language":  # zh and zh-CN, es and es-ES agree
        tag = language_tag(text)
        return tag.split("-")[0].lower() if tag else None
    return fold(text)


def parse_json_object(text: str | None) -> dict[str, Any]:
    """A JSON object stored as text; anything else (absent, malformed, not an object) → {}."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _golden_record(warehouse: Warehouse, customer_id: str) -> GoldenRecord:
    customers = warehouse.table("customers")
    rows = warehouse.to_pyarrow(customers.filter(customers.customer_id == customer_id).limit(1))
    if rows.num_rows == 0:
        raise NotFoundError(f"no customer with id {customer_id!r}")
    row = rows.to_pylist()[0]
    row["attributes"] = parse_json_object(row.get("attributes"))
    return GoldenRecord.model_validate(row)


def _identities(warehouse: Warehouse, customer_id: str) -> list[Identity]:
    table = warehouse.table("identities")
    mine = table.filter(table.customer_id == customer_id).order_by(["source", "source_id"])
    return [Identity.model_validate(row) for row in warehouse.to_pyarrow(mine).to_pylist()]


def _source_records(warehouse: Warehouse, record_ids: list[str]) -> list[SourceRecord]:
    if not record_ids:
        return []
    table = warehouse.table("source_records")
    mine = table.filter(table.record_id.isin(record_ids)).order_by(["source", "source_id"])
    out = []
    for row in warehouse.to_pyarrow(mine).to_pylist():
        row["attributes"] = parse_json_object(row.get("attributes"))
        out.append(SourceRecord.model_validate(row))
    return out


def _timeline_item(row: dict[str, Any]) -> TimelineItem:
    details = row.pop("details", None)
    return TimelineItem.model_validate({**row, "details": parse_json_object(details) or None})


def customer_value(warehouse: Warehouse, customer_id: str) -> CustomerValue | None:
    """The customer's row of ``customer_clv`` with its model's settings; None when the
    customer has not been scored (or the warehouse predates the CLV tables)."""
    with warehouse.lock:
        if "customer_clv" not in warehouse.backend.list_tables():
            return None
    scores = warehouse.table("customer_clv")
    models = warehouse.table("clv_models")
    mine = scores.filter(scores.customer_id == customer_id)
    joined = mine.left_join(models, mine.model_id == models.model_id).select(
        mine.model_id, mine.scored_at, models.calibration_end, models.horizon_months,
        models.discount_rate, mine.expected_purchases, mine.probability_alive,
        mine.expected_spend, mine.clv, mine.currency,
    )  # fmt: skip
    rows = warehouse.to_pyarrow(joined.limit(1)).to_pylist()
    if not rows:
        return None
    row = {k: (None if isinstance(v, float) and v != v else v) for k, v in rows[0].items()}
    return CustomerValue.model_validate(row)


def customer_churn(warehouse: Warehouse, customer_id: str) -> CustomerChurn | None:
    """The customer's row of ``customer_churn`` with its model's horizon; None when the
    customer has not been scored (or the warehouse predates the churn tables)."""
    with warehouse.lock:
        if "customer_churn" not in warehouse.backend.list_tables():
            return None
    scores = warehouse.table("customer_churn")
    models = warehouse.table("churn_models")
    mine = scores.filter(scores.customer_id == customer_id)
    joined = mine.left_join(models, mine.model_id == models.model_id).select(
        mine.model_id, mine.scored_at, mine.cutoff, models.horizon_days, mine.risk, mine.reasons
    )
    rows = warehouse.to_pyarrow(joined.limit(1)).to_pylist()
    if not rows:
        return None
    row = rows[0]
    try:
        reasons = [ChurnReason.model_validate(r) for r in json.loads(row.pop("reasons") or "[]")]
    except ValueError:
        reasons = []
    return CustomerChurn.model_validate({**row, "reasons": reasons})


def churn_no_basis(warehouse: Warehouse) -> ChurnNoBasis | None:
    """For a customer without a churn score: the latest scoring's model, cutoff and active
    days when churn was scored at all (the customer had no basis for a risk), else None (churn
    was never scored, or the warehouse predates the churn tables)."""
    with warehouse.lock:
        if "customer_churn" not in warehouse.backend.list_tables():
            return None
    scores = warehouse.table("customer_churn")
    models = warehouse.table("churn_models")
    latest = scores.order_by(ibis.desc(scores.scored_at)).limit(1)
    joined = latest.left_join(models, latest.model_id == models.model_id).select(
        latest.model_id, latest.cutoff, models.active_days
    )
    rows = warehouse.to_pyarrow(joined).to_pylist()
    if not rows or rows[0]["active_days"] is None:
        return None
    return ChurnNoBasis.model_validate(rows[0])


def _latest_score(feedback: ir.Table, column: str) -> ir.Table:
    scored = feedback.filter(feedback[column].notnull())
    return (
        scored.order_by([ibis.desc(scored.ts), ibis.desc(scored.feedback_id)])
        .limit(1)
        .select(value=scored[column], ts=scored.ts)
    )


def _summary(
    warehouse: Warehouse, customer_id: str, golden: GoldenRecord, counts: dict[str, int]
) -> ProfileSummary:
    orders = warehouse.table("orders")
    mine = orders.filter(orders.customer_id == customer_id)
    by_currency = (
        mine.group_by("currency")
        .aggregate(amount=mine.amount.sum(), orders=mine.count())
        .order_by("currency")
    )
    revenue = [
        Revenue(
            currency=r["currency"], amount=round(float(r["amount"] or 0), 2), orders=r["orders"]
        )
        for r in warehouse.to_pyarrow(by_currency).to_pylist()
    ]
    feedback = warehouse.table("feedback")
    theirs = feedback.filter(feedback.customer_id == customer_id)
    scores = {}
    for column in ("nps", "csat"):
        rows = warehouse.to_pyarrow(_latest_score(theirs, column)).to_pylist()
        scores[column] = Score.model_validate(rows[0]) if rows else None
    return ProfileSummary(
        orders=counts.get("order", 0),
        revenue=revenue,
        feedback=counts.get("feedback", 0),
        events=counts.get("event", 0),
        survey_responses=counts.get("survey_response", 0),
        cases=counts.get("case", 0),
        latest_nps=scores["nps"],
        latest_csat=scores["csat"],
        first_seen=golden.first_seen,
        last_seen=golden.last_seen,
    )
