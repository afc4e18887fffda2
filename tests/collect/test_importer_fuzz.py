"""Fuzzing the file importer: whatever bytes or values a file holds, the import either loads it
or stops with a CxloopError that names the file (and, for bad values, the line and the field),
and a failed import leaves the warehouse as it was. Never a traceback of another kind.

The readers' own properties are in ``test_csv_reader.py``, ``test_jsonl_reader.py`` and
``test_utf8_stream.py``; here the whole import is driven end to end.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxloop.collect.importer import import_file
from cxloop.errors import CxloopError, ValidationReportError
from cxloop.storage import open_warehouse

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
serial = itertools.count()

TIMES = st.sampled_from(
    ["2026-03-01T10:00:00Z", "2026-03-01", "01/03/2026", "yesterday", "", "2026-13-45", "nan"]
)
SCORES = st.one_of(
    st.integers(-5, 15).map(str), st.sampled_from(["", "ten", "7.5", "1e3", "NaN", " 9 "])
)
TEXTS = st.text(max_size=40)


def snapshot(wh) -> dict[str, int]:
    return {name: n for name, n in wh.counts().items() if n}


def attempt(wh, kind: str, path: Path) -> CxloopError | None:
    """Import ``path``; the error, if it failed (any other exception fails the test)."""
    before = snapshot(wh)
    try:
        import_file(wh, kind, path, source="fuzz")
    except CxloopError as error:
        assert snapshot(wh) == before, "a failed import changed the warehouse"
        assert path.name in error.message, error.message
        return error
    return None


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".jsonl"]))
def test_random_bytes_load_or_fail_cleanly(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"random{next(serial)}{suffix}"
    path.write_bytes(data)
    with open_warehouse(f"duckdb:///{tmp_path / 'bytes.duckdb'}") as wh:
        attempt(wh, "feedback", path)


@FUZZ
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "feedback_id": st.text(min_size=0, max_size=8),
                "ts": TIMES,
                "nps": SCORES,
                "csat": SCORES,
                "text": TEXTS,
            }
        ),
        min_size=1,
        max_size=8,
    ),
    as_jsonl=st.booleans(),
)
def test_malformed_values_name_the_file_line_and_field(
    tmp_path: Path, rows: list[dict[str, str]], as_jsonl: bool
) -> None:
    path = tmp_path / f"values{next(serial)}.{'jsonl' if as_jsonl else 'csv'}"
    if as_jsonl:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    with open_warehouse(f"duckdb:///{tmp_path / 'values.duckdb'}") as wh:
        error = attempt(wh, "feedback", path)
    if isinstance(error, ValidationReportError):  # FILE:LINE:FIELD: reason
        where = rf"{re.escape(path.name)}:\d+:(feedback_id|ts|nps|csat|text): \S"
        assert re.match(where, error.message), error.message
