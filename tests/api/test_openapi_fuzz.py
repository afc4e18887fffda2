"""Schemathesis against the app's own OpenAPI schema: whatever a client sends, never a 500."""

from __future__ import annotations

import base64
from pathlib import Path

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
EXAMPLES_PER_OPERATION = 15


def fuzz(operation, headers: dict[str, str], failures: list[str]) -> None:
    """Call one operation with generated requests; note every 5xx."""
    kind = "write" if operation.path in COLLECTOR_PATHS else "api"

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case) -> None:
        response = case.call(headers={"Authorization": headers[kind]})
        if response.status_code >= 500:
            failures.append(
                f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
            )

    call()


def test_no_input_makes_a_server_error(tmp_path: Path) -> None:
    directory = tmp_path / "acme"
    init_project(directory)
    project = Settings.load(project=directory)
    with open_project_warehouse(project) as wh:
        api = add_key(wh, "api", role="admin")[1]
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
        fuzz(operation, headers, failures)
    assert not failures, "\n".join(failures[:10])
