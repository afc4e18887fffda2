"""Installs the web pages, their static assets and security headers on the app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from cxloop.web import vendor
from cxloop.web.rendering import render_error
from cxloop.web.routes import (
    advocates,
    auth,
    cases,
    customers,
    drivers,
    email_opt_out,
    feedback,
    gap,
    identity_review,
    journeys,
    overview,
    scorecard,
    segments,
    settings,
    survey_forms,
    surveys,
    teams,
    value_chain,
    you_said,
)

STATIC = Path(__file__).parent / "static"
# Charts stay within script-src 'self': vega-embed runs with `ast: true`, so Vega evaluates its
# expressions with its bundled interpreter instead of `new Function` (no 'unsafe-eval').
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


def install(app: FastAPI) -> None:
    app.state.render_error = render_error
    # before the /static mount, which would otherwise answer for it
    app.include_router(vendor.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(auth.router)
    app.include_router(overview.router)
    app.include_router(scorecard.router)
    app.include_router(teams.router)
    app.include_router(customers.router)
    app.include_router(cases.router)
    app.include_router(feedback.router)
    app.include_router(identity_review.router)
    app.include_router(gap.router)
    app.include_router(drivers.router)
    app.include_router(journeys.router)
    app.include_router(segments.router)
    app.include_router(value_chain.router)
    app.include_router(advocates.router)
    app.include_router(settings.router)
    app.include_router(survey_forms.router)
    app.include_router(surveys.router)
    app.include_router(email_opt_out.router)
    app.include_router(you_said.router)
    app.state.on_start.append(lambda app: vendor.warm_up())

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if "text/html" in response.headers.get("content-type", ""):
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response
