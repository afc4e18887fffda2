"""``cxloop import consents``: the append-only ``consents`` table from a file, bad rows named
by file, row and field, a retried file adding nothing, and survey sending respecting what was
imported."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from act.invitation_data import add_customers
from cxloop.act.invitations import InvitationOptions, customers_audience, send_invitations
from cxloop.cli.main import app
from cxloop.collect.importer import import_file
from cxloop.collect.surveys import SurveyDefinition
from cxloop.config import Settings
from cxloop.errors import ValidationReportError
from cxloop.project import open_project_warehouse

HEADER = "consent_event_id,customer_id,channel,purpose,granted,ts\n"
ROWS = (
    "k1,C1,email,surveys,no,2026-11-01 10:00\n"
    "k2,C2,email,all,yes,2026-11-02\n"
    "k3,C3,sms,surveys,no,2026-11-02\n"
    "k4,C2,email,marketing,no,2026-11-03\n"
)
SURVEY = SurveyDefinition.model_validate({
    "id": "post-delivery", "title": {"en": "How was it?"},
    "questions": [{"id": "nps", "type": "nps", "text": {"en": "Recommend us?"}}],
})  # fmt: skip


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "consents.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def test_consents_land_in_the_table_once(warehouse, tmp_path: Path) -> None:
    path = _file(tmp_path, ROWS)
    report = import_file(warehouse, "consents", path, source="crm")
    assert (report.table, report.rows_inserted) == ("consents", 4)
    again = import_file(warehouse, "consents", path, source="crm")
    assert (again.rows_inserted, again.rows_already_present) == (0, 4)
    rows = warehouse.to_pandas(warehouse.table("consents")).sort_values("consent_event_id")
    assert list(rows.consent_event_id) == ["crm:k1", "crm:k2", "crm:k3", "crm:k4"]
    first = rows.iloc[0]
    assert (first.customer_id, first.channel, first.purpose, bool(first.granted), first.source) == (
        "C1", "email", "surveys", False, "crm",
    )  # fmt: skip
    assert first.ts == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    assert rows.imported_at.notna().all()


def test_bad_rows_are_named_and_nothing_loads(warehouse, tmp_path: Path) -> None:
    path = _file(tmp_path, "k1,C1,email,surveys,perhaps,2026-11-01\nk2,,email,all,yes,\n")
    with pytest.raises(ValidationReportError) as caught:
        import_file(warehouse, "consents", path, source="crm")
    lines = caught.value.report.error_lines()  # type: ignore[attr-defined]
    assert "consents.csv:2:granted: expected yes/no" in lines[0]
    assert "consents.csv:3:customer_id: required value is missing" in lines
    assert "consents.csv:3:ts: required value is missing" in lines
    assert warehouse.counts()["consents"] == 0


def test_survey_sending_respects_imported_consents(warehouse, tmp_path: Path) -> None:
    people = [("C1", "a@example.com", "en", "Ann"), ("C2", "b@example.com", "en", "Bo"),
              ("C3", "c@example.com", "en", "Cy")]  # fmt: skip
    add_customers(warehouse, *people)
    import_file(warehouse, "consents", _file(tmp_path, ROWS), source="crm")
    ids = tmp_path / "ids.txt"
    ids.write_text("C1\nC2\nC3\n", encoding="utf-8")
    options = InvitationOptions(secret="s", consent="opt-in")
    report = send_invitations(warehouse, SURVEY, customers_audience(ids), options, dry_run=True)
    by_id = {o.customer_id: (o.status, o.reason) for o in report.outcomes}
    # C1 refused survey e-mail; C2 granted everything on e-mail (a later marketing refusal is
    # another purpose); C3's refusal is for sms, so opt-in finds no e-mail grant
    assert by_id == {
        "C1": ("no_consent", "refused"),
        "C2": ("pending", None),
        "C3": ("no_consent", "no consent on record (opt-in)"),
    }


def test_the_cli_imports_consents(project: Settings, tmp_path: Path) -> None:
    path = _file(tmp_path, ROWS + "k5,C9,email,surveys,maybe,2026-11-04\n")
    result = CliRunner().invoke(app, ["--project", str(project.project), "import", "consents",
                                      str(path), "--skip-bad-rows", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"rows_inserted": 4' in result.stdout and '"rows_rejected": 1' in result.stdout
    assert (tmp_path / "consents.rejects.csv").exists()
    with open_project_warehouse(project) as wh:
        assert wh.counts()["consents"] == 4
