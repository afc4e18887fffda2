"""A little feedback with its insights, in English, Spanish and Chinese, written through the
warehouse as the text pipeline would write it (tests of the Feedback explorer fill
``feedback_insights`` themselves)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from cxloop.storage import Warehouse

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ANALYSER = "test-analyser/1"

TEAMS = [
    {"team_id": "team_delivery", "name": "Delivery crew", "touchpoint": "delivery"},
    {"team_id": "team_store", "name": "Store staff", "touchpoint": "store"},
]
CUSTOMERS = [
    {"customer_id": "cus_john", "name": "John Smith", "language": "en"},
    {"customer_id": "cus_ana", "name": "Ana Ruiz", "language": "es"},
    {"customer_id": "cus_wang", "name": "王秀英", "language": "zh"},
]

# (id, language, text, redacted or None when not analysed, nps, csat, ces, sentiment,
#  themes, intent, touchpoint, team, customer)
FEEDBACK = [
    ("f1", "en", "The DELIVERY was late and the driver was rude. Call me on +1 555 0100",
     "The DELIVERY was late and the driver was rude. Call me on [PHONE]",
     2, None, None, "negative", ["delivery", "staff"], "issue", "delivery", "team_delivery",
     "cus_john"),
    ("f2", "es", "La entrega llegó tarde, escríbanme a ana@example.com",
     "La entrega llegó tarde, escríbanme a [EMAIL]",
     3, None, None, "negative", ["delivery"], "issue", "delivery", "team_delivery", "cus_ana"),
    ("f3", "zh", "送货太慢了，客服态度也不好", "送货太慢了，客服态度也不好",
     1, None, None, "negative", ["delivery", "staff"], "issue", "delivery", "team_delivery",
     "cus_wang"),
    ("f4", "en", "Great price, I will buy again", "Great price, I will buy again",
     10, 5, None, "positive", ["price"], "praise", "store", "team_store", "cus_john"),
    ("f5", "es", "Precio justo y atención rápida", "Precio justo y atención rápida",
     9, 4, None, "positive", ["price", "staff"], "praise", "store", "team_store", "cus_ana"),
    ("f6", "zh", "价格很合理，服务很好", "价格很合理，服务很好",
     10, None, None, "positive", ["价格"], "praise", "store", "team_store", "cus_wang"),
    ("f7", "en", "Could you add a dark mode to the app?", "Could you add a dark mode to the app?",
     8, None, 6, "neutral", ["app"], "need", "app", None, None),
    ("f8", "en", "Not analysed yet, my card is 4111 1111 1111 1111", None,
     5, None, None, None, None, None, "app", None, None),
    ("f9", "es", "¿Cuándo abre la tienda de MÁLAGA?", "¿Cuándo abre la tienda de MÁLAGA?",
     None, 3, 2, "neutral", ["store"], "question", "store", "team_store", "cus_ana"),
]  # fmt: skip

SCORES = {"negative": -0.8, "neutral": 0.0, "positive": 0.9}


def feedback_rows() -> list[dict[str, object]]:
    return [
        {
            "feedback_id": fid,
            "source": "crm",
            "customer_id": customer,
            "ts": START + timedelta(days=3 * n),
            "kind": "survey",
            "touchpoint": touchpoint,
            "team_id": team,
            "nps": nps,
            "csat": csat,
            "ces": ces,
            "text": text,
            "language": language,
        }
        for n, (fid, language, text, _r, nps, csat, ces, _s, _t, _i, touchpoint, team, customer)
        in enumerate(FEEDBACK)
    ]  # fmt: skip


def insight_rows() -> list[dict[str, object]]:
    return [
        insight(fid, language, redacted, sentiment, themes, intent)
        for fid, language, _x, redacted, _n, _c, _e, sentiment, themes, intent, *_ in FEEDBACK
        if redacted is not None
    ]


def insight(
    feedback_id: str,
    language: str,
    redacted: str,
    sentiment: str,
    themes: list[str],
    intent: str | None,
) -> dict[str, object]:
    """One row of ``feedback_insights`` (themes stored as a JSON list)."""
    return {
        "feedback_id": feedback_id,
        "language": language,
        "sentiment": SCORES[sentiment],
        "sentiment_label": sentiment,
        "themes": json.dumps(themes),
        "intent": intent,
        "redacted_text": redacted,
        "analyser": ANALYSER,
        "analysed_at": START + timedelta(days=40),
    }


def build_feedback(warehouse: Warehouse) -> None:
    """Teams, customers, the nine pieces of feedback, and insights for all but ``f8``."""
    warehouse.append_rows("teams", TEAMS)
    warehouse.append_rows("customers", CUSTOMERS)
    warehouse.append_rows("feedback", feedback_rows())
    warehouse.append_rows("feedback_insights", insight_rows())


#: pieces without a comment, a score alone (``r1``) or only blanks (``r2``): nothing to
#: analyse, so they never get an insight; older than every piece above
RATINGS_ONLY = [
    {"feedback_id": "r1", "source": "app_store", "ts": START - timedelta(days=2), "kind": "review",
     "touchpoint": "checkout", "nps": None, "rating": 2.0, "text": None, "language": "en"},
    {"feedback_id": "r2", "source": "crm", "ts": START - timedelta(days=1), "kind": "survey",
     "touchpoint": "checkout", "nps": 4, "rating": None, "text": "  ", "language": "es"},
]  # fmt: skip


def build_ratings_only(warehouse: Warehouse) -> None:
    """Add :data:`RATINGS_ONLY`: two pieces of feedback without a comment."""
    warehouse.append_rows("feedback", RATINGS_ONLY)


def build_survey_crowd(
    warehouse: Warehouse, answers: list[tuple[int, int, list[str]]], prefix: str = "crowd"
) -> None:
    """Many analysed survey answers: ``(nps, how many, themes)`` for each kind of answer,
    their ids ``{prefix}1``, ``{prefix}2``…"""
    feedback, insights = [], []
    n = 0
    for score, count, themes in answers:
        for _ in range(count):
            n += 1
            fid = f"{prefix}{n}"
            feedback.append({
                "feedback_id": fid, "source": "survey", "ts": START + timedelta(hours=n),
                "kind": "survey", "nps": score, "text": f"answer {n}", "language": "en",
            })  # fmt: skip
            sentiment = "negative" if score <= 6 else "positive"
            insights.append(insight(fid, "en", f"answer {n}", sentiment, themes, None))
    warehouse.append_rows("feedback", feedback)
    warehouse.append_rows("feedback_insights", insights)
