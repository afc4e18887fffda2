"""``cxloop bench --data DIR --resume FILE``: a stopped run goes on without measuring again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.bench import BenchOptions, run_bench, runner
from cxloop.bench.results import ResultsLog
from cxloop.bench.runner import prepare_project
from cxloop.cli.main import app
from cxloop.errors import UsageError

FIGURE = {"unit": "rows", "units": 10, "cxloop_s": 1.0, "cxloop_cpu_s": 1.0,
          "baseline": "b", "baseline_units": 10, "baseline_s": 2.0, "note": "", "extra": {},
          "peak_mb": 300.0, "ratio": 0.5, "stage_s": 3.0, "stage_cpu_s": 2.5}  # fmt: skip


def stopped_run(folder: Path, customers: int = 300) -> Path:
    """A run's folder as a stopped run leaves it: its data, project and two figures."""
    (folder / "data").mkdir(parents=True)
    made = {"customers": customers, "rows": {"orders": 700}, "generated_s": 1.5}
    (folder / "data" / "company.json").write_text(json.dumps(made), encoding="utf-8")
    (folder / "project").mkdir()
    (folder / "project" / "cxloop.toml").write_text("", encoding="utf-8")
    log = ResultsLog.start(folder / "results.jsonl", {"customers": customers, "data": str(folder)})
    log.append({"stage": "import", **FIGURE})
    log.append({"stage": "kpi", **FIGURE, "units": 20})
    return log.path


def test_resume_skips_the_measured_stages_and_reuses_the_data(tmp_path: Path) -> None:
    results = stopped_run(tmp_path / "run")
    lines: list[str] = []
    report = run_bench(
        BenchOptions(customers=300, only=("kpi",), resume=str(results)), progress=lines.append
    )
    assert [f["units"] for f in report.figures] == [20]  # kpi, from the file: nothing ran
    assert report.generated_s == 1.5 and report.scale["orders"] == 700
    assert any("reusing the 300-customer company" in line for line in lines)
    assert any("stage kpi: measured earlier" in line for line in lines)
    assert all(line.startswith("[0:00:") for line in lines)  # elapsed time first
    assert (tmp_path / "run" / "data" / "company.json").is_file()  # --data is kept
    assert ResultsLog.read(results).company == {"customers": 300, "rows": {"orders": 700},
                                                "generated_s": 1.5}  # fmt: skip


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"customers": 500}, "a run of --scale 300, not 500"),
        ({"data": "elsewhere"}, "elsewhere: the resumed run's data are in .*run$"),
    ],
)
def test_resume_refuses_another_run(tmp_path: Path, options: dict, message: str) -> None:
    results = stopped_run(tmp_path / "run")
    chosen = {"customers": 300, "only": ("kpi",), "resume": str(results), **options}
    if "data" in chosen:
        chosen["data"] = str(tmp_path / chosen["data"])
    with pytest.raises(UsageError, match=message):
        run_bench(BenchOptions(**chosen))


def test_data_of_another_scale_is_refused(tmp_path: Path) -> None:
    stopped_run(tmp_path / "run", customers=300)
    with pytest.raises(UsageError, match="holds a company of 300 customers, not --scale 400"):
        run_bench(BenchOptions(customers=400, only=("kpi",), data=str(tmp_path / "run")))


def test_cli_refuses_a_sample_below_one_in_one_line() -> None:
    result = CliRunner().invoke(app, ["bench", "--scale", "500", "--clv-sample", "0"])
    assert result.exit_code == 2
    assert "--clv-sample: give at least 1" in result.output


def test_cli_resume_takes_the_scale_and_data_from_the_file(tmp_path: Path) -> None:
    results = stopped_run(tmp_path / "run")
    result = CliRunner().invoke(app, ["bench", "--resume", str(results), "--only", "kpi"])
    assert result.exit_code == 0, result.output
    assert "stage kpi: measured earlier" in result.output
    markdown = (tmp_path / "run" / "results.md").read_text(encoding="utf-8")
    assert "| kpi | 20 rows |" in markdown and "300 customers" in markdown


def test_a_new_run_on_kept_data_starts_a_new_warehouse(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "cxloop.toml").write_text("", encoding="utf-8")
    (project / "imported.marker").write_text("filled by an earlier run", encoding="utf-8")
    lines: list[str] = []
    assert prepare_project(project, True, lines.append) == project  # resuming: kept
    assert (project / "imported.marker").is_file() and not lines
    prepare_project(project, False, lines.append)
    assert not (project / "imported.marker").exists() and (project / "cxloop.toml").is_file()
    assert lines == [f"a new run: the warehouse in {project} is made afresh"]


def test_a_stage_past_its_timeout_is_stopped_with_a_heartbeat_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runner, "HEARTBEAT_S", 0.2)
    beats: list[float] = []
    result, wall, _ = runner._run_child(["generate", "/nonexistent", "100"], 1.0, beats.append)
    assert result == {"error": "did not finish within 1 s"}  # still importing when stopped
    assert beats and wall < 10
