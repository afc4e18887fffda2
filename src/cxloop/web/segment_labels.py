"""Translatable names of lifecycle stages and ladder rungs, as the Segments page shows them."""

from __future__ import annotations

from cxloop.web.i18n import N_, UiLanguage

STAGE_LABELS = {
    "new": N_("New"),
    "active": N_("Active"),
    "reactivated": N_("Reactivated"),
    "at_risk": N_("At risk"),
    "lapsed": N_("Lapsed"),
    "detractor": N_("Detractor"),
    "satisfied": N_("Satisfied"),
    "loyal": N_("Loyal"),
    "advocate": N_("Advocate"),
    "none": N_("No stage"),
}


def stage(ui: UiLanguage, code: str) -> str:
    """A lifecycle stage or ladder rung named in the UI language (unknown codes as they are)."""
    label = STAGE_LABELS.get(code)
    return ui.gettext(label) if label else code
