"""Invitation ids and event ids: stable, so re-runs and retries find what they wrote."""

from __future__ import annotations

import json

from act.invitation_data import NOW
from cxloop.act.invitations.records import InvitationEvent, events_table, invitation_id


def test_the_invitation_id_never_changes_between_versions() -> None:
    # a new formula would invite everybody again: this value is part of the stored data
    assert invitation_id("post-delivery", "C1", "segment:vip") == (
        "inv-6d95196706acd1f1241bf9522025d4d6"
    )
    assert invitation_id("post-delivery", "C1", "segment:vip@2026-q4") != invitation_id(
        "post-delivery", "C1", "segment:vip"
    )
    # the separator keeps ("a", "bc") and ("ab", "c") apart
    assert invitation_id("s", "a", "bc") != invitation_id("s", "ab", "c")


def test_event_ids_one_per_status_and_one_per_failed_attempt() -> None:
    sent = InvitationEvent("inv-1", "s", "C1", "sent", NOW, {"message_id": "<m@x>"})
    failed = [InvitationEvent("inv-1", "s", "C1", "failed", NOW, attempt=n) for n in (1, 2)]
    assert [e.event_id for e in (sent, *failed)] == ["inv-1:sent", "inv-1:failed:1",
                                                     "inv-1:failed:2"]  # fmt: skip
    table = events_table([sent])
    assert table.column("channel").to_pylist() == ["email"]
    assert json.loads(table.column("details")[0].as_py()) == {"message_id": "<m@x>"}
