"""Small companies for key-driver tests.

``seed_hand_company``: four customers whose per-customer table can be worked out by hand
(see the test in tests/understand/drivers/test_driver_table.py).

``seed_driver_company``: 120 customers with a planted structure: NPS rises with delivery CSAT
and falls when billing comes up in their feedback; store CSAT is noise; a ``brand.value``
rating question answered by 90 of them moves NPS a little.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from cxloop.storage import Warehouse

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
BRAND = {
    "id": "brand", "version": 1, "audience": "customers", "languages": ["en"],
    "title": {"en": "Brand"},
    "questions": [
        {"id": "value", "type": "rating", "text": {"en": "Value for money"},
         "scale": {"min": 1, "max": 5}},
        {"id": "nps", "type": "nps", "text": {"en": "Recommend us?"}},
    ],
}  # fmt: skip
STAFF_SURVEY = {
    "id": "staff", "version": 1, "audience": "employees", "languages": ["en"],
    "title": {"en": "Staff"},
    "questions": [{"id": "proud", "type": "rating", "text": {"en": "Proud?"}}],
}  # fmt: skip


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    columns = sorted({k for r in rows for k in r})
    return [{c: r.get(c) for c in columns} for r in rows]


def _surveys(wh: Warehouse) -> None:
    wh.append_rows("surveys", [
        {"survey_id": "brand", "name": "brand", "version": 1, "definition": json.dumps(BRAND),
         "created_at": NOW},
        {"survey_id": "staff", "name": "staff", "version": 1,
         "definition": json.dumps(STAFF_SURVEY), "created_at": NOW},
    ])  # fmt: skip


def seed_hand_company(wh: Warehouse) -> None:
    """Four customers:

    - ``a``: NPS 9 and 7 (mean 8); delivery CSAT 2 and 4 (mean 3); a comment about billing
      (negative) and delivery; brand.value 4; orders 400 and 10 days ago.
    - ``b``: NPS 3; delivery CSAT 5; store CSAT 1; a comment about price (positive);
      brand.value 2 and a partial answer 5 that never counts; one order 400 days ago (churned).
    - ``c``: CSAT 4 at the store only, no NPS; one order 30 days ago (too new to tell).
    - ``d``: NPS 10, nothing else. A feedback row with no customer never counts.
    """
    _surveys(wh)
    day = timedelta(days=1)
    feedback = [
        {"feedback_id": "f1", "customer_id": "a", "ts": NOW, "touchpoint": "web", "nps": 9},
        {"feedback_id": "f2", "customer_id": "a", "ts": NOW, "touchpoint": "web", "nps": 7},
        {"feedback_id": "f3", "customer_id": "a", "ts": NOW, "touchpoint": "delivery", "csat": 2},
        {"feedback_id": "f4", "customer_id": "a", "ts": NOW, "touchpoint": "delivery", "csat": 4},
        {"feedback_id": "f5", "customer_id": "b", "ts": NOW, "touchpoint": "web", "nps": 3},
        {"feedback_id": "f6", "customer_id": "b", "ts": NOW, "touchpoint": "delivery", "csat": 5},
        {"feedback_id": "f7", "customer_id": "b", "ts": NOW, "touchpoint": "store", "csat": 1},
        {"feedback_id": "f8", "customer_id": "c", "ts": NOW, "touchpoint": "store", "csat": 4},
        {"feedback_id": "f9", "customer_id": "d", "ts": NOW, "touchpoint": "web", "nps": 10},
        {"feedback_id": "f10", "customer_id": None, "ts": NOW, "touchpoint": "web", "nps": 0},
    ]
    wh.append_rows("feedback", _rows(feedback))
    wh.append_rows("feedback_insights", _rows([
        {"feedback_id": "f1", "themes": json.dumps(["billing", "delivery"]),
         "sentiment_label": "negative"},
        {"feedback_id": "f5", "themes": json.dumps(["price"]), "sentiment_label": "positive"},
        {"feedback_id": "f10", "themes": json.dumps(["billing"]), "sentiment_label": "negative"},
    ]))  # fmt: skip
    wh.append_rows("survey_responses", _rows([
        {"response_id": "r1", "survey_id": "brand", "customer_id": "a", "ts": NOW,
         "status": "complete", "answers": json.dumps({"value": 4, "nps": 8})},
        {"response_id": "r2", "survey_id": "brand", "customer_id": "b", "ts": NOW,
         "status": "complete", "answers": json.dumps({"value": 2})},
        {"response_id": "r3", "survey_id": "brand", "customer_id": "b", "ts": NOW,
         "status": "partial", "answers": json.dumps({"value": 5})},
    ]))  # fmt: skip
    wh.append_rows("orders", _rows([
        {"order_id": "o1", "customer_id": "a", "ts": NOW - 400 * day, "amount": 10.0},
        {"order_id": "o2", "customer_id": "a", "ts": NOW - 10 * day, "amount": 10.0},
        {"order_id": "o3", "customer_id": "b", "ts": NOW - 400 * day, "amount": 10.0},
        {"order_id": "o4", "customer_id": "c", "ts": NOW - 30 * day, "amount": 10.0},
        {"order_id": "o5", "customer_id": "d", "ts": NOW, "amount": 10.0},
    ]))  # fmt: skip


def seed_driver_company(wh: Warehouse, customers: int = 120, seed: int = 3) -> None:
    """The planted company of the module docstring."""
    rng = np.random.default_rng(seed)
    _surveys(wh)
    feedback, insights, responses, orders = [], [], [], []
    for i in range(customers):
        cid = f"c{i:03d}"
        delivery = int(rng.integers(1, 6))
        billing = bool(rng.random() < 0.35)
        value = int(rng.integers(1, 6))
        noise = rng.normal(0, 1.0)
        nps = int(np.clip(round(3 + 1.2 * delivery - 3 * billing + 0.3 * value + noise), 0, 10))
        feedback.append({"feedback_id": f"{cid}-n", "customer_id": cid, "ts": NOW,
                         "touchpoint": "web", "nps": nps, "csat": None})  # fmt: skip
        if i % 6:  # five in six rated a delivery
            feedback.append({"feedback_id": f"{cid}-d", "customer_id": cid, "ts": NOW,
                             "touchpoint": "delivery", "csat": delivery})  # fmt: skip
        feedback.append({"feedback_id": f"{cid}-s", "customer_id": cid, "ts": NOW,
                         "touchpoint": "store", "csat": int(rng.integers(1, 6))})  # fmt: skip
        themes = ["billing"] if billing else []
        if rng.random() < 0.3:
            themes.append("price")
        insights.append({"feedback_id": f"{cid}-n", "themes": json.dumps(themes),
                         "sentiment_label": "negative" if billing else "neutral"})  # fmt: skip
        if i % 4:
            responses.append({"response_id": f"{cid}-r", "survey_id": "brand",
                              "customer_id": cid, "ts": NOW, "status": "complete",
                              "answers": json.dumps({"value": value})})  # fmt: skip
        last = NOW - timedelta(days=int(rng.integers(0, 400)))
        orders.append({"order_id": f"{cid}-o1", "customer_id": cid,
                       "ts": NOW - timedelta(days=500), "amount": 20.0})  # fmt: skip
        orders.append({"order_id": f"{cid}-o2", "customer_id": cid, "ts": last, "amount": 20.0})
    wh.append_rows("feedback", _rows(feedback))
    wh.append_rows("feedback_insights", _rows(insights))
    wh.append_rows("survey_responses", _rows(responses))
    wh.append_rows("orders", _rows(orders))
