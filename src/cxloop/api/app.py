"""The app factory: one FastAPI app serving the /v1 API, the collector and the web pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from itsdangerous import URLSafeSerializer

from cxloop import __version__
from cxloop.api.body_limit import BodyLimit
from cxloop.api.errors import install_error_handlers
from cxloop.api.routes import (
    advocates,
    cases,
    collector,
    customers,
    drivers,
    feedback,
    gap,
    goals,
    health,
    identities,
    journeys,
    kpis,
    loop_metrics,
    notifications,
    privacy,
    segments,
    survey_sends,
    surveys,
    valuechain,
)
from cxloop.config import Settings
from cxloop.project import open_project_warehouse
from cxloop.storage import Warehouse


def create_app(settings: Settings, *, warehouse: Warehouse | None = None) -> FastAPI:
    """Build the app for a project. The warehouse is opened (and owned) while the app runs,
    unless one is given."""
    from cxloop.web import pages

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = warehouse is None
        app.state.warehouse = warehouse or open_project_warehouse(settings)
        try:
            for start in app.state.on_start:
                start(app)
            yield
        finally:
            for stop in reversed(app.state.on_stop):
                stop(app)
            if owned:
                app.state.warehouse.close()

    app = FastAPI(
        title="cxloop",
        version=__version__,
        description="The cxloop HTTP API: customer data, feedback and the Segment-compatible "
        "event collector. Authenticate with `Authorization: Bearer <API key>`; the collector "
        "takes a write key as the HTTP Basic user, as Segment's libraries send it.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.signer = URLSafeSerializer(settings.signing_key(), salt="cxloop-session")
    app.state.on_start = []
    app.state.on_stop = []
    install_error_handlers(app)
    app.add_middleware(BodyLimit, limit=settings.request_max_body_bytes)
    app.include_router(health.router)
    app.include_router(collector.router)
    app.include_router(identities.router)
    app.include_router(customers.router)
    app.include_router(feedback.router)
    app.include_router(kpis.router)
    app.include_router(loop_metrics.router)
    app.include_router(gap.router)
    app.include_router(drivers.router)
    app.state.on_start.append(drivers.warm_driver_cache)
    app.include_router(goals.router)
    app.include_router(journeys.router)
    app.include_router(surveys.router)
    app.include_router(survey_sends.router)
    app.state.on_start.append(load_served_surveys)
    app.include_router(segments.router)
    app.include_router(valuechain.router)
    app.include_router(cases.router)
    app.include_router(notifications.router)
    app.state.on_start.append(start_loop)
    app.state.on_stop.append(stop_loop)
    app.state.on_start.append(start_digests)
    app.state.on_stop.append(stop_digests)
    app.include_router(advocates.router)
    app.include_router(privacy.router)
    app.state.on_start.append(start_retention)
    app.state.on_stop.append(stop_retention)
    app.state.on_start.append(collector.start_collector)
    app.state.on_stop.append(collector.stop_collector)
    app.state.on_start.append(goals.sync_project_goals)
    app.state.goals_error = None
    pages.install(app)
    return app


log = logging.getLogger("cxloop.api")


def load_served_surveys(app: Any) -> None:
    """Load the project's survey definitions, write them into ``surveys``, and serve those
    and any others the warehouse holds (``app.state.surveys``). A definition with a mistake is
    logged and left out, so one bad file does not take the server down (``cxloop survey
    validate`` names it)."""
    from cxloop.collect.surveys import (
        SurveyDefinitionError,
        load_surveys,
        stored_surveys,
        sync_surveys,
    )
    from cxloop.errors import WarehouseError

    warehouse = app.state.warehouse
    try:
        definitions = load_surveys(app.state.settings.project)
    except SurveyDefinitionError as exc:
        log.warning("survey definitions not loaded: %s", exc.message)
        definitions = {}
    try:
        sync_surveys(warehouse, definitions)
    except WarehouseError as exc:  # a read-only warehouse: serve the files as they are
        log.warning("survey definitions not written to the warehouse: %s", exc)
    app.state.surveys = {**stored_surveys(warehouse), **definitions}


def start_loop(app: Any) -> None:
    """Run case rules on new feedback and escalate breached SLAs while the server runs, and
    send the notifications of case events (the environment holds webhook secrets)."""
    import os

    from cxloop.act.loop_service import LoopService
    from cxloop.act.notify_service import NotifyService

    app.state.notify = NotifyService(app.state.warehouse, app.state.settings, os.environ)
    app.state.loop = LoopService(app.state.warehouse, app.state.settings, app.state.notify)
    app.state.loop.start()
    app.state.notify.start()


def stop_loop(app: Any) -> None:
    loop = getattr(app.state, "loop", None)
    if loop is not None:
        loop.stop()
    notify = getattr(app.state, "notify", None)
    if notify is not None:
        notify.stop()


def start_retention(app: Any) -> None:
    """Apply the retention policies every ``retention_interval_s`` while the server runs."""
    from cxloop.privacy.retention import RetentionService

    settings = app.state.settings
    app.state.retention = RetentionService(
        app.state.warehouse, settings.retention, settings.retention_interval_s
    )
    app.state.retention.start()


def stop_retention(app: Any) -> None:
    retention = getattr(app.state, "retention", None)
    if retention is not None:
        retention.stop()


def start_digests(app: Any) -> None:
    """Send the weekly digests on their day and hour while the server runs (SMTP set)."""
    from cxloop.share.digests import DigestService

    app.state.digests = DigestService(app.state.warehouse, app.state.settings)
    app.state.digests.start()


def stop_digests(app: Any) -> None:
    digests = getattr(app.state, "digests", None)
    if digests is not None:
        digests.stop()
