"""Translatable names of lifecycle stages, ladder rungs and RFM segments, as the Segments page
and the Customer 360 show them."""

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

RFM_LABELS = {
    "champions": N_("Champions"),
    "loyal": N_("Loyal customers"),
    "potential_loyalists": N_("Potential loyalists"),
    "new_customers": N_("New customers"),
    "promising": N_("Promising"),
    "need_attention": N_("Need attention"),
    "about_to_sleep": N_("About to sleep"),
    "cannot_lose": N_("Cannot lose them"),
    "at_risk": N_("At risk"),
    "hibernating": N_("Hibernating"),
}


def stage(ui: UiLanguage, code: str) -> str:
    """A lifecycle stage or ladder rung named in the UI language (unknown codes as they are)."""
    label = STAGE_LABELS.get(code)
    return ui.gettext(label) if label else code


def rfm(ui: UiLanguage, code: str) -> str:
    """A named RFM segment in the UI language (unknown codes as they are)."""
    label = RFM_LABELS.get(code)
    return ui.gettext(label) if label else code
