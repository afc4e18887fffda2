"""From ``source_records`` rows to the normalised columns that matching compares.

Every function here works column by column and computes each distinct value once, so a million
records with a few hundred thousand distinct names cost a few seconds, not minutes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cxloop.unify.contacts import (
    PLAIN_PHONE,
    clean_email,
    country_code,
    email_key,
    international_e164,
    is_relay,
    language_tag,
    national_e164,
    phone_digits_tail,
    phone_e164,
    plausible_birth_date,
    region_of_language,
    user_handle,
)
from cxloop.unify.names import PARTICLES, fold, latin, name_parts
from cxloop.unify.nicknames import CANONICAL, FULL_FORMS
from cxloop.unify.options import ResolveOptions
from cxloop.unify.phone_fast_path import (
    international_e164_fast,
    national_e164_fast,
    phone_e164_fast,
)
from cxloop.unify.places import city_key
from cxloop.unify.process_map import map_in_processes

#: columns of ``source_records`` that resolution reads
RECORD_COLUMNS = (
    "record_id", "source", "source_id", "first_name", "last_name", "name", "email", "phone",
    "birth_date", "address", "city", "postcode", "country", "language", "created_at",
    "attributes", "imported_at",
)  # fmt: skip

#: the columns of the frame that the probabilistic model compares
FEATURE_COLUMNS = (
    "unique_id", "source", "first_name", "last_name", "first_latin", "last_latin",
    "first_token", "last_token", "last_rest", "first_canon", "name_short", "name_key", "dob",
    "email_key", "email_compared", "email_user", "email_handle", "phone", "phone_tail", "city",
    "postcode", "postcode_area", "address", "country",
)  # fmt: skip


def map_unique(
    values: pd.Series,
    func: Callable[[Any], Any],
    *,
    in_processes: bool = False,
    fast: Callable[[Any], Any] | None = None,
) -> pd.Series:
    """``values.map(func)``, calling ``func`` once per distinct non-null value; with
    ``in_processes``, on every core (:func:`~cxloop.unify.process_map.map_in_processes`:
    ``func`` must then be a module-level function or a partial of one).

    ``fast``, when given, is tried first on each distinct value: a cheap function that gives
    ``func``'s answer or ``None`` for "undecided"; ``func`` runs only on the undecided values.
    """
    codes, distinct = _factorize(values)
    if not distinct:
        return pd.Series([None] * len(values), index=values.index, dtype=object)
    answers: list[Any] = [None] * len(distinct)
    undecided = list(range(len(distinct)))
    if fast is not None:
        answers = [fast(value) for value in distinct]
        undecided = [i for i, answer in enumerate(answers) if answer is None]
    if in_processes:
        found = map_in_processes(func, [distinct[i] for i in undecided])
        for i, answer in zip(undecided, found, strict=True):
            answers[i] = answer
    else:
        for i in undecided:
            answers[i] = func(distinct[i])
    # one slot more for missing values (code -1); missing answers (NaN, NaT) as None
    table = pd.Series([*answers, None], dtype=object)
    table = table.where(table.notna(), None).to_numpy(dtype=object)
    return pd.Series(table[codes], index=values.index, dtype=object)


def _factorize(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes of each value among the distinct non-missing values (-1 where missing), and
    those values: one hash pass instead of ``unique`` and a ``map`` through a dict (which
    pandas turns into a Series and looks up by index, the larger part of the time)."""
    if pd.api.types.is_object_dtype(values.dtype):
        codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    else:
        codes, uniques = pd.factorize(values)
    return codes, list(uniques.tolist())


def _text(values: pd.Series) -> pd.Series:
    """Strings with blanks as missing (trimmed)."""
    if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(
        values.dtype
    ):
        trimmed = values.str.strip()
        return trimmed.astype(object).where(trimmed.notna() & trimmed.ne(""), None)
    out = values.astype(object).where(values.notna(), None)
    return out.map(lambda v: v if v is None else (str(v).strip() or None))


