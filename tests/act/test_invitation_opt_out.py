"""The opt-out link of survey e-mail: its token and the refusal it records."""

from __future__ import annotations

import pytest

from act.invitation_data import NOW, add_consent, add_customers, days_ago
from cxloop.act.invitations.opt_out import (
    OptOutClaims,
    OptOutInvalid,
    opt_out_url,
    read_opt_out,
    record_opt_out,
    sign_opt_out,
)
from cxloop.act.invitations.planning import Candidate, plan_invitations


def test_the_token_round_trips_and_refuses_changes() -> None:
    claims = OptOutClaims(customer_id="C1", language="zh")
    token = sign_opt_out("secret", claims)
    assert read_opt_out("secret", token) == claims
    assert opt_out_url("https://cx.acme.example/", token) == f"https://cx.acme.example/u/{token}"
    for bad in (token[:-3] + "xyz", "not-a-token", ""):
        with pytest.raises(OptOutInvalid):
            read_opt_out("secret", bad)
    with pytest.raises(OptOutInvalid):
        read_opt_out("another-secret", token)


def _consents(warehouse) -> list[tuple[str, bool, str]]:
    frame = warehouse.to_pandas(warehouse.table("consents").order_by("ts"))
    return [(r.purpose, bool(r.granted), r.source) for r in frame.itertuples()]


def test_a_refusal_is_recorded_once_and_stops_the_next_invitation(warehouse) -> None:
    add_customers(warehouse, ("C1", "c1@example.com", "en", "Ann"))
    claims = OptOutClaims(customer_id="C1")
    assert record_opt_out(warehouse, claims, now=days_ago(5)) is True
    assert record_opt_out(warehouse, claims, now=days_ago(4)) is False  # a second click
    assert _consents(warehouse) == [("surveys", False, "email-link")]
    [plan] = plan_invitations(
        warehouse, [Candidate("C1", "customers", "inv-x")], languages=["en"], now=NOW,
        throttle_days=30, consent="opt-out",
    )  # fmt: skip
    assert plan.decision == "no_consent"


def test_after_a_later_grant_the_link_refuses_again(warehouse) -> None:
    add_consent(warehouse, "C1", False, days_ago(30))
    add_consent(warehouse, "C1", True, days_ago(10))
    assert record_opt_out(warehouse, OptOutClaims(customer_id="C1"), now=days_ago(1)) is True
    assert [granted for _, granted, _ in _consents(warehouse)] == [False, True, False]
