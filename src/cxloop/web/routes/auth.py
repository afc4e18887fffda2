"""Sign in and sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from cxloop.access import audit
from cxloop.access.sessions import end_session, start_session
from cxloop.access.users import authenticate
from cxloop.api.deps import SESSION_COOKIE, Public, Viewer, WarehouseDep
from cxloop.domain.access import Role
from cxloop.web import csrf
from cxloop.web.redirects import safe_next
from cxloop.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/login", dependencies=[Public])
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": safe_next(next), "failed": False})


@router.post("/login", dependencies=[Public])
def login(
    request: Request,
    warehouse: WarehouseDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    csrf.check(request, csrf_token)
    user = authenticate(warehouse, email, password)
    if user is None:
        audit.record(warehouse, f"anonymous:{email.strip().lower()[:320]}", "login_failed")
        return render(
            request,
            "login.html",
            {"next": safe_next(next), "failed": True, "email": email},
            status_code=401,
        )
    session_id = start_session(warehouse, user)
    audit.record(
        warehouse, f"user:{user.email}", "login", target_table="users", target_id=user.user_id
    )
    target = safe_next(next)
    if target == "/" and user.role is Role.VIEWER:
        target = "/scorecard"  # an executive lands on goal status; the others on the Overview
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        request.app.state.signer.dumps(session_id),
        httponly=True,
        samesite="lax",
        secure=csrf.cookies_secure(request),
        path="/",
        max_age=12 * 3600,
    )
    response.delete_cookie(csrf.PRE_SESSION_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(
    request: Request,
    principal: Viewer,
    warehouse: WarehouseDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    csrf.check(request, csrf_token)
    if principal.session_id is not None:
        end_session(warehouse, principal.session_id)
        audit.record(warehouse, principal.actor, "logout")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
