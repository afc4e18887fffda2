"""Contact details, made comparable: e-mail addresses, phone numbers in E.164, countries as
ISO 3166 alpha-2 codes, languages as BCP 47 tags, and birth dates that can be trusted.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.core import get_global

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
#: compiled once: ``re.sub`` with a pattern string looks it up in re's cache on every call,
#: about as long as the substitution itself on strings this short (profiled)
_NOT_DIGIT = re.compile(r"\D")
_NOT_LOWER_ALNUM = re.compile(r"[^0-9a-z]")
_COUNTRY_PUNCTUATION = re.compile(r"[.\-_,()]")
_GMAIL = frozenset({"gmail.com", "googlemail.com"})
#: mailbox providers where ``name+anything@`` reaches ``name@``
_PLUS_ADDRESSING = frozenset(
    {
        "gmail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com",
        "me.com", "mac.com", "protonmail.com", "proton.me", "pm.me", "fastmail.com",
        "hotmail.co.uk", "hotmail.es", "outlook.es", "live.co.uk", "yandex.com",
    }
)  # fmt: skip


def clean_email(raw: str | None) -> str | None:
    """An address as it can be written to: trimmed, lower case, ``None`` if malformed.

    Examples
    --------
    >>> clean_email("  Ana.Ruiz@Example.ES ")
    'ana.ruiz@example.es'
    >>> clean_email("not an address") is None
    True
    """
    if raw is None:
        return None
    text = str(raw).strip().strip("<>").lower()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    return text if _EMAIL.match(text) else None


#: services that hand each website its own forwarding address: such an address is never seen
#: twice across systems, so it says nothing when it differs
RELAY_DOMAINS = frozenset(
    {"privaterelay.appleid.com", "mozmail.com", "relay.firefox.com", "duck.com",
     "simplelogin.com", "simplelogin.co", "anonaddy.me", "addy.io"}
)  # fmt: skip


def is_relay(email: str) -> bool:
    return email.rpartition("@")[2] in RELAY_DOMAINS


def user_handle(local_part: str, name_words: list[str]) -> str | None:
    """What an e-mail user name says beyond the person's name: ``jose.garcia79`` of José
    García → ``79``; ``dsmith`` of Dawn Smith → ``None`` (an initial and the family name);
    ``1198555947`` → itself. Two people with one name often pick the same name-made user
    names, so only this part tells them apart.

    Examples
    --------
    >>> user_handle("jose.garcia79", ["jose", "garcia"]), user_handle("dsmith", ["dawn", "smith"])
    ('79', None)
    """
    rest = _NOT_LOWER_ALNUM.sub("", local_part.lower())
    for word in sorted({w for w in name_words if len(w) > 1}, key=len, reverse=True):
        rest = rest.replace(word, "", 1)
    initials = {w[0] for w in name_words if w}
    while rest and rest[0] in initials:
        initials.discard(rest[0])
        rest = rest[1:]
    while rest and rest[-1] in initials:
        initials.discard(rest[-1])
        rest = rest[:-1]
    return rest if len(rest) >= 2 else None


def email_key(raw: str | None, *, provider_rules: bool = True) -> str | None:
    """The key two addresses of one mailbox share.

    With ``provider_rules``, Gmail ignores dots and ``googlemail.com`` is ``gmail.com``, and
    providers with plus addressing drop ``+tag``.

    Examples
    --------
    >>> email_key("J.Smith+shop@GoogleMail.com")
    'jsmith@gmail.com'
    """
    email = clean_email(raw)
    if email is None or not provider_rules:
        return email
    local, _, domain = email.rpartition("@")
    if domain in _GMAIL:
        domain = "gmail.com"
        local = local.replace(".", "")
    if domain in _PLUS_ADDRESSING and "+" in local:
        local = local.split("+", 1)[0]
    return f"{local}@{domain}" if local else None


# -- countries and languages ---------------------------------------------------------------
_COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "eeuu": "US", "ee uu": "US",
    "america": "US", "united states of america": "US", "uk": "GB", "u k": "GB",
    "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "prc": "CN", "mainland china": "CN", "中国大陆": "CN",
    "中华人民共和国": "CN", "méxico": "MX", "mexico": "MX", "espana": "ES",
}  # fmt: skip
_NAME_LANGUAGES = ("en", "es", "zh", "fr", "de", "pt", "it")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in _NAME_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if code in phonenumbers.SUPPORTED_REGIONS:
                names.setdefault(_fold_label(name), code)
    names.update({_fold_label(k): v for k, v in _COUNTRY_ALIASES.items()})
    return names


def _fold_label(text: str) -> str:
    return " ".join(_COUNTRY_PUNCTUATION.sub(" ", text.strip().casefold()).split())


def country_code(value: str | None) -> str | None:
    """An ISO 3166 alpha-2 code from a code or a country name (English, Spanish, Chinese…).

    Examples
    --------
    >>> country_code("España"), country_code("united states"), country_code("中国")
    ('ES', 'US', 'CN')
    """
    if value is None:
        return None
    label = _fold_label(str(value))
    if not label:
        return None
    if label in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[label]
    if len(label) == 2 and label.isascii() and label.isalpha():
        code = label.upper()
        return code if code in phonenumbers.SUPPORTED_REGIONS else None
    return _country_names().get(label)


def language_tag(value: str | None) -> str | None:
    """A BCP 47 tag in its usual case: ``"EN_us"`` → ``"en-US"``, ``"Español"`` → ``"es"``."""
    if value is None:
        return None
    text = str(value).strip().replace("_", "-")
    if not text:
        return None
    parts = text.split("-")
    if parts[0].isascii() and parts[0].isalpha() and 2 <= len(parts[0]) <= 3:
        head = parts[0].lower()
        rest = [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p for p in parts[1:]]
        return "-".join([head, *rest])
    return _language_names().get(_fold_label(text))


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in _NAME_LANGUAGES:
        for code, name in Locale.parse(language).languages.items():
            if "_" not in code:
                names.setdefault(_fold_label(name), code)
        own = Locale.parse(language).get_display_name(language)
        if own:
            names.setdefault(_fold_label(own), language)
    return names


def region_of_language(tag: str | None) -> str | None:
    """The region a language tag names (``en-GB`` → ``GB``), else its most likely one
    (``zh`` → ``CN``, ``es`` → ``ES``), from CLDR's likely subtags."""
    if not tag:
        return None
    parts = tag.split("-")
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            return part.upper()
    likely = get_global("likely_subtags").get(parts[0].lower())
    if not likely:
        return None
    try:
        return Locale.parse(likely).territory
    except (ValueError, UnknownLocaleError):
        return None


