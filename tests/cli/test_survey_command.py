from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings

runner = CliRunner()


def cli(project: Settings, *args: str):
    return runner.invoke(app, ["--project", str(project.project), "survey", *args])


def test_list_validate_and_sync(project: Settings) -> None:
    listed = cli(project, "list", "--json")
    assert listed.exit_code == 0, listed.output
    ids = [row["id"] for row in json.loads(listed.stdout)]
    assert ids == [
        "ambassador-programme", "billing-ces", "customer-centricity",
        "employee-customer-centricity", "employee-engagement", "employee-enps",
        "employee-wellbeing", "post-delivery", "support-csat",
    ]  # fmt: skip
    valid = cli(project, "validate")
    assert valid.exit_code == 0 and "9 survey definition(s) valid" in valid.stdout
    synced = cli(project, "sync", "--json")
    assert json.loads(synced.stdout)["added"] == ids


def test_validate_reports_file_line_and_field(project: Settings) -> None:
    path = project.project / "surveys" / "broken.yaml"
    path.write_text("title: {en: T}\nquestions:\n  - id: q\n    type: nps\n    text: 5\n")
    result = cli(project, "validate")
    assert result.exit_code == 1
    assert f"{path}:5: questions.0.text:" in result.output.replace("\n", "")
    one = cli(project, "validate", str(project.project / "surveys" / "billing-ces.yaml"))
    assert one.exit_code == 0


def test_surveyjs_export_then_import(project: Settings, tmp_path: Path) -> None:
    out = tmp_path / "pd.json"
    exported = cli(project, "export-surveyjs", "post-delivery", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    assert json.loads(out.read_text())["cxloop"]["id"] == "post-delivery"
    refused = cli(project, "import-surveyjs", str(out))
    assert refused.exit_code == 2 and "--force" in refused.output
    imported = cli(project, "import-surveyjs", str(out), "--id", "pd-copy", "--json")
    assert imported.exit_code == 0, imported.output
    copy = (project.project / "surveys" / "pd-copy.yaml").read_text()
    original = (project.project / "surveys" / "post-delivery.yaml").read_text()
    assert "您的配送体验如何" in copy and "您的配送体验如何" in original
    missing = cli(project, "export-surveyjs", "nope")
    assert missing.exit_code == 2 and "no survey 'nope'" in missing.output
