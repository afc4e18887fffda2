"""Suppression markers: salted, normalised hashes, and senders that respect them."""

from __future__ import annotations

from cxloop.act.invitations import InvitationOptions, customer_ids_audience, send_invitations
from cxloop.collect.surveys import load_surveys
from cxloop.config import Settings
from cxloop.privacy.erasure import erase_customer
from cxloop.privacy.suppression import contact_hash, suppressed_contacts
from cxloop.project import open_project_warehouse
from privacy_data import add_two_customers


def test_hashes_are_normalised_salted_and_unreadable() -> None:
    a = contact_hash("s1", "email", " Ana@Example.com ")
    assert a == contact_hash("s1", "email", "ana@example.com")
    assert a != contact_hash("s2", "email", "ana@example.com")
    assert a is not None and "ana" not in a and a.startswith("email:")
    assert contact_hash("s1", "phone", "+34 600-000-001") == contact_hash(
        "s1", "phone", "34600000001"
    )
    assert contact_hash("s1", "email", "not an address") is None
    assert contact_hash("s1", "phone", "n/a") is None


def test_survey_invitations_skip_an_erased_address_brought_back(project: Settings) -> None:
    survey = next(s for s in load_surveys(project.project).values() if s.audience != "employees")
    options = InvitationOptions.from_settings(project)
    with open_project_warehouse(project) as wh:
        add_two_customers(wh)
        erase_customer(wh, project, "cus_ana", actor="cli:test")
        assert suppressed_contacts(wh, project.signing_key(), "email", ["ana@example.com"])
        wh.append_rows(
            "customers",
            [{"customer_id": "cus_back", "email": " ANA@example.com", "language": "en"}],
        )
        report = send_invitations(
            wh, survey, customer_ids_audience(["cus_back", "cus_bo"]), options, dry_run=True
        )
    status = {o.customer_id: (o.status, o.reason) for o in report.outcomes}
    assert status["cus_back"] == ("no_consent", "erased person (privacy request)")
    assert status["cus_bo"][0] == "pending"
