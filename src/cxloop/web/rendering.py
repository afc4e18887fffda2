"""Rendering pages: one Jinja2 environment, the common context, error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from cxloop.api.deps import current_principal
from cxloop.web import csrf

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render ``template`` with the page context every template may use."""
    principal = current_principal(request)
    page = {
        "request": request,
        "principal": principal,
        "user": principal.user if principal else None,
        "company": request.app.state.settings.company_name,
        **(context or {}),
    }
    page["csrf_token"] = csrf.token_for(request)
    response = TEMPLATES.TemplateResponse(request, template, page, status_code=status_code)
    csrf.attach_cookie(request, response)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def render_error(request: Request, status_code: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status_code, "message": message}, status_code)
