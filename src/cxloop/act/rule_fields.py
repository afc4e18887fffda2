"""The case rule language: the segment rule language read over one piece of feedback.

A case rule's ``when:`` is parsed and compiled by :mod:`cxloop.understand.segments` with the
vocabulary below: the feedback row's measures, touchpoint and insights (sentiment, themes,
intent, language) and its customer's profile (country, city, lifetime value…).
:func:`feedback_features` builds one row per piece of feedback with those columns.
"""

from __future__ import annotations

import json

import ibis
import ibis.expr.types as ir

from cxloop.understand.segments.fields import ATTRIBUTE_KEY, CallKey, FieldSpec, FunctionSpec
from cxloop.understand.segments.rule_compiler import CheckedRule, Vocabulary, check_rule

_SPECS = (
    FieldSpec("feedback_id", "string", "profile", "the feedback's id"),
    FieldSpec("customer_id", "string", "profile", "the customer's id"),
    FieldSpec("ts", "timestamp", "profile", "when the feedback was given"),
    FieldSpec("nps", "number", "latest", "NPS answer (0–10)"),
    FieldSpec("csat", "number", "latest", "CSAT answer (1–5)"),
    FieldSpec("ces", "number", "latest", "CES answer (1–7, 7 = very easy)"),
    FieldSpec("rating", "number", "latest", "star rating (1–5)"),
    FieldSpec("score", "number", "latest", "the first of nps, csat, ces, rating it carries"),
    FieldSpec("measure", "string", "latest", "which: nps, csat, ces, rating, or text"),
    FieldSpec("touchpoint", "string", "profile", "touchpoint (web, store, call_centre…)"),
    FieldSpec("channel", "string", "profile", "channel it came through"),
    FieldSpec("source", "string", "profile", "source system (crm, support, app, survey…)"),
    FieldSpec("team", "string", "profile", "the team the feedback names, if any"),
    FieldSpec("survey_id", "string", "profile", "the survey, for a survey response"),
    FieldSpec("language", "string", "insights", "language of the comment (detected, else given)"),
    FieldSpec("sentiment", "string", "insights", "negative, neutral or positive"),
    FieldSpec("sentiment_score", "number", "insights", "sentiment from -1 to 1"),
    FieldSpec("intent", "string", "insights", "need, issue, gap or praise"),
    FieldSpec("customer_language", "string", "profile", "the customer's preferred language"),
    FieldSpec("country", "string", "profile", "the customer's country (ISO alpha-2)"),
    FieldSpec("city", "string", "profile", "the customer's city"),
    FieldSpec("clv", "number", "scores", "the customer's lifetime value (cxloop clv)"),
    FieldSpec("probability_alive", "number", "scores", "chance the customer is still active"),
    FieldSpec("churn_risk", "number", "scores", "1 - probability_alive"),
)  # fmt: skip
FEEDBACK_FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in _SPECS}

FEEDBACK_FUNCTIONS: dict[str, FunctionSpec] = {
    f.name: f
    for f in (
        FunctionSpec(
            "theme", (("theme", "string", True),),
            "1 when the comment's analysed themes include `theme`, else 0",
        ),
        FunctionSpec(
            "attribute", (("key", "string", True),),
            "the value of `key` in the customer's attributes, as text", returns="string",
        ),
    )
}  # fmt: skip


def _field_type(name: str) -> str | None:
    spec = FEEDBACK_FIELDS.get(name)
    return spec.type if spec else None


FEEDBACK_VOCABULARY = Vocabulary(
    _field_type,  # type: ignore[arg-type]
    FEEDBACK_FUNCTIONS,
    lambda: list(FEEDBACK_FIELDS),
)


def check_case_rule(text: str) -> CheckedRule:
    """Parse and check a case rule's condition.

    Examples
    --------
    >>> sorted(check_case_rule('nps <= 6 and theme("billing") == 1').fields)
    ['nps']
    """
    return check_rule(text, FEEDBACK_VOCABULARY)


def feedback_features(
    feedback: ir.Table,
    insights: ir.Table,
    customers: ir.Table,
    clv: ir.Table,
    calls: list[CallKey],
) -> ir.Table:
    """One row per row of ``feedback`` with every field of the case rule language and a
    column for each of ``calls``."""
    f = feedback
    measure = ibis.cases(
        (f.nps.notnull(), "nps"),
        (f.csat.notnull(), "csat"),
        (f.ces.notnull(), "ces"),
        (f.rating.notnull(), "rating"),
        else_="text",
    )
    score = ibis.coalesce(
        f.nps.cast("float64"), f.csat.cast("float64"), f.ces.cast("float64"), f.rating
    )
    base = f.select(
        "feedback_id", "customer_id", "ts", "nps", "csat", "ces", "rating", "touchpoint",
        "channel", "source", "survey_id", team=f.team_id, score=score, measure=measure,
        _given_language=f.language,
    )  # fmt: skip
    i = insights.select(
        _fid=insights.feedback_id,
        _detected=insights.language,
        sentiment=insights.sentiment_label,
        sentiment_score=insights.sentiment,
        intent=insights.intent,
        _themes=insights.themes,
    )
    c = customers.select(
        _cid=customers.customer_id,
        customer_language=customers.language,
        country=customers.country,
        city=customers.city,
        _attributes=customers.attributes,
    )
    v = clv.select(
        _vid=clv.customer_id,
        clv=clv.clv,
        probability_alive=clv.probability_alive,
        churn_risk=1 - clv.probability_alive,
    )
    out = base.left_join(i, base.feedback_id == i._fid)
    out = out.left_join(c, out.customer_id == c._cid)
    out = out.left_join(v, out.customer_id == v._vid)
    out = out.mutate(language=ibis.coalesce(out._detected, out._given_language))
    extra: dict[str, ir.Value] = {}
    for call in calls:
        arg = str(call.args[0])
        if call.name == "theme":
            hit = out._themes.contains(ibis.literal(json.dumps(arg)))
            extra[call.column] = hit.fill_null(False).cast("int64")
        else:
            assert ATTRIBUTE_KEY.match(arg)
            value = out._attributes.try_cast("json")[arg]
            extra[call.column] = ibis.coalesce(value.unwrap_as("string"), value.cast("string"))
    if extra:
        out = out.mutate(**extra)
    return out.drop("_fid", "_cid", "_vid", "_detected", "_given_language", "_themes",
                    "_attributes")  # fmt: skip
