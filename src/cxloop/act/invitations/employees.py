"""Employee survey audiences: who in ``employees`` is invited, their contact details, and
when each was last surveyed (the throttle), as Ibis expressions over the warehouse.

Employees are invited like customers (signed, expiring links; the same throttle; e-mail in
their language) but their answers are confidential: see docs/surveys.md. The ``consents``
table holds customers' consent; it does not apply to employees, and their e-mails carry no
customer opt-out link.
"""

from __future__ import annotations

from datetime import datetime

import ibis.expr.types as ir

from cxloop.act.invitations.audience import Audience, ids_table, listed_ids, with_wave
from cxloop.act.invitations.eligibility import SENT
from cxloop.errors import DataError, NotFoundError
from cxloop.storage import Warehouse

#: how many unknown ids of an employees file the error message lists
SHOWN_UNKNOWN = 5


def employee_audience_ids(warehouse: Warehouse, audience: Audience) -> list[tuple[str, str]]:
    """(employee id, trigger) of each employee in an employee audience, in a stable order."""
    employees = warehouse.table("employees")
    if audience.kind == "team":
        rows = employees.filter(employees.team_id == audience.team_id)
        ids = sorted(set(warehouse.to_pandas(rows.select("employee_id")).employee_id.dropna()))
        if not ids:
            raise NotFoundError(f"--team {audience.team_id!r}: no employees in this team")
        trigger = with_wave(f"team:{audience.team_id}", audience.wave)
        return [(e, trigger) for e in ids]
    if audience.kind == "all-employees":
        ids = sorted(set(warehouse.to_pandas(employees.select("employee_id")).employee_id.dropna()))
        return [(e, with_wave("all-employees", audience.wave)) for e in ids]
    assert audience.kind == "employees"
    source, listed = listed_ids(audience, "employee_id")
    wanted = ids_table("employee_id", [value for _, value in listed])
    known = set(
        warehouse.to_pandas(
            employees.filter(employees.employee_id.isin(wanted.employee_id)).select("employee_id")
        ).employee_id
    )
    unknown = [(line, value) for line, value in listed if value not in known]
    if unknown:
        shown = ", ".join(f"line {line}: {value!r}" for line, value in unknown[:SHOWN_UNKNOWN])
        more = f" and {len(unknown) - SHOWN_UNKNOWN} more" if len(unknown) > SHOWN_UNKNOWN else ""
        raise DataError(f"{source}: unknown employee ids ({shown}{more})")
    trigger = with_wave("employees", audience.wave)
    return [(value, trigger) for _, value in listed]


def employee_contacts_expr(employees: ir.Table, wanted: ir.Table) -> ir.Table:
    """E-mail, language and the name to greet for each wanted employee that exists, keyed by
    ``customer_id`` like :func:`~cxloop.act.invitations.eligibility.contacts_expr` (it holds
    the employee id here)."""
    rows = employees.filter(employees.employee_id.isin(wanted.customer_id))
    return rows.select("email", "language", customer_id=rows.employee_id, greeting_name=rows.name)


def employee_last_surveyed_expr(
    invitations: ir.Table, responses: ir.Table, wanted: ir.Table, since: datetime
) -> ir.Table:
    """When each wanted employee was last surveyed at or after ``since``, by any survey: an
    invitation sent or a response saved. Columns: ``customer_id`` (the employee id),
    ``last_surveyed``."""
    sent = invitations.filter(
        (invitations.status == SENT)
        & (invitations.ts >= since)
        & invitations.employee_id.isin(wanted.customer_id)
    ).select(customer_id=invitations.employee_id, ts=invitations.ts)
    answered = responses.filter(
        (responses.ts >= since) & responses.employee_id.isin(wanted.customer_id)
    ).select(customer_id=responses.employee_id, ts=responses.ts)
    both = sent.union(answered)
    return both.group_by("customer_id").aggregate(last_surveyed=both.ts.max())
