"""Survey invitations: planning and sending speed, against bare smtplib in the same run.

A fresh DuckDB warehouse holds N customers (a tenth refused survey e-mail, a tenth surveyed
last week) and a segment of all of them. Measured, in one process, against one aiosmtpd server
on loopback:

- *plan*: ``send_invitations(..., dry_run=True)``: audience, earlier invitations, consent,
  throttle, for N people;
- *send*: the real send: every e-mail rendered, its token signed, sent, and its event written
  in its own transaction;
- *baseline*: the same number of ready-made messages handed to ``smtplib`` over one
  connection: the part of the time that is SMTP itself;
- *re-run*: the same send again (everybody already invited: nothing is sent).

    python -m benchmarks.invitation_send [--quick] [--customers N]
"""

from __future__ import annotations

import argparse
import os
import platform
import smtplib
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.act.invitations import (
    InvitationOptions,
    segment_audience,
    send_invitations,
)
from cxloop.collect.surveys import SurveyDefinition
from cxloop.storage import Warehouse, open_warehouse
from smtp_server import smtp_server

SURVEY = SurveyDefinition.model_validate(
    {
        "id": "post-delivery",
        "languages": ["en", "es", "zh"],
        "title": {"en": "How was your delivery?", "es": "¿Qué tal su entrega?", "zh": "配送如何？"},
        "questions": [{"id": "nps", "type": "nps", "text": {"en": "Recommend us?"}}],
    }
)
OPTIONS = InvitationOptions(
    secret="bench-secret", public_base_url="https://cx.example.com", mail_from="cx@example.com"
)


def fill(warehouse: Warehouse, n: int) -> None:
    now = datetime.now(UTC)
    ids = [f"C{i:07d}" for i in range(n)]
    languages = ["en", "es", "zh", "fr"]
    warehouse.append(
        "customers",
        pa.table(
            {
                "customer_id": ids,
                "email": [f"{c.lower()}@example.com" for c in ids],
                "language": [languages[i % 4] for i in range(n)],
                "first_name": [f"Name{i}" for i in range(n)],
            }
        ),
    )
    refused = ids[::10]
    warehouse.append_rows(
        "consents",
        [{"consent_event_id": f"k{c}", "customer_id": c, "channel": "email",
          "purpose": "surveys", "granted": False, "ts": now - timedelta(days=50)}
         for c in refused],
    )  # fmt: skip
    recent = ids[5::10]
    warehouse.append_rows(
        "survey_invitations",
        [{"invitation_event_id": f"old-{c}", "invitation_id": f"old-{c}", "survey_id": "csat",
          "customer_id": c, "channel": "email", "status": "sent",
          "ts": now - timedelta(days=7), "details": "{}"} for c in recent],
    )  # fmt: skip
    warehouse.append_rows("segments", [{"segment_id": "all", "name": "all", "kind": "rule"}])
    warehouse.append(
        "segment_members",
        pa.table(
            {
                "member_id": [f"all:{c}" for c in ids],
                "segment_id": ["all"] * n,
                "customer_id": ids,
            }
        ),
    )


def baseline(port: int, count: int) -> float:
    messages = []
    for i in range(count):
        message = EmailMessage()
        message["From"], message["To"] = "cx@example.com", f"c{i}@example.com"
        message["Subject"] = "How was your delivery?"
        message.set_content("x" * 1500)
        message.add_alternative("<p>" + "x" * 3500 + "</p>", subtype="html")
        messages.append(message)
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for message in messages:
            smtp.send_message(message)
    return time.perf_counter() - start


def main(quick: bool = False, customers: int | None = None) -> None:
    n = customers or (2_000 if quick else 10_000)
    load = os.getloadavg()[0]
    print(f"survey invitations, {n:,} customers · {platform.machine()} · load {load:.2f}")
    with tempfile.TemporaryDirectory() as tmp, smtp_server() as (inbox, port):
        with open_warehouse(f"duckdb:///{Path(tmp) / 'bench.duckdb'}") as wh:
            fill(wh, n)
            audience = segment_audience("all")
            start = time.perf_counter()
            plan = send_invitations(wh, SURVEY, audience, OPTIONS, dry_run=True)
            plan_s = time.perf_counter() - start
            to_send = plan.counts.get("pending", 0)
            transport = SmtpTransport(SmtpConfig("127.0.0.1", port, security="none"))
            start = time.perf_counter()
            sent = send_invitations(wh, SURVEY, audience, OPTIONS, transport=transport)
            send_s = time.perf_counter() - start
            assert sent.counts.get("sent") == to_send == len(inbox.messages), sent.counts
            start = time.perf_counter()
            again = send_invitations(wh, SURVEY, audience, OPTIONS,
                                     transport=SmtpTransport(transport.config))  # fmt: skip
            rerun_s = time.perf_counter() - start
            assert again.counts == {"already_invited": n}, again.counts
        base_s = baseline(port, to_send)
    print(f"  plan (dry run)  {plan_s:6.2f} s  {n / plan_s:9,.0f} people/s  {plan.counts}")
    print(f"  send            {send_s:6.2f} s  {to_send / send_s:9,.0f} e-mails/s")
    print(f"  bare smtplib    {base_s:6.2f} s  {to_send / base_s:9,.0f} e-mails/s  "
          f"(send takes {send_s / base_s:.1f}x the SMTP time)")  # fmt: skip
    print(f"  re-run          {rerun_s:6.2f} s  (nothing sent)")
    print(f"  load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--customers", type=int)
    args = parser.parse_args()
    main(quick=args.quick, customers=args.customers)
