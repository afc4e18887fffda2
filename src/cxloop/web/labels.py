"""Translatable names for the codes pages show: roles, key kinds, kinds of feedback.

Values are English message ids (marked with ``N_`` for extraction); pages translate them with
the request's :class:`~cxloop.web.i18n.UiLanguage`. A code without a name here is shown as it is.
"""

from __future__ import annotations

from cxloop.domain.access import KeyKind, Role
from cxloop.web.i18n import N_, UiLanguage

ROLE_LABELS = {
    Role.VIEWER: N_("Viewer"),
    Role.AGENT: N_("Agent"),
    Role.ANALYST: N_("Analyst"),
    Role.ADMIN: N_("Admin"),
}
KEY_KIND_LABELS = {KeyKind.API: N_("API key"), KeyKind.WRITE: N_("Write key")}
FEEDBACK_KIND_LABELS = {
    "survey": N_("Survey"),
    "ticket": N_("Support ticket"),
    "review": N_("Review"),
    "chat": N_("Chat"),
    "social": N_("Social media"),
    "email": N_("E-mail"),
}
UNKNOWN = N_("Unknown")


def code_label(ui: UiLanguage, table: dict[str, str], code: str | None) -> str:
    """``code``'s name from ``table`` in the UI language; a code without one is shown as it
    is, and None as "—". The label modules (cases, customers, feedback, notifications) use it.
    """
    if code is None:
        return "—"
    label = table.get(code)
    return ui.gettext(label) if label else code


def feedback_kind(ui: UiLanguage, kind: str | None) -> str:
    """A kind of feedback (``survey``, ``ticket``…) named in the UI language."""
    if not kind:
        return ui.gettext(UNKNOWN)
    label = FEEDBACK_KIND_LABELS.get(kind.lower())
    return ui.gettext(label) if label else kind


def language(ui: UiLanguage, code: str | None) -> str:
    """A language code named in the UI language (``es`` → Spanish, español, 西班牙语)."""
    return ui.language_name(code) if code else ui.gettext(UNKNOWN)


def role(ui: UiLanguage, value: Role | str | None) -> str:
    if value is None:
        return ""
    try:
        return ui.gettext(ROLE_LABELS[Role(value)])
    except ValueError:
        return str(value)


def key_kind(ui: UiLanguage, value: KeyKind | str) -> str:
    try:
        return ui.gettext(KEY_KIND_LABELS[KeyKind(value)])
    except ValueError:
        return str(value)
