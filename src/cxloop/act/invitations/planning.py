"""Deciding, for each person in an audience, what a send does: invite, skip as throttled or
without consent, record a failure (no usable e-mail address), or nothing (already invited).

Nothing here writes or sends; :mod:`cxloop.act.invitations.sending` carries the plan out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any, Literal

import pandas as pd

from cxloop.act.invitations.audience import (
    Audience,
    Respondent,
    ids_table,
    known_customers_expr,
    latest_events_expr,
    listed_ids,
    segment_members_expr,
    with_wave,
)
from cxloop.act.invitations.eligibility import (
    FAILED,
    contacts_expr,
    email_consent_expr,
    invitation_state_expr,
    last_surveyed_expr,
)
from cxloop.act.invitations.employees import (
    employee_audience_ids,
    employee_contacts_expr,
    employee_last_surveyed_expr,
)
from cxloop.act.invitations.records import invitation_id
from cxloop.errors import DataError, NotFoundError
from cxloop.storage import Warehouse

ConsentMode = Literal["opt-out", "opt-in"]
Decision = Literal["send", "throttled", "no_consent", "failed", "already_invited"]
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\]+\.[^@\s<>()\[\],;:\"\\]+$")
#: how many unknown ids of a customers file the error message lists
SHOWN_UNKNOWN = 5


@dataclass(frozen=True)
class Candidate:
    """A person in the audience and what they would be invited for. ``customer_id`` is the
    person's id: an employee id when ``respondent`` is ``"employee"``."""

    customer_id: str
    trigger: str
    invitation_id: str
    respondent: Respondent = "customer"


@dataclass
class PlannedInvitation:
    """What a send does for one candidate; ``reason`` says why when it is not ``send``."""

    candidate: Candidate
    decision: Decision
    reason: str | None = None
    email: str | None = None
    language: str | None = None
    greeting_name: str | None = None
    failures: int = 0
    details: dict[str, object] | None = None


def audience_candidates(
    warehouse: Warehouse, survey_id: str, audience: Audience
) -> list[Candidate]:
    """The audience's members with their triggers, in a stable order."""
    if audience.respondent == "employee":
        return [
            Candidate(e, t, invitation_id(survey_id, e, t), "employee")
            for e, t in employee_audience_ids(warehouse, audience)
        ]
    if audience.kind == "segment" and audience.members is not None:
        assert audience.segment_id is not None
        trigger = with_wave(f"segment:{audience.segment_id}", audience.wave)
        pairs = [(customer_id, trigger) for customer_id in audience.members]
    elif audience.kind == "segment":
        assert audience.segment_id is not None
        segments = warehouse.table("segments")
        known = warehouse.to_pandas(
            segments.filter(segments.segment_id == audience.segment_id).select("segment_id")
        )
        members = warehouse.to_pandas(
            segment_members_expr(warehouse.table("segment_members"), audience.segment_id)
        )
        if known.empty and members.empty:
            raise NotFoundError(f"--segment {audience.segment_id!r}: no such segment")
        trigger = with_wave(f"segment:{audience.segment_id}", audience.wave)
        ids = sorted(members.customer_id)
        pairs = [(customer_id, trigger) for customer_id in ids]
    elif audience.kind == "customers":
        source, listed = listed_ids(audience, "customer_id")
        wanted = ids_table("customer_id", [value for _, value in listed])
        known_ids = set(
            warehouse.to_pandas(
                known_customers_expr(warehouse.table("customers"), wanted)
            ).customer_id
        )
        unknown = [(line, value) for line, value in listed if value not in known_ids]
        if unknown:
            shown = ", ".join(f"line {line}: {value!r}" for line, value in unknown[:SHOWN_UNKNOWN])
            more = (
                f" and {len(unknown) - SHOWN_UNKNOWN} more" if len(unknown) > SHOWN_UNKNOWN else ""
            )
            raise DataError(f"{source}: unknown customer ids ({shown}{more})")
        trigger = with_wave("customers", audience.wave)
        pairs = [(value, trigger) for _, value in listed]
    elif audience.kind == "case":
        assert audience.case_id is not None and audience.customer_id is not None
        pairs = [(audience.customer_id, f"case:{audience.case_id}")]
    else:
        assert audience.event_name is not None and audience.since is not None
        latest = warehouse.to_pandas(
            latest_events_expr(warehouse.table("events"), audience.event_name, audience.since)
        ).sort_values(["ts", "customer_id"], kind="stable")
        pairs = [
            (row.customer_id, with_wave(f"event:{row.event_id}", audience.wave))
            for row in latest.itertuples(index=False)
        ]
    return [Candidate(c, t, invitation_id(survey_id, c, t)) for c, t in pairs]


