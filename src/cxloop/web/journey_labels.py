"""Translatable names of the canonical touchpoints (``cxloop.domain.records.TOUCHPOINTS``);
a touchpoint without a name is shown as it is."""

from __future__ import annotations

from cxloop.web.i18n import N_, UiLanguage

TOUCHPOINT_LABELS = {
    "web": N_("Web"),
    "app": N_("App"),
    "store": N_("Store"),
    "call_centre": N_("Call centre"),
    "delivery": N_("Delivery"),
    "billing": N_("Billing"),
    "email": N_("E-mail"),
    "chat": N_("Chat"),
}


def touchpoint(ui: UiLanguage, code: str | None) -> str:
    """``call_centre`` → Call centre, Centro de llamadas, 呼叫中心."""
    if not code:
        return "—"
    label = TOUCHPOINT_LABELS.get(code)
    return ui.gettext(label) if label else code
