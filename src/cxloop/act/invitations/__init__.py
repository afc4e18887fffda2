"""Survey invitations by e-mail to customers and employees: audiences, throttling, consent,
sending, the funnel."""

from cxloop.act.invitations.audience import (
    Audience,
    all_employees_audience,
    case_audience,
    customer_ids_audience,
    customers_audience,
    employee_ids_audience,
    employees_audience,
    event_audience,
    read_customer_ids,
    read_employee_ids,
    segment_audience,
    team_audience,
)
from cxloop.act.invitations.funnel import InvitationFunnel, invitation_funnel, invitation_funnels
from cxloop.act.invitations.sending import (
    InvitationOptions,
    InvitationOutcome,
    SendReport,
    send_invitations,
)

__all__ = [
    "Audience",
    "InvitationFunnel",
    "InvitationOptions",
    "InvitationOutcome",
    "SendReport",
    "all_employees_audience",
    "case_audience",
    "customer_ids_audience",
    "customers_audience",
    "employee_ids_audience",
    "employees_audience",
    "event_audience",
    "invitation_funnel",
    "invitation_funnels",
    "read_customer_ids",
    "read_employee_ids",
    "segment_audience",
    "send_invitations",
    "team_audience",
]
