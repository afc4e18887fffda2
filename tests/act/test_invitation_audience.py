"""Audiences: segment members, a file of customer ids, customers after an event."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from act.invitation_data import NOW, add_customers, add_event, add_segment, days_ago
from cxloop.act.invitations.audience import (
    customers_audience,
    event_audience,
    read_customer_ids,
    segment_audience,
    segment_members_expr,
)
from cxloop.act.invitations.planning import audience_candidates
from cxloop.act.invitations.records import invitation_id
from cxloop.errors import DataError, NotFoundError, UsageError


def _write(tmp_path: Path, text: str, name: str = "ids.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_text_file_one_id_per_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "# our VIPs\nC1\n\n  C2  \nC1\n")
    assert read_customer_ids(path) == [(2, "C1"), (4, "C2")]


def test_a_csv_file_with_a_customer_id_column(tmp_path: Path) -> None:
    path = _write(tmp_path, '\ufeffname,Customer_ID\nAna,C1\n"Bo, Jr",C2\n,\n', "ids.csv")
    assert read_customer_ids(path) == [(2, "C1"), (3, "C2")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,customer_id\nAna,C1\nBo,\n", r"ids\.txt:3: customer_id is empty"),
        ("C1\nC 2\n", r"ids\.txt:2: 'C 2' is not a customer id"),
        ("C1\nC\x002\n", r"ids\.txt:2: .* is not a customer id"),
        ("\n# nobody\n", r"ids\.txt: no customer ids in the file"),
    ],
)
def test_bad_ids_are_named_with_their_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        read_customer_ids(_write(tmp_path, text))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read_customer_ids(tmp_path / "nope.txt")


def test_unknown_customers_are_named_with_their_line(warehouse, tmp_path: Path) -> None:
    add_customers(warehouse, ("C1", "a@example.com", "en", "Ana"))
    path = _write(tmp_path, "C1\nX9\nC1\nX8\n")
    with pytest.raises(DataError, match=r"ids\.txt: unknown customer ids \(line 2: 'X9', "
                                        r"line 4: 'X8'\)"):  # fmt: skip
        audience_candidates(warehouse, "s", customers_audience(path))


def test_customers_file_candidates(warehouse, tmp_path: Path) -> None:
    add_customers(warehouse, ("C1", "a@example.com", "en", "Ana"),
                  ("C2", "b@example.com", "es", "Bea"))  # fmt: skip
    found = audience_candidates(warehouse, "s", customers_audience(_write(tmp_path, "C2\nC1\n")))
    assert [(c.customer_id, c.trigger) for c in found] == [("C2", "customers"), ("C1", "customers")]
    assert found[0].invitation_id == invitation_id("s", "C2", "customers")


def test_segment_candidates_and_waves(warehouse) -> None:
    add_segment(warehouse, "vip", ["C2", "C1"])
    found = audience_candidates(warehouse, "s", segment_audience("vip"))
    assert [(c.customer_id, c.trigger) for c in found] == [
        ("C1", "segment:vip"),
        ("C2", "segment:vip"),
    ]
    waved = audience_candidates(warehouse, "s", segment_audience("vip", wave="2026-q4"))
    assert waved[0].trigger == "segment:vip@2026-q4"
    assert waved[0].invitation_id != found[0].invitation_id


def test_an_empty_segment_invites_nobody_and_an_unknown_one_is_an_error(warehouse) -> None:
    add_segment(warehouse, "empty", [])
    assert audience_candidates(warehouse, "s", segment_audience("empty")) == []
    with pytest.raises(NotFoundError, match="--segment 'nope': no such segment"):
        audience_candidates(warehouse, "s", segment_audience("nope"))


def test_after_event_takes_each_customers_latest_event_since(warehouse) -> None:
    add_event(warehouse, "e1", "C1", "delivered", days_ago(10))
    add_event(warehouse, "e2", "C1", "delivered", days_ago(2))
    add_event(warehouse, "e3", "C2", "delivered", days_ago(1))
    add_event(warehouse, "e4", "C3", "delivered", days_ago(30))  # before --since
    add_event(warehouse, "e5", "C4", "returned", days_ago(1))  # another event
    add_event(warehouse, "e6", None, "delivered", days_ago(1))  # nobody known
    found = audience_candidates(warehouse, "s", event_audience("delivered", days_ago(14)))
    assert [(c.customer_id, c.trigger) for c in found] == [("C1", "event:e2"), ("C2", "event:e3")]
    assert days_ago(14) < NOW


def test_bad_waves_and_event_names() -> None:
    with pytest.raises(UsageError, match="--wave"):
        segment_audience("vip", wave="no spaces please")
    with pytest.raises(UsageError, match="--after-event"):
        event_audience(" ", NOW)
    assert event_audience("delivered", NOW, wave="w1").describe().startswith("event delivered")


def test_segment_members_from_a_membership_log(warehouse) -> None:
    """Where segment_members is a log of entries and exits, only current members count."""
    log = ibis.memtable(
        {
            "member_id": ["m1", "m2", "m3", "m4", "m5", "m6"],
            "segment_id": ["vip", "vip", "vip", "vip", "vip", "other"],
            "customer_id": ["C1", "C2", "C2", "C3", "C3", "C4"],
            "computed_at": [days_ago(9), days_ago(9), days_ago(2), days_ago(9), days_ago(2),
                            days_ago(1)],
            "change": [None, "entered", "left", "entered", "entered", "entered"],
        }
    )  # fmt: skip
    members = warehouse.to_pandas(segment_members_expr(log, "vip"))
    assert sorted(members.customer_id) == ["C1", "C3"]
