"""CSRF protection for every form.

Signed-in users: the token is an HMAC of their session id. Before sign-in (the login form): a
random value in a signed cookie that the form must repeat (double submit).
"""

from __future__ import annotations

from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature

from cxloop.access.secrets import new_token, same
from cxloop.access.sessions import csrf_token
from cxloop.api.deps import current_principal

PRE_SESSION_COOKIE = "cxloop_csrf"


def token_for(request: Request, response: Response | None = None) -> str:
    """The CSRF token the page's forms must send back."""
    principal = current_principal(request)
    if principal is not None and principal.session_id is not None:
        return csrf_token(request.app.state.settings.signing_key(), principal.session_id)
    existing = _pre_session_value(request)
    if existing is not None:
        return existing
    value = new_token(16)
    request.state.new_csrf_cookie = request.app.state.signer.dumps(value)
    if response is not None:
        attach_cookie(request, response)
    return value


def attach_cookie(request: Request, response: Response) -> None:
    """Set the pre-session cookie if :func:`token_for` made a new one."""
    cookie = getattr(request.state, "new_csrf_cookie", None)
    if cookie:
        response.set_cookie(
            PRE_SESSION_COOKIE,
            cookie,
            httponly=True,
            samesite="strict",
            secure=cookies_secure(request),
            path="/",
        )


def check(request: Request, sent: str | None) -> None:
    """Refuse the request (403) unless ``sent`` is the right CSRF token."""
    principal = current_principal(request)
    expected: str | None
    if principal is not None and principal.session_id is not None:
        expected = csrf_token(request.app.state.settings.signing_key(), principal.session_id)
    else:
        expected = _pre_session_value(request)
    if not sent or expected is None or not same(sent, expected):
        raise HTTPException(403, "the form expired or did not come from this site; reload it")


def _pre_session_value(request: Request) -> str | None:
    cookie = request.cookies.get(PRE_SESSION_COOKIE)
    if not cookie:
        return None
    try:
        value = request.app.state.signer.loads(cookie)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def cookies_secure(request: Request) -> bool:
    setting = request.app.state.settings.cookie_secure
    return request.url.scheme == "https" if setting is None else bool(setting)
