"""``cxloop advocates list|invite`` and the segments part of ``cxloop profile``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from advocate_tables import add_promoters
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.project import open_project_warehouse

runner = CliRunner()


@pytest.fixture
def shop(project: Settings) -> Settings:
    with open_project_warehouse(project) as wh:
        add_promoters(wh)
    return project


def invoke(project: Settings, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--project", str(project.project), *args])


def test_list_as_json_and_as_a_table(shop: Settings) -> None:
    result = invoke(shop, "advocates", "list", "--limit", "2", "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["promoters"] == 3 and body["window_days"] == 365
    assert [(a["rank"], a["customer_id"], a["score"]) for a in body["advocates"]] == [
        (1, "cus_p1", 72.2), (2, "cus_p3", 55.6),
    ]  # fmt: skip
    table = invoke(shop, "advocates", "list")
    assert table.exit_code == 0 and "3 of 3 promoters" in table.stdout
    assert "72.2" in table.stdout and "55.6" in table.stdout


def test_invite_dry_run_needs_no_smtp_and_writes_nothing(shop: Settings) -> None:
    result = invoke(shop, "advocates", "invite", "--survey", "ambassador-programme", "--top",
                    "2", "--dry-run", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dry_run"] and report["added"] == ["cus_p1", "cus_p3"]
    assert report["invitations"] == {"pending": 2}
    assert not (shop.project / "segments" / "ambassadors.yaml").exists()
    text = invoke(shop, "advocates", "invite", "--survey", "ambassador-programme", "--dry-run")
    assert text.exit_code == 0 and "would add 3 of the top 3" in text.stdout
    assert "would send" in text.stdout and "dry run: nothing was written" in text.stdout


def test_invite_errors_are_one_line(shop: Settings) -> None:
    unknown = invoke(shop, "advocates", "invite", "--survey", "nope", "--dry-run")
    assert unknown.exit_code == 2 and "survey 'nope'" in unknown.output
    assert "ambassador-programme" in unknown.output
    no_mail = invoke(shop, "advocates", "invite", "--survey", "ambassador-programme")
    assert no_mail.exit_code == 1 and "smtp_host" in no_mail.output
    assert not (shop.project / "segments" / "ambassadors.yaml").exists()


def test_profile_shows_segments_lifecycle_ladder_and_rfm(shop: Settings) -> None:
    (shop.project / "segments" / "fans.yaml").write_text(
        "id: fans\nname: Fans\nmembers: [cus_p1]\n", encoding="utf-8"
    )
    assert invoke(shop, "segment", "refresh").exit_code == 0
    result = invoke(shop, "profile", "p1@example.com", "--json")
    assert result.exit_code == 0, result.output
    standing = json.loads(result.stdout)["segments"]
    assert [(s["segment_id"], s["name"]) for s in standing["segments"]] == [("fans", "Fans")]
    assert standing["ladder"] == "advocate" and standing["referrals"] == 1
    assert standing["lifecycle"] and standing["rfm"] and len(standing["rfm_score"]) == 3
    text = invoke(shop, "profile", "p1@example.com")
    assert text.exit_code == 0 and "segments (as of" in text.stdout
    assert "Fans" in text.stdout and "advocate" in text.stdout
