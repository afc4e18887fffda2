from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from cxloop.storage import Warehouse
from cxloop.unify.activity import activity_span, id_map, link_activity


def ts(day: int) -> datetime:
    return datetime(2025, 3, day, tzinfo=UTC)


def customers_of(warehouse: Warehouse, table: str, key: str) -> dict[str, str | None]:
    data = warehouse.to_pyarrow(warehouse.table(table).select(key, "customer_id"))
    return dict(zip(data[key].to_pylist(), data["customer_id"].to_pylist(), strict=True))


def mapping(customer_of_record: dict[str, str], aliases: list[tuple[str, str, str]] = ()):
    records = pd.DataFrame(
        {
            "record_id": list(customer_of_record),
            "source": [r.split(":")[0] for r in customer_of_record],
            "source_id": [r.split(":")[1] for r in customer_of_record],
            "customer_id": list(customer_of_record.values()),
        }
    )
    alias_frame = pd.DataFrame(list(aliases), columns=["source", "external_id", "record_id"])
    return id_map(records, alias_frame)


def test_activity_rows_get_their_customer(warehouse, add_rows) -> None:
    add_rows(
        "events",
        [
            {"event_id": "web:e1", "source": "web", "source_customer_id": "u1", "name": "A",
             "ts": ts(2)},
            {"event_id": "web:e2", "source": "web", "anonymous_id": "anon-1", "name": "B",
             "ts": ts(1)},
            {"event_id": "web:e3", "source": "web", "source_customer_id": "nobody", "name": "C",
             "ts": ts(3)},
            {"event_id": "crm:e4", "source": "crm", "source_customer_id": "u1", "name": "D",
             "ts": ts(4)},
        ],
    )  # fmt: skip
    add_rows("orders", [{"order_id": "crm:o1", "source": "crm", "source_customer_id": "u1",
                         "ts": ts(9), "amount": 10.0}])  # fmt: skip
    add_rows("feedback", [{"feedback_id": "web:f1", "source": "web",
                           "source_customer_id": "u1", "ts": ts(5)}])  # fmt: skip
    ids = mapping({"web:u1": "cus_a", "crm:u1": "cus_b"}, [("web", "anon-1", "web:u1")])

    changed, touched = link_activity(warehouse, ids)
    assert changed == {"events": 3, "orders": 1, "feedback": 1}
    assert touched == {"cus_a", "cus_b"}
    assert customers_of(warehouse, "events", "event_id") == {
        "web:e1": "cus_a",
        "web:e2": "cus_a",  # anonymous, linked by identify
        "web:e3": None,
        "crm:e4": "cus_b",  # the same id in another source is another record
    }
    assert customers_of(warehouse, "orders", "order_id") == {"crm:o1": "cus_b"}
    assert link_activity(warehouse, ids) == ({"events": 0, "orders": 0, "feedback": 0}, set())


def test_activity_moves_with_a_merge(warehouse, add_rows) -> None:
    add_rows("events", [{"event_id": "web:e1", "source": "web", "source_customer_id": "u1",
                         "name": "A", "ts": ts(2)}])  # fmt: skip
    link_activity(warehouse, mapping({"web:u1": "cus_old"}))
    changed, touched = link_activity(warehouse, mapping({"web:u1": "cus_new"}))
    assert changed["events"] == 1 and touched == {"cus_new"}
    assert customers_of(warehouse, "events", "event_id") == {"web:e1": "cus_new"}


def test_many_changed_rows_are_written_in_slices_of_bounded_size(
    warehouse, add_rows, monkeypatch
) -> None:
    from datetime import timedelta

    from cxloop.unify import activity

    add_rows("events", [{"event_id": f"web:e{i}", "source": "web", "name": "A",
                         "source_customer_id": f"u{i % 3}",
                         "ts": ts(1) + timedelta(seconds=i, microseconds=250_001 * i)
                         if i else None}
                        for i in range(20)])  # fmt: skip
    fetched: list[int] = []
    original = activity._changed_rows

    def counted(*args):
        for data in original(*args):
            fetched.append(data.num_rows)
            yield data

    monkeypatch.setattr(activity, "_changed_rows", counted)
    ids = mapping({"web:u0": "cus_0", "web:u1": "cus_1", "web:u2": "cus_2"})
    changed, touched = link_activity(warehouse, ids, batch_rows=4)
    assert changed["events"] == 20 and touched == {"cus_0", "cus_1", "cus_2"}
    assert len(fetched) >= 4 and max(fetched) <= 8  # 20 rows in 5 slices, by their second
    # every row, the one without a time too
    assert customers_of(warehouse, "events", "event_id") == {
        f"web:e{i}": f"cus_{i % 3}" for i in range(20)
    }
    fetched.clear()
    assert link_activity(warehouse, ids, batch_rows=4)[0]["events"] == 0
    assert fetched == []  # nothing differs: one query, nothing written


def test_activity_span_covers_every_activity_table(warehouse, add_rows) -> None:
    add_rows("events", [{"event_id": "e1", "source": "w", "customer_id": "C", "name": "A",
                         "ts": ts(5)}])  # fmt: skip
    add_rows("orders", [{"order_id": "o1", "source": "w", "customer_id": "C", "ts": ts(9)}])
    add_rows("feedback", [{"feedback_id": "f1", "source": "w", "customer_id": "C",
                           "ts": ts(2)}, {"feedback_id": "f2", "source": "w",
                           "customer_id": "D", "ts": ts(7)}])  # fmt: skip
    span = activity_span(warehouse, ["C"]).set_index("customer_id")
    assert list(span.index) == ["C"]
    assert (span.loc["C", "first_ts"], span.loc["C", "last_ts"]) == (
        pd.Timestamp(ts(2)),
        pd.Timestamp(ts(9)),
    )
    assert set(activity_span(warehouse, None)["customer_id"]) == {"C", "D"}
    assert activity_span(warehouse, []).empty
