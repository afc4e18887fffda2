"""Durability: ``kill -9`` during an import, an identity resolution and a text analysis.

Each test runs the real CLI in a subprocess (``kill_switch.py``) that kills itself with
``SIGKILL`` right after a chosen write has returned, so the kill lands at the same place every
run. After the kill the warehouse is opened again and must show nothing half-written; running
the command again must converge on exactly the tables of a twin project where the same commands
ran without interruption. (Acknowledged collector events under ``kill -9``:
``test_collector_kill.py``.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import init_project, open_project_warehouse
from filetools import write_csv

pytestmark = pytest.mark.slow
runner = CliRunner()
KILL_SWITCH = Path(__file__).with_name("kill_switch.py")
APPEND = "cxloop.storage.warehouse:Warehouse.append"
REPLACE = "cxloop.storage.warehouse:Warehouse.replace"
WRITE_TIMES = {"model_id", "imported_through"}  # beside every column named *_at
# Splink names each linker at random: the one part of a saved model that is not the data's
RANDOM_NAME = r'"linker_uid": "\w+"'
TEXTS = [
    "The parcel arrived late and the box was broken",
    "Great service, thank you so much!",
    "El pedido llegó tarde y nadie contesta",
    "Atención rápida y amable",
    "物流太慢了，希望改进。",
    "客服态度很好",
    "Why was I charged twice? Call me on 0161 496 0000",
    "Love the new app",
]


def killed_run(project: Path, *args: str, kill_at: str, env: dict | None = None) -> None:
    """Run ``cxloop --project PROJECT ARGS`` in a subprocess killed at ``kill_at``."""
    marker = project.parent / f"{project.name}.killed"
    marker.unlink(missing_ok=True)
    environment = os.environ | (env or {})
    environment |= {"CXLOOP_TEST_KILL": kill_at, "CXLOOP_TEST_KILL_MARKER": str(marker)}
    done = subprocess.run(
        [sys.executable, str(KILL_SWITCH), "--project", str(project), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -9, f"not killed: {done.returncode} {done.stderr[-2000:]}"
    assert marker.read_text() == f"{kill_at} reached\n"


def cxloop(project: Path, *args: str, env: dict | None = None) -> str:
    """Run ``cxloop --project PROJECT ARGS`` to the end (in this process: it is quicker)."""
    result = runner.invoke(app, ["--project", str(project), *args], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def tables(project: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, without the columns that hold the time of the write."""
    settings = Settings.load(project=project)
    with open_project_warehouse(settings) as wh:
        out = {}
        for name in wh.counts():
            frame = wh.to_pandas(wh.table(name))
            keep = [c for c in frame.columns if not c.endswith("_at") and c not in WRITE_TIMES]
            text = frame[keep].astype(str).replace(RANDOM_NAME, "", regex=True)
            out[name] = sorted(text.itertuples(index=False, name=None))
    return out


def counts(project: Path) -> dict[str, int]:
    with open_project_warehouse(Settings.load(project=project)) as wh:
        return {name: n for name, n in wh.counts().items() if n}


def customers(n: int, start: int = 0, domain: str = "example.com") -> list[dict[str, object]]:
    return [
        {
            "customer_id": f"c{i:04d}",
            "first_name": f"Name{i}",
            "last_name": f"Family{i % 37}",
            "email": f"person{i}@{domain}",
            "city": ["Leeds", "Madrid", "北京"][i % 3],
            "created_at": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T09:00:00Z",
        }
        for i in range(start, start + n)
    ]


def feedback(n: int) -> list[dict[str, object]]:
    return [
        {
            "feedback_id": f"f{i:04d}",
            "customer_id": f"c{i % 50:04d}",
            "ts": f"2026-03-{1 + i % 28:02d}T10:00:00Z",
            "kind": "survey",
            "nps": i % 11,
            "text": TEXTS[i % len(TEXTS)] + f" #{i}",
        }
        for i in range(n)
    ]


