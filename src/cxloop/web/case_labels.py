"""Translatable names of case statuses, events, priorities and resolution codes."""

from __future__ import annotations

from cxloop.web.i18n import N_, UiLanguage
from cxloop.web.labels import code_label

STATUS_LABELS = {
    "active": N_("Active"),
    "open": N_("Open"),
    "assigned": N_("Assigned"),
    "acknowledged": N_("Acknowledged"),
    "resolved": N_("Resolved"),
    "closed": N_("Closed"),
    "overdue": N_("Overdue"),
}
EVENT_LABELS = {
    "opened": N_("Case opened"),
    "assigned": N_("Assigned"),
    "acknowledged": N_("Acknowledged"),
    "commented": N_("Note"),
    "customer_contacted": N_("Customer contacted"),
    "resolved": N_("Resolved"),
    "reopened": N_("Reopened"),
    "closed": N_("Closed"),
    "escalated": N_("Escalated"),
    "reassigned": N_("Reassigned"),
}
PRIORITY_LABELS = {
    "urgent": N_("Urgent"),
    "high": N_("High"),
    "normal": N_("Medium"),
    "low": N_("Low"),
}
RESOLUTION_LABELS = {
    "fixed": N_("Fixed"),
    "explained": N_("Explained"),
    "compensated": N_("Compensated"),
    "no_action": N_("No action needed"),
    "unreachable": N_("Customer unreachable"),
    "duplicate": N_("Duplicate"),
}


def status(ui: UiLanguage, code: str | None) -> str:
    return code_label(ui, STATUS_LABELS, code)


def event(ui: UiLanguage, code: str | None) -> str:
    return code_label(ui, EVENT_LABELS, code)


def priority(ui: UiLanguage, code: str | None) -> str:
    return code_label(ui, PRIORITY_LABELS, code)


def resolution(ui: UiLanguage, code: str | None) -> str:
    return code_label(ui, RESOLUTION_LABELS, code)
