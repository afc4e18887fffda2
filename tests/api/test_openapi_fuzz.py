"""Schemathesis against the app's own OpenAPI schema: whatever a client sends, never a 500 and
never a traceback, for an admin key and for a viewer's (who meets the 403 paths)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.project import init_project, open_project_warehouse

COLLECTOR_PATHS = {
    "/v1/identify",
    "/v1/track",
    "/v1/page",
    "/v1/screen",
    "/v1/group",
    "/v1/alias",
    "/v1/batch",
}
# examples per operation: the admin's run is the thorough one, the viewer's a shorter look
EXAMPLES = {"admin": 15, "viewer": 5}
TRACEBACK_SIGNS = ("Traceback (most recent call last)", 'File "/', "duckdb.", "sqlglot.")


def fuzz(operation, headers: dict[str, str], failures: list[str], examples: int) -> None:
    """Call one operation with generated requests; note every 5xx and every leaked traceback."""
    kind = "write" if operation.path in COLLECTOR_PATHS else "api"

    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case) -> None:
        response = case.call(headers={"Authorization": headers[kind]})
        leaked = [sign for sign in TRACEBACK_SIGNS if sign in response.text]
        if response.status_code >= 500 or leaked:
            failures.append(
                f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
            )

    call()


@pytest.mark.parametrize("role", sorted(EXAMPLES))
def test_no_input_makes_a_server_error(tmp_path: Path, role: str) -> None:
    directory = tmp_path / "acme"
    init_project(directory)
    project = Settings.load(project=directory)
    with open_project_warehouse(project) as wh:
        api = add_key(wh, "api", role=role)[1]
        write = add_key(wh, "write", source="fuzz")[1]
    headers = {
        "api": f"Bearer {api}",
        "write": "Basic " + base64.b64encode(f"{write}:".encode()).decode(),
    }
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(project))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 2
    failures: list[str] = []
    for operation in operations:
        fuzz(operation, headers, failures, EXAMPLES[role])
    assert not failures, "\n".join(failures[:10])
