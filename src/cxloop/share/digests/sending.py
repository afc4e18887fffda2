"""Sending the digests: each team's weekly digest to its members, and the progress e-mails to
the customers who asked for them; or, in a dry run, writing each message as ``.eml`` plus an
``.html`` preview into a folder and sending nothing.

Each sent message is recorded in ``digests`` as soon as the SMTP server accepts it (see
:mod:`cxloop.share.digests.digest_log`), so a re-run for the same period sends only what was
not sent: nothing, when the first run went through.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from cxloop.act.email_sender import MailError, MailTransport, sender_domain
from cxloop.act.invitations.eligibility import PROGRESS_PURPOSE
from cxloop.act.invitations.opt_out import (
    OptOutClaims,
    opt_out_phrases,
    opt_out_url,
    sign_opt_out,
)
from cxloop.errors import ConfigError, UsageError
from cxloop.share.digests.customer_progress import customer_progress
from cxloop.share.digests.digest_log import CUSTOMER, TEAM, digest_id, record_sent, sent_keys
from cxloop.share.digests.messages import DigestMail, progress_mail, team_digest_mail
from cxloop.share.digests.periods import (
    DigestPeriod,
    last_week_end,
    month_for_week,
    week_period,
    zone,
)
from cxloop.share.digests.team_digest import TeamDigest, build_team_digest
from cxloop.share.digests.words import digest_language
from cxloop.share.team_scorecard import TeamInfo, list_teams, team_info
from cxloop.storage import Warehouse

if TYPE_CHECKING:
    from cxloop.config import Settings

Kind = Literal["team", "customer", "all"]
#: consecutive connection failures after which a run stops (the rest stay unsent)
MAX_CONNECTION_FAILURES = 3


@dataclass(frozen=True)
class DigestOptions:
    """What digests need from settings (build it with :meth:`from_settings`)."""

    secret: str = ""
    public_base_url: str | None = None
    mail_from: str | None = None
    company_name: str = "My company"
    default_language: str = "en"
    timezone: str = "UTC"
    weekday: str = "monday"
    small_n: int = 30

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestOptions:
        return cls(
            secret=settings.signing_key(),
            public_base_url=settings.public_base_url,
            mail_from=settings.mail_from,
            company_name=settings.company_name,
            default_language=settings.default_language,
            timezone=settings.digest_timezone or settings.timezone,
            weekday=settings.digest_weekday,
            small_n=settings.kpi_small_n,
        )


class DigestOutcome(BaseModel):
    """What a run did (or, in a dry run, would do) for one recipient."""

    kind: str
    period: str
    recipient_id: str
    team_id: str | None = None
    language: str | None = None
    status: Literal["sent", "failed", "already_sent", "pending", "nothing_to_report"]
    reason: str | None = None
    files: list[str] = []


class DigestReport(BaseModel):
    """The result of :func:`send_digests`; ``counts`` by outcome status.

    ``pending`` counts messages to send that were not sent: all of them in a dry run, and
    those left when a run stopped because the SMTP server could not be reached.
    """

    dry_run: bool
    week: str
    month: str
    counts: dict[str, int]
    stopped: str | None = None
    smtp_error: str | None = None
    outcomes: list[DigestOutcome]


@dataclass
class _Job:
    outcome: DigestOutcome
    to: str
    mail: Callable[[], DigestMail]
    period: DigestPeriod


def send_digests(
    wh: Warehouse,
    options: DigestOptions,
    *,
    kind: Kind = "all",
    team: str | None = None,
    period_end: date | None = None,
    transport: MailTransport | None = None,
    dry_run: bool = False,
    out_dir: Path | None = None,
    now: datetime | None = None,
) -> DigestReport:
    """Send the team digests and/or the customers' progress e-mails of one period.

    Parameters
    ----------
    wh
        The warehouse: teams, employees, customers, consents, feedback, cases; ``digests``
        is written.
    options
        Sender, links, language, time zone and week day (:meth:`DigestOptions.from_settings`).
    kind
        ``team``, ``customer`` or ``all``.
    team
        Only this team's digest (and no progress e-mails).
    period_end
        The last day of the digest week (default: the day before the latest digest day);
        progress e-mails cover the last calendar month ended by then.
    transport
        Sends the messages; needed unless ``dry_run``.
    dry_run
        Send nothing, write nothing to the warehouse; with ``out_dir``, write each message
        that would be sent as ``.eml`` and ``.html`` there.
    now
        The time cases' overdue state is read at (default: now).
    """
    if kind not in ("team", "customer", "all"):
        raise UsageError(f"--kind: {kind!r}; use team, customer or all")
    if team is not None and kind == "customer":
        raise UsageError("--team picks a team digest; it cannot go with --kind customer")
    if not dry_run:
        check_ready(options, transport)
    now = now or datetime.now(UTC)
    end = period_end or last_week_end(now.astimezone(zone(options.timezone)).date(),
                                      options.weekday)  # fmt: skip
    week = week_period(end, options.timezone)
    month = month_for_week(week)
    jobs: list[_Job] = []
    outcomes: list[DigestOutcome] = []
    domain = sender_domain(options.mail_from or "cxloop@localhost")
    if kind in ("team", "all"):
        teams = [team_info(wh, team)] if team is not None else list_teams(wh)
        for info in teams:
            _team_jobs(wh, options, info, week, now, domain, jobs, outcomes)
    if kind in ("customer", "all") and team is None:
        _customer_jobs(wh, options, month, now, jobs, outcomes)
    stopped = smtp_error = None
    if dry_run:
        for job in jobs:
            if out_dir is not None:
                job.outcome.files = write_preview(job, out_dir, options, domain)
    else:
        assert transport is not None
        try:
            stopped, smtp_error = _send_all(wh, options, transport, jobs, domain)
        finally:
            transport.close()
    return DigestReport(
        dry_run=dry_run, week=week.key, month=month.key,
        counts=dict(Counter(o.status for o in outcomes)), stopped=stopped,
        smtp_error=smtp_error, outcomes=outcomes,
    )  # fmt: skip


def check_ready(options: DigestOptions, transport: MailTransport | None) -> None:
    """:class:`ConfigError` unless the settings a real send needs are there."""
    if not options.public_base_url or not options.public_base_url.startswith(
        ("https://", "http://")
    ):
        raise ConfigError(
            "setting 'public_base_url' is not an http(s):// URL: digests link to the "
            "dashboard and progress e-mails to their opt-out page (or use --dry-run)"
        )
    if not options.mail_from:
        raise ConfigError("setting 'mail_from' is not set: e-mail needs a sender address")
    if transport is None:
        raise UsageError("send_digests needs a mail transport unless dry_run is true")


def team_members(wh: Warehouse, info: TeamInfo) -> list[dict[str, str | None]]:
    """The team's employees with an e-mail address, its manager included: ``employee_id``,
    ``email``, ``language``."""
    teams = wh.table("teams")
    manager = teams.filter(teams.team_id == info.team_id).select("manager_employee_id")
    e = wh.table("employees")
    mine = (e.team_id == info.team_id) | e.employee_id.isin(manager.manager_employee_id)
    rows = e.filter(mine & e.email.notnull() & (e.email.strip() != ""))
    rows = rows.select("employee_id", "email", "language").distinct().order_by("employee_id")
    return list(wh.to_pyarrow(rows).to_pylist())


def _team_jobs(
    wh: Warehouse, options: DigestOptions, info: TeamInfo, week: DigestPeriod, now: datetime,
    domain: str, jobs: list[_Job], outcomes: list[DigestOutcome],
) -> None:  # fmt: skip
    members = team_members(wh, info)
    done = sent_keys(wh, TEAM, week.key)
    digest: list[TeamDigest] = []
    mails: dict[str, DigestMail] = {}

    def mail_in(language: str) -> Callable[[], DigestMail]:
        def build() -> DigestMail:
            if not digest:
                digest.append(build_team_digest(
                    wh, info, week, public_base_url=options.public_base_url,
                    small_n=options.small_n, now=now,
                ))  # fmt: skip
            if language not in mails:
                mails[language] = team_digest_mail(
                    digest[0], language, company=options.company_name, domain=domain
                )
            return mails[language]

        return build

    for member in members:
        language = digest_language(member["language"], options.default_language)
        recipient = str(member["employee_id"])
        outcome = DigestOutcome(
            kind=TEAM, period=week.key, recipient_id=recipient, team_id=info.team_id,
            language=language, status="pending",
        )  # fmt: skip
        outcomes.append(outcome)
        if digest_id(TEAM, recipient, week.key, info.team_id) in done:
            outcome.status = "already_sent"
            continue
        jobs.append(_Job(outcome, str(member["email"]), mail_in(language), week))


def _customer_jobs(
    wh: Warehouse, options: DigestOptions, month: DigestPeriod, now: datetime,
    jobs: list[_Job], outcomes: list[DigestOutcome],
) -> None:  # fmt: skip
    done = sent_keys(wh, CUSTOMER, month.key)
    for progress in customer_progress(wh, month, now=now):
        language = digest_language(progress.language, options.default_language)
        outcome = DigestOutcome(kind=CUSTOMER, period=month.key, recipient_id=progress.customer_id,
                                language=language, status="pending")  # fmt: skip
        outcomes.append(outcome)
        if digest_id(CUSTOMER, progress.customer_id, month.key) in done:
            outcome.status = "already_sent"
            continue
        if not progress.has_news:
            outcome.status = "nothing_to_report"
            continue
        unsubscribe = None
        if options.public_base_url and options.secret:
            claims = OptOutClaims(customer_id=progress.customer_id, purpose=PROGRESS_PURPOSE,
                                  language=language)  # fmt: skip
            unsubscribe = opt_out_url(options.public_base_url, sign_opt_out(options.secret, claims))

        def build(p=progress, lang=language, link=unsubscribe) -> DigestMail:  # type: ignore[no-untyped-def]
            return progress_mail(
                p, lang, month.start, company=options.company_name, unsubscribe_url=link,
                unsubscribe_label=opt_out_phrases(lang, PROGRESS_PURPOSE)["link"],
            )  # fmt: skip

        jobs.append(_Job(outcome, progress.email, build, month))


def message_id(outcome: DigestOutcome, domain: str) -> str:
    """The same Message-ID for the same (kind, recipient, period): a retry is one message."""
    key = digest_id(outcome.kind, outcome.recipient_id, outcome.period, outcome.team_id)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<digest-{digest}@{domain}>"


def _send_all(
    wh: Warehouse, options: DigestOptions, transport: MailTransport, jobs: list[_Job],
    domain: str,
) -> tuple[str | None, str | None]:  # fmt: skip
    assert options.mail_from
    failures_in_a_row = 0
    smtp_error = None
    for job in jobs:
        outcome = job.outcome
        mid = message_id(outcome, domain)
        message = job.mail().message(to=job.to, mail_from=options.mail_from, message_id=mid)
        try:
            transport.send(message)
        except MailError as exc:
            outcome.status, outcome.reason = "failed", exc.reason
            failures_in_a_row = failures_in_a_row + 1 if exc.connection else 0
            if exc.connection:
                smtp_error = exc.reason
            if failures_in_a_row >= MAX_CONNECTION_FAILURES:
                return (
                    f"stopped after {MAX_CONNECTION_FAILURES} failed connections in a row "
                    f"({smtp_error}); run the send again to retry"
                ), smtp_error
            continue
        failures_in_a_row = 0
        outcome.status = "sent"
        record_sent(
            wh, kind=outcome.kind, recipient_id=outcome.recipient_id, period_key=outcome.period,
            period_start=job.period.start, period_end=job.period.end,
            language=outcome.language or "en", message_id=mid, sent_at=datetime.now(UTC),
            team_id=outcome.team_id,
        )  # fmt: skip
    return None, smtp_error


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def write_preview(job: _Job, out_dir: Path, options: DigestOptions, domain: str) -> list[str]:
    """Write the message as ``.eml`` and its HTML (images inline as data URIs) as ``.html``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    o = job.outcome
    parts = [o.kind, o.team_id, o.recipient_id, o.period.replace(":", "-")]
    stem = _UNSAFE.sub("_", "-".join(p for p in parts if p))
    mail = job.mail()
    message = mail.message(to=job.to, mail_from=options.mail_from or f"cxloop@{domain}",
                           message_id=message_id(o, domain))  # fmt: skip
    eml, html = out_dir / f"{stem}.eml", out_dir / f"{stem}.html"
    eml.write_bytes(bytes(message))
    html.write_text(mail.preview_html, encoding="utf-8")
    return [str(eml), str(html)]
