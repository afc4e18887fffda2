"""Peak memory of a file import, measured in a fresh process: one helper for the benchmark
(``benchmarks/import_memory.py``) and the test that the peak does not grow with the file
(``tests/collect/test_importer_memory.py``).

Each measurement runs the real CLI (``python -m cxloop … import events FILE``) in a child
process, which reports its own peak resident set size (``VmHWM``) as it exits: nothing of the
measuring process, and nothing of an earlier measurement, counts in it.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_events_csv(folder / "events.csv", 3, properties=False)
>>> (folder / "events.csv").read_text().splitlines()[1]
'e000000000,c0,Page Viewed,2026-01-01T10:00:00Z'
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from cxloop.project import init_project

PANDAS_READ_CSV = "import sys, pandas; pandas.read_csv(sys.argv[1])"


def write_events_csv(path: Path, rows: int, *, properties: bool = True) -> None:
    """Write ``rows`` web events as CSV: ``event_id, customer_id, name, ts`` and, with
    ``properties``, ``channel`` and a JSON ``properties`` column (about 120 bytes a row
    with them, 45 without). Written by DuckDB: a few seconds for millions of rows."""
    extra = (
        ', \'web\' AS channel, printf(\'{"path": "/p/%d", "ref": '
        '"newsletter-campaign-%d"}\', i, i % 97) AS properties'
        if properties
        else ""
    )
    target = "'" + str(path).replace("'", "''") + "'"
    with duckdb.connect() as con:
        con.execute(
            f"""COPY (SELECT printf('e%09d', i) AS event_id, 'c' || (i % 5000) AS customer_id,
                'Page Viewed' AS name,
                printf('2026-01-%02dT10:%02d:00Z', 1 + i % 28, i % 60) AS ts {extra}
              FROM range({int(rows)}) t(i)) TO {target} (FORMAT csv, HEADER)"""
        )


# Runs ``python ARGS…`` (``-m module …`` or ``-c code …``) and, as it exits, writes the
# process's own high-water mark (VmHWM) to the file named first. Not ``ru_maxrss``: Linux
# carries the parent's resident size at spawn into the child's ``ru_maxrss``, so a large
# measuring process (pytest after many tests) would hide the child's peak under its own.
_REPORT_PEAK = """
import atexit, runpy, sys
peak_file, flag, target = sys.argv[1:4]
def report_peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(peak_file, "w") as out:
        out.write(kb)
atexit.register(report_peak)
if flag == "-m":
    sys.argv = [target, *sys.argv[4:]]
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    sys.argv = ["-c", *sys.argv[4:]]
    exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
"""


def peak_rss_mb(args: Sequence[str], env: Mapping[str, str] | None = None) -> tuple[float, bytes]:
    """Run ``python ARGS`` (``["-m", module, …]`` or ``["-c", code, …]``) in a fresh process
    to its end; its peak resident set size in MB and its standard output.

    Raises
    ------
    ValueError
        When ``args`` starts with neither ``-m`` nor ``-c``.
    RuntimeError
        When the process exits with a non-zero status.
    """
    if not args or args[0] not in ("-m", "-c"):
        raise ValueError(f"expected ['-m', module, …] or ['-c', code, …], got {args!r}")
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        command = [sys.executable, "-c", _REPORT_PEAK, str(peak_file), *args]
        process = subprocess.run(command, env=env, stdout=subprocess.PIPE, check=False)
        if process.returncode != 0:
            raise RuntimeError(
                f"python {' '.join(args[:5])} … failed (exit status {process.returncode})"
            )
        return int(peak_file.read_text()) / 1024, process.stdout


def import_peak_mb(
    project: Path,
    path: Path,
    rows: int,
    *,
    batch_rows: int = 20_000,
    memory_limit: str | None = None,
) -> float:
    """Import the events of ``path`` into a new project at ``project`` with ``cxloop
    import`` in a fresh process; its peak RSS in MB.

    Parameters
    ----------
    project
        A folder that does not exist yet: the project is created there.
    path
        A file from :func:`write_events_csv`.
    rows
        How many rows the file has: the import must insert them all.
    batch_rows
        ``import_batch_rows`` for the import.
    memory_limit
        ``warehouse_memory_limit``; None: DuckDB's default (80% of RAM).
    """
    init_project(project)
    env = dict(os.environ) | {"CXLOOP_IMPORT_BATCH_ROWS": str(batch_rows)}
    env.pop("CXLOOP_WAREHOUSE_MEMORY_LIMIT", None)
    if memory_limit is not None:
        env["CXLOOP_WAREHOUSE_MEMORY_LIMIT"] = memory_limit
    command = ["-m", "cxloop", "--project", str(project), "import", "events", str(path)]
    peak, output = peak_rss_mb([*command, "--source", "web", "--json"], env)
    try:
        inserted = json.loads(output)["rows_inserted"]
    except (ValueError, KeyError):
        message = f"{path}: the import's output is no JSON report: {output[:300]!r}"
        raise RuntimeError(message) from None
    if inserted != rows:
        raise RuntimeError(f"{path}: the import inserted {inserted} rows of {rows}")
    return peak


def pandas_peak_mb(path: Path) -> float:
    """Peak RSS in MB of ``pandas.read_csv(path)`` in a fresh process: a reader that holds
    the whole file, the baseline."""
    return peak_rss_mb(["-c", PANDAS_READ_CSV, str(path)])[0]


__all__ = ["import_peak_mb", "pandas_peak_mb", "peak_rss_mb", "write_events_csv"]
