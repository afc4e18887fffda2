"""``cxloop text eval`` on small files, with the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cxloop.cli.main import app

runner = CliRunner()
ROWS = [
    ("I love it, the delivery was quick and the staff were lovely.", "positive", "en"),
    ("Terrible service, my order arrived broken and nobody answered.", "negative", "en"),
    ("Me encanta, el pedido llegó rapidísimo y todo perfecto.", "positive", "es"),
    ("Pésimo servicio, el pedido llegó roto y nadie me contestó.", "negative", "es"),
    ("服务很好，送货很快，非常满意！", "positive", "zh"),
    ("太差了，东西是坏的，客服也不理人。", "negative", "zh"),
]


def write_csv(tmp_path: Path, with_language: bool = True) -> Path:
    path = tmp_path / "labelled.csv"
    header = "text,label,language" if with_language else "text,label"
    lines = [header] + [
        f'"{t}",{y},{lang}' if with_language else f'"{t}",{y}' for t, y, lang in ROWS
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_eval_prints_json_with_the_contracted_keys(tmp_path: Path) -> None:
    result = runner.invoke(app, ["text", "eval", "--data", str(write_csv(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"accuracy", "macro_f1", "per_language"} <= set(report)
    assert set(report["per_language"]) == {"en", "es", "zh"}
    assert report["accuracy"] == 1.0  # unmistakable texts


def test_eval_detects_languages_and_prints_a_table(tmp_path: Path) -> None:
    path = write_csv(tmp_path, with_language=False)
    result = runner.invoke(app, ["text", "eval", "--data", str(path)])
    assert result.exit_code == 0, result.output
    for word in ("accuracy", "macro-F1", "en", "es", "zh", "all"):
        assert word in result.stdout


def test_eval_errors_are_one_line_and_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nhello,happy\n", encoding="utf-8")
    result = runner.invoke(app, ["text", "eval", "--data", str(bad)])
    assert result.exit_code != 0
    assert "row 2" in result.output and "'happy'" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = runner.invoke(app, ["text", "eval", "--data", str(bad), "--backend", "transformers"])
    assert result.exit_code != 0


def test_transformers_backend_needs_a_model(tmp_path: Path) -> None:
    path = write_csv(tmp_path)
    result = runner.invoke(app, ["text", "eval", "--data", str(path), "--backend", "transformers"])
    assert result.exit_code == 2 and "--model" in result.output
    result = runner.invoke(app, ["text", "eval", "--data", str(path), "--model", str(tmp_path)])
    assert result.exit_code == 2 and "--backend transformers" in result.output
