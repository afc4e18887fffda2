"""Who is invited: consent, the throttle, earlier invitations, e-mail addresses, language."""

from __future__ import annotations

import pytest

from act.invitation_data import (
    NOW,
    add_consent,
    add_customers,
    add_invitation_event,
    days_ago,
)
from cxloop.act.invitations.planning import (
    Candidate,
    plan_invitations,
    recipient_language,
    valid_address,
)
from cxloop.act.invitations.records import invitation_id


def _candidates(*customer_ids: str, trigger: str = "customers") -> list[Candidate]:
    return [Candidate(c, trigger, invitation_id("s", c, trigger)) for c in customer_ids]


def _plan(warehouse, *customer_ids: str, throttle_days: int = 30, consent: str = "opt-out"):
    plans = plan_invitations(
        warehouse, _candidates(*customer_ids), languages=["en", "es", "zh"], now=NOW,
        throttle_days=throttle_days, consent=consent,  # type: ignore[arg-type]
    )  # fmt: skip
    return {p.candidate.customer_id: p for p in plans}


def _people(warehouse, *ids: str) -> None:
    add_customers(warehouse, *[(c, f"{c.lower()}@example.com", "en", c) for c in ids])


def test_consent_latest_email_survey_event_decides(warehouse) -> None:
    _people(warehouse, "R", "G", "RG", "GR", "ALL", "SMS", "MKT", "NONE")
    add_consent(warehouse, "R", False, days_ago(100))
    add_consent(warehouse, "G", True, days_ago(100))
    add_consent(warehouse, "RG", False, days_ago(100))
    add_consent(warehouse, "RG", True, days_ago(50))  # granted again later
    add_consent(warehouse, "GR", True, days_ago(100))
    add_consent(warehouse, "GR", False, days_ago(50))  # withdrew later
    add_consent(warehouse, "ALL", False, days_ago(10), purpose="all")
    add_consent(warehouse, "SMS", False, days_ago(10), channel="sms")  # another channel
    add_consent(warehouse, "MKT", False, days_ago(10), purpose="marketing")  # another purpose
    plans = _plan(warehouse, "R", "G", "RG", "GR", "ALL", "SMS", "MKT", "NONE")
    assert {c: p.decision for c, p in plans.items()} == {
        "R": "no_consent", "G": "send", "RG": "send", "GR": "no_consent",
        "ALL": "no_consent", "SMS": "send", "MKT": "send", "NONE": "send",
    }  # fmt: skip
    assert plans["R"].reason == "refused"
    assert plans["GR"].details == {"consent_ts": days_ago(50).isoformat(), "purpose": "surveys"}


def test_opt_in_needs_a_recorded_grant(warehouse) -> None:
    _people(warehouse, "G", "NONE", "R")
    add_consent(warehouse, "G", True, days_ago(5))
    add_consent(warehouse, "R", False, days_ago(5))
    plans = _plan(warehouse, "G", "NONE", "R", consent="opt-in")
    assert {c: p.decision for c, p in plans.items()} == {
        "G": "send", "NONE": "no_consent", "R": "no_consent"
    }  # fmt: skip
    assert plans["NONE"].reason == "no consent on record (opt-in)"


def test_a_refusal_and_a_grant_at_the_same_time_is_a_refusal(warehouse) -> None:
    _people(warehouse, "T")
    add_consent(warehouse, "T", True, days_ago(3))
    add_consent(warehouse, "T", False, days_ago(3), purpose="all")
    assert _plan(warehouse, "T")["T"].decision == "no_consent"


