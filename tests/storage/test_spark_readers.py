"""A reader in another process never fails and never sees a half-written table while a
writer commits in a loop (the catalog swap, then the replaced parts retired, not removed)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from cxloop.storage import open_warehouse
from spark_engine import SPARK_MARKS, spark_warehouse

pytestmark = SPARK_MARKS

#: per commit: every row renamed to the new generation, and ten rows of it added
WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cxloop.storage import open_warehouse

    url, stop = sys.argv[1], Path(sys.argv[2])
    with open_warehouse(url, migrate=False) as wh:
        print("ready", flush=True)
        generation = 0
        while not stop.exists() and generation < 2000:
            generation += 1
            with wh.transaction():
                wh.update("teams", "name", [f"g{generation - 1}"], {"name": f"g{generation}"})
                rows = [{"team_id": f"t{generation}-{i}", "name": f"g{generation}"}
                        for i in range(10)]
                wh.append_rows("teams", rows)
        print(generation, flush=True)
    """
)
QUERIES = 12
START_S = 300


def _rows(generation: int) -> list[dict[str, object]]:
    return [{"team_id": f"t{generation}-{i}", "name": f"g{generation}"} for i in range(10)]


def test_a_reader_never_fails_nor_sees_half_a_commit(tmp_path: Path) -> None:
    with spark_warehouse(tmp_path) as url:
        with open_warehouse(url) as wh:
            wh.append_rows("teams", _rows(0))
        stop = tmp_path / "stop"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
            seen: list[int] = []
            with open_warehouse(url, read_only=True) as reader:
                teams = reader.table("teams")
                for _ in range(QUERIES):
                    per_name = reader.to_pyarrow(teams.group_by("name").agg(n=teams.count()))
                    rows = per_name.to_pylist()
                    assert len(rows) == 1, f"rows of two generations at once: {rows}"
                    generation = int(str(rows[0]["name"])[1:])
                    assert rows[0]["n"] == 10 * (generation + 1), rows
                    seen.append(generation)
                    time.sleep(0.2)
            stop.touch()
            out, err = writer.communicate(timeout=START_S)
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
        assert writer.returncode == 0, err
        assert seen == sorted(seen) and len(set(seen)) >= 3, seen
        assert int(out.split()[-1]) > seen[-1]
