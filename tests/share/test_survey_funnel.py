"""The Surveys pages' funnel counts the invitation events through the invitation funnel's one
expression: each page number against the events read by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from act.invitation_data import add_invitation_event
from cxloop.act.invitations import invitation_funnel
from cxloop.share.survey_funnel import survey_funnels

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_both_funnels_read_the_same_events(warehouse) -> None:
    events = {
        "i1": ["sent", "opened", "started", "responded"],
        "i2": ["sent", "opened"],
        "i3": ["failed", "sent"],  # a retried send that went out
        "i4": ["started", "responded"],  # answered from a link with no sent event on record
        "i5": ["throttled"],
    }
    for invitation, statuses in events.items():
        for k, status in enumerate(statuses):
            add_invitation_event(warehouse, invitation, "C" + invitation, status,
                                 T0 + timedelta(hours=k), survey_id="s")  # fmt: skip
    page = survey_funnels(warehouse, ["s", "none"])
    # the pages read the events literally: invitations with a sent event (i1, i2, i3), and of
    # those the opened (i1, i2) and responded (i1) ones
    assert (page["s"].invitations, page["s"].opened, page["s"].responded_invitations) == (3, 2, 1)
    assert page["none"].invitations == 0
    # the CLI's funnel counts a stage reached by a later event too (i4 was sent and opened)
    funnel = invitation_funnel(warehouse, "s")
    assert (funnel.sent, funnel.opened, funnel.started, funnel.responded) == (4, 3, 2, 2)
    assert (funnel.failed, funnel.throttled) == (0, 1)
