"""Translatable names for what the Customers pages show: the fields of a customer record, how
a record was linked, and the kinds of things on a timeline.

Values are English message ids (marked with ``N_``); a code without a name is shown as it is.
"""

from __future__ import annotations

from cxloop.web.i18n import N_, UiLanguage
from cxloop.web.labels import code_label

FIELD_LABELS = {
    "name": N_("Name"),
    "first_name": N_("Given name"),
    "last_name": N_("Family name"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "birth_date": N_("Date of birth"),
    "address": N_("Address"),
    "city": N_("City"),
    "postcode": N_("Postcode"),
    "country": N_("Country"),
    "language": N_("Language"),
    "created_at": N_("Created"),
}
METHOD_LABELS = {
    "deterministic:email": N_("Same e-mail"),
    "deterministic:phone": N_("Same phone"),
    "collector_link": N_("Linked by the event collector"),
    "override:merge": N_("An analyst's merge"),
    "probabilistic": N_("Probabilistic match"),
    "singleton": N_("Only record"),
}
KIND_LABELS = {
    "event": N_("Event"),
    "order": N_("Order"),
    "feedback": N_("Feedback"),
    "survey_response": N_("Survey response"),
    "case": N_("Case"),
}
#: the kinds' names as counts ("Events: 190") on the timeline
KIND_COUNT_LABELS = {
    "event": N_("Events"),
    "order": N_("Orders"),
    "feedback": N_("Pieces of feedback"),
    "survey_response": N_("Survey responses"),
    "case": N_("Cases"),
}


def _named(ui: UiLanguage, table: dict[str, str], code: str | None) -> str:
    return code_label(ui, table, code or None)  # an empty code is unknown too


def field(ui: UiLanguage, name: str) -> str:
    """A customer field (``first_name`` …) named in the UI language."""
    return _named(ui, FIELD_LABELS, name)


def method(ui: UiLanguage, code: str | None) -> str:
    """How a record was linked (``deterministic:email`` …) in the UI language."""
    return _named(ui, METHOD_LABELS, code)


def kind(ui: UiLanguage, code: str | None) -> str:
    """A kind of timeline item (``order`` …) in the UI language."""
    return _named(ui, KIND_LABELS, code)


def kind_count(ui: UiLanguage, code: str) -> str:
    return _named(ui, KIND_COUNT_LABELS, code)
