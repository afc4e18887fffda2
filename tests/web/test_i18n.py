"""Choosing the UI language, loading catalogs without .mo files, locale formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cxloop.web.i18n import (
    LOCALES,
    negotiate,
    parse_accept_language,
    translations,
    ui_language,
    ui_language_for,
)


def test_accept_language_is_ordered_by_weight_then_position() -> None:
    header = "fr;q=0.5, es-MX, zh-CN;q=0.9, en;q=0.9, de;q=0"
    assert parse_accept_language(header) == ["es-MX", "zh-CN", "en", "fr"]


@pytest.mark.parametrize(
    "header",
    ["", None, ";;;", "q=1", "es;q=abc", "<script>", "en;q=2", "x" * 40],
)
def test_malformed_accept_language_is_ignored(header: str | None) -> None:
    assert parse_accept_language(header) == []
    assert negotiate(None, header, "en") == "en"


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("es-MX", "es"),
        ("es", "es"),
        ("ES-es", "es"),
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-Hans-CN", "zh"),
        ("zh_TW", "zh"),
        ("en-GB", "en"),
        ("fr-FR", None),
        ("*", None),
        (None, None),
    ],
)
def test_tags_map_to_ui_languages(tag: str | None, language: str | None) -> None:
    assert ui_language(tag) == language


def test_negotiation_prefers_the_user_then_the_browser_then_the_project() -> None:
    assert negotiate("zh", "es-MX,es;q=0.9", "en") == "zh"
    assert negotiate(None, "fr-FR, es-MX;q=0.8, en;q=0.5", "en") == "es"
    assert negotiate(None, "fr-FR, de", "es") == "es"
    assert negotiate(None, None, "zh") == "zh"
    assert negotiate("xx", None, "nope") == "en"


def test_catalogs_load_from_po_files_without_compiled_mo_files() -> None:
    assert not list(LOCALES.rglob("*.mo")), "compiled catalogs are built in memory, not kept"
    assert translations("es").gettext("Overview") == "Resumen"
    assert translations("zh").gettext("Overview") == "概览"
    assert translations("en").gettext("Overview") == "Overview"
    assert translations("es") is translations("es"), "compiled once per language"


def test_numbers_and_dates_follow_the_locale() -> None:
    moment = datetime(2026, 11, 3, 18, 40, tzinfo=UTC)
    en, es, zh = (ui_language_for(code) for code in ("en", "es", "zh"))
    assert en.format_number(1234567) == "1,234,567"
    assert es.format_number(1234567) == "1.234.567"
    assert zh.format_number(1234567) == "1,234,567"
    assert en.format_date(date(2026, 11, 3)) == "Nov 3, 2026"
    assert es.format_date(date(2026, 11, 3)) == "3 nov 2026"
    assert zh.format_date(date(2026, 11, 3)) == "2026年11月3日"
    assert en.format_datetime(moment) == "Nov 3, 2026, 6:40\u202fPM"
    assert es.format_datetime(moment) == "3 nov 2026, 18:40"
    assert zh.format_datetime(moment) == "2026年11月3日 18:40"


def test_times_are_shown_in_the_project_time_zone() -> None:
    madrid = ui_language_for("es", "Europe/Madrid")
    assert madrid.format_datetime(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == "2 jul 2026, 0:30"
    assert ui_language_for("en", "Not/AZone").timezone.key == "UTC"


def test_language_names_are_given_in_the_ui_language() -> None:
    assert ui_language_for("en").language_name("es") == "Spanish"
    assert ui_language_for("es").language_name("zh") == "chino"
    assert ui_language_for("zh").language_name("en") == "英语"
    assert ui_language_for("en").language_name("not a code") == "not a code"
