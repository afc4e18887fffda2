from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cxloop.unify.golden_record import _merged_attributes, golden_records, survivorship_order
from cxloop.unify.options import ResolveOptions

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def day(d: int) -> pd.Timestamp:
    return pd.Timestamp(datetime(2025, 1, d, tzinfo=UTC))


def records(*rows: dict) -> pd.DataFrame:
    columns = ["record_id", "source", "customer_id", "first_name", "last_name", "name", "email",
               "phone", "birth_date", "address", "city", "postcode", "country", "language",
               "attributes", "seen_at"]  # fmt: skip
    return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows])


def golden(frame: pd.DataFrame, trusted: list[str], activity: pd.DataFrame | None = None):
    activity = activity if activity is not None else pd.DataFrame()
    out = golden_records(frame, activity, options=ResolveOptions(trusted_sources=trusted), now=NOW)
    return out.set_index("customer_id")


def test_the_most_trusted_source_wins_each_field() -> None:
    frame = records(
        {"record_id": "web:1", "source": "web", "customer_id": "C", "email": "new@x.com",
         "phone": "+34600000001", "seen_at": day(9)},
        {"record_id": "crm:1", "source": "crm", "customer_id": "C", "email": "Old@X.com",
         "phone": None, "seen_at": day(1)},
    )  # fmt: skip
    row = golden(frame, ["crm"]).loc["C"]
    assert row["email"] == "old@x.com"  # crm first, cleaned
    assert row["phone"] == "+34600000001"  # crm has none: the next record's


def test_within_a_rank_the_most_recent_non_empty_value_wins() -> None:
    frame = records(
        {"record_id": "a:1", "source": "a", "customer_id": "C", "city": "Madrid",
         "seen_at": day(1)},
        {"record_id": "b:1", "source": "b", "customer_id": "C", "city": "Sevilla",
         "seen_at": day(5)},
        {"record_id": "c:1", "source": "c", "customer_id": "C", "city": None, "seen_at": day(9)},
    )  # fmt: skip
    assert golden(frame, []).loc["C", "city"] == "Sevilla"


def test_a_full_name_beats_a_partial_one_and_scripts_are_respected() -> None:
    frame = records(
        {"record_id": "a:1", "source": "a", "customer_id": "C", "first_name": "Ana",
         "seen_at": day(9)},
        {"record_id": "b:1", "source": "b", "customer_id": "C", "first_name": "Ana",
         "last_name": "Ruiz", "seen_at": day(1)},
        {"record_id": "c:1", "source": "c", "customer_id": "Z", "first_name": "秀英",
         "last_name": "王", "seen_at": day(1)},
    )  # fmt: skip
    out = golden(frame, [])
    assert out.loc["C", "name"] == "Ana Ruiz"
    assert out.loc["Z", "name"] == "王秀英"


def test_clean_values_and_merged_attributes() -> None:
    frame = records(
        {"record_id": "crm:1", "source": "crm", "customer_id": "C", "phone": "653 126 976",
         "country": "España", "language": "ES", "attributes": '{"tier": "Gold", "opt_in": "Y"}',
         "seen_at": day(1)},
        {"record_id": "web:1", "source": "web", "customer_id": "C",
         "attributes": '{"tier": "Silver", "newsletter": true}', "seen_at": day(5)},
    )  # fmt: skip
    row = golden(frame, ["crm"]).loc["C"]
    assert row["phone"] == "+34653126976"
    assert row["country"] == "ES"
    assert row["language"] == "es"
    assert json.loads(row["attributes"]) == {"tier": "Gold", "opt_in": "Y", "newsletter": True}


def test_first_and_last_seen_span_records_and_activity() -> None:
    frame = records(
        {"record_id": "a:1", "source": "a", "customer_id": "C", "seen_at": day(5)},
        {"record_id": "b:1", "source": "b", "customer_id": "C", "seen_at": day(7)},
        {"record_id": "c:1", "source": "c", "customer_id": "D", "seen_at": day(3)},
    )
    activity = pd.DataFrame({"customer_id": ["C"], "first_ts": [day(2)], "last_ts": [day(20)]})
    out = golden(frame, [], activity)
    assert (out.loc["C", "first_seen"], out.loc["C", "last_seen"]) == (day(2), day(20))
    assert (out.loc["D", "first_seen"], out.loc["D", "last_seen"]) == (day(3), day(3))
    assert out.loc["C", "updated_at"] == pd.Timestamp(NOW)


