"""The import-memory helper: the events file it writes and the peaks it reads."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from cxloop.bench.import_memory import import_peak_mb, peak_rss_mb, write_events_csv


@pytest.mark.parametrize(
    ("properties", "header"),
    [
        (True, ["event_id", "customer_id", "name", "ts", "channel", "properties"]),
        (False, ["event_id", "customer_id", "name", "ts"]),
    ],
)
def test_events_file_has_the_rows_and_columns_asked_for(
    tmp_path: Path, properties: bool, header: list[str]
) -> None:
    path = tmp_path / "events.csv"
    write_events_csv(path, 1_001, properties=properties)
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == header
    assert len(rows) == 1_002
    assert rows[1001][:3] == ["e000001000", "c1000", "Page Viewed"]
    assert len({r[0] for r in rows[1:]}) == 1_001  # every id once


def test_peak_of_a_process_that_holds_memory_is_seen() -> None:
    hold = "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); print('done')"
    peak, output = peak_rss_mb(["-c", hold])
    assert output.strip() == b"done"
    assert peak > 200
    # the measuring process's own size does not count: hold 300 MB here while measuring
    here = bytearray(300 * 2**20)
    here[::4096] = b"x" * len(here[::4096])
    small, _ = peak_rss_mb(["-c", "import sys; print(sys.argv[1:])", "a"])
    assert small < 100, small
    assert peak_rss_mb(["-m", "json.tool", "--help"])[1].startswith(b"usage")


def test_a_failing_command_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="failed"):
        peak_rss_mb(["-c", "raise SystemExit(3)"])
    with pytest.raises(ValueError, match="expected"):
        peak_rss_mb([sys.executable, "-c", "pass"])


@pytest.mark.slow
def test_import_peak_checks_every_row_went_in(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    write_events_csv(path, 2_000, properties=False)
    assert import_peak_mb(tmp_path / "p", path, 2_000, memory_limit="64MB") > 0
    with pytest.raises(RuntimeError, match="inserted 2000 rows of 2001"):
        import_peak_mb(tmp_path / "q", path, 2_001)
