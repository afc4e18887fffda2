"""Erasure reaches every table: after it, no row of any table references the person."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cxloop.act.invitations.planning import Candidate, plan_invitations
from cxloop.privacy.erasure import erase_customer, person_rows
from cxloop.privacy.person import Person, gather_person
from cxloop.privacy.suppression import contact_hash, suppressed_contacts
from cxloop.project import open_project_warehouse
from cxloop.storage import Warehouse
from cxloop.understand.kpi.rollup import ROLLUP_NAME, refresh_rollup, rollup_is_fresh
from cxloop.unify.resolve import resolve

from .conftest import EXPECTED, DemoCopy


def needles(person: Person) -> list[str]:
    """Strings no text cell may contain after the erasure."""
    return sorted(
        {
            person.customer_id,
            *person.record_ids,
            *person.emails,
            *person.phones,
            *person.names,
            *person.feedback_ids,
            *person.case_ids,
            *person.event_ids,
            *person.invitation_ids,
            "anon-planted-1",
        }
    )


def references(wh: Warehouse, person: Person) -> list[str]:
    """Every (table, column, value) in the whole warehouse that names the person."""
    found = []
    words = needles(person)
    refs = {f"{s}\x1f{i}" for s, i in person.source_refs}
    # the tables kept in the file (not the temporary in-memory tables of a connection)
    stored = wh.ibis.raw_sql("SELECT table_name FROM duckdb_tables() WHERE NOT temporary")
    for (name,) in stored.fetchall():
        frame = wh.to_pandas(wh.ibis.table(name))
        for column in frame.columns:
            values = frame[column].dropna().astype(str)
            for word in words:
                hits = values[values.str.contains(word, regex=False)]
                found += [f"{name}.{column}: {v[:80]!r} ~ {word!r}" for v in hits.head(3)]
        if "source" in frame.columns:
            for column in ("source_id", "source_customer_id", "from_id", "to_id"):
                if column in frame.columns:
                    pairs = frame["source"].astype(str) + "\x1f" + frame[column].astype(str)
                    found += [f"{name}.{column}: {p!r}" for p in pairs[pairs.isin(refs)].head(3)]
    return found


def test_erasure_leaves_no_row_that_references_the_person(planted: DemoCopy) -> None:
    settings, customer_id = planted.settings, planted.customer_id
    segment_file = settings.project / "segments" / "vip_list.yaml"
    with open_project_warehouse(settings) as wh:
        person = gather_person(wh, customer_id)
        before = person_rows(wh, person)
        assert [t for t in EXPECTED if not before[t]] == [], before
        assert references(wh, person)  # the check below can find them
        counts = wh.counts()
        refresh_rollup(wh)
        report = erase_customer(wh, settings, customer_id, actor="cli:test")

        assert report.rows["events"] == before["events"]
        assert report.scrubbed["audit_log"] == before["audit_log"] == 2
        assert references(wh, person) == []
        assert all(n == 0 for t, n in person_rows(wh, person).items() if t != "audit_log")
        after = wh.counts()
        assert after["customers"] == counts["customers"] - 1
        # the audit rows stay, scrubbed, and one more says who erased whom, without names
        assert after["audit_log"] == counts["audit_log"] + 1
        log = wh.to_pandas(wh.table("audit_log"))
        erased = log[log.action == "erase"].iloc[0]
        assert erased.actor == "cli:test" and erased.target_id == report.erased_as
        details = json.loads(erased.details)
        assert details["rows"]["events"] == before["events"]
        # the rollup stays exact: as fresh as before, and equal to a rebuild
        assert rollup_is_fresh(wh) and report.rollup_rows_forgotten == before["feedback"]
        kept = wh.to_pandas(wh.table(ROLLUP_NAME)).sort_values("cell_id").reset_index(drop=True)
        refresh_rollup(wh, full=True)
        rebuilt = wh.to_pandas(wh.table(ROLLUP_NAME)).sort_values("cell_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(kept, rebuilt, check_dtype=False)
    text = segment_file.read_text(encoding="utf-8")
    assert customer_id not in text and planted.other_id in text


def test_rerunning_resolve_does_not_bring_them_back(planted: DemoCopy) -> None:
    with open_project_warehouse(planted.settings) as wh:
        person = gather_person(wh, planted.customer_id)
        erase_customer(wh, planted.settings, planted.customer_id, actor="cli:test")
        resolve(wh)
        resolve(wh, full=True)
        assert references(wh, person) == []


def test_an_import_that_brings_their_address_back_does_not_make_them_contactable(
    planted: DemoCopy,
) -> None:
    settings = planted.settings
    secret = settings.signing_key()
    with open_project_warehouse(settings) as wh:
        person = gather_person(wh, planted.customer_id)
        email = person.emails[0]
        erase_customer(wh, settings, planted.customer_id, actor="cli:test")
        marks = set(wh.to_pandas(wh.table("erasure_suppressions"))["suppression_id"])
        assert contact_hash(secret, "email", email) in marks
        assert not any(email in m for m in marks)
        wh.append_rows(
            "source_records",
            [{"record_id": "crm:BACK1", "source": "crm", "source_id": "BACK1",
              "email": email.upper(), "first_name": "Back", "last_name": "Again"}],
        )  # fmt: skip
        resolve(wh)
        identities = wh.table("identities")
        back = wh.to_pandas(identities.filter(identities.record_id == "crm:BACK1"))
        new_id = str(back["customer_id"].iloc[0])
        assert suppressed_contacts(wh, secret, "email", [email.upper()]) == {email.upper()}
        [plan] = plan_invitations(
            wh,
            [Candidate(new_id, "test", "inv-back")],
            languages=["en"],
            now=pd.Timestamp.now(tz="UTC").to_pydatetime(),
            throttle_days=0,
            consent="opt-out",
            suppression_secret=secret,
        )
        assert plan.decision == "no_consent" and "erased" in (plan.reason or "")


def test_a_failure_leaves_everything_as_it_was(
    planted: DemoCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = planted.settings
    segment_file = settings.project / "segments" / "vip_list.yaml"
    original = segment_file.read_text(encoding="utf-8")
    with open_project_warehouse(settings) as wh:
        counts = wh.counts()
        log = wh.to_pandas(wh.table("audit_log")).sort_values("audit_id").reset_index(drop=True)
        real = Warehouse.append_rows

        def failing(self: Warehouse, table: str, rows: list) -> object:
            if table == "audit_log":
                raise OSError("disk full")
            return real(self, table, rows)

        monkeypatch.setattr(Warehouse, "append_rows", failing)
        with pytest.raises(OSError):
            erase_customer(wh, settings, planted.customer_id, actor="cli:test")
        monkeypatch.undo()
        assert wh.counts() == counts
        again = wh.to_pandas(wh.table("audit_log")).sort_values("audit_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(log, again)
    assert segment_file.read_text(encoding="utf-8") == original


def test_erasing_by_email_and_twice(planted: DemoCopy) -> None:
    from cxloop.errors import NotFoundError

    with open_project_warehouse(planted.settings) as wh:
        email = gather_person(wh, planted.customer_id).emails[0]
        report = erase_customer(wh, planted.settings, f" {email.upper()} ", actor="cli:test")
        assert report.customer_id == planted.customer_id
        with pytest.raises(NotFoundError, match=planted.customer_id):
            erase_customer(wh, planted.settings, planted.customer_id, actor="cli:test")
        with pytest.raises(NotFoundError):
            erase_customer(wh, planted.settings, email, actor="cli:test")