def record_features(records: pd.DataFrame, options: ResolveOptions) -> pd.DataFrame:
    """The comparison columns of each record (see :data:`FEATURE_COLUMNS`), plus one
    ``id_<n>`` column per identifier attribute in ``options.id_attributes``.

    ``records`` has the columns of :data:`RECORD_COLUMNS`.
    """
    out = pd.DataFrame({"unique_id": records["record_id"].astype(object)}, index=records.index)
    out["source"] = records["source"].astype(object)
    names = _name_columns(records)
    for column in names.columns:
        out[column] = names[column]
    out["dob"] = map_unique(records["birth_date"], _dob_text)
    emails = map_unique(
        _text(records["email"]), lambda v: email_key(v, provider_rules=options.email_provider_rules)
    )
    out["email_key"] = emails
    compared = emails.where(~emails.map(lambda v: v is not None and is_relay(v)), None)
    out["email_compared"] = compared
    out["email_user"] = map_unique(compared, lambda v: v.rsplit("@", 1)[0])
    out["email_handle"] = _email_handles(out["email_user"], out["first_latin"], out["last_latin"])
    countries = map_unique(_text(records["country"]), country_code)
    out["phone"] = phones_e164(records["phone"], countries, records["language"], options)
    out["phone_tail"] = map_unique(_text(records["phone"]), phone_digits_tail)
    out["city"] = map_unique(_text(records["city"]), city_key)
    out["postcode"] = map_unique(_text(records["postcode"]), postcode_key)
    out["postcode_area"] = map_unique(out["postcode"], lambda v: v[:3])
    out["address"] = map_unique(_text(records["address"]), fold)
    out["country"] = countries
    attributes = _text(records["attributes"])
    for i, attribute in enumerate(options.id_attributes):
        out[f"id_{i}"] = map_unique(attributes, functools.partial(identifier, key=attribute))
    return out


def _email_handles(users: pd.Series, first: pd.Series, last: pd.Series) -> pd.Series:
    """:func:`~cxloop.unify.contacts.user_handle` of each e-mail user name and the record's
    name words, once per distinct (user name, given name, family name)."""
    present = users.notna().to_numpy()
    out = np.full(len(users), None, dtype=object)
    if present.any():
        keys = pd.Series(list(zip(users[present], first[present], last[present], strict=True)))
        out[present] = map_unique(keys, _handle_of_key).to_numpy(dtype=object)
    return pd.Series(out, index=users.index, dtype=object)


def _handle_of_key(key: tuple[str, str | None, str | None]) -> str | None:
    user, first, last = key
    words = f"{first if isinstance(first, str) else ''} {last if isinstance(last, str) else ''}"
    return user_handle(user, words.split())


def _name_columns(records: pd.DataFrame) -> pd.DataFrame:
    first = map_unique(_text(records["first_name"]), fold)
    last = map_unique(_text(records["last_name"]), fold)
    whole = _text(records["name"])
    only_full = first.isna() & last.isna() & whole.notna()
    if only_full.any():
        split = map_unique(whole[only_full], _split_full_name)
        first = first.where(~only_full, split.map(lambda p: p[0] if p else None))
        last = last.where(~only_full, split.map(lambda p: p[1] if p else None))
    first_latin = map_unique(first, _latin_of_folded)
    last_latin = map_unique(last, _latin_of_folded)
    first_token = map_unique(first_latin, lambda v: v.split()[0])
    last_token = map_unique(last_latin, _family_token)
    last_rest = map_unique(last_latin, _second_family_name)
    canon = first_latin.where(first_latin.isin(FULL_FORMS) | first_latin.isin(CANONICAL), None)
    canon = canon.where(canon.notna(), first_token)
    first_canon = map_unique(canon, lambda v: CANONICAL.get(v, v))
    joined = first_latin.fillna("") + " " + last_latin.fillna("")
    return pd.DataFrame(
        {
            "first_name": first,
            "last_name": last,
            "first_latin": first_latin,
            "last_latin": last_latin,
            "first_token": first_token,
            "last_token": last_token,
            "last_rest": last_rest,
            "first_canon": first_canon,
            "name_short": (first_canon + " " + last_token).where(
                first_canon.notna() & last_token.notna(), None
            ),
            "name_key": map_unique(joined, lambda v: " ".join(sorted(v.split())) or None),
        },
        index=records.index,
    )


def _split_full_name(full: str) -> tuple[str | None, str | None] | None:
    parts = name_parts(None, None, full)
    return parts.first, parts.last


def _latin_of_folded(folded: str) -> str:
    return latin(folded) or folded


def _family_token(last_latin: str) -> str:
    words = last_latin.split()
    return next((w for w in words if w not in PARTICLES), words[0])


def _second_family_name(last_latin: str) -> str | None:
    """What follows the first family name: "lopez" of "garcia lopez" (Spanish and
    Portuguese names carry two)."""
    words = [w for w in last_latin.split() if w not in PARTICLES]
    return " ".join(words[1:]) or None


