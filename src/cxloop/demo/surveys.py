"""The demo company's delivery survey: its definition, and the invitations and responses
behind the post-delivery answers the demo already holds as feedback.

Every complete response matches one imported ``crm`` survey answer (same customer, time,
scores and comment), so the Surveys pages and the feedback tell the same story; invitations
that were never answered (some opened, some started and left) complete the funnel.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from cxloop.storage import Warehouse
from cxloop.storage.schema import arrow_schema

SURVEY_ID = "post_delivery"
DEFINITION = """\
# The demo company's survey after a delivery (written by `cxloop demo`).
id: post_delivery
version: 1
audience: customers
touchpoint: delivery
team: delivery
languages: [en, es, zh]
title:
  en: "Your delivery"
  es: "Su entrega"
  zh: "您的配送"
thanks:
  en: "Thank you! Our delivery team reads every answer."
  es: "¡Gracias! Nuestro equipo de entregas lee todas las respuestas."
  zh: "谢谢！我们的配送团队会阅读每一条回答。"
questions:
  - id: csat
    type: csat
    required: true
    text:
      en: "How satisfied are you with your delivery?"
      es: "¿Qué tan satisfecho está con su entrega?"
      zh: "您对这次配送满意吗？"
    low_label: {en: "Very dissatisfied", es: "Muy insatisfecho", zh: "非常不满意"}
    high_label: {en: "Very satisfied", es: "Muy satisfecho", zh: "非常满意"}
  - id: nps
    type: nps
    text:
      en: "How likely are you to recommend us to a friend?"
      es: "¿Qué probabilidad hay de que nos recomiende a un amigo?"
      zh: "您向朋友推荐我们的可能性有多大？"
  - id: comment
    type: text
    text:
      en: "Anything you would like to tell us?"
      es: "¿Algo que quiera contarnos?"
      zh: "还有什么想告诉我们的吗？"
