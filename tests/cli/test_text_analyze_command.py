"""``cxloop text analyze`` and ``cxloop text themes``: reports, JSON and one-line errors."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from cxloop.understand.text import analyser as analyser_module
from understand.text.pipeline_doubles import add_feedback, rule_analyser

runner = CliRunner()


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The rule-based test analyser stands in for the shipped one; its calls are kept."""
    seen: list[dict[str, Any]] = []

    def fake_default(settings: Settings, project_dir: Path | None = None, **kw: Any):
        seen.append(kw)
        return rule_analyser()

    monkeypatch.setattr(analyser_module, "default_analyser", fake_default)
    return seen


@pytest.fixture
def with_feedback(project: Settings, calls: list[dict[str, Any]]) -> Settings:
    """A project with five comments and a piece of feedback without text."""
    with open_project_warehouse(project) as wh:
        add_feedback(
            wh,
            {
                "c1": "Delivery was late",
                "c2": "Great, friendly staff",
                "c3": "La entrega llegó tarde",
                "c4": "快递很慢",
                "c5": "Can I see my invoice?",
                "c6": None,
            },
        )
    return project


def invoke(project: Settings, *args: str):
    return runner.invoke(app, ["--project", str(project.project), "text", *args])


def test_analyze_json_reports_rows_and_counts_and_a_rerun_finds_nothing(
    with_feedback: Settings, calls: list[dict[str, Any]]
) -> None:
    result = invoke(with_feedback, "analyze", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["analysed"] == 5 and doc["mode"] == "incremental"
    assert doc["languages"] == {"en": 3, "es": 1, "zh": 1}
    assert doc["sentiments"] == {"negative": 3, "positive": 1, "neutral": 1}
    assert doc["intents"] == {"issue": 3, "praise": 1, "question": 1}
    assert doc["analyser"] == "rules/1" and doc["texts_per_second"] > 0

    again = json.loads(invoke(with_feedback, "analyze", "--json").stdout)
    assert again["analysed"] == 0
    full = invoke(with_feedback, "analyze", "--full", "--backend", "shipped", "--json")
    assert json.loads(full.stdout)["analysed"] == 5
    assert calls[-1] == {"backend": "shipped", "model": None}


def test_analyze_prints_a_summary_table(with_feedback: Settings) -> None:
    result = invoke(with_feedback, "analyze")
    assert result.exit_code == 0, result.output
    assert "rows analysed" in result.stdout and "5" in result.stdout
    for word in ("language", "sentiment", "intent", "question", "60.0%"):
        assert word in result.stdout
    assert "nothing to analyse" in invoke(with_feedback, "analyze").stdout


def test_themes_counts_by_language_and_sentiment(with_feedback: Settings) -> None:
    assert "run cxloop text analyze first" in invoke(with_feedback, "themes").stdout
    invoke(with_feedback, "analyze")
    doc = json.loads(invoke(with_feedback, "themes", "--json").stdout)
    assert doc["analysed"] == 5 and doc["uncovered"] == 0
    assert doc["totals"] == {"delivery": 3, "billing": 1, "staff_friendliness": 1}
    table = invoke(with_feedback, "themes").stdout
    assert "delivery" in table and "100%" in table


def test_a_bad_backend_is_one_line_naming_the_setting(project: Settings) -> None:
    result = invoke(project, "analyze", "--backend", "spacy")
    assert result.exit_code == 1
    assert "text backend 'spacy' is not one of shipped, transformers" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    result = invoke(project, "analyze", "--backend", "transformers")
    assert result.exit_code == 1 and "--model PATH" in result.stderr


needs_discovery = pytest.mark.skipif(
    importlib.util.find_spec("cxloop.understand.text.discovery") is None,
    reason="theme discovery not merged yet",
)
WRAPPING = [
    "The gift wrapping paper was torn",
    "Gift wrapping ribbon missing again",
    "Please offer nicer gift wrapping paper",
    "No gift wrapping option for my order",
    "Gift wrapping paper ripped and ribbon gone",
    "The ribbon on the gift wrapping came off",
]


@needs_discovery
def test_discover_then_promote_a_theme(project: Settings, calls: list[dict[str, Any]]) -> None:
    with open_project_warehouse(project) as wh:
        add_feedback(wh, {f"g{i:02d}": t for i, t in enumerate(WRAPPING * 3)})
    invoke(project, "analyze")
    found = json.loads(invoke(project, "themes", "--discover", "--json").stdout)
    assert found and found[0]["language"] == "en" and found[0]["examples"]
    table = invoke(project, "themes", "--discover").stdout
    assert found[0]["id"] in table and "cxloop text promote" in table

    result = invoke(
        project, "promote", found[0]["id"], "--id", "gift_wrapping", "-k", "gift wrapping",
        "-k", "ribbon", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["theme_id"] == "gift_wrapping" and doc["keywords"] == ["gift wrapping", "ribbon"]
    assert "gift_wrapping" in (project.project / "themes" / "en.yaml").read_text(encoding="utf-8")

    missing = invoke(project, "promote", "no_such_theme")
    assert missing.exit_code == 2 and "no discovered theme 'no_such_theme'" in missing.stderr
