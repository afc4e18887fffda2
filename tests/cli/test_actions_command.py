"""``cxloop actions add|list|publish|unpublish|status``: texts per language, publishing, JSON,
and one-line errors that name the field."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cxloop.cli.main import app
from cxloop.config import Settings

runner = CliRunner()


def invoke(project: Settings, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--project", str(project.project), *args])


def test_add_publish_and_withdraw(project: Settings) -> None:
    added = invoke(project, "actions", "add", "--theme", "delivery", "--title", "A new courier",
                   "--title", "es=Un nuevo mensajero", "--description", "zh=新的快递",
                   "--date", "2026-11-02", "--status", "in_progress", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    action = json.loads(added.stdout)
    assert action["titles"] == {"en": "A new courier", "es": "Un nuevo mensajero"}
    assert action["descriptions"] == {"zh": "新的快递"} and action["published"] is False
    assert action["author"].startswith("cli:") and action["action_date"] == "2026-11-02"
    action_id = action["action_id"]
    assert json.loads(invoke(project, "actions", "list", "--published", "--json").stdout) == []
    published = invoke(project, "actions", "publish", action_id)
    assert published.exit_code == 0 and "published" in published.stdout
    done = json.loads(invoke(project, "actions", "status", action_id, "done", "--json").stdout)
    assert done["status"] == "done" and done["published"] is True
    [listed] = json.loads(invoke(project, "actions", "list", "--published", "--json").stdout)
    assert listed["action_id"] == action_id
    assert invoke(project, "actions", "unpublish", action_id).exit_code == 0
    assert json.loads(invoke(project, "actions", "list", "--published", "--json").stdout) == []
    assert "1 action(s), 0 published" in invoke(project, "actions", "list").stdout


def test_errors_are_one_line_naming_the_field(project: Settings) -> None:
    cases = [
        (("add", "--theme", "nope", "--title", "x"), "error: theme: no theme 'nope' (themes: "),
        (("add", "--theme", "delivery", "--title", "fr=x"), "error: title: language 'fr'"),
        (("add", "--theme", "delivery", "--title", "x", "--status", "soon"),
         "error: status: 'soon'; use one of planned, in_progress, done"),
        (("add", "--theme", "delivery", "--title", "x", "--date", "soon"),
         "error: --date 'soon': expected a date like 2026-12-01"),
        (("publish", "act_nope"), "error: no action 'act_nope'"),
    ]  # fmt: skip
    for args, message in cases:
        result = invoke(project, "actions", *args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(message), result.output