def twins(tmp_path: Path) -> tuple[Path, Path]:
    """Two fresh projects: one to interrupt, one that runs undisturbed."""
    pair = []
    for name in ("killed", "calm"):
        project = tmp_path / name
        init_project(project)
        pair.append(project)
    return pair[0], pair[1]


def test_an_import_killed_half_way_leaves_nothing_and_the_rerun_loads_it_all(
    tmp_path: Path,
) -> None:
    killed, calm = twins(tmp_path)
    crm = write_csv(tmp_path / "crm.csv", customers(1_000))
    small_batches = {"CXLOOP_IMPORT_BATCH_ROWS": "100"}
    args = ("import", "customers", str(crm), "--source", "crm")
    # the third batch of ten has just been appended when the process dies
    killed_run(killed, *args, kill_at=f"{APPEND}:3", env=small_batches)
    assert counts(killed).get("source_records", 0) == 0, "a half import is visible"

    cxloop(killed, *args, env=small_batches)
    cxloop(calm, *args, env=small_batches)
    assert counts(killed)["source_records"] == 1_000
    assert tables(killed) == tables(calm)


def test_a_second_import_killed_keeps_the_first_whole(tmp_path: Path) -> None:
    killed, calm = twins(tmp_path)
    crm = write_csv(tmp_path / "crm.csv", customers(300))
    shop = write_csv(tmp_path / "shop.csv", customers(500, start=200))
    small_batches = {"CXLOOP_IMPORT_BATCH_ROWS": "50"}
    for project in (killed, calm):
        cxloop(project, "import", "customers", str(crm), "--source", "crm")
    before = tables(killed)
    killed_run(
        killed,
        *("import", "customers", str(shop), "--source", "shop"),
        kill_at=f"{APPEND}:4",
        env=small_batches,
    )
    assert tables(killed) == before

    for project in (killed, calm):
        cxloop(project, "import", "customers", str(shop), "--source", "shop", env=small_batches)
    assert counts(killed)["source_records"] == 800
    assert tables(killed) == tables(calm)


def test_resolve_killed_while_writing_changes_nothing_and_the_rerun_converges(
    tmp_path: Path,
) -> None:
    killed, calm = twins(tmp_path)
    crm = write_csv(tmp_path / "crm.csv", customers(150))
    shop = write_csv(tmp_path / "shop.csv", customers(150, start=100))
    for project in (killed, calm):
        cxloop(project, "import", "customers", str(crm), "--source", "crm")
        cxloop(project, "import", "customers", str(shop), "--source", "shop")
    before = tables(killed)
    # identities are written, customers not yet: the kill lands inside resolve's transaction
    killed_run(killed, "resolve", kill_at=f"{REPLACE}:1")
    assert tables(killed) == before
    assert counts(killed).get("identities", 0) == 0

    cxloop(killed, "resolve")
    cxloop(calm, "resolve")
    after = counts(killed)
    assert after["identities"] == 300 and after["customers"] == 250
    assert tables(killed) == tables(calm)


def test_text_analysis_killed_keeps_whole_batches_and_the_rerun_finishes(
    tmp_path: Path,
) -> None:
    killed, calm = twins(tmp_path)
    comments = write_csv(tmp_path / "comments.csv", feedback(60))
    batches = {"CXLOOP_TEXT_BATCH_SIZE": "10"}
    for project in (killed, calm):
        cxloop(project, "import", "feedback", str(comments), "--source", "survey")
    # two batches of ten are committed, the third is never started
    killed_run(killed, "text", "analyze", kill_at=f"{REPLACE}:2", env=batches)
    with open_project_warehouse(Settings.load(project=killed)) as wh:
        insights = wh.to_pandas(wh.table("feedback_insights"))
    assert len(insights) == 20 and insights["feedback_id"].is_unique
    assert insights["sentiment"].notna().all() and insights["redacted_text"].notna().all()

    rerun = cxloop(killed, "text", "analyze", "--json", env=batches)
    assert json.loads(rerun)["analysed"] == 40
    cxloop(calm, "text", "analyze", env=batches)
    assert counts(killed)["feedback_insights"] == 60
    assert tables(killed) == tables(calm)
