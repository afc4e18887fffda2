"""``code_label``: the one way the label modules name a code in the page's language."""

from __future__ import annotations

from cxloop.web import case_labels, customer_labels, feedback_labels, notification_labels
from cxloop.web.i18n import ui_language_for
from cxloop.web.labels import code_label


def test_a_code_is_named_translated_or_shown_as_it_is() -> None:
    es = ui_language_for("es")
    assert code_label(es, case_labels.STATUS_LABELS, "open") == case_labels.status(es, "open")
    assert case_labels.status(es, "open") != "open"  # translated
    assert code_label(es, case_labels.STATUS_LABELS, "paused") == "paused"  # no name: as is
    assert code_label(es, case_labels.STATUS_LABELS, None) == "—"


def test_the_label_modules_keep_their_handling_of_missing_codes() -> None:
    en = ui_language_for("en")
    assert case_labels.priority(en, None) == notification_labels.status(en, None) == "—"
    assert case_labels.status(en, "") == ""  # cases and notifications show an empty code
    assert feedback_labels.sentiment(en, "") == "—"  # customers and feedback: unknown
    assert feedback_labels.sentiment(en, "negative") == "Negative"
    assert notification_labels.channel_type(en, "email") == "E-mail"
    assert notification_labels.event(en, "test") == "Test message"
    assert customer_labels._named(en, {}, "") == "—"
