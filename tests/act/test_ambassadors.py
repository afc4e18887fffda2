"""The ambassador-programme invite: the segment is created or grown, its members are invited
once, a rerun sends nothing twice, consent still applies, and a dry run writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from act.invitation_data import add_consent
from advocate_tables import add_promoters, ts
from cxloop.act.ambassadors import AMBASSADOR_SURVEY, invite_advocates
from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.collect.surveys import load_surveys
from cxloop.config import Settings
from cxloop.errors import ConfigError
from cxloop.project import init_project, open_project_warehouse
from cxloop.understand.segments import load_segments
from smtp_server import Inbox, smtp_server


@pytest.fixture
def mail() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as served:
        yield served


@pytest.fixture
def shop(tmp_path: Path, mail: tuple[Inbox, int]) -> Settings:
    directory = tmp_path / "acme"
    init_project(directory)
    settings = Settings.load(
        project=directory, smtp_host="127.0.0.1", smtp_port=mail[1], smtp_security="none",
        mail_from="Acme <cx@acme.example>", public_base_url="https://cx.acme.example",
    )  # fmt: skip
    with open_project_warehouse(settings) as wh:
        add_promoters(wh)
    return settings


def _invite(settings: Settings, *, top: int, dry_run: bool = False):  # type: ignore[no-untyped-def]
    survey = load_surveys(settings.project)[AMBASSADOR_SURVEY]
    transport = None
    if not dry_run:
        transport = SmtpTransport(SmtpConfig.from_settings(settings))
    with open_project_warehouse(settings) as wh:
        return invite_advocates(wh, settings, survey, top=top, transport=transport, dry_run=dry_run)


def _log(settings: Settings, table: str) -> list[dict[str, object]]:
    with open_project_warehouse(settings) as wh:
        return wh.to_pandas(wh.table(table)).to_dict("records")  # type: ignore[no-any-return]


def test_invite_creates_the_segment_and_invites_its_members(
    shop: Settings, mail: tuple[Inbox, int]
) -> None:
    report = _invite(shop, top=2)
    assert report.chosen == ["cus_p1", "cus_p3"] and report.added == ["cus_p1", "cus_p3"]
    assert report.segment_created and report.segment_members == 2
    assert report.invitations == {"sent": 2}
    assert sorted(str(m["To"]) for m in mail[0].messages) == ["p1@example.com", "p3@example.com"]
    (definition, _), *_ = [s for s in load_segments(shop.project) if s[0].id == "ambassadors"]
    assert definition.members == ["cus_p1", "cus_p3"] and definition.rule is None
    entered = _log(shop, "segment_members")
    assert sorted((r["customer_id"], r["change"]) for r in entered) == [
        ("cus_p1", "entered"), ("cus_p3", "entered"),
    ]  # fmt: skip
    triggers = {r["details"] for r in _log(shop, "survey_invitations")}
    assert all('"trigger": "segment:ambassadors"' in str(t) for t in triggers)


def test_a_rerun_sends_nothing_twice_and_a_bigger_top_adds_the_next(
    shop: Settings, mail: tuple[Inbox, int]
) -> None:
    _invite(shop, top=2)
    again = _invite(shop, top=2)
    assert again.added == [] and not again.segment_created
    assert again.invitations == {"already_invited": 2}
    assert len(mail[0].messages) == 2
    assert len(_log(shop, "segment_members")) == 2
    more = _invite(shop, top=3)
    assert more.added == ["cus_p2"] and more.segment_members == 3
    assert more.invitations == {"sent": 1, "already_invited": 2}
    assert len(mail[0].messages) == 3


def test_dry_run_writes_nothing_and_shows_who(shop: Settings, mail: tuple[Inbox, int]) -> None:
    report = _invite(shop, top=2, dry_run=True)
    assert report.dry_run and report.segment_created and report.added == ["cus_p1", "cus_p3"]
    assert report.invitations == {"pending": 2} and report.segment_members == 2
    assert not (shop.project / "segments" / "ambassadors.yaml").exists()
    assert _log(shop, "segment_members") == [] and _log(shop, "survey_invitations") == []
    assert mail[0].messages == []
    _invite(shop, top=1)
    later = _invite(shop, top=2, dry_run=True)
    assert later.added == ["cus_p3"] and not later.segment_created
    assert sorted((o["customer_id"], o["status"]) for o in later.outcomes) == [
        ("cus_p1", "already_invited"), ("cus_p3", "pending"),
    ]  # fmt: skip
    assert len(_log(shop, "segment_members")) == 1


def test_consent_and_throttle_still_apply(shop: Settings, mail: tuple[Inbox, int]) -> None:
    with open_project_warehouse(shop) as wh:
        add_consent(wh, "cus_p3", False, ts("2025-01-01"))
    report = _invite(shop, top=2)
    assert report.invitations == {"sent": 1, "no_consent": 1}
    assert [str(m["To"]) for m in mail[0].messages] == ["p1@example.com"]
    # p3 refused, but is in the programme's segment: the refusal is about e-mail only
    assert report.segment_members == 2


def test_a_rule_segment_with_the_same_id_is_not_overwritten(shop: Settings) -> None:
    path = shop.project / "segments" / "ambassadors.yaml"
    path.write_text("id: ambassadors\nname: Ours\nrule: nps >= 9\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"ambassadors.yaml: segment 'ambassadors' has a rule"):
        _invite(shop, top=2)
    assert "rule: nps >= 9" in path.read_text(encoding="utf-8")


def test_missing_mail_settings_change_nothing(shop: Settings) -> None:
    settings = shop.model_copy(update={"public_base_url": None})
    with pytest.raises(ConfigError, match="public_base_url"):
        _invite(settings, top=2)
    assert not (shop.project / "segments" / "ambassadors.yaml").exists()
    assert _log(shop, "segment_members") == []
