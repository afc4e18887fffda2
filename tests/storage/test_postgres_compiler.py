"""Ibis expressions the product uses that Ibis's own Postgres compiler gets wrong, run on a
real server: boolean casts to numbers, arbitrary/first/last."""

from __future__ import annotations

from datetime import UTC, datetime

import ibis
import pytest

from cxloop.storage import open_warehouse
from cxloop.storage.backends.postgres_compiler import PortableCompiler
from postgres_server import PostgresServer


def test_the_sql_postgres_accepts() -> None:
    t = ibis.table({"a": "string", "b": "int64", "ok": "boolean"}, name="t")
    sql = (
        PortableCompiler()
        .to_sqlglot(t.group_by("b").agg(x=t.a.arbitrary(), n=t.ok.cast("int64").sum()))
        .sql("postgres")
    )
    assert "FIRST(" not in sql.upper() and "CAST(CAST(" in sql


@pytest.mark.postgres
def test_aggregates_and_casts_on_a_server(postgres_server: PostgresServer) -> None:
    with open_warehouse(postgres_server.new_database("compiler")) as wh:
        day = datetime(2026, 1, 1, tzinfo=UTC)
        wh.append_rows(
            "events",
            [
                {
                    "event_id": f"e{i}",
                    "customer_id": "c1" if i < 3 else "c2",
                    "ts": day.replace(day=1 + i),
                    "name": f"step{i}",
                }
                for i in range(5)
            ],
        )
        e = wh.table("events")
        expr = (
            e.group_by("customer_id")
            .agg(
                any_event=e.name.arbitrary(),
                first=e.name.first(order_by=e.ts),
                last=e.name.last(order_by=e.ts),
                early=(e.ts < day.replace(day=3)).cast("int64").sum(),
                share=(e.ts < day.replace(day=3)).cast("float64").mean(),
            )
            .order_by("customer_id")
        )
        rows = wh.to_pandas(expr).to_dict(orient="records")
    assert [(r["first"], r["last"], r["early"]) for r in rows] == [
        ("step0", "step2", 2),
        ("step3", "step4", 0),
    ]
    assert rows[0]["any_event"] in {"step0", "step1", "step2"}
    assert rows[0]["share"] == pytest.approx(2 / 3)
