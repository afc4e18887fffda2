"""The importer's fast paths give exactly what its general path gives.

``import_file(..., fast=False)`` trims text in SQL and looks every batch's ids up in the
warehouse; the default trims in Arrow and, where the target held none of the file's ids, checks
them against the import's own record; and a Parquet file is read, checked and inserted by the
warehouse's engine in one statement (where it is clean and its ids new). Each case here runs
the same imports both ways, into two warehouses, and compares the reports, the rejects files
and every stored row.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cxloop.collect import importer
from cxloop.collect.importer import import_file
from cxloop.errors import ValidationReportError
from cxloop.storage import Warehouse, open_warehouse
from cxloop.storage.schema import key_column
from filetools import write_csv, write_jsonl

SPACES = ["", " ", "\t", "\u00a0", "\u3000", "\u202f", " \r\n"]


def padded(value: str, i: int) -> str:
    return SPACES[i % len(SPACES)] + value + SPACES[(i * 3 + 1) % len(SPACES)]


def feedback_rows(n: int, *, bad_every: int = 0, start: int = 0) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i in range(start, start + n):
        rows.append(
            {
                "feedback_id": padded(f"f{i}", i),
                "customer_id": padded(f"c{i % 7}", i + 1),
                "ts": padded("2025-01-02T03:04:05+01:00", i),
                "nps": padded(str(11 if bad_every and i % bad_every == 0 else i % 11), i),
                "csat": "" if i % 4 == 0 else padded(str(1 + i % 5), i + 2),
                "text": padded(["Late again", "Muy bien", "很好", "  "][i % 4], i),
                "language": ["en", "es", "zh", ""][i % 4],
            }
        )
    return rows


# Each case writes its files under a folder and returns the imports to run, as
# (kind, path, keyword arguments of import_file).
Case = Callable[[Path], list[tuple[str, Path, dict[str, object]]]]


def whitespace_and_bad_rows_skipped(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    path = write_csv(d / "fb.csv", feedback_rows(40, bad_every=6))
    return [
        ("feedback", path, {"source": "survey", "batch_rows": 9, "skip_bad_rows": True}),
        ("feedback", path, {"source": "survey", "batch_rows": 9, "skip_bad_rows": True}),
    ]


def bad_file_rejected(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    path = write_csv(d / "fb.csv", feedback_rows(30, bad_every=4))
    return [("feedback", path, {"source": "survey", "batch_rows": 7})]


def repeated_ids(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    rows = feedback_rows(12)
    rows += [dict(r, text=f"again {i}") for i, r in enumerate(rows[::3])]  # across batches
    rows.insert(1, dict(rows[0], text="twice in one batch"))
    path = write_csv(d / "fb.csv", rows)
    return [("feedback", path, {"source": "survey", "batch_rows": 4})]


def reimport_and_overlap(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    first = write_csv(d / "a.csv", feedback_rows(10))
    overlap = write_csv(d / "b.csv", feedback_rows(10, start=5))
    return [
        ("feedback", first, {"source": "survey", "batch_rows": 3}),
        ("feedback", first, {"source": "survey", "batch_rows": 3}),
        ("feedback", overlap, {"source": "survey", "batch_rows": 4}),
        ("feedback", overlap, {"source": "tickets", "batch_rows": 4}),  # a new source: fresh
    ]


def parquet_native_and_extra_columns(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    n = 20
    table = pa.table(
        {
            "customer_id": pa.array([padded(f"c{i}", i) for i in range(n)], pa.large_string()),
            "email": [None if i % 5 == 0 else padded(f"P{i}@Example.com", i) for i in range(n)],
            "first_name": [padded("Zoë", i) for i in range(n)],
            "created_at": pa.array(
                [1_700_000_000_000_000 + i for i in range(n)], pa.timestamp("us", tz="UTC")
            ),
            "loyalty_points": list(range(n)),
            "tier": [padded("gold", i) for i in range(n)],  # kept raw in attributes
        }
    )
    path = d / "crm.parquet"
    pq.write_table(table.slice(0, 15), path, row_group_size=4)
    more = d / "crm_more.parquet"
    pq.write_table(table.slice(10), more, row_group_size=4)
    return [
        ("customers", path, {"source": "crm", "batch_rows": 3}),
        ("customers", more, {"source": "crm", "batch_rows": 3}),
    ]


def derived_ids_from_jsonl(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    rows = [
        {"customer_id": padded(f"c{i % 3}", i), "name": padded("Page Viewed", i), "n": i % 4}
        for i in range(15)
    ]
    path = write_jsonl(d / "app.jsonl", rows)
    return [
        ("events", path, {"source": "app", "batch_rows": 4}),
        ("events", path, {"source": "app", "batch_rows": 5}),
    ]


def ids_without_source(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    teams = [
        {"team_id": padded(f"t{i}", i), "name": padded(f"Team {i}", i), "function": "support"}
        for i in range(6)
    ]
    first = write_csv(d / "teams.csv", teams[:4])
    second = write_csv(d / "teams2.csv", teams[2:])
    return [("teams", first, {"batch_rows": 2}), ("teams", second, {"batch_rows": 2})]


def parquet_feedback(n: int, *, bad_every: int = 0, repeat: bool = False) -> pa.Table:
    rows = feedback_rows(n, bad_every=bad_every)
    if repeat:
        rows[-1] = dict(rows[-1], feedback_id=rows[2]["feedback_id"].strip() + " ")
    return pa.Table.from_pylist(rows)


def parquet_bad_rows(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    path = d / "fb.parquet"
    pq.write_table(parquet_feedback(30, bad_every=7), path, row_group_size=8)
    return [
        ("feedback", path, {"source": "survey"}),
        ("feedback", path, {"source": "survey", "skip_bad_rows": True}),
        ("feedback", path, {"source": "survey", "skip_bad_rows": True}),
    ]


def parquet_repeated_ids(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    path = d / "fb.parquet"
    pq.write_table(parquet_feedback(25, repeat=True), path, row_group_size=8)
    return [("feedback", path, {"source": "survey"})]


def parquet_typed_columns_and_reimport(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    n = 24
    employees = pa.table(
        {
            "employee_id": [padded(f"e{i}", i) for i in range(n)],
            "team_id": pa.array([f"t{i % 3}" for i in range(n)], pa.large_string()),
            "name": [None if i % 6 == 0 else padded("Zoë Smith", i) for i in range(n)],
            "email": [f"E{i}@Example.org" for i in range(n)],
            "is_manager": [i % 5 == 0 for i in range(n)],
            "hired_at": pa.array([19000 + i for i in range(n)], pa.date32()),
        }
    )
    pulses = pa.table(
        {
            "pulse_id": pa.array(range(n), pa.int64()),
            "employee_id": [f"e{i}" for i in range(n)],
            "ts": pa.array(
                [1_700_000_000_000 + i * 3_600_000 for i in range(n)], pa.timestamp("ms")
            ),
            "enps": pa.array([i % 11 for i in range(n)], pa.int16()),
            "engagement": [1.0 + (i % 9) / 2 for i in range(n)],
            "wellbeing": pa.array([2.5] * n, pa.float32()),
        }
    )
    staff, pulse = d / "employees.parquet", d / "pulses.parquet"
    pq.write_table(employees, staff, row_group_size=5)
    pq.write_table(pulses, pulse, row_group_size=5)
    return [
        ("employees", staff, {}),
        ("employees", staff, {}),
        ("employee_pulses", pulse, {"timezone": "Europe/Madrid"}),
    ]


def parquet_events_derived_ids_and_properties(d: Path) -> list[tuple[str, Path, dict[str, object]]]:
    n = 18
    events = pa.table(
        {
            "customer_id": [padded(f"c{i % 4}", i) for i in range(n)],
            "name": [padded("Order Placed", i) for i in range(n)],
            "ts": pa.array([1_735_689_600 + i for i in range(n)], pa.int64()),
            "amount": [i * 1.5 for i in range(n)],
            "coupon": [None if i % 3 else f"SAVE{i}" for i in range(n)],
        }
    )
    path, twice = d / "app.parquet", d / "app_twice.parquet"
    pq.write_table(events, path)
    pq.write_table(pa.concat_tables([events, events.slice(0, 2)]), twice)
    return [("events", path, {"source": "app"}), ("events", twice, {"source": "shop"})]


CASES: list[Case] = [
    whitespace_and_bad_rows_skipped,
    bad_file_rejected,
    repeated_ids,
    reimport_and_overlap,
    parquet_native_and_extra_columns,
    derived_ids_from_jsonl,
    ids_without_source,
    parquet_bad_rows,
    parquet_repeated_ids,
    parquet_typed_columns_and_reimport,
    parquet_events_derived_ids_and_properties,
]

# what each attempt of the in-warehouse Parquet path returned on the fast side: the rows it
# loaded, or None where it left the file to the general path (ids already there, a bad row,
# a repeated id); the general side never tries it
IN_WAREHOUSE: dict[Case, list[int | None]] = {
    parquet_native_and_extra_columns: [15, None],
    parquet_bad_rows: [None, None, None],
    parquet_repeated_ids: [None],
    parquet_typed_columns_and_reimport: [24, None, 24],
    parquet_events_derived_ids_and_properties: [18, None],
}


def run_imports(warehouse: Warehouse, folder: Path, case: Case, fast: bool) -> list[object]:
    """Run the case's imports; return what can be compared: reports, rejects, stored rows."""
    outcome: list[object] = []
    tables = set()
    for n, (kind, path, options) in enumerate(case(folder)):
        rejects = folder / f"rejects{n}.csv"
        try:
            report = import_file(warehouse, kind, path, rejects_path=rejects, fast=fast, **options)  # type: ignore[arg-type]
        except ValidationReportError as exc:
            report = exc.report
            outcome.append("rejected")
        tables.add(report.table)
        outcome.append(report.model_dump(exclude={"seconds", "rejects_file", "file"}))
        outcome.append(rejects.read_text(encoding="utf-8") if rejects.exists() else None)
    outcome.append(warehouse.counts())
    for table in sorted(tables):
        stored = warehouse.to_pyarrow(warehouse.table(table)).drop_columns(["imported_at"])
        outcome.append(sorted(stored.to_pylist(), key=lambda r: str(r[key_column(table)])))
    return outcome


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_fast_and_general_paths_agree(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unchecked_appends = []
    append = Warehouse.append

    def spy(self: Warehouse, table: str, data: object, *, keys_known_new: bool = False) -> object:
        if keys_known_new:
            unchecked_appends.append(table)
        return append(self, table, data, keys_known_new=keys_known_new)  # type: ignore[arg-type]

    in_warehouse: list[int | None] = []
    load = importer.load_parquet_in_warehouse

    def load_spy(*args: Any, **kwargs: Any) -> int | None:
        in_warehouse.append(load(*args, **kwargs))
        return in_warehouse[-1]

    monkeypatch.setattr(Warehouse, "append", spy)
    monkeypatch.setattr(importer, "load_parquet_in_warehouse", load_spy)
    outcomes = []
    for fast in (True, False):
        folder = tmp_path / ("fast" if fast else "general")
        folder.mkdir()
        with open_warehouse(f"duckdb:///{folder / 'wh.duckdb'}") as warehouse:
            outcomes.append(run_imports(warehouse, folder, case, fast))
        if fast:
            taken = len(unchecked_appends)
            assert in_warehouse == IN_WAREHOUSE.get(case, [])
    fast_outcome, general_outcome = outcomes
    assert fast_outcome == general_outcome
    assert any(isinstance(part, dict) and part["rows_read"] for part in fast_outcome)
    # a fast key path was taken where it can be (repeated ids included: they are dropped
    # at the end), and only on the fast side
    no_fast_keys = (bad_file_rejected,)
    loaded = any(in_warehouse)
    assert (taken > 0 or loaded) == (case not in no_fast_keys)
    assert len(unchecked_appends) == taken
    assert len(in_warehouse) == len(IN_WAREHOUSE.get(case, []))
