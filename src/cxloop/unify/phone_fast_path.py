"""Phone numbers in their common clean forms, read without ``phonenumbers.parse``.

Reading a number with ``phonenumbers`` costs about 60 µs; a million source records hold
several hundred thousand distinct numbers. Most are written in one of a few clean forms: a
country code and a national significant number (``+34 653 126 976``), or a national number in
the record's one region (``(212) 555-0123``, ``07400 123456``). For those, what
:func:`~cxloop.unify.contacts.international_e164` and
:func:`~cxloop.unify.contacts.national_e164` answer follows from a few facts of the region's
numbering plan, taken here from phonenumbers' own metadata: its international dialling prefix,
its national prefix, the shape of its national numbers and their possible lengths.

:func:`international_e164_fast` and :func:`national_e164_fast` follow the steps
``phonenumbers.parse`` and ``is_possible_number`` take for digit strings, as far as those steps
are plain; wherever a step would branch (a number that begins with the region's own country
code or its international prefix, a national prefix with a transform rule, a leading zero, a
length that is not possible) they answer ``None``, meaning *undecided*, and the caller asks
``phonenumbers``. They never answer "not a number". Equivalence with ``phonenumbers`` is
tested on the demo company's formats and on generated numbers (``tests/unify``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

#: phonenumbers' bounds on a national significant number's length
_MIN_NSN, _MAX_NSN = 2, 17
#: a country calling code has one to three digits
_MAX_CC = 3


@dataclass(frozen=True)
class NumberPlan:
    """What ``phonenumbers`` consults when it reads a number in one region (or after one
    country calling code)."""

    country_code: str
    #: the region's international dialling prefix (national reading only)
    idd: re.Pattern[str] | None
    national_prefix: re.Pattern[str] | None
    #: whether a matched national prefix is rewritten rather than dropped
    prefix_transform: bool
    national_pattern: re.Pattern[str] | None
    #: lengths for which parsing keeps a number with its national prefix removed
    parse_lengths: frozenset[int]
    #: lengths ``is_possible_number`` accepts (the calling code's main region)
    possible_lengths: frozenset[int]


def _plan(metadata: PhoneMetadata, main: PhoneMetadata, idd: str | None) -> NumberPlan | None:
    general, main_general = metadata.general_desc, main.general_desc
    if general is None or main_general is None:
        return None
    local = set(general.possible_length_local_only or ())
    pattern = general.national_number_pattern
    prefix = metadata.national_prefix_for_parsing
    return NumberPlan(
        country_code=str(metadata.country_code),
        idd=re.compile(idd) if idd else None,
        national_prefix=re.compile(prefix) if prefix else None,
        prefix_transform=bool(metadata.national_prefix_transform_rule),
        national_pattern=re.compile(pattern) if pattern else None,
        parse_lengths=frozenset(n for n in general.possible_length if n not in local),
        possible_lengths=frozenset(
            {*main_general.possible_length, *(main_general.possible_length_local_only or ())}
        ),
    )


@cache
def national_plan(region: str) -> NumberPlan | None:
    """The plan numbers written without a country code are read by in ``region`` (ISO
    3166 alpha-2, upper case); ``None`` for a region phonenumbers does not know."""
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return None
    metadata = PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return None
    code = metadata.country_code
    if code is None:
        return None
    main = PhoneMetadata.metadata_for_region_or_calling_code(
        code, phonenumbers.region_code_for_country_code(code)
    )
    if main is None:
        return None
    # phonenumbers matches "NonMatch" when a region has no international prefix
    return _plan(metadata, main, metadata.international_prefix or "NonMatch")


@cache
def international_plan(country_code: int) -> NumberPlan | None:
    """The plan numbers written after ``+country_code`` are read by; ``None`` for a code
    without metadata."""
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(
        country_code, phonenumbers.region_code_for_country_code(country_code)
    )
    return None if metadata is None else _plan(metadata, metadata, None)


def _significant(number: str, plan: NumberPlan) -> str | None:
    """The national significant number ``phonenumbers`` keeps of ``number`` (digits after any
    country code), when it certainly is a possible number; else ``None``."""
    if plan.national_prefix is not None:
        found = plan.national_prefix.match(number)
        if found:
            if plan.prefix_transform:
                return None
            stripped = number[found.end() :]
            pattern = plan.national_pattern
            if (
                pattern is not None
                and pattern.fullmatch(number)
                and not pattern.fullmatch(stripped)
            ):
                return None  # phonenumbers keeps the prefix: not a plain case
            if len(stripped) not in plan.parse_lengths:
                return None
            number = stripped
    if not _MIN_NSN <= len(number) <= _MAX_NSN or number[0] == "0":
        return None
    return number if len(number) in plan.possible_lengths else None


def international_e164_fast(digits: str) -> str | None:
    """:func:`cxloop.unify.contacts.international_e164` of ``digits`` (what follows ``+`` or
    ``00``) when it is a plain case, else ``None`` (undecided).

    Examples
    --------
    >>> international_e164_fast("34653126976")
    '+34653126976'
    """
    if len(digits) <= _MIN_NSN or not digits.isdigit() or not digits.isascii():
        return None
    if digits[0] == "0":
        return None
    codes = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    for size in range(1, _MAX_CC + 1):
        code = int(digits[:size])
        if code in codes:
            plan = international_plan(code)
            if plan is None:
                return None
            significant = _significant(digits[size:], plan)
            return None if significant is None else f"+{code}{significant}"
    return None


def national_e164_fast(digits: str, region: str) -> str | None:
    """:func:`cxloop.unify.contacts.national_e164` of ``digits`` (a number written without
    ``+`` or ``00``) in the single ``region``, when it is a plain case, else ``None``
    (undecided).

    Examples
    --------
    >>> national_e164_fast("2125550123", "US"), national_e164_fast("07400123456", "GB")
    ('+12125550123', '+447400123456')
    """
    read = _national(digits, region)
    return None if read is None else f"+{read[0]}{read[1]}"


def phone_e164_fast(digits: str, regions: tuple[str, ...]) -> str | None:
    """:func:`cxloop.unify.contacts.phone_e164` of ``digits`` (a number written without ``+``
    or ``00``) in ``regions`` (distinct), when each region it reaches is a plain case, else
    ``None`` (undecided).

    As in :func:`~cxloop.unify.contacts.phone_e164`, the first region under which the number
    is valid wins, else the first under which it is possible; only the parsing is skipped,
    validity is still ``phonenumbers.is_valid_number``'s.

    Examples
    --------
    >>> phone_e164_fast("07400123456", ("GB", "US"))
    '+447400123456'
    """
    if len(digits) < 6 or digits.startswith("00"):
        return None
    first_possible: str | None = None
    for region in regions:
        read = _national(digits, region)
        if read is None:
            return None
        code, significant = read
        answer = f"+{code}{significant}"
        number = phonenumbers.PhoneNumber(country_code=int(code), national_number=int(significant))
        if phonenumbers.is_valid_number(number):
            return answer
        first_possible = first_possible or answer
    return first_possible


def _national(digits: str, region: str) -> tuple[str, str] | None:
    """The country code and national significant number of ``digits`` read in ``region``,
    when it is a plain case and a possible number."""
    plan = national_plan(region)
    if plan is None or len(digits) < _MIN_NSN + 1:
        return None
    if not digits.isdigit() or not digits.isascii():
        return None
    if plan.idd is not None and plan.idd.match(digits):
        return None
    if digits.startswith(plan.country_code):
        return None
    significant = _significant(digits, plan)
    return None if significant is None else (plan.country_code, significant)
