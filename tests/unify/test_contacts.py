from __future__ import annotations

from datetime import date

import pytest

from cxloop.unify.contacts import (
    clean_email,
    country_code,
    email_key,
    is_relay,
    language_tag,
    phone_digits_tail,
    phone_e164,
    plausible_birth_date,
    region_of_language,
    user_handle,
)


@pytest.mark.parametrize(
    ("raw", "regions", "e164"),
    [
        # United States
        ("(212) 555-0123", ("US",), "+12125550123"),
        ("212-555-0123", ("US",), "+12125550123"),
        ("2125550123", ("US",), "+12125550123"),
        ("+1 (310) 921-1665", (), "+13109211665"),
        # Spain
        ("653 126 976", ("ES",), "+34653126976"),
        ("+34 653 12 69 76", (), "+34653126976"),
        ("0034653126976", ("US",), "+34653126976"),  # 00 is read as international
        ("653-12-69-76", ("ES",), "+34653126976"),
        # Mexico
        ("55 6535 1909", ("MX",), "+525565351909"),
        ("+52 999 130 9216", (), "+529991309216"),
        ("3356123367", ("MX",), "+523356123367"),
        # China
        ("139 1234 5678", ("CN",), "+8613912345678"),
        ("+86 139 1234 5678", (), "+8613912345678"),
        ("008613912345678", (), "+8613912345678"),
        ("139-1234-5678", ("CN",), "+8613912345678"),
        # United Kingdom, with its trunk 0
        ("07449 732878", ("GB",), "+447449732878"),
    ],
)
def test_phones_become_e164(raw, regions, e164) -> None:
    assert phone_e164(raw, regions) == e164


def test_a_national_number_tries_each_region_and_prefers_a_valid_reading() -> None:
    # not a valid Mexican number, a valid Spanish mobile
    assert phone_e164("653 126 976", ("MX", "ES")) == "+34653126976"
    assert phone_e164("653 126 976", (None, "ES")) == "+34653126976"


def test_unreadable_phones_are_none() -> None:
    assert phone_e164("12345", ("US",)) is None
    assert phone_e164("n/a", ("US",)) is None
    assert phone_e164("653 126 976", ()) is None  # no country to read it in
    assert phone_e164(None) is None


def test_the_digit_tail_ignores_formatting() -> None:
    assert phone_digits_tail("+34 653 12 69 76") == phone_digits_tail("653126976") == "53126976"
    assert phone_digits_tail("1234") is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Ana.Ruiz@Example.ES ", "ana.ruiz@example.es"),
        ("mailto:BOB@x.com", "bob@x.com"),
        ("<bob@x.com>", "bob@x.com"),
        ("not an address", None),
        ("bob@localhost", None),
        ("", None),
    ],
)
def test_emails_are_trimmed_lowered_and_checked(raw, clean) -> None:
    assert clean_email(raw) == clean


def test_email_keys_apply_provider_rules() -> None:
    assert email_key("J.Smith+shop@GoogleMail.com") == "jsmith@gmail.com"
    assert email_key("j.smith@gmail.com") == email_key("jsmith@gmail.com")
    assert email_key("laura+news@hotmail.es") == "laura@hotmail.es"
    assert email_key("j.smith+x@example.com") == "j.smith+x@example.com"  # unknown provider
    assert email_key("J.Smith@Gmail.com", provider_rules=False) == "j.smith@gmail.com"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("ES", "ES"),
        ("es", "ES"),
        ("España", "ES"),
        ("Spain", "ES"),
        ("Estados Unidos", "US"),
        ("united states", "US"),
        ("USA", "US"),
        ("EE.UU.", "US"),
        ("UK", "GB"),
        ("Reino Unido", "GB"),
        ("México", "MX"),
        ("中国", "CN"),
        ("China", "CN"),
        ("Atlantis", None),
        ("ZZ", None),
        ("", None),
    ],
)
def test_countries_become_iso_codes(value, code) -> None:
    assert country_code(value) == code


def test_language_tags_and_their_regions() -> None:
    assert language_tag("EN_us") == "en-US"
    assert language_tag("zh-hans-cn") == "zh-Hans-CN"
    assert language_tag("Español") == "es"
    assert language_tag("中文") == "zh"
    assert region_of_language("en-GB") == "GB"
    assert region_of_language("zh") == "CN"
    assert region_of_language("es") == "ES"
    assert region_of_language(None) is None


def test_placeholder_and_impossible_birth_dates_are_dropped() -> None:
    today = date(2026, 1, 1)
    assert plausible_birth_date(date(1980, 5, 17), today) == date(1980, 5, 17)
    assert plausible_birth_date(date(1900, 1, 1), today) is None
    assert plausible_birth_date(date(1970, 1, 1), today) is None
    assert plausible_birth_date(date(1850, 3, 3), today) is None
    assert plausible_birth_date(date(2030, 3, 3), today) is None


@pytest.mark.parametrize(
    ("user", "name", "handle"),
    [
        ("jose.garcia79", ["jose", "garcia"], "79"),
        ("jose.garcia", ["jose", "garcia"], None),
        ("dsmith", ["dawn", "smith"], None),
        ("zy1975", ["yang", "zhong"], "1975"),
        ("chen_jing815", ["jing", "chen"], "815"),
        ("1198555947", ["jun", "hou"], "1198555947"),
        ("antonio.garcia", ["tono", "garcia"], "antonio"),  # a nickname leaves its full form
    ],
)
def test_the_handle_is_what_a_user_name_says_beyond_the_name(user, name, handle) -> None:
    assert user_handle(user, name) == handle


def test_relay_addresses_are_recognised() -> None:
    assert is_relay("x7g2k@privaterelay.appleid.com")
    assert not is_relay("ana@gmail.com")
