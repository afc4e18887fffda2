"""Translatable names for what an explanation shows: the comparisons of the matching model,
the level a pair fell into, the deterministic keys, and the kinds of override.

Level labels are the English ``label_for_charts`` of :mod:`cxloop.unify.comparisons`, used as
message ids; a label not listed here (a model saved by another version, an identifier column's
own level) is shown as the model wrote it.
"""

from __future__ import annotations

from cxloop.web.i18n import N_, UiLanguage

COMPARISON_LABELS = {
    "name": N_("Name"),
    "dob": N_("Date of birth"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "location": N_("Postcode and city"),
    "address": N_("Address"),
    "country": N_("Country"),
}
LEVEL_LABELS = {
    label: label
    for label in (
        N_("Same name words (any order, Chinese as pinyin)"),
        N_("Given and family name similar (Jaro-Winkler >= 0.92)"),
        N_("Same family name, given name or its short form"),
        N_("Same given name and first family name, second family names differ"),
        N_("One name the same, the other close (Jaro-Winkler >= 0.8)"),
        N_("Same family name only"),
        N_("Same given name only"),
        N_("Same date of birth"),
        N_("One digit different"),
        N_("Within a year"),
        N_("Same address"),
        N_("A user name made of the person's name: no more evidence"),
        N_("Same user name, other domain"),
        N_("Same distinctive part of the user name"),
        N_("Same number (E.164)"),
        N_("Same last 8 digits"),
        N_("Same postcode and city"),
        N_("Same postcode"),
        N_("Same city (Jaro-Winkler >= 0.9), a postcode missing"),
        N_("Same postcode area"),
        N_("Same city, other postcode"),
        N_("Similar address (Jaro-Winkler >= 0.9)"),
        N_("Same country"),
        N_("One character off"),
        N_("Two characters off"),
    )
}
#: level -1 (a value missing on a side) and level 0 (Splink's "All other comparisons")
MISSING = N_("Missing on one side or both")
DIFFERENT = N_("Different")
OVERRIDE_KINDS = {"merge": N_("Merge"), "split": N_("Split")}


def comparison(ui: UiLanguage, name: str) -> str:
    """A comparison (``name``, ``dob``, ``location`` …) named in the UI language."""
    label = COMPARISON_LABELS.get(name)
    return ui.gettext(label) if label else name


def level(ui: UiLanguage, vector_value: int, label: str) -> str:
    """The level a pair fell into, in the UI language: its own label when this module knows
    it, else "missing" for Splink's null levels (-1) and "different" for the else level (0),
    else the model's English."""
    known = LEVEL_LABELS.get(label)
    if known:
        return ui.gettext(known)
    if vector_value < 0:
        return ui.gettext(MISSING)
    if vector_value == 0:
        return ui.gettext(DIFFERENT)
    return label


def is_translated(vector_value: int, label: str) -> bool:
    """Whether :func:`level` translates this level (else it is the model's English)."""
    return label in LEVEL_LABELS or vector_value <= 0


def override_kind(ui: UiLanguage, kind: str) -> str:
    label = OVERRIDE_KINDS.get(kind)
    return ui.gettext(label) if label else kind