# -- phones --------------------------------------------------------------------------------
def phone_e164(raw: str | None, regions: tuple[str | None, ...] = ()) -> str | None:
    """A phone number in E.164 (``+34653126976``), or ``None`` when it cannot be read.

    A number written with ``+`` or ``00`` carries its country. Otherwise each of ``regions``
    (say the record's country, then the region of its language) is tried in turn: the first
    under which the number is valid wins, else the first under which it is merely possible.

    Examples
    --------
    >>> phone_e164("(212) 555-0123", ("US",))
    '+12125550123'
    >>> phone_e164("653 126 976", ("MX", "ES"))
    '+34653126976'
    """
    if raw is None:
        return None
    text = str(raw).strip()
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) < 6:
        return None
    if text.startswith("+") or digits.startswith("00"):
        international = "+" + (digits[2:] if not text.startswith("+") else digits)
        return _parse(international, None, strict=False)
    possible: str | None = None
    for region in dict.fromkeys(r for r in regions if r):
        number = _parsed(text, region)
        if number is None:
            continue
        if phonenumbers.is_valid_number(number):
            return _format(number)
        if possible is None and phonenumbers.is_possible_number(number):
            possible = _format(number)
    return possible


#: a phone number written with digits, spaces and ``().-/`` only (and maybe a leading ``+``):
#: its digits alone say what :func:`phone_e164` reads
PLAIN_PHONE = re.compile(r"^\+?[\d\s().\-/]*$")


def international_e164(digits: str) -> str | None:
    """:func:`phone_e164` of a number written with its country code: ``digits`` are those
    after the ``+`` or ``00``."""
    return _parse("+" + digits, None, strict=False)


def national_e164(digits: str, regions: tuple[str, ...]) -> str | None:
    """:func:`phone_e164` of a :data:`PLAIN_PHONE` number without ``+`` or ``00``, given by
    its ``digits``; ``regions`` distinct and non-empty.

    With a single region the number is valid or possible there or not at all, so the costly
    validity check runs only for numbers that are not even possible.
    """
    if len(regions) != 1:
        return phone_e164(digits, regions)
    number = _parsed(digits, regions[0])
    if number is None:
        return None
    if phonenumbers.is_possible_number(number) or phonenumbers.is_valid_number(number):
        return _format(number)
    return None


def _parse(text: str, region: str | None, *, strict: bool) -> str | None:
    number = _parsed(text, region)
    if number is None:
        return None
    ok = phonenumbers.is_valid_number(number) if strict else phonenumbers.is_possible_number(number)
    return _format(number) if ok else None


def _parsed(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _format(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits_tail(raw: str | None, size: int = 8) -> str | None:
    """The last ``size`` digits of a number however it is written (a blocking key that
    survives a wrong or missing country)."""
    if raw is None:
        return None
    digits = _NOT_DIGIT.sub("", str(raw))
    return digits[-size:] if len(digits) >= size else None


# -- dates ---------------------------------------------------------------------------------
PLACEHOLDER_DATES = frozenset({date(1900, 1, 1), date(1901, 1, 1), date(1970, 1, 1)})


def plausible_birth_date(value: date | None, today: date | None = None) -> date | None:
    """The birth date, or ``None`` when it is a placeholder (1900-01-01, 1970-01-01), before
    1900 or in the future."""
    if value is None:
        return None
    today = today or date.today()
    if value in PLACEHOLDER_DATES or value.year < 1900 or value > today:
        return None
    return value
