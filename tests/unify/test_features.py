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


def _map_each(values: pd.Series, func: object) -> list[object]:
    """The answer ``map_unique`` must give: ``func`` of each present value, None elsewhere
    (and where ``func`` gives a missing value)."""
    out = []
    for value in values.tolist():
        answer = None if pd.isna(value) is True else func(value)  # type: ignore[operator]
        out.append(
            None if answer is None or (isinstance(answer, float) and answer != answer) else answer
        )
    return out


def test_map_unique_equals_mapping_each_value_for_every_kind_of_column() -> None:
    import math

    texts = ["Ana", "ana ", None, "李雷", "", "Ana", "Bob", None, "李雷"]
    columns = [
        pd.Series(texts, dtype=object),
        pd.Series(texts, dtype="str"),
        pd.Series([date(1980, 1, 2), None, date(1980, 1, 2), pd.NaT, date(1999, 9, 9)]),
        pd.Series([("a", ("GB",)), ("a", ("GB",)), None, ("b", ()), ("a", ("GB", "US"))]),
        pd.Series([("ana", None, "x"), ("ana", math.nan, "x"), ("ana", None, "x")], dtype=object),
        pd.Series([None, None], dtype=object),
        pd.Series([], dtype=object),
    ]
    funcs = [
        lambda v: str(v).upper() or None,
        lambda v: (str(v), len(str(v))),  # tuples as answers stay whole
        lambda v: math.nan if "a" in str(v) else str(v),  # NaN answers become None
    ]
    for column in columns:
        column.index = pd.RangeIndex(10, 10 + len(column))
        for func in funcs:
            out = map_unique(column, func)
            assert out.index.equals(column.index)
            assert out.dtype == object
            assert out.tolist() == _map_each(column, func)
            fast = map_unique(
                column, func, fast=lambda v, f=func: None if len(str(v)) % 2 else f(v)
            )
            assert fast.tolist() == out.tolist()