def plan_invitations(
    warehouse: Warehouse,
    candidates: list[Candidate],
    *,
    languages: list[str],
    now: datetime,
    throttle_days: int,
    consent: ConsentMode,
    suppression_secret: str | None = None,
) -> list[PlannedInvitation]:
    """Decide what to do for each candidate (see the module docstring). Candidates are all
    customers or all employees; an employee has no ``consents`` (customers' consent) to check.

    With ``suppression_secret`` (the project's secret), a customer whose e-mail address
    belongs to an erased person (:mod:`cxloop.privacy.suppression`) is never invited: an
    import brought the address back, not the person's consent.
    """
    if not candidates:
        return []
    employees = candidates[0].respondent == "employee"
    wanted_invitations = ids_table("invitation_id", [c.invitation_id for c in candidates])
    wanted_customers = ids_table("customer_id", sorted({c.customer_id for c in candidates}))
    invitations = warehouse.table("survey_invitations")
    states = _by(
        warehouse.to_pandas(invitation_state_expr(invitations, wanted_invitations)),
        "invitation_id",
    )
    people = warehouse.table("employees" if employees else "customers")
    contact_expr = employee_contacts_expr if employees else contacts_expr
    contacts = _by(warehouse.to_pandas(contact_expr(people, wanted_customers)), "customer_id")
    consents: dict[str, dict[str, Any]] = {}
    if not employees:
        consents = _by(
            warehouse.to_pandas(email_consent_expr(warehouse.table("consents"), wanted_customers)),
            "customer_id",
        )
    suppressed: set[str] = set()
    if suppression_secret is not None and not employees:
        from cxloop.privacy.suppression import suppressed_contacts

        addresses = [a for c in contacts.values() if (a := _text(c.get("email")))]
        suppressed = suppressed_contacts(warehouse, suppression_secret, "email", addresses)
    surveyed: dict[str, dict[str, Any]] = {}
    if throttle_days > 0:
        since = now - timedelta(days=throttle_days)
        surveyed_expr = employee_last_surveyed_expr if employees else last_surveyed_expr
        expr = surveyed_expr(
            invitations, warehouse.table("survey_responses"), wanted_customers, since
        )
        surveyed = _by(warehouse.to_pandas(expr), "customer_id")
    plans: list[PlannedInvitation] = []
    invited_now: set[str] = set()
    for candidate in candidates:
        state = states.get(candidate.invitation_id)
        failures = int(_value(state, "failures") or 0)
        if state is not None and state["status"] != FAILED:
            plans.append(PlannedInvitation(candidate, "already_invited", str(state["status"])))
            continue
        contact = contacts.get(candidate.customer_id) or {}
        plan = PlannedInvitation(
            candidate,
            "send",
            email=_text(_value(contact, "email")),
            language=recipient_language(_text(_value(contact, "language")), languages),
            greeting_name=_text(_value(contact, "greeting_name")),
            failures=failures,
        )
        given = consents.get(candidate.customer_id)
        last = _value(surveyed.get(candidate.customer_id), "last_surveyed")
        if plan.email is not None and plan.email in suppressed:
            plan.decision, plan.reason = "no_consent", "erased person (privacy request)"
        elif given is not None and not bool(given["granted"]):
            plan.decision, plan.reason = "no_consent", "refused"
            plan.details = {"consent_ts": _iso(given["ts"]), "purpose": given["purpose"]}
        elif given is None and consent == "opt-in" and not employees:
            plan.decision, plan.reason = "no_consent", "no consent on record (opt-in)"
        elif last is not None or candidate.customer_id in invited_now:
            plan.decision, plan.reason = "throttled", f"surveyed in the last {throttle_days} days"
            plan.details = {"last_surveyed": _iso(last)} if last is not None else {}
        elif not contact:
            plan.decision, plan.reason = "failed", f"no {candidate.respondent} record"
        elif plan.email is None:
            plan.decision, plan.reason = "failed", "no e-mail address"
        elif not valid_address(plan.email):
            plan.decision, plan.reason = "failed", "the e-mail address is not valid"
        else:
            invited_now.add(candidate.customer_id)
        plans.append(plan)
    return plans


def recipient_language(language: str | None, languages: list[str]) -> str:
    """The customer's language if the survey has it (``es-MX`` counts as ``es``), else the
    survey's first language."""
    if language:
        primary = language.strip().replace("_", "-").split("-")[0].lower()
        if primary in languages:
            return primary
    return languages[0]


def valid_address(address: str) -> bool:
    """Whether ``address`` is one plain ``local@domain.tld`` address (no display name, no
    spaces or line breaks that could reach a mail header)."""
    name, parsed = parseaddr(address)
    return not name and parsed == address and bool(_ADDRESS.match(address))


def _by(frame: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    return {str(row[key]): row for row in frame.to_dict("records")}


def _value(row: dict[str, Any] | None, column: str) -> Any:
    if row is None:
        return None
    value = row.get(column)
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _text(value: object | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _iso(value: object) -> str | None:
    if value is None or value is pd.NaT:
        return None
    return pd.Timestamp(value).isoformat()  # type: ignore[arg-type]
