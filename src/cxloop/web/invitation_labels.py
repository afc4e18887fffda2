"""Translatable names of what a survey send did for a person (the Advocates page's preview)."""

from __future__ import annotations

from cxloop.web.i18n import N_, UiLanguage

STATUS_LABELS = {
    "sent": N_("Sent"),
    "pending": N_("Would be sent"),
    "failed": N_("No usable e-mail address"),
    "throttled": N_("Surveyed recently (throttled)"),
    "no_consent": N_("No consent"),
    "already_invited": N_("Already invited"),
}


def status(ui: UiLanguage, code: str) -> str:
    """An invitation outcome in the UI language (unknown codes as they are)."""
    label = STATUS_LABELS.get(code)
    return ui.gettext(label) if label else code
