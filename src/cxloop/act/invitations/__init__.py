"""Survey invitations by e-mail: audiences, throttling, consent, sending, the funnel."""

from cxloop.act.invitations.audience import (
    Audience,
    case_audience,
    customers_audience,
    event_audience,
    read_customer_ids,
    segment_audience,
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
    "case_audience",
    "customers_audience",
    "event_audience",
    "invitation_funnel",
    "invitation_funnels",
    "read_customer_ids",
    "segment_audience",
    "send_invitations",
]
