"""Translatable names of the statuses of a "you said, we did" action."""

from __future__ import annotations

from cxloop.web.i18n import N_, UiLanguage

STATUS_LABELS = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
}


def status(ui: UiLanguage, code: str | None) -> str:
    """An action's status in the UI language (the code itself when it has no name)."""
    if not code:
        return "—"
    label = STATUS_LABELS.get(code)
    return ui.gettext(label) if label else code
