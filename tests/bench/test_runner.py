"""``cxloop bench``: options are checked before any work, and a tiny run measures every stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.bench import STAGES, BenchOptions
from cxloop.bench.stages import StageFigure
from cxloop.cli.main import app
from cxloop.errors import UsageError

runner = CliRunner()


def test_stages_in_loop_order_with_prerequisites() -> None:
    assert BenchOptions().stages() == list(STAGES)
    assert BenchOptions(only=("clv",)).stages() == ["import", "resolve", "clv"]
    assert BenchOptions(only=("pages", "kpi")).stages() == ["import", "kpi", "pages"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (BenchOptions(only=("imports",)), "--only imports"),
        (BenchOptions(customers=10), "--scale 10"),
    ],
)
def test_bad_options_name_the_option(options: BenchOptions, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        options.stages()


def test_cli_refuses_an_unknown_stage_in_one_line() -> None:
    result = runner.invoke(app, ["bench", "--scale", "500", "--only", "kpis"])
    assert result.exit_code == 2
    assert "--only kpis: unknown stage" in result.output


def test_ratio_compares_time_per_unit() -> None:
    figure = StageFigure("text", "texts", 1000, 2.0, 2.0, "VADER", 100, 0.05)
    assert figure.ratio == pytest.approx((2.0 / 1000) / (0.05 / 100))
    assert StageFigure("clv", "customers", 10, 1.0, 1.0, "lifetimes").ratio is None


@pytest.mark.slow
def test_a_tiny_run_measures_every_stage(tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = runner.invoke(
        app, ["bench", "--scale", "300", "--requests", "3", "--clients", "4", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["scale"]["events"] == 300 * 50 and report["scale"]["feedback"] == 300 * 5
    assert report["machine"]["cpus"] >= 1 and report["load_before"] and report["load_after"]
    figures = {f["stage"]: f for f in report["figures"]}
    assert list(figures) == list(STAGES)
    for stage, f in figures.items():
        assert "error" not in f, f
        assert f["units"] > 0 and f["cxloop_s"] > 0 and f["peak_mb"] > 50, stage
        if f["baseline_s"] is None:  # a baseline that could not run says why
            assert f["note"], stage
            continue
        expected = (f["cxloop_s"] / f["units"]) / (f["baseline_s"] / f["baseline_units"])
        assert f["ratio"] == pytest.approx(expected) and f["ratio"] > 0, stage
    activity = sum(report["scale"][k] for k in ("events", "feedback", "orders"))
    assert figures["import"]["units"] == activity + figures["resolve"]["units"]  # + customers
    # the import refreshes the daily KPI rollup, as `cxloop import` does: pages read it
    assert figures["import"]["extra"]["rollup_feedback_rows"] == report["scale"]["feedback"]
    assert figures["resolve"]["extra"]["f1"] > 0.9
    assert figures["pages"]["extra"]["p95_ms"] >= figures["pages"]["extra"]["p50_ms"] > 0
    markdown = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "cxloop bench --scale 300" in markdown and "| pages |" in markdown
