"""The bench options: one set of defaults for the CLI, the runner and the stages; every bad
option named by its flag; the command line a run writes into its report."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.bench.options import STAGE_NAMES, BenchOptions, StageOptions
from cxloop.bench.runner import STAGES
from cxloop.bench.stages import StageContext
from cxloop.cli.main import app
from cxloop.errors import UsageError


def test_the_runner_runs_the_stages_the_options_name() -> None:
    assert tuple(STAGES) == STAGE_NAMES


def test_a_stage_context_carries_the_options_into_a_child_process() -> None:
    options = BenchOptions(customers=500, clients=3, text_sample=7, stage_timeout_s=60)
    ctx = StageContext(project="p", data="d", **options.stage_options())
    again = StageContext(**json.loads(json.dumps(asdict(ctx))))
    assert again == ctx and again.clients == 3 and again.text_sample == 7
    assert StageContext(project="p", data="d").stage_options() == asdict(StageOptions())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (BenchOptions(clients=0), "--clients and --requests must be at least 1"),
        (BenchOptions(requests=0), "--clients and --requests must be at least 1"),
        (BenchOptions(kpi_sample=0), "--kpi-sample: give at least 1"),
        (BenchOptions(stage_timeout_s=0), "--stage-timeout 0: give a positive number"),
    ],
)
def test_bad_load_options_name_their_flag(options: BenchOptions, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        options.stages()


def test_the_command_line_gives_the_scale_and_what_is_not_a_default() -> None:
    assert BenchOptions().command_line() == "cxloop bench --scale 10000"
    options = BenchOptions(
        customers=300, only=("kpi",), requests=3, clv_sample=10, stage_timeout_s=90.0,
        data="/tmp/run one",
    )  # fmt: skip
    assert options.command_line(Path("out/r")) == (
        "cxloop bench --scale 300 --only kpi --requests 3 --clv-sample 10 "
        "--stage-timeout 90.0 --data '/tmp/run one' --out out/r"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clients", "0"], "--clients and --requests must be at least 1"),
        (["--stage-timeout", "-1"], "--stage-timeout -1.0: give a positive number of seconds"),
        (["--text-sample", "0"], "--text-sample: give at least 1"),
    ],
)
def test_the_cli_refuses_a_bad_option_in_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["bench", "--scale", "500", *args])
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
