"""Translatable names of notification channel kinds, statuses and the events they announce."""

from __future__ import annotations

from cxloop.web import case_labels
from cxloop.web.i18n import N_, UiLanguage
from cxloop.web.labels import code_label

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


def channel_type(ui: UiLanguage, code: str | None) -> str:
    """``email`` → "E-mail" in the page's language."""
    return code_label(ui, CHANNEL_TYPE_LABELS, code)


def status(ui: UiLanguage, code: str | None) -> str:
    """A notification's status (``deferred``, ``sent``, …) in the page's language."""
    return code_label(ui, STATUS_LABELS, code)


def event(ui: UiLanguage, code: str | None) -> str:
    """The case event a notification announces (or the test message)."""
    if code == "test":
        return ui.gettext(TEST_EVENT)
    return case_labels.event(ui, code)
