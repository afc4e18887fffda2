"""Who may be invited: the state of earlier invitations, the throttle, e-mail consent.

Functions named ``*_expr`` only build Ibis expressions (no I/O); ``wanted`` is a one-column
table of the ids asked about (a memtable of the audience), so the warehouse reads only
those people's rows.

Consent is an append-only event table: the latest ``consents`` event of a customer for channel
``email`` and purpose :data:`SURVEY_PURPOSE` or :data:`ALL_PURPOSES` decides.
"""

from __future__ import annotations

from datetime import datetime

import ibis
import ibis.expr.types as ir

EMAIL_CHANNEL = "email"
#: the consent purpose of survey invitations
SURVEY_PURPOSE = "surveys"
#: the consent purpose of customers' progress e-mails (opt-in: sent only after a grant)
PROGRESS_PURPOSE = "progress"
#: a consent event with this purpose covers every purpose of its channel
ALL_PURPOSES = "all"

#: invitation statuses written by the sender
SENT, FAILED, THROTTLED, NO_CONSENT = "sent", "failed", "throttled", "no_consent"
#: invitation statuses written by the survey form
OPENED, STARTED, RESPONDED = "opened", "started", "responded"


def invitation_state_expr(invitations: ir.Table, wanted: ir.Table) -> ir.Table:
    """Each wanted invitation's latest status and how many sends of it failed.

    Columns: ``invitation_id``, ``status``, ``failures``. Invitations with no event yet are
    absent.
    """
    events = invitations.filter(invitations.invitation_id.isin(wanted.invitation_id))
    ranked = events.mutate(
        _n=ibis.row_number().over(
            group_by=events.invitation_id,
            order_by=[ibis.desc(events.ts), ibis.desc(events.invitation_event_id)],
        )
    )
    latest = ranked.filter(ranked._n == 0).select("invitation_id", "status")
    failures = events.group_by("invitation_id").aggregate(
        failures=(events.status == FAILED).cast("int64").sum()
    )
    return latest.join(failures, "invitation_id").select("invitation_id", "status", "failures")


def last_surveyed_expr(
    invitations: ir.Table, responses: ir.Table, wanted: ir.Table, since: datetime
) -> ir.Table:
    """When each wanted customer was last surveyed at or after ``since``, by any survey.

    Surveyed means an invitation was sent to them, or a response of theirs was saved (from
    any link that names them). Columns: ``customer_id``, ``last_surveyed``.
    """
    sent = invitations.filter(
        (invitations.status == SENT)
        & (invitations.ts >= since)
        & invitations.customer_id.isin(wanted.customer_id)
    ).select("customer_id", "ts")
    answered = responses.filter(
        (responses.ts >= since) & responses.customer_id.isin(wanted.customer_id)
    ).select("customer_id", "ts")
    both = sent.union(answered)
    return both.group_by("customer_id").aggregate(last_surveyed=both.ts.max())


def email_consent_expr(
    consents: ir.Table, wanted: ir.Table, purpose: str = SURVEY_PURPOSE
) -> ir.Table:
    """Each wanted customer's latest answer about e-mail for ``purpose`` (survey e-mail by
    default), if any: an event for that purpose or for :data:`ALL_PURPOSES`.

    Columns: ``customer_id``, ``granted`` (bool), ``ts``, ``purpose``.
    """
    rows = consents.filter(
        (consents.channel.lower() == EMAIL_CHANNEL)
        & consents.purpose.lower().isin([purpose, ALL_PURPOSES])
        & consents.granted.notnull()
        & consents.customer_id.isin(wanted.customer_id)
    )
    ranked = rows.mutate(
        _n=ibis.row_number().over(
            group_by=rows.customer_id,
            # a refusal and a grant at the same instant: the refusal wins
            order_by=[ibis.desc(rows.ts), rows.granted, ibis.desc(rows.consent_event_id)],
        )
    )
    return ranked.filter(ranked._n == 0).select("customer_id", "granted", "ts", "purpose")


def contacts_expr(customers: ir.Table, wanted: ir.Table) -> ir.Table:
    """E-mail, language and the name to greet for each wanted customer that exists."""
    rows = customers.filter(customers.customer_id.isin(wanted.customer_id))
    return rows.select(
        "customer_id",
        "email",
        "language",
        greeting_name=ibis.coalesce(rows.first_name, rows.name),
    )