def _dob_text(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    day = pd.Timestamp(value).date()
    day = plausible_birth_date(day)
    return day.isoformat() if day else None


def phones_e164(
    phones: pd.Series, countries: pd.Series, languages: pd.Series, options: ResolveOptions
) -> pd.Series:
    """E.164 numbers: a national number is read in the record's country, else in the region of
    its language (``en-GB`` → GB; ``zh`` → CN), else in ``options.default_country``.

    Numbers written with digits and punctuation only are read once per distinct digit string
    (and set of regions, for national ones): "(212) 555-0123" and "212-555-0123" are parsed
    once, and those in a plain form (a country code and a possible number, or a possible
    national number in the record's one region) without ``phonenumbers.parse``
    (:mod:`~cxloop.unify.phone_fast_path`). Others go through
    :func:`~cxloop.unify.contacts.phone_e164` as written.
    """
    lang_regions = map_unique(_text(languages), lambda v: region_of_language(language_tag(v)))
    default = (options.default_country or "").upper() or None
    text = _text(phones)
    out = pd.Series([None] * len(text), index=text.index, dtype=object)
    present = text.notna()
    if not present.any():
        return out
    written = text[present].astype(str)
    country = countries[present].astype(object)
    lang_region = lang_regions[present].astype(object)
    digits = written.str.replace(r"\D", "", regex=True)
    plain = written.str.match(PLAIN_PHONE.pattern).astype(bool) & (digits.str.len() >= 6)
    plus = written.str.startswith("+")
    international = plain & (plus | digits.str.startswith("00"))
    after_prefix = digits.where(plus, digits.str[2:])
    out[international[international].index] = map_unique(
        after_prefix[international],
        international_e164,
        in_processes=True,
        fast=international_e164_fast,
    )
    national = plain & ~international
    regions = [
        tuple(dict.fromkeys(r for r in (c, lr, default) if r))
        for c, lr in zip(country[national], lang_region[national], strict=True)
    ]
    keys = pd.Series(
        list(zip(digits[national], regions, strict=True)), index=digits[national].index
    )
    out[keys.index] = map_unique(
        keys, _national_e164_of_key, in_processes=True, fast=_national_e164_fast_of_key
    )
    other = ~plain & (digits.str.len() >= 6)
    if other.any():
        raw = pd.Series(
            list(zip(written[other], country[other], lang_region[other], strict=True)),
            index=written[other].index,
        )
        out[raw.index] = map_unique(
            raw, functools.partial(_phone_e164_of_key, default=default), in_processes=True
        )
    return out


def _national_e164_of_key(key: tuple[str, tuple[str, ...]]) -> str | None:
    digits, regions = key
    return national_e164(digits, regions) if regions else None


def _national_e164_fast_of_key(key: tuple[str, tuple[str, ...]]) -> str | None:
    digits, regions = key
    if len(regions) == 1:
        return national_e164_fast(digits, regions[0])
    return phone_e164_fast(digits, regions) if regions else None


def _phone_e164_of_key(key: tuple[str, str | None, str | None], default: str | None) -> str | None:
    written, country, lang_region = key
    return phone_e164(written, (country, lang_region, default))


def postcode_key(postcode: str) -> str | None:
    """Upper case without spaces: "so14 4qw" → ``SO144QW``."""
    value = "".join(ch for ch in postcode.upper() if ch.isalnum())
    return value or None


def identifier(attributes: str, key: str) -> str | None:
    """A personal identifier kept in a record's JSON ``attributes``, as upper-case letters and
    digits only (so "123 456-78" and "12345678" agree)."""
    try:
        data = json.loads(attributes)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    value = data.get(key)
    if value is None or isinstance(value, dict | list):
        return None
    text = "".join(ch for ch in str(value).upper() if ch.isalnum())
    return text or None


def golden_columns(records: pd.DataFrame, options: ResolveOptions) -> pd.DataFrame:
    """The values golden records are chosen from, cleaned: e-mail, E.164 phone (raw when it
    cannot be read), ISO country, BCP 47 language.

    Columns ``phone_e164``, ``country_code`` and ``email_clean`` in ``records`` (from
    :func:`record_features`; ``email_clean`` is its ``email_key`` when e-mail provider rules
    are off, which is then :func:`~cxloop.unify.contacts.clean_email` of the address) are used
    as they are, instead of reading phones and addresses again.
    """
    if "country_code" in records.columns:
        countries = records["country_code"].astype(object)
    else:
        countries = map_unique(_text(records["country"]), country_code)
    if "phone_e164" in records.columns:
        phones = records["phone_e164"].astype(object)
    else:
        phones = phones_e164(records["phone"], countries, records["language"], options)
    return pd.DataFrame(
        {
            "email": (
                records["email_clean"].astype(object)
                if "email_clean" in records.columns
                else map_unique(_text(records["email"]), clean_email)
            ),
            "phone": phones.where(phones.notna(), _text(records["phone"])),
            "country": countries,
            "language": map_unique(_text(records["language"]), language_tag),
        },
        index=records.index,
    )