def test_throttle_across_all_surveys(warehouse) -> None:
    _people(warehouse, "RECENT", "OLD", "ANSWERED", "FAILED_ONLY", "FRESH")
    add_invitation_event(warehouse, "x1", "RECENT", "sent", days_ago(10), survey_id="csat")
    add_invitation_event(warehouse, "x2", "OLD", "sent", days_ago(40), survey_id="csat")
    add_invitation_event(warehouse, "x3", "FAILED_ONLY", "failed", days_ago(1))
    warehouse.append_rows(
        "survey_responses",
        [{"response_id": "r1", "survey_id": "kiosk", "customer_id": "ANSWERED",
          "ts": days_ago(5), "answers": "{}"}],
    )  # fmt: skip
    plans = _plan(warehouse, "RECENT", "OLD", "ANSWERED", "FAILED_ONLY", "FRESH")
    assert {c: p.decision for c, p in plans.items()} == {
        "RECENT": "throttled", "OLD": "send", "ANSWERED": "throttled",
        "FAILED_ONLY": "send", "FRESH": "send",
    }  # fmt: skip
    assert plans["RECENT"].reason == "surveyed in the last 30 days"
    assert plans["RECENT"].details == {"last_surveyed": days_ago(10).isoformat()}
    unthrottled = _plan(warehouse, "RECENT", "ANSWERED", throttle_days=0)
    assert {p.decision for p in unthrottled.values()} == {"send"}
    shorter = _plan(warehouse, "RECENT", "ANSWERED", throttle_days=7)
    assert {c: p.decision for c, p in shorter.items()} == {"RECENT": "send",
                                                           "ANSWERED": "throttled"}  # fmt: skip


def test_earlier_invitations_with_the_same_id(warehouse) -> None:
    _people(warehouse, "SENT", "FAILED", "OPENED", "THROTTLED")
    for customer, status in [("SENT", "sent"), ("FAILED", "failed"), ("OPENED", "opened"),
                             ("THROTTLED", "throttled")]:  # fmt: skip
        inv = invitation_id("s", customer, "customers")
        add_invitation_event(warehouse, inv, customer, status, days_ago(60), survey_id="s")
    plans = _plan(warehouse, "SENT", "FAILED", "OPENED", "THROTTLED")
    assert {c: p.decision for c, p in plans.items()} == {
        "SENT": "already_invited", "FAILED": "send", "OPENED": "already_invited",
        "THROTTLED": "already_invited",
    }  # fmt: skip
    assert plans["FAILED"].failures == 1
    assert plans["OPENED"].reason == "opened"


def test_addresses_and_records(warehouse) -> None:
    add_customers(warehouse, ("NOMAIL", None, "en", "N"), ("BAD", "not an address", "en", "B"),
                  ("HDR", "a@example.com\r\nBcc: x@evil.example", "en", "H"))  # fmt: skip
    plans = _plan(warehouse, "NOMAIL", "BAD", "HDR", "GHOST")
    assert {c: (p.decision, p.reason) for c, p in plans.items()} == {
        "NOMAIL": ("failed", "no e-mail address"),
        "BAD": ("failed", "the e-mail address is not valid"),
        "HDR": ("failed", "the e-mail address is not valid"),
        "GHOST": ("failed", "no customer record"),
    }


def test_one_person_twice_in_a_run_is_invited_once(warehouse) -> None:
    _people(warehouse, "C1")
    candidates = [*_candidates("C1", trigger="event:e1"), *_candidates("C1", trigger="event:e2")]
    plans = plan_invitations(warehouse, candidates, languages=["en"], now=NOW,
                             throttle_days=30, consent="opt-out")  # fmt: skip
    assert [p.decision for p in plans] == ["send", "throttled"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("es", "es"), ("es-MX", "es"), ("ZH_cn", "zh"), ("fr", "en"), (None, "en"), ("", "en")],
)
def test_recipient_language(language: str | None, expected: str) -> None:
    assert recipient_language(language, ["en", "es", "zh"]) == expected


def test_recipient_language_falls_back_to_the_surveys_first() -> None:
    assert recipient_language("en", ["es", "zh"]) == "es"


@pytest.mark.parametrize(
    ("address", "ok"),
    [("ana@example.com", True), ("ana.b+tag@mail.example.co.uk", True), ("ana@localhost", False),
     ("Ana <ana@example.com>", False), ("ana@exa mple.com", False), ("@example.com", False),
     ("ana@example.com\nBcc: x@y.z", False)],
)  # fmt: skip
def test_valid_address(address: str, ok: bool) -> None:
    assert valid_address(address) is ok
