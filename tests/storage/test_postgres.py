"""The PostgreSQL backend: URLs, migrations, keyed appends, transactions, two processes at
once, and clear errors (a throwaway server: tests/postgres_server.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest

from cxloop.errors import ConfigError, WarehouseError
from cxloop.storage import Warehouse, open_warehouse
from cxloop.storage.backends.postgres import (
    PostgresBackend,
    connect_arguments,
    holds_key_prefix_query,
    redacted,
)
from cxloop.storage.schema import canonical_tables, latest_version
from postgres_server import PASSWORD, PostgresServer

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    return postgres_server.new_database("backend")


@pytest.fixture
def pg(pg_url: str) -> Iterator[Warehouse]:
    with open_warehouse(pg_url) as wh:
        yield wh


def orders(*ids: str) -> pa.Table:
    return pa.table({"order_id": list(ids), "amount": [float(i) for i, _ in enumerate(ids)]})


def test_url_parts_password_and_redaction(monkeypatch: pytest.MonkeyPatch) -> None:
    args = connect_arguments("postgres://ann:s%40cret@db.example:6543/cx?sslmode=require")
    assert (args["host"], args["port"], args["user"], args["password"], args["database"]) == (
        "db.example",
        6543,
        "ann",
        "s@cret",
        "cx",
    )
    assert args["sslmode"] == "require"
    assert redacted("postgresql://ann:s3cret@db:5432/cx") == "postgresql://ann:***@db:5432/cx"
    monkeypatch.setenv("PGPASSWORD", "from-env")  # libpq reads it: no password in the URL
    assert connect_arguments("postgresql://ann@db/cx")["password"] is None
    with pytest.raises(ConfigError, match="name one database"):
        connect_arguments("postgresql://ann:s3cret@db:5432/")


def test_migrations_create_every_table_with_a_unique_key(pg: Warehouse) -> None:
    assert pg.schema_version() == latest_version()
    assert set(pg.counts()) == set(canonical_tables())
    assert pg.migrate() == []
    rows = pg.backend.raw.execute(  # type: ignore[attr-defined]
        "SELECT count(*) FROM pg_constraint WHERE contype = 'u' "
        "AND connamespace = 'public'::regnamespace"
    ).fetchone()
    assert rows[0] == len(canonical_tables()) + 1  # and schema_migrations


def test_append_is_idempotent_and_types_round_trip(pg: Warehouse) -> None:
    assert pg.append("orders", orders("a", "b")).inserted == 2
    again = pg.append("orders", orders("b", "c", "c"))
    assert (again.inserted, again.skipped) == (1, 2)
    when = datetime(2026, 3, 1, 12, 30, 15, 250_000, tzinfo=UTC)
    row = {
        "feedback_id": "f1",
        "ts": when,
        "text": 'a "quoted", multi-line\ncomment — 很好',
        "score": 9,
        "consent_marketing": None,
        "metadata": "",
    }
    columns = [c for c in row if c in dict(canonical_tables()["feedback"].columns)]
    pg.append_rows("feedback", [{c: row[c] for c in columns}])
    back = pg.to_pyarrow(pg.table("feedback").select(*columns)).to_pylist()[0]
    assert back == {c: row[c] for c in columns}


def test_replace_update_delete_and_retention(pg: Warehouse) -> None:
    pg.append("orders", orders("a", "b"))
    replaced = pg.replace("orders", pa.table({"order_id": ["b", "b"], "amount": [7.0, 7.0]}))
    assert replaced.inserted == 1
    amounts = pg.to_pandas(pg.table("orders").order_by("order_id"))["amount"].tolist()
    assert amounts == [0.0, 7.0]
    assert pg.update("orders", "order_id", ["a"], {"amount": 3.5}) == 1
    assert pg.delete("orders", "order_id", ["a", "zzz"]) == 1
    old = datetime(2020, 1, 1, tzinfo=UTC)
    pg.append_rows(
        "events", [{"event_id": "e1", "ts": old}, {"event_id": "e2", "ts": old.now(UTC)}]
    )
    cutoff = datetime.now(UTC) - timedelta(days=30)
    assert pg.count_older_than("events", "ts", cutoff) == 1
    assert pg.delete_older_than("events", "ts", cutoff) == 1
    assert pg.counts()["events"] == 1
    assert pg.holds_keys("events", "e") and not pg.holds_keys("events", "x")
    assert pg.repeated_keys("events") == 0


def test_key_prefixes_match_literally_and_use_an_index(pg: Warehouse) -> None:
    """An importer asks whether a table holds keys of its prefix before every file: the
    lookup must range-scan an index, not read a table of millions of events."""
    pg.append("orders", orders("ab1", "a%c", "x\\y"))
    assert pg.holds_keys("orders", "ab") and pg.holds_keys("orders", "a%")
    assert not pg.holds_keys("orders", "a_") and not pg.holds_keys("orders", "b")
    assert pg.holds_keys("orders", "x\\") and not pg.holds_keys("orders", "x\\z")
    assert pg.repeated_keys("orders", "a") == 0
    backend = pg.backend
    assert isinstance(backend, PostgresBackend)
    query, params = holds_key_prefix_query("orders", "order_id", "ab")
    backend.raw.execute("SET enable_seqscan = off")  # a table this small would be scanned
    plan = backend.raw.execute("EXPLAIN " + query, params, prepare=False).fetchall()
    text = "\n".join(line for (line,) in plan)
    assert "Index" in text and "Seq Scan" not in text, text


def test_a_failed_transaction_leaves_nothing(pg: Warehouse) -> None:
    with pytest.raises(RuntimeError), pg.transaction():
        pg.append("orders", orders("a"))
        pg.append("customers", pa.table({"customer_id": ["c1"]}))
        raise RuntimeError("boom")
    assert pg.counts()["orders"] == 0 and pg.counts()["customers"] == 0
    pg.append("orders", orders("a"))  # the connection is usable afterwards
    assert pg.counts()["orders"] == 1


def test_appends_check_keys_even_when_the_caller_says_they_are_new(pg: Warehouse) -> None:
    """The importer's unchecked fast path is DuckDB's: here every append checks its keys,
    so a file that repeats an id (or a retried batch) still stores each row once."""
    assert pg.append("orders", orders("a", "a", "b"), keys_known_new=True).inserted == 2
    assert pg.append("orders", orders("a"), keys_known_new=True).inserted == 0
    assert pg.drop_repeated_keys("orders") == 0
    assert pg.counts()["orders"] == 2


def test_a_key_inserted_twice_without_checking_is_a_clear_error(pg: Warehouse) -> None:
    pg.backend.insert("orders", orders("a"))
    with pytest.raises(WarehouseError, match="orders.*duplicate key"):
        pg.backend.insert("orders", orders("a"))
    assert pg.counts()["orders"] == 1


_APPENDER = """
import sys
import pyarrow as pa
from cxloop.storage import open_warehouse
url, start = sys.argv[1], int(sys.argv[2])
with open_warehouse(url) as wh:
    for i in range(start, start + 300, 30):
        ids = [f"o{j}" for j in range(i, i + 60)]  # overlaps the other process's ids
        wh.append("orders", pa.table({"order_id": ids, "amount": [1.0] * len(ids)}))