"""
UNANSWERED_PER_RESPONSE = 1.6  # about 38% of invitations are answered in full
OPENED_SHARE, STARTED_SHARE = 0.45, 0.2  # of the unanswered invitations
HOUR = 3_600


def write_definition(project: Path) -> Path:
    """Write ``surveys/post_delivery.yaml`` unless the project has one."""
    path = project / "surveys" / f"{SURVEY_ID}.yaml"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DEFINITION, encoding="utf-8")
    return path


def _answers(row: pd.Series) -> str:
    answers: dict[str, object] = {"csat": int(row["csat"])}
    if pd.notna(row["nps"]):
        answers["nps"] = int(row["nps"])
    if isinstance(row["text"], str) and row["text"].strip():
        answers["comment"] = row["text"]
    return json.dumps(answers, ensure_ascii=False, sort_keys=True)


def load_survey_funnel(warehouse: Warehouse, *, seed: int = 0) -> int:
    """Write the delivery survey's invitations and responses; return the responses written.

    Idempotent: every id derives from the feedback it mirrors.
    """
    f = warehouse.table("feedback")
    answered = warehouse.to_pandas(
        f.filter((f.survey_id == SURVEY_ID) & f.csat.notnull()).select(
            "feedback_id", "customer_id", "source_customer_id", "ts", "csat", "nps", "text",
            "language", "channel",
        ).order_by("feedback_id")
    )  # fmt: skip
    n = len(answered)
    if n == 0:
        return 0
    rng = np.random.default_rng(seed + 7_001)
    customer = answered["customer_id"].fillna(answered["source_customer_id"]).astype(object)
    done = pd.to_datetime(answered["ts"], utc=True)
    seconds = np.clip(rng.lognormal(np.log(70), 0.6, n), 15, 1_800)
    started = done - pd.to_timedelta(seconds, unit="s")
    sent = started - pd.to_timedelta(rng.uniform(0.2, 30, n) * HOUR, unit="s")
    invitation = ("demo-" + answered["feedback_id"]).to_numpy()
    responses = pd.DataFrame(
        {
            "response_id": "inv:" + invitation,
            "survey_id": SURVEY_ID,
            "invitation_id": invitation,
            "customer_id": customer,
            "team_id": "delivery",
            "ts": done,
            "language": answered["language"],
            "answers": [_answers(row) for _, row in answered.iterrows()],
            "duration_s": seconds.round(1),
            "contact_snapshot": [json.dumps({"language": lang}) for lang in answered["language"]],
            "status": "complete",
            "started_at": started,
            "updated_at": done,
        }
    )
    channel = answered["channel"].fillna("email").to_numpy()
    events = [
        _events(invitation, SURVEY_ID, customer, channel, status, ts)
        for status, ts in (("sent", sent), ("opened", started - pd.to_timedelta(
            rng.uniform(2, 600, n), unit="s")), ("started", started), ("responded", done))
    ]  # fmt: skip
    m = round(n * UNANSWERED_PER_RESPONSE)
    pick = rng.integers(0, n, m)
    lost = np.array([f"demo-unanswered-{seed}-{i}" for i in range(m)], dtype=object)
    lost_customer = customer.to_numpy()[pick]
    lost_sent = sent.iloc[pick].reset_index(drop=True) + pd.to_timedelta(
        rng.uniform(-5, 5, m) * 24 * HOUR, unit="s"
    )
    lost_channel = channel[pick]
    events.append(_events(lost, SURVEY_ID, lost_customer, lost_channel, "sent", lost_sent))
    fate = rng.random(m)
    opened = fate < OPENED_SHARE
    opened_at = lost_sent + pd.to_timedelta(rng.uniform(0.5, 48, m) * HOUR, unit="s")
    events.append(_events(lost[opened], SURVEY_ID, lost_customer[opened], lost_channel[opened],
                          "opened", opened_at[opened]))  # fmt: skip
    left = fate < STARTED_SHARE
    left_at = opened_at[left] + pd.to_timedelta(30, unit="s")
    events.append(_events(lost[left], SURVEY_ID, lost_customer[left], lost_channel[left],
                          "started", left_at))  # fmt: skip
    partial = pd.DataFrame(
        {
            "response_id": "inv:" + lost[left],
            "survey_id": SURVEY_ID,
            "invitation_id": lost[left],
            "customer_id": lost_customer[left],
            "team_id": "delivery",
            "ts": pd.Series(pd.NaT, index=range(int(left.sum())), dtype="datetime64[us, UTC]"),
            "language": answered["language"].to_numpy()[pick][left],
            "answers": [json.dumps({"csat": int(c)}) for c in rng.integers(1, 6, int(left.sum()))],
            "duration_s": np.nan,
            "contact_snapshot": "{}",
            "status": "partial",
            "started_at": left_at.reset_index(drop=True),
            "updated_at": left_at.reset_index(drop=True),
        }
    )
    with warehouse.transaction():
        for frame in events:
            warehouse.append("survey_invitations", _arrow("survey_invitations", frame))
        warehouse.append("survey_responses", _arrow("survey_responses", responses))
        if len(partial):
            warehouse.append("survey_responses", _arrow("survey_responses", partial))
    return n


def _events(
    invitation: np.ndarray, survey_id: str, customer: object, channel: np.ndarray, status: str,
    ts: pd.Series,
) -> pd.DataFrame:  # fmt: skip
    ids = np.asarray(invitation, dtype=object)
    return pd.DataFrame(
        {
            "invitation_event_id": ids + f":{status}",
            "invitation_id": ids,
            "survey_id": survey_id,
            "customer_id": np.asarray(customer, dtype=object),
            "channel": channel,
            "status": status,
            "ts": pd.to_datetime(np.asarray(ts), utc=True),
            "details": "{}",
        }
    )


def _arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    frame = frame.reset_index(drop=True)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.floor("s").astype("datetime64[us, UTC]")
    return pa.Table.from_pandas(frame, schema=arrow_schema(table, list(frame.columns)),
                                preserve_index=False)  # fmt: skip
