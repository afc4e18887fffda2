"""A small demo company, built once per test session and copied for each test that erases
from it, with one customer given rows in every table that can hold a person's data."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.access import audit
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.privacy.erasure import person_rows
from cxloop.privacy.person import Person, gather_person
from cxloop.project import open_project_warehouse
from cxloop.storage import Warehouse

#: tables the planted customer must have rows in before the erasure
EXPECTED = (
    "source_records",
    "identities",
    "customers",
    "events",
    "orders",
    "survey_invitations",
    "survey_responses",
    "feedback",
    "feedback_insights",
    "segment_members",
    "cases",
    "case_events",
    "consents",
    "audit_log",
    "identity_links",
    "tracking_violations",
    "identity_overrides",
    "customer_clv",
    "customer_churn",
    "digests",
    "notifications",
    "webhook_deliveries",
)


@dataclass
class DemoCopy:
    settings: Settings
    customer_id: str
    other_id: str


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("privacy") / "demo"
    result = CliRunner().invoke(
        app, ["--project", str(project), "demo", "--customers", "60", "--no-serve", "--json"]
    )
    assert result.exit_code == 0, result.output
    return project


def _unique_name(wh: Warehouse, person: Person) -> bool:
    customers = wh.table("customers")
    for name in person.names:
        others = customers.filter(
            (customers.customer_id != person.customer_id)
            & (customers.name.contains(name) | customers.first_name.contains(name))
        )
        if len(name) < 5 or wh.to_pandas(others.count().as_table()).iloc[0, 0]:
            return False
    return True


def choose_customer(wh: Warehouse) -> str:
    """The customer with rows in the most tables (cases, feedback analysis, CLV, churn…)."""
    cases = wh.table("cases")
    candidates = wh.to_pandas(cases.select("customer_id").distinct())["customer_id"].dropna()
    best: tuple[int, str] | None = None
    for customer_id in sorted(candidates):
        person = gather_person(wh, customer_id)
        if len(person.record_ids) < 2 or not person.emails or not _unique_name(wh, person):
            continue
        score = sum(1 for n in person_rows(wh, person).values() if n)
        if best is None or score > best[0]:
            best = (score, customer_id)
    assert best is not None
    return best[1]


def plant(wh: Warehouse, project: Path, customer_id: str, other_id: str) -> None:
    """Rows the demo does not make: consent, audit, collector links and an anonymous event,
    a tracking violation, an analyst's override, and a member-list segment file."""
    person = gather_person(wh, customer_id)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    source, source_id = person.source_refs[0]
    wh.append_rows(
        "consents",
        [
            {
                "consent_event_id": "ce-1",
                "customer_id": customer_id,
                "channel": "email",
                "purpose": "surveys",
                "granted": True,
                "ts": now,
                "source": "crm",
            },
            {
                "consent_event_id": "ce-2",
                "customer_id": customer_id,
                "channel": "email",
                "purpose": "surveys",
                "granted": False,
                "ts": now.replace(month=7),
                "source": "email-link",
            },
        ],
    )
    audit.record(
        wh,
        "user:agent@example.com",
        "read",
        target_table="customers",
        target_id=customer_id,
        details={"via": "api", "reference": person.emails[0]},
    )
    audit.record(
        wh,
        "user:agent@example.com",
        "read",
        target_table="customers",
        details={"via": "api", "query": person.emails[0], "customer_ids": [customer_id, other_id]},
    )
    wh.append_rows(
        "identity_links",
        [
            {
                "link_id": "l-1",
                "source": source,
                "from_id": "anon-planted-1",
                "from_kind": "anonymous_id",
                "to_id": source_id,
                "to_kind": "user_id",
                "method": "identify",
                "ts": now,
            }
        ],
    )
    wh.append_rows(
        "events",
        [
            {
                "event_id": "ev-anon-1",
                "source": source,
                "anonymous_id": "anon-planted-1",
                "type": "page",
                "name": "Pricing",
                "ts": now,
                "properties": "{}",
            }
        ],
    )
    wh.append_rows(
        "tracking_violations",
        [
            {
                "violation_id": "tv-1",
                "ts": now,
                "source": source,
                "event_id": "ev-anon-1",
                "event_name": "Pricing",
                "problem": "not in the tracking plan",
                "rejected": False,
            }
        ],
    )
    wh.append_rows(
        "identity_overrides",
        [
            {
                "override_event_id": "ov-1",
                "override_id": "ovr_planted",
                "ts": now,
                "actor": "cli",
                "action": "add",
                "kind": "split",
                "records": json.dumps(person.record_ids[:2]),
                "apart": json.dumps([[person.record_ids[0]], [person.record_ids[1]]]),
                "reason": "test",
            }
        ],
    )
    wh.append_rows(
        "digests",
        [{"digest_id": "dg-1", "kind": "customer", "period": "2026-05",
          "customer_id": customer_id, "language": "en", "sent_at": now}],
    )  # fmt: skip
    wh.append_rows(
        "notifications",
        [{"notification_id": "nt-1", "created_at": now, "case_id": "case-planted-ack",
          "case_event_id": "ce-planted-ack", "event_kind": "opened", "channel_id": "customer",
          "channel_type": "email", "recipient": person.emails[0], "team_id": None,
          "priority": "high", "subject": "We are on it", "body": "Dear customer",
          "not_before": now}],
    )  # fmt: skip
    wh.append_rows(
        "webhook_deliveries",
        [{"delivery_id": "nt-1:1", "target": "notify:customer", "event_id": "nt-1",
          "url": f"mailto:{person.emails[0]}", "ts": now, "attempt": 1, "status_code": 250,
          "ok": True, "error": None, "body_sha256": "0" * 64, "channel": "email", "round": 1}],
    )  # fmt: skip
    (project / "segments" / "vip_list.yaml").write_text(
        f"id: vip_list\nname: VIP list\nmembers:\n  - {customer_id}\n  - {other_id}\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="session")
def planted_project(demo_project: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoCopy:
    project = tmp_path_factory.mktemp("planted") / "demo"
    shutil.copytree(demo_project, project)
    settings = Settings.load(project=project)
    with open_project_warehouse(settings) as wh:
        customer_id = choose_customer(wh)
        customers = wh.table("customers")
        other_id = str(
            wh.to_pandas(customers.filter(customers.customer_id != customer_id).limit(1))[
                "customer_id"
            ].iloc[0]
        )
        plant(wh, project, customer_id, other_id)
    return DemoCopy(settings, customer_id, other_id)


@pytest.fixture
def planted(planted_project: DemoCopy, tmp_path: Path) -> DemoCopy:
    """A fresh copy of the planted demo for one test."""
    project = tmp_path / "demo"
    shutil.copytree(planted_project.settings.project, project)
    return DemoCopy(
        Settings.load(project=project), planted_project.customer_id, planted_project.other_id
    )
