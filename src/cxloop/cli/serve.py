"""``cxloop serve``: the API, the event collector and the dashboard."""

from __future__ import annotations

from typing import Annotated

import typer

from cxloop.cli.output import console


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the dashboard, the /v1 API and the Segment-compatible collector."""
    import uvicorn

    from cxloop.api import create_app
    from cxloop.cli.main import settings_from
    from cxloop.project import open_project_warehouse

    settings = settings_from(ctx)
    warehouse = open_project_warehouse(settings)  # fails clearly if another process holds it
    app = create_app(settings, warehouse=warehouse)
    console.print(f"[bold]cxloop[/] serving {settings.project.resolve()} on http://{host}:{port}")
    console.print(f"  dashboard http://{host}:{port}/   API docs http://{host}:{port}/docs")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    finally:
        warehouse.close()
