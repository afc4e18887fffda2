from __future__ import annotations

from datetime import date

import pandas as pd

from cxloop.unify.features import RECORD_COLUMNS, identifier, map_unique, record_features
from cxloop.unify.options import ResolveOptions


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{c: row.get(c) for c in RECORD_COLUMNS} for row in rows])


def test_records_get_comparable_columns() -> None:
    records = frame(
        {
            "record_id": "crm:1",
            "source": "crm",
            "first_name": "José Luis",
            "last_name": "García  López",
            "email": " Jose.Garcia@GMAIL.com",
            "phone": "653 12 69 76",
            "country": "España",
            "city": "Málaga",
            "postcode": "29 001",
            "birth_date": date(1980, 5, 17),
        },
        {
            "record_id": "app:2",
            "source": "app",
            "name": "王秀英",
            "phone": "139 1234 5678",
            "language": "zh-CN",
            "city": "成都市",
        },
    )
    features = record_features(records, ResolveOptions())
    spanish, chinese = features.iloc[0], features.iloc[1]
    assert spanish["first_token"] == "jose"
    assert spanish["last_token"] == "garcia"
    assert spanish["last_rest"] == "lopez"
    assert spanish["email_key"] == "jose.garcia@gmail.com"
    assert spanish["email_user"] == "jose.garcia"
    assert spanish["email_handle"] is None  # the user name is the person's name
    assert spanish["phone"] == "+34653126976"  # national number, country from its name
    assert spanish["country"] == "ES"
    assert spanish["postcode"] == "29001"
    assert spanish["postcode_area"] == "290"
    assert spanish["dob"] == "1980-05-17"
    assert chinese["first_name"] == "秀英"
    assert chinese["name_key"] == "wang xiuying"
    assert chinese["phone"] == "+8613912345678"  # region from the language tag
    assert chinese["city"] == "chengdu"


def test_placeholder_birth_dates_are_missing() -> None:
    features = record_features(
        frame({"record_id": "a:1", "source": "a", "birth_date": date(1900, 1, 1)}),
        ResolveOptions(),
    )
    assert features.loc[0, "dob"] is None


def test_identifier_attributes_are_extracted_and_normalised() -> None:
    records = frame(
        {"record_id": "a:1", "source": "a", "attributes": '{"ssn": " 123-45 678"}'},
        {"record_id": "a:2", "source": "a", "attributes": "{not json"},
    )
    features = record_features(records, ResolveOptions(id_attributes=["ssn"]))
    assert features["id_0"].tolist() == ["12345678", None]
    assert identifier('{"card": {"nested": 1}}', "card") is None


def test_a_default_country_reads_phones_of_records_without_one() -> None:
    records = frame({"record_id": "a:1", "source": "a", "phone": "(212) 555-0123"})
    assert record_features(records, ResolveOptions()).loc[0, "phone"] is None
    with_default = record_features(records, ResolveOptions(default_country="us"))
    assert with_default.loc[0, "phone"] == "+12125550123"


def test_map_unique_calls_once_per_distinct_value() -> None:
    calls: list[str] = []

    def upper(v: str) -> str:
        calls.append(v)
        return v.upper()

    out = map_unique(pd.Series(["a", "b", "a", None, "a"]), upper)
    assert out.tolist() == ["A", "B", "A", None, "A"]
    assert sorted(calls) == ["a", "b"]


def test_email_handles_once_per_distinct_key_equal_the_per_record_answer() -> None:
    from cxloop.unify.contacts import user_handle
    from cxloop.unify.features import _email_handles

    users = pd.Series(
        ["jose.garcia79", None, "jose.garcia79", "dsmith", "ana1990", "ana1990"], dtype=object
    )
    first = pd.Series(["jose", "ana", "jose", "dawn", None, "ana"], dtype=object)
    last = pd.Series(["garcia", None, "garcia", "smith", "ruiz", None], dtype=object)
    words = (first.fillna("") + " " + last.fillna("")).str.split()
    expected = [None if u is None else user_handle(u, w) for u, w in zip(users, words, strict=True)]
    assert _email_handles(users, first, last).tolist() == expected
    assert expected == ["79", None, "79", None, "ana1990", "1990"]
