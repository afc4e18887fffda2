"""Digests through a real SMTP server on loopback: the team digest in each member's language
with an inline chart, nothing sent twice, dry runs, consent, and redacted verbatims."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.share.digests import DigestService, send_digests
from cxloop.share.digests.periods import due_week_end, last_week_end, month_for_week, week_period
from share.digest_data import NOW, OPTIONS, WEEK_END, build_company
from smtp_server import smtp_server


@pytest.fixture
def company(warehouse):
    build_company(warehouse)
    return warehouse


def _transport(port: int) -> SmtpTransport:
    return SmtpTransport(SmtpConfig("127.0.0.1", port, security="none", timeout_s=5))


def _html(message: EmailMessage) -> str:
    body = message.get_body(("html",))
    assert body is not None
    return str(body.get_content())


def _text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_team_lead_gets_the_digest_in_their_language_with_an_inline_chart(company) -> None:
    with smtp_server() as (inbox, port):
        report = send_digests(company, OPTIONS, kind="team", transport=_transport(port), now=NOW)
    assert report.week == "week:2026-12-06"
    [lead] = inbox.to("wendy@acme.example")  # the manager of web, language es
    assert lead["Content-Language"] == "es"
    html = _html(lead)
    assert "Sus clientes esta semana" in html and "Historias de clientes" in html
    related = [p for p in lead.walk() if p.get_content_type() == "multipart/related"]
    assert len(related) == 1
    [png] = [p for p in lead.walk() if p.get_content_type() == "image/png"]
    cid = png["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html
    assert png.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    # escaped: a team name and a comment with markup arrive as text
    assert "Web &lt;shop&gt;" in html and "&lt;b&gt;froze&lt;/b&gt;" in html
    assert "<script" not in html and "http://" not in html.replace("https://cx.acme", "")
    # the open, overdue case links to the dashboard
    assert "https://cx.acme.example/cases/K1" in html
    assert ">alta</td>" in html  # the case's priority, in Spanish
    # Wu reads Chinese; the member without e-mail gets nothing; billing's lead (no language)
    # gets the project default
    [wu] = inbox.to("wu@acme.example")
    assert "客户故事" in _html(wu)
    [bill] = inbox.to("bill@acme.example")
    assert "Customer stories" in _html(bill)
    assert len(inbox.messages) == 3
    assert report.counts == {"sent": 3}


def test_verbatims_are_redacted_and_never_name_the_customer(company) -> None:
    with smtp_server() as (inbox, port):
        send_digests(company, OPTIONS, kind="team", team="web", transport=_transport(port),
                     now=NOW)  # fmt: skip
    for message in inbox.messages:
        for body in (_html(message), _text(message)):
            assert "415 555 0134" not in body and "ann.private@example.com" not in body
            assert "Ann Example" not in body and "Ann" not in body
            assert "[PHONE]" in body and "[EMAIL]" in body
    # praise and a problem for the most mentioned theme
    text = _text(inbox.to("bill@acme.example")[0]) if inbox.to("bill@acme.example") else None
    assert text is None  # --team web: only web's members
    es = _text(inbox.to("wendy@acme.example")[0])
    assert 'Elogio: "The delivery was quick' in es and 'Problema: "Delivery was late' in es


def test_a_second_run_in_the_same_week_sends_nothing(company) -> None:
    with smtp_server() as (inbox, port):
        first = send_digests(company, OPTIONS, transport=_transport(port), now=NOW)
        later = NOW + timedelta(days=3)  # still before the next Monday
        second = send_digests(company, OPTIONS, transport=_transport(port), now=later)
    assert first.counts["sent"] == 4  # three team members and one customer
    assert second.counts == {"already_sent": 4}
    assert len(inbox.messages) == 4
    rows = company.to_pyarrow(company.table("digests")).to_pylist()
    assert {r["digest_id"] for r in rows} == {
        "team:web:E1:week:2026-12-06", "team:web:E3:week:2026-12-06",
        "team:billing:E2:week:2026-12-06", "customer:C1:month:2026-11",
    }  # fmt: skip
    assert {(r["kind"], r["employee_id"] or r["customer_id"], r["period"]) for r in rows} == {
        ("team", "E1", "week:2026-12-06"), ("team", "E2", "week:2026-12-06"),
        ("team", "E3", "week:2026-12-06"), ("customer", "C1", "month:2026-11"),
    }  # fmt: skip


def test_a_manager_of_two_teams_gets_both_digests(company) -> None:
    team = {"team_id": "returns", "name": "Returns", "manager_employee_id": "E1"}
    company.append_rows("teams", [team])
    with smtp_server() as (inbox, port):
        report = send_digests(company, OPTIONS, kind="team", transport=_transport(port), now=NOW)
    assert len(inbox.to("wendy@acme.example")) == 2
    assert sorted(o.team_id for o in report.outcomes if o.recipient_id == "E1") == [
        "returns",
        "web",
    ]


def test_dry_run_writes_files_and_sends_nothing(company, tmp_path: Path) -> None:
    out = tmp_path / "previews"
    with smtp_server() as (inbox, _port):
        report = send_digests(company, OPTIONS, dry_run=True, out_dir=out, now=NOW)
    assert inbox.messages == []
    assert report.counts == {"pending": 4}
    assert company.to_pyarrow(company.table("digests")).num_rows == 0
    names = sorted(p.name for p in out.iterdir())
    assert (
        "team-web-E1-week-2026-12-06.eml" in names and "team-web-E1-week-2026-12-06.html" in names
    )
    assert "customer-C1-month-2026-11.eml" in names
    preview = (out / "team-web-E1-week-2026-12-06.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in preview and "cid:" not in preview


def test_only_consenting_customers_get_their_own_progress(company) -> None:
    with smtp_server() as (inbox, port):
        report = send_digests(company, OPTIONS, kind="customer", transport=_transport(port),
                              now=NOW)  # fmt: skip
    # C1 granted progress; C2 only surveys; C3 granted all, then refused progress
    assert [m["To"] for m in inbox.messages] == ["ann@example.com"]
    assert [o.recipient_id for o in report.outcomes] == ["C1"]
    [mail] = inbox.messages
    text = _text(mail)
    assert "Hello Ann," in text and "November 2026" in text
    assert "Orders this month: 1" in text and "Orders in all: 5" in text
    assert "Your 5th order with us" in text and "2 year(s) with us" in text
    assert "we made it up to you" in text and "still working on 1" in text
    # nobody else's data: C2's and C3's orders and names are not in it
    for other in ("Bea", "Carl", "99", "12.0"):
        assert other not in text
    assert mail["List-Unsubscribe"].startswith("<https://cx.acme.example/u/")


def test_the_opt_out_link_refuses_progress_e_mail_only(company) -> None:
    from cxloop.act.invitations.opt_out import read_opt_out, record_opt_out

    with smtp_server() as (inbox, port):
        send_digests(company, OPTIONS, kind="customer", transport=_transport(port), now=NOW)
    token = inbox.messages[0]["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    claims = read_opt_out(OPTIONS.secret, token)
    assert (claims.customer_id, claims.purpose) == ("C1", "progress")
    assert record_opt_out(company, claims, now=NOW)
    next_month = NOW + timedelta(days=35)
    with smtp_server() as (inbox, port):
        report = send_digests(company, OPTIONS, kind="customer", transport=_transport(port),
                              now=next_month)  # fmt: skip
    assert inbox.messages == [] and report.outcomes == []


def test_periods() -> None:
    assert last_week_end(date(2026, 12, 9), "monday") == WEEK_END
    assert last_week_end(date(2026, 12, 7), "monday") == WEEK_END  # Monday: last week
    assert last_week_end(date(2026, 12, 9), "friday") == date(2026, 12, 3)
    week = week_period(WEEK_END)
    assert (week.start, week.key) == (date(2026, 11, 30), "week:2026-12-06")
    assert month_for_week(week).key == "month:2026-11"
    assert month_for_week(week_period(date(2026, 11, 30))).key == "month:2026-11"
    assert month_for_week(week_period(date(2026, 11, 29))).key == "month:2026-10"
    madrid = week_period(WEEK_END, "Europe/Madrid")
    assert madrid.since == datetime(2026, 11, 29, 23, tzinfo=UTC)
    # Monday 7 December, 07:59 in Madrid: the digest of the week before is still the due one
    monday = datetime(2026, 12, 7, 6, 59, tzinfo=UTC)
    assert due_week_end(monday, "monday", 8, "Europe/Madrid") == date(2026, 11, 29)
    assert due_week_end(monday + timedelta(minutes=2), "monday", 8, "Europe/Madrid") == WEEK_END


def test_the_server_sends_when_due_and_not_again(company, project) -> None:
    settings = project.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_security": "none", "mail_from": "cx@acme.example",
        "public_base_url": "https://cx.acme.example", "digest_hour": 8,
    })  # fmt: skip
    with smtp_server() as (inbox, port):
        service = DigestService(company, settings, transport=lambda: _transport(port))
        monday_morning = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)
        first = service.run_due(monday_morning)  # the week to 29 Nov (late, but never sent)
        assert first is not None and first.week == "week:2026-11-29"
        sent = len(inbox.messages)
        assert service.run_due(monday_morning + timedelta(minutes=5)) is None  # done already
        after_eight = service.run_due(datetime(2026, 12, 7, 8, 1, tzinfo=UTC))
        assert after_eight is not None and after_eight.week == "week:2026-12-06"
        assert after_eight.counts.get("sent") == 4  # and C1's November

        # a restarted server (a new service) sends nothing twice
        again = DigestService(company, settings, transport=lambda: _transport(port))
        report = again.run_due(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
        assert report is not None and "sent" not in report.counts
        assert len(inbox.messages) == sent + 4


def test_the_server_sends_nothing_without_smtp(company, project) -> None:
    service = DigestService(company, project)
    assert not service.enabled and service.run_due(NOW) is None


def test_the_service_thread_starts_only_with_smtp_and_stops(company, project) -> None:
    off = DigestService(company, project)
    off.start()
    assert off._thread is None
    on = DigestService(company, project.model_copy(update={"smtp_host": "127.0.0.1"}))
    on.start()
    assert on._thread is not None and on._thread.is_alive()
    on.stop()
    assert on._thread is None
    paused = DigestService(company, project.model_copy(
        update={"smtp_host": "127.0.0.1", "digest_schedule": "off"}))  # fmt: skip
    assert not paused.enabled
