"""The phone fast path gives phonenumbers' answers wherever it answers at all."""

from __future__ import annotations

import random

import pandas as pd
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxloop.demo.contacts import CALLING_CODES, PHONE_STYLES, format_phone
from cxloop.unify import features
from cxloop.unify.contacts import international_e164, national_e164, phone_e164
from cxloop.unify.options import ResolveOptions
from cxloop.unify.phone_fast_path import (
    international_e164_fast,
    national_e164_fast,
    phone_e164_fast,
)

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
#: the demo company's countries, drawn more often than the other regions
DEMO = list(CALLING_CODES)
region = st.sampled_from(REGIONS) | st.sampled_from(DEMO)
digits = st.text(alphabet="0123456789", min_size=0, max_size=19)
calling_code = st.sampled_from(sorted(str(c) for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE))


@settings(max_examples=1500, deadline=None)
@given(code=calling_code, rest=digits)
def test_international_numbers_agree_with_phonenumbers(code: str, rest: str) -> None:
    number = code + rest
    fast = international_e164_fast(number)
    if fast is not None:
        assert fast == international_e164(number)


@settings(max_examples=1500, deadline=None)
@given(number=digits, where=region)
def test_national_numbers_agree_with_phonenumbers(number: str, where: str) -> None:
    fast = national_e164_fast(number, where)
    if fast is not None:
        assert fast == national_e164(number, (where,))


@settings(max_examples=800, deadline=None)
@given(number=digits, where=st.lists(region, min_size=2, max_size=3, unique=True))
def test_numbers_read_in_several_regions_agree_with_phonenumbers(
    number: str, where: list[str]
) -> None:
    fast = phone_e164_fast(number, tuple(where))
    if fast is not None:
        assert fast == phone_e164(number, tuple(where))


def _demo_numbers(count: int) -> list[tuple[str, str, str]]:
    """(written number, its country, style) as the demo generator writes them."""
    rnd = random.Random(11)
    out = []
    for _ in range(count):
        country = rnd.choice(DEMO)
        length = {"US": 10, "GB": 10, "ES": 9, "MX": 10, "CN": 11}[country]
        nsn = rnd.choice("123456789") + "".join(rnd.choice("0123456789") for _ in range(length - 1))
        style = rnd.choice(PHONE_STYLES)
        out.append((format_phone(nsn, country, style), country, style))
    return out


def test_the_demo_formats_are_mostly_read_without_phonenumbers() -> None:
    answered = 0
    cases = _demo_numbers(3000)
    for written, country, style in cases:
        number = "".join(ch for ch in written if ch.isdigit())
        if style in ("intl", "e164", "zerozero"):
            after = number[2:] if style == "zerozero" else number
            fast, slow = international_e164_fast(after), international_e164(after)
        else:
            fast, slow = national_e164_fast(number, country), national_e164(number, (country,))
        if fast is not None:
            answered += 1
            assert fast == slow, written
    assert answered > 0.9 * len(cases)


@pytest.mark.parametrize(
    ("number", "where"),
    [
        ("12125550123", "US"),  # begins with the region's own country code
        ("0114155550123", "US"),  # begins with the international prefix
        ("0653126976", "ES"),  # a leading zero after any prefix
        ("5550123", "MX"),  # a length MX dials only locally
        ("17912345678", "CN"),  # a carrier code CN strips as its national prefix
    ],
)
def test_branching_cases_are_left_to_phonenumbers_or_agree(number: str, where: str) -> None:
    fast = national_e164_fast(number, where)
    assert fast is None or fast == national_e164(number, (where,))


def test_phones_e164_gives_the_same_column_with_and_without_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cases = _demo_numbers(400)
    extra = ["+44 (0)20 7946 0958", "tel: 212 555 0123", "00 52 55 1234 5678", "123", None]
    phones = pd.Series([w for w, _, _ in cases] + extra, dtype=object)
    countries = pd.Series([c if i % 3 else None for i, (_, c, _) in enumerate(cases)] + [None] * 5)
    languages = pd.Series(["en" if i % 2 else "es" for i in range(len(phones))])
    options = ResolveOptions(default_country="MX")
    fast = features.phones_e164(phones, countries, languages, options)
    for name in ("international_e164_fast", "national_e164_fast", "phone_e164_fast"):
        monkeypatch.setattr(features, name, lambda *args: None)
    slow = features.phones_e164(phones, countries, languages, options)
    assert fast.tolist() == slow.tolist()
    assert fast.notna().sum() > 350
