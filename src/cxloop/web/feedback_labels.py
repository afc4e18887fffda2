"""Translatable names for what the Feedback explorer shows: sentiments, intents, score bands
and the verdicts of the detractor-against-promoter comparison.

Values are English message ids (marked with ``N_``); a code without a name is shown as it is.
"""

from __future__ import annotations

from cxloop.web.i18n import N_, UiLanguage
from cxloop.web.labels import code_label

SENTIMENT_LABELS = {
    "negative": N_("Negative"),
    "neutral": N_("Neutral"),
    "positive": N_("Positive"),
}
INTENT_LABELS = {
    "need": N_("Need"),
    "issue": N_("Issue"),
    "gap": N_("Gap"),
    "praise": N_("Praise"),
    "question": N_("Question"),
}
NPS_BAND_LABELS = {
    "detractor": N_("Detractors (0–6)"),
    "passive": N_("Passives (7–8)"),
    "promoter": N_("Promoters (9–10)"),
}
CSAT_BAND_LABELS = {
    "dissatisfied": N_("Dissatisfied (1–2)"),
    "neutral": N_("Neutral (3)"),
    "satisfied": N_("Satisfied (4–5)"),
}
CES_BAND_LABELS = {
    "difficult": N_("Difficult (1–3)"),
    "neutral": N_("Neutral (4)"),
    "easy": N_("Easy (5–7)"),
}
VERDICT_LABELS = {
    "detractors": N_("More among detractors"),
    "promoters": N_("More among promoters"),
    "no_difference": N_("No clear difference"),
    "too_few": N_("Too few answers to tell"),
}


def _named(ui: UiLanguage, table: dict[str, str], code: str | None) -> str:
    return code_label(ui, table, code or None)  # an empty code is unknown too


def sentiment(ui: UiLanguage, code: str | None) -> str:
    """``negative`` → Negative, Negativo, 负面."""
    return _named(ui, SENTIMENT_LABELS, code)


def intent(ui: UiLanguage, code: str | None) -> str:
    """``need`` → Need, Necesidad, 需求."""
    return _named(ui, INTENT_LABELS, code)


def verdict(ui: UiLanguage, code: str | None) -> str:
    return _named(ui, VERDICT_LABELS, code)


def choices(ui: UiLanguage, table: dict[str, str]) -> list[tuple[str, str]]:
    """``(code, label)`` pairs for a select, in the table's order."""
    return [(code, ui.gettext(label)) for code, label in table.items()]