def _reference_attributes(ordered: pd.DataFrame) -> dict[str, str | None]:
    """The merge as first written: every record's JSON read, key by key, best record first."""
    merged: dict[str, dict] = {}
    for cid, text in zip(ordered["customer_id"], ordered["attributes"], strict=True):
        target = merged.setdefault(cid, {})
        try:
            data = json.loads(text) if isinstance(text, str) and text else None
        except ValueError:
            continue
        if isinstance(data, dict):
            for key, value in data.items():
                if key not in target and value not in (None, ""):
                    target[key] = value
    return {
        cid: json.dumps(d, ensure_ascii=False, separators=(",", ":"), sort_keys=True) if d else None
        for cid, d in merged.items()
    }


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["c1", "c2", "c3", "c4"]),
            st.sampled_from(
                [None, "", "not json", "[1, 2]", '{"tier": "Gold"}', '{"tier": null, "x": 1}',
                 '{"tier": "", "opt_in": "Y"}', '{"opt_in": "N", "tier": "Silver"}',
                 '{"nested": {"a": 1}, "n": 0}', '{"名": "王"}']
            ),
        ),
        max_size=30,
    )
)  # fmt: skip
def test_attributes_read_once_per_distinct_text_merge_as_before(rows: list) -> None:
    ordered = pd.DataFrame(rows, columns=["customer_id", "attributes"], dtype=object)
    assert _merged_attributes(ordered).to_dict() == _reference_attributes(ordered)


def _reference_order(records: pd.DataFrame, trusted: list[str]) -> pd.DataFrame:
    """The survivorship order as ``sort_values`` gave it before it became one lexsort."""
    rank = {source: i for i, source in enumerate(trusted)}
    ordered = records.assign(
        _rank=records["source"].map(rank).fillna(len(rank)).astype(int),
        _when=records["seen_at"],
    )
    ordered = ordered.sort_values(
        ["customer_id", "_rank", "_when", "record_id"],
        ascending=[True, True, False, True],
        na_position="last",
        kind="stable",
    )
    return ordered.drop(columns=["_rank", "_when"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["c1", "c2", "c10", "C3", None]),
            st.sampled_from(["crm", "web", "app", "shop"]),
            st.one_of(st.none(), st.integers(1, 6)),
        ),
        max_size=40,
    ),
    st.lists(st.sampled_from(["crm", "web", "app", "other"]), max_size=3, unique=True),
)
def test_survivorship_order_equals_the_sort_it_replaced(rows: list, trusted: list[str]) -> None:
    frame = pd.DataFrame(
        {
            "record_id": [f"{source}:{i % 7}" for i, (_, source, _) in enumerate(rows)],
            "customer_id": pd.Series([c for c, _, _ in rows], dtype=object),
            "source": [s for _, s, _ in rows],
            "seen_at": pd.Series(
                [day(d) if d else None for _, _, d in rows], dtype="datetime64[us, UTC]"
            ),
        }
    )
    got = survivorship_order(frame, trusted)
    assert got.index.tolist() == _reference_order(frame, trusted).index.tolist()


def test_columns_from_record_features_give_the_same_golden_records() -> None:
    """``resolve`` hands golden records the phones, countries and (without provider rules)
    cleaned e-mails that normalisation already computed; the rows must be those computed
    from the raw values."""
    from cxloop.unify.features import RECORD_COLUMNS, record_features

    frame = records(
        {"record_id": "crm:1", "source": "crm", "customer_id": "C", "phone": "653 126 976",
         "email": " Ana.Ruiz@Example.ES ", "country": "España", "seen_at": day(1)},
        {"record_id": "web:1", "source": "web", "customer_id": "C", "email": "mailto:x@y.org",
         "phone": "+44 20 7946 0958", "seen_at": day(2)},
        {"record_id": "app:1", "source": "app", "customer_id": "D", "email": "not an address",
         "phone": "0034 653 126 976", "country": "ES", "seen_at": day(3)},
        {"record_id": "app:2", "source": "app", "customer_id": "E", "email": "J.Smith+a@gmail.com",
         "seen_at": day(4)},
    )  # fmt: skip
    full = frame.assign(
        source_id=frame["record_id"], created_at=frame["seen_at"], imported_at=frame["seen_at"]
    )
    features = record_features(full[list(RECORD_COLUMNS)], ResolveOptions())
    given = frame.assign(
        phone_e164=features["phone"], country_code=features["country"],
        email_clean=features["email_key"],
    )  # fmt: skip
    expected = golden(frame, [])
    assert expected["email"].tolist() == ["x@y.org", None, "j.smith+a@gmail.com"]
    assert expected["phone"].tolist() == ["+442079460958", "+34653126976", None]
    assert given.drop(columns="email_clean").pipe(golden, []).equals(expected)
    assert golden(given, []).equals(expected)
