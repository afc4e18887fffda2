"""What personal data looks like in a comment: the patterns and checks :mod:`redaction` uses.

Numbers are found as candidates by a loose pattern and then checked: card numbers by the Luhn
checksum, IBANs by their ISO 7064 mod-97 check digits, phone numbers by the numbering plans of
the markets cxloop serves (libphonenumber). Dates, times and numbers after an order or invoice
word are masked first, so that they are never mistaken for a phone or card number.
"""

from __future__ import annotations

import re

import phonenumbers

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![A-Za-z0-9])")
CARD = re.compile(r"(?<![A-Za-z0-9+])(?!00)\d(?:[ -]?\d){12,18}(?![A-Za-z0-9])")
PHONE = re.compile(r"(?<![A-Za-z0-9+])(?:\+\s?|00)?\(?\d[\d \u00a0().\-]{5,22}\d(?![A-Za-z0-9])")
ACCOUNT = re.compile(
    r"(?i:\baccount|\bacct|\bsort code|\bcuenta|\bccc\b|\bclabe|账号|账户|帐号|帐户|卡号|银行卡)"
    r"(?i:\s*(?:number|num|no\.?|nº|n\.º|número|numero|号码|号)?\s*(?:is|es|:|：|是|为|#)?\s*)"
    r"(?P<number>\d(?:[ -]?\d){5,33})(?![A-Za-z0-9])"
)
# spans that look like numbers but are not personal data
_NOT_PII = re.compile(
    r"(?<![\d.\-/])(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # 2024-03-15
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?!\d)"  # 15/03/2024, 03-15-24
    r"|\d{1,2}:\d{2}(?::\d{2})?"  # 10:30
    r"|\d{1,3}(?:\.\d{1,3}){3}(?!\d)"  # 192.168.0.1
    r"|\d[\d.,]*\s?%"  # 99.5%
    r"|#\s?[A-Za-z]{0,4}[-\d]+"  # #1000123
    r"|[$€£¥]\s?\d(?:[\d.,]*\d)?"  # $1,234.56
    r"|\d(?:[\d.,]*\d)?\s?(?:[€元円]|(?i:eur|usd|mxn|gbp|cny|rmb|euros?|pesos|dollars?|pounds"
    r"|yuan)(?![A-Za-z]))"  # 1.234,56 €, 1299元
    r"|\d{1,3}(?:[.,]\d{3})+[.,]\d{2}(?!\d)"  # 1,234,567.89
    r"|(?i:(?<![A-Za-z])(?:order|invoice|ref(?:erence)?|ticket|tracking|claim|case|request"
    r"|confirmation|booking|reservation|locator|pedido|factura|referencia|seguimiento|reclamaci[oó]n"
    r"|reserva|albar[aá]n)(?![A-Za-z])|订单|单号|发票|运单)"
    r"\s*(?:(?i:number|no\.?|num|nº|n\.º|número|numero|号码|号)\s*)?[:：#]?\s*[A-Za-z]{0,4}[-\d]+"
)

# national numbers (no + or 00) are tried in the markets cxloop serves, the text's language's
# first, when they have 9 digits or more (every mobile number there has): shorter order or
# reference numbers stay even without a word before them
NATIONAL_MIN_DIGITS = 9
PHONE_REGIONS = {"en": ("US", "GB"), "es": ("ES", "MX"), "zh": ("CN",)}
_ALL_REGIONS = tuple(r for regions in PHONE_REGIONS.values() for r in regions)


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum (card numbers do).

    Examples
    --------
    >>> luhn_valid("4111111111111111"), luhn_valid("4111111111111112")
    (True, False)
    """
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    """Whether ``candidate`` (spaces allowed) has valid IBAN check digits.

    Examples
    --------
    >>> iban_valid("ES91 2100 0418 4502 0005 1332")
    True
    """
    iban = candidate.replace(" ", "").upper()
    if not (15 <= len(iban) <= 34) or not iban[:2].isalpha() or not iban[2:4].isdigit():
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def iban_span(candidate: str) -> int:
    """The length of the IBAN that ``candidate`` starts with (0 if none): the whole candidate, or
    it less trailing space-separated groups (a following word in capitals, say)."""
    end = len(candidate)
    while end >= 15:
        if iban_valid(candidate[:end]):
            return end
        space = candidate.rfind(" ", 0, end)
        if space < 0:
            return 0
        end = space
    return 0


def mask_not_pii(text: str) -> str:
    """``text`` with dates, times and order references blanked out (same length)."""
    return _NOT_PII.sub(lambda m: "\x00" * len(m.group()), text)


def phone_valid(candidate: str, language: str) -> bool:
    """Whether ``candidate`` is a valid phone number: international (``+``/``00``) anywhere,
    national (9 digits or more) in the US, the UK, Spain, Mexico or China (the markets of
    ``language`` first)."""
    digits = sum(c.isdigit() for c in candidate)
    if not 7 <= digits <= 15:
        return False
    stripped = candidate.strip()
    if not stripped.startswith(("+", "00")) and digits < NATIONAL_MIN_DIGITS:
        return False
    if stripped.startswith(("+", "00")):
        international = "+" + stripped.lstrip("+")[2:] if stripped.startswith("00") else stripped
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(international, None))
        except phonenumbers.NumberParseException:
            return False
    first = PHONE_REGIONS.get(language, ())
    for region in (*first, *(r for r in _ALL_REGIONS if r not in first)):
        try:
            number = phonenumbers.parse(stripped, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False
