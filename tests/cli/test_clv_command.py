"""``cxloop clv fit``: the published CDNOW estimates through the CLI, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from understand.clv.cdnow_data import (
    BGNBD_PAPER,
    GAMMA_GAMMA_PAPER,
    SUMMARY,
    SUMMARY_WITH_SPEND,
    needs_cdnow,
    published_precision,
    sample_transactions_csv,
)

runner = CliRunner()
pytestmark = needs_cdnow


def fit(*args: str):
    return runner.invoke(app, ["clv", "fit", *args])


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_transactions_csv(tmp_path_factory.mktemp("cdnow"))


def transactions_args(sample: Path, *extra: str) -> list[str]:
    return [
        "--transactions", str(sample), "--customer-col", "customer_id", "--date-col", "date",
        "--date-format", "%Y%m%d", "--calibration-end", "1997-09-30", "--time-unit", "W", *extra,
    ]  # fmt: skip


def test_transactions_reproduce_fader_hardie_lee(sample: Path) -> None:
    result = fit(*transactions_args(sample, "--amount-col", "dollar_value", "--json"))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc["bgnbd"]) >= {"r", "alpha", "a", "b", "log_likelihood"}
    assert set(doc["gamma_gamma"]) >= {"p", "q", "gamma"}
    for name, published in BGNBD_PAPER.items():
        assert doc["bgnbd"][name] == pytest.approx(published, abs=published_precision(published))
    for name, published in GAMMA_GAMMA_PAPER.items():
        value = doc["gamma_gamma"][name]
        assert value == pytest.approx(published, abs=published_precision(published))
    assert doc["customers"] == 2357 and doc["repeat_customers"] == 946
    assert doc["calibration_end"] == "1997-09-30" and doc["time_unit"] == "W"


def test_summary_with_transactions_reproduces_gamma_gamma() -> None:
    result = fit("--summary", str(SUMMARY_WITH_SPEND), "--time-unit", "W", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for name, published in GAMMA_GAMMA_PAPER.items():
        value = doc["gamma_gamma"][name]
        assert value == pytest.approx(published, abs=published_precision(published))
    for name, published in BGNBD_PAPER.items():
        assert doc["bgnbd"][name] == pytest.approx(published, abs=published_precision(published))


def test_summary_without_spend_has_no_gamma_gamma_and_a_table() -> None:
    doc = json.loads(fit("--summary", str(SUMMARY), "--json").stdout)
    assert doc["gamma_gamma"] is None
    table = fit("--summary", str(SUMMARY))
    assert table.exit_code == 0 and "alpha" in table.stdout and "Gamma-Gamma" not in table.stdout


def test_missing_column_names_file_and_option(sample: Path) -> None:
    result = fit("--transactions", str(sample), "--customer-col", "cust", "--date-col", "date")
    assert result.exit_code == 1
    assert f"{sample}: no column 'cust' (given by --customer-col)" in result.output


@pytest.mark.parametrize(
    ("cell", "column", "message"),
    [
        ("1997-13-45", "date", "row 4, column 'date': '1997-13-45' is not a date (%Y%m%d)"),
        ("12,5O", "dollar_value", "row 4, column 'dollar_value': '12,5O' is not a number"),
    ],
)
def test_bad_cell_names_file_row_and_column(
    tmp_path: Path, cell: str, column: str, message: str
) -> None:
    path = tmp_path / "t.csv"
    rows = ["customer_id,date,dollar_value", "1,19970101,10", "1,19970105,12"]
    good = {"customer_id": "2", "date": "19970103", "dollar_value": "4"}
    good[column] = cell
    rows.append(",".join(f'"{v}"' for v in good.values()))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = fit(
        "--transactions", str(path), "--customer-col", "customer_id", "--date-col", "date",
        "--date-format", "%Y%m%d", "--amount-col", "dollar_value",
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"{path}: {message}" in " ".join(result.output.split())


def test_bad_summary_row(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("frequency,recency,T\n1,3,10\n2,12,8\n", encoding="utf-8")
    result = fit("--summary", str(path))
    assert result.exit_code == 1 and "row 3, column 'T': is less than recency" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give either --transactions FILE or --summary FILE"),
        (["--summary", "s.csv", "--date-col", "d"], "--date-col only go with --transactions"),
        (["--transactions", "t.csv"], "--transactions needs --customer-col and --date-col"),
        (["--summary", "s.csv", "--time-unit", "M"], "--time-unit 'M'"),
        (
            ["--transactions", "t.csv", "--customer-col", "c", "--date-col", "d",
             "--calibration-end", "30/09/1997"],
            "--calibration-end '30/09/1997' is not a date",
        ),
    ],
)  # fmt: skip
def test_usage_errors(args: list[str], message: str) -> None:
    result = fit(*args)
    assert result.exit_code == 2 and message in result.output


def test_parquet_and_whitespace_files_read_alike(sample: Path, tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(sample, dtype=str)
    typed = frame.assign(
        date=pd.to_datetime(frame["date"], format="%Y%m%d"),
        dollar_value=frame["dollar_value"].astype(float),
    )
    typed.to_parquet(tmp_path / "t.parquet")
    frame.to_csv(tmp_path / "t.txt", sep=" ", index=False)
    docs = []
    for path, date_format in (
        (tmp_path / "t.parquet", []),
        (tmp_path / "t.txt", ["--date-format", "%Y%m%d"]),
    ):
        result = fit(
            "--transactions", str(path), "--customer-col", "customer_id", "--date-col", "date",
            "--amount-col", "dollar_value", "--calibration-end", "1997-09-30",
            "--time-unit", "W", "--json", *date_format,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        docs.append(json.loads(result.stdout))
    assert docs[0]["bgnbd"]["r"] == pytest.approx(docs[1]["bgnbd"]["r"], rel=1e-9)
    assert docs[0]["gamma_gamma"]["p"] == pytest.approx(docs[1]["gamma_gamma"]["p"], rel=1e-9)
