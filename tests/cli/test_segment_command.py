"""``cxloop segment list|show|refresh|export``: JSON contracts, files, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from segment_tables import add_shop

runner = CliRunner()


@pytest.fixture
def shop(project: Settings) -> Settings:
    with open_project_warehouse(project) as wh:
        add_shop(wh)
    folder = project.project / "segments"
    (folder / "es.yaml").write_text(
        'id: es\nname: Spanish\ndescription: Spanish speakers\nrule: language == "es"\n',
        encoding="utf-8",
    )
    (folder / "detractors.yaml").write_text(
        "id: detractors\nname: Detractors\nrule: ladder == 'detractor'\n", encoding="utf-8"
    )
    return project


def invoke(project: Settings, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--project", str(project.project), "segment", *args])


def test_refresh_list_show(shop: Settings) -> None:
    result = invoke(shop, "refresh", "--json")
    assert result.exit_code == 0, result.output
    refreshed = {r["segment_id"]: r for r in json.loads(result.stdout)}
    assert (
        refreshed["es"]["entered"] == 2 and refreshed["detractors"]["members"] == 2
    )  # c2; c5 (its 0 of 2025-07-05)
    again = json.loads(invoke(shop, "refresh", "es", "--json").stdout)
    assert [(r["segment_id"], r["entered"], r["left"], r["refresh_id"]) for r in again] == [
        ("es", 0, 0, None)
    ]
    listed = json.loads(invoke(shop, "list", "--json").stdout)
    assert [(s["id"], s["members"]) for s in listed] == [("detractors", 2), ("es", 2)]
    shown = json.loads(invoke(shop, "show", "es", "--json").stdout)
    assert shown["rule"] == 'language == "es"' and shown["members"] == 2
    assert [(h["entered"], h["left"]) for h in shown["history"]] == [(2, 0)]
    table = invoke(shop, "list")
    assert table.exit_code == 0 and "Spanish" in table.stdout


def test_export_csv_and_parquet(shop: Settings, tmp_path: Path) -> None:
    invoke(shop, "refresh")
    result = invoke(shop, "export", "es")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == '"customer_id","entered_at"' and [ln[:4] for ln in lines[1:]] == [
        '"c2"',
        '"c4"',
    ]
    out = tmp_path / "es.parquet"
    done = invoke(shop, "export", "es", "--format", "parquet", "--out", str(out), "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["rows"] == 2
    assert pq.read_table(out).column("customer_id").to_pylist() == ["c2", "c4"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("show", "nope"), 2, "no segment 'nope'"),
        (("refresh", "nope"), 2, "no segment 'nope'"),
        (("export", "es", "--format", "xlsx"), 2, "unknown --format 'xlsx'"),
        (("export", "es", "--format", "parquet"), 2, "Parquet is binary: give --out FILE"),
    ],
)
def test_errors_are_one_line(
    shop: Settings, args: tuple[str, ...], code: int, message: str
) -> None:
    result = invoke(shop, *args)
    assert result.exit_code == code
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_bad_rule_exits_1_naming_the_file(shop: Settings) -> None:
    (shop.project / "segments" / "bad.yaml").write_text(
        "id: bad\nname: Bad\nrule: nps <= \n", encoding="utf-8"
    )
    result = invoke(shop, "list")
    assert result.exit_code == 1
    assert "bad.yaml:3: rule: line 1, column 7" in result.stderr


def test_stages_as_data(shop: Settings) -> None:
    result = invoke(shop, "stages", "--kind", "lifecycle", "--months", "3", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["kind"] == "lifecycle" and doc["as_of"].startswith("2025-07-05")
    snapshots = sorted({row["snapshot"] for row in doc["snapshots"]})
    assert snapshots == ["2025-06-01", "2025-07-01", "2025-07-05"]
    last = {r["stage"]: r["customers"] for r in doc["snapshots"] if r["snapshot"] == snapshots[-1]}
    assert last == {"new": 1, "active": 1, "reactivated": 1, "at_risk": 1, "lapsed": 1}
    moves = {(r["from_stage"], r["to_stage"]) for r in doc["transitions"]}
    assert ("none", "new") in moves  # c3's first order on 2025-06-21
    table = invoke(shop, "stages")
    assert table.exit_code == 0 and "advocate" in table.stdout
    wrong = invoke(shop, "stages", "--kind", "rfm")
    assert wrong.exit_code == 2 and "unknown --kind 'rfm'" in wrong.stderr
