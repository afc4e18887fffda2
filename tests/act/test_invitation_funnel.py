"""The invitation funnel: sent → opened → started → responded, by survey."""

from __future__ import annotations

from act.invitation_data import add_invitation_event, days_ago
from cxloop.act.invitations.funnel import InvitationFunnel, invitation_funnel, invitation_funnels


def _history(warehouse, survey_id: str, invitation: str, *statuses: str) -> None:
    for step, status in enumerate(statuses):
        add_invitation_event(
            warehouse, invitation, f"cust-{invitation}", status, days_ago(10 - step),
            survey_id=survey_id,
        )  # fmt: skip


def test_counts_and_rates(warehouse) -> None:
    _history(warehouse, "nps", "a", "sent", "opened", "started", "responded")
    _history(warehouse, "nps", "b", "sent", "opened", "started")
    _history(warehouse, "nps", "c", "sent", "started", "responded")  # clicked a score
    _history(warehouse, "nps", "d", "sent")
    _history(warehouse, "nps", "e", "failed", "failed", "sent", "opened")  # retried
    _history(warehouse, "nps", "f", "failed")
    _history(warehouse, "nps", "g", "throttled")
    _history(warehouse, "nps", "h", "no_consent")
    _history(warehouse, "csat", "i", "sent", "opened", "started", "responded")
    funnels = invitation_funnels(warehouse)
    assert [f.survey_id for f in funnels] == ["csat", "nps"]
    nps = funnels[1]
    assert nps == InvitationFunnel(
        survey_id="nps", sent=5, opened=4, started=3, responded=2, failed=1, throttled=1,
        no_consent=1, open_rate=4 / 5, response_rate=2 / 5, completion_rate=2 / 3,
    )  # fmt: skip
    assert invitation_funnel(warehouse, "csat").response_rate == 1.0


def test_a_survey_without_invitations_has_no_rates(warehouse) -> None:
    _history(warehouse, "nps", "f", "failed")
    assert invitation_funnel(warehouse, "new") == InvitationFunnel(survey_id="new")
    only_failed = invitation_funnel(warehouse, "nps")
    assert (only_failed.sent, only_failed.failed, only_failed.open_rate) == (0, 1, None)