"""


def test_two_processes_appending_the_same_ids_cannot_duplicate(pg: Warehouse, pg_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    runs = [
        subprocess.Popen([sys.executable, "-c", _APPENDER, pg_url, str(start)], env=env)
        for start in (0, 15)
    ]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    assert pg.counts()["orders"] == 345  # o0 … o344, each once
    assert pg.repeated_keys("orders") == 0


def test_unreachable_server_and_bad_password_name_the_url_without_password(
    postgres_server: PostgresServer,
) -> None:
    free = postgres_server.port + 1 if postgres_server.port < 65535 else 1
    with pytest.raises(WarehouseError) as caught:
        open_warehouse(f"postgresql://ann:hunter2@127.0.0.1:{free}/cx?connect_timeout=2")
    assert f"postgresql://ann:***@127.0.0.1:{free}/cx" in str(caught.value)
    assert "hunter2" not in str(caught.value)
    with pytest.raises(WarehouseError, match="does not exist"):
        open_warehouse(postgres_server.url("no_such_database"))


def test_a_wrong_password_is_a_clear_error_without_the_password(pg_url: str) -> None:
    url = pg_url.replace(f":{PASSWORD}@", ":wrong-one@")
    with pytest.raises(WarehouseError, match="password authentication failed") as caught:
        open_warehouse(url)
    assert "wrong-one" not in str(caught.value) and ":***@127.0.0.1" in str(caught.value)
    with open_warehouse(pg_url, migrate=False) as wh:
        assert PASSWORD not in wh.url


def test_status_and_init_show_the_url_without_its_password(tmp_path, pg_url: str) -> None:
    from cxloop.config import Settings
    from cxloop.project import init_project, project_status

    shown = init_project(tmp_path / "acme", warehouse_url=pg_url).warehouse
    status = project_status(Settings.load(project=tmp_path / "acme", warehouse=pg_url))
    assert PASSWORD not in shown + status.warehouse
    assert status.warehouse == shown == pg_url.replace(PASSWORD, "***")
    assert status.tables["customers"] == 0


def test_collector_writes_skip_every_stored_id_whatever_its_age(pg: Warehouse) -> None:
    """Postgres has no window: its UNIQUE index answers for every id ever stored."""
    from cxloop.collect.event_rows import prepare_request
    from cxloop.collect.event_writer import write_requests
    from cxloop.collect.segment_messages import parse_messages

    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    body = {"batch": [{"type": "track", "userId": "u", "event": "X", "messageId": "m1"}]}
    parsed = parse_messages("batch", body, long_ago)
    first = write_requests(pg, [prepare_request(parsed.messages, "web", long_ago)])
    again = write_requests(
        pg, [prepare_request(parsed.messages, "web", datetime.now(UTC))], timedelta(hours=1)
    )
    assert (first.events_inserted, again.events_inserted, pg.counts()["events"]) == (1, 0, 1)
