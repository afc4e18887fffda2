"""The UI's languages: message catalogs, choosing a language per request, locale formatting.

Catalogs are kept as ``.po`` files only (``locales/<lang>/LC_MESSAGES/messages.po``); they are
compiled in memory the first time a language is used, so no ``.mo`` file is needed in git.
Which language a page speaks: the signed-in user's setting, else the browser's
``Accept-Language``, else the project's ``default_language``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"
#: the UI's languages; English is the source language of every message
LANGUAGES = ("en", "es", "zh")
FALLBACK = "en"
#: each language named in itself, for the language switcher
ENDONYMS = {"en": "English", "es": "Español", "zh": "中文"}
#: the BCP 47 tag for ``<html lang>``: the Chinese catalog is Simplified Chinese
HTML_LANG = {"en": "en", "es": "es", "zh": "zh-Hans"}

_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$|^\*$")


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where it is shown."""
    return message


def parse_accept_language(header: str | None) -> list[str]:
    """The language tags of an ``Accept-Language`` header, most wanted first.

    Tags with ``q=0`` are refused ones and left out; equal weights keep the header's order.

    >>> parse_accept_language("es-MX,es;q=0.9,en;q=0.8,*;q=0.1")
    ['es-MX', 'es', 'en', '*']
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, *params = (piece.strip() for piece in part.split(";"))
        if not tag or not _TAG.match(tag):
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if 0.0 < quality <= 1.0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def ui_language(tag: str | None) -> str | None:
    """The UI language serving a language tag: ``es-MX`` → es, ``zh-CN``/``zh-Hans`` → zh.

    Every Chinese tag maps to the (Simplified) Chinese catalog, the only one there is.
    """
    if not tag:
        return None
    primary = tag.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def negotiate(user_language: str | None, accept_language: str | None, default: str | None) -> str:
    """The language of a page: the user's setting, the browser's wishes, the project default."""
    chosen = ui_language(user_language)
    if chosen:
        return chosen
    for tag in parse_accept_language(accept_language):
        chosen = ui_language(tag)
        if chosen:
            return chosen
    return ui_language(default) or FALLBACK


def catalog_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of ``language`` (English: messages as written). Fuzzy entries,
    whose translation a person has not confirmed, are left out."""
    if language == FALLBACK or language not in LANGUAGES:
        return NullTranslations()
    with catalog_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


@dataclass(frozen=True)
class UiLanguage:
    """Everything a page needs to speak one language: messages, number and date formats."""

    code: str
    timezone: ZoneInfo

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.code]

    @property
    def locale(self) -> Locale:
        return _locale(self.code)

    @property
    def translations(self) -> NullTranslations:
        return translations(self.code)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def format_number(self, value: float | int | None) -> str:
        """``1234567`` → 1,234,567 (en), 1.234.567 (es), 1,234,567 (zh)."""
        if value is None:
            return ""
        return format_decimal(value, locale=self.locale)

    def format_money(self, amount: float | None, currency: str | None) -> str:
        """``150.5, "EUR"`` → €150.50 (en), 150,50 € (es), €150.50 (zh); a missing or unknown
        currency is written after the number."""
        if amount is None:
            return ""
        if currency and len(currency) == 3 and currency.isalpha():
            return format_currency(amount, currency.upper(), locale=self.locale)
        return " ".join(filter(None, [format_decimal(amount, locale=self.locale), currency]))

    def format_percent(self, value: float | None) -> str:
        """``0.9734`` → 97.3% (en), 97,3 % (es), 97.3% (zh)."""
        if value is None:
            return ""
        return format_percent(value, "#,##0.#%", locale=self.locale)

    def format_date(self, value: date | None) -> str:
        """A date in the locale's medium form: Nov 3, 2026 · 3 nov 2026 · 2026年11月3日.
        A datetime is first moved into the project's time zone."""
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = self._local(value)
        return format_date(value, "medium", locale=self.locale)

    def format_datetime(self, value: datetime | None) -> str:
        """Date and time to the minute, in the project's time zone."""
        if value is None:
            return ""
        local = self._local(value)
        pattern = self.locale.datetime_formats["medium"]
        return pattern.replace("{1}", format_date(local, "medium", locale=self.locale)).replace(
            "{0}", format_time(local, "short", locale=self.locale)
        )

    def language_name(self, code: str | None) -> str:
        """A language's name in this UI language (``es`` → Spanish, español, 西班牙语)."""
        if not code:
            return ""
        try:
            name = Locale.parse(code.replace("-", "_")).get_language_name(self.locale)
        except (ValueError, TypeError):
            return code
        return name or code

    def _local(self, value: datetime) -> datetime:
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo("UTC"))
        return value.astimezone(self.timezone)


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def ui_language_for(code: str, timezone: str = "UTC") -> UiLanguage:
    """The :class:`UiLanguage` for a language code and an IANA time zone name."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return UiLanguage(code if code in LANGUAGES else FALLBACK, zone)
