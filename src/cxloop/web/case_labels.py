"""Translatable names of case statuses, events, priorities and resolution codes."""

from __future__ import annotations

from cxloop.web.i18n import N_, UiLanguage

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


def _label(table: dict[str, str], ui: UiLanguage, code: str | None) -> str:
    if code is None:
        return "—"
    label = table.get(code)
    return ui.gettext(label) if label else code


def status(ui: UiLanguage, code: str | None) -> str:
    return _label(STATUS_LABELS, ui, code)


def event(ui: UiLanguage, code: str | None) -> str:
    return _label(EVENT_LABELS, ui, code)


def priority(ui: UiLanguage, code: str | None) -> str:
    return _label(PRIORITY_LABELS, ui, code)


def resolution(ui: UiLanguage, code: str | None) -> str:
    return _label(RESOLUTION_LABELS, ui, code)
