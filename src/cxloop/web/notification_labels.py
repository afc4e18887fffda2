"""Translatable names of notification channel kinds, statuses and the events they announce."""

from __future__ import annotations

from cxloop.web import case_labels
from cxloop.web.i18n import N_, UiLanguage

CHANNEL_TYPE_LABELS = {
    "email": N_("E-mail"),
    "webhook": N_("Signed webhook"),
    "slack": N_("Slack channel"),
}
STATUS_LABELS = {
    "deferred": N_("Deferred (quiet hours)"),
    "pending": N_("Pending"),
    "retrying": N_("Retrying"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
}
TEST_EVENT = N_("Test message")


def _label(table: dict[str, str], ui: UiLanguage, code: str | None) -> str:
    if code is None:
        return "—"
    label = table.get(code)
    return ui.gettext(label) if label else code


def channel_type(ui: UiLanguage, code: str | None) -> str:
    """``email`` → "E-mail" in the page's language."""
    return _label(CHANNEL_TYPE_LABELS, ui, code)


def status(ui: UiLanguage, code: str | None) -> str:
    """A notification's status (``deferred``, ``sent``, …) in the page's language."""
    return _label(STATUS_LABELS, ui, code)


def event(ui: UiLanguage, code: str | None) -> str:
    """The case event a notification announces (or the test message)."""
    if code == "test":
        return ui.gettext(TEST_EVENT)
    return case_labels.event(ui, code)
