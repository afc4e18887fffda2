"""Signed, expiring survey links: who is invited to which survey, in which language.

A token is an itsdangerous ``URLSafeTimedSerializer`` signature of :class:`InvitationClaims`
with the project's secret key; a token that was changed or is too old is refused with
:class:`TokenInvalid` or :class:`TokenExpired`.
"""

from __future__ import annotations

from typing import Literal

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

SALT = "cxloop-survey-invitation"


class TokenError(ValueError):
    """A survey token cannot be used."""


class TokenExpired(TokenError):
    """The token was signed longer ago than it may be used."""


class TokenInvalid(TokenError):
    """The token was changed, was signed with another key, or is not a token at all."""


class InvitationClaims(BaseModel):
    """What a survey link says about the invitation it belongs to.

    Examples
    --------
    >>> claims = InvitationClaims(invitation_id="inv-1", survey_id="post-delivery",
    ...                           respondent="customer", respondent_id="C1")
    >>> token = sign_invitation("secret", claims)
    >>> read_invitation("secret", token, max_age_s=60) == claims
    True
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    invitation_id: str = Field(min_length=1, max_length=200)
    survey_id: str = Field(min_length=1, max_length=64)
    respondent: Literal["customer", "employee", "anonymous"]
    respondent_id: str | None = None
    language: str | None = None


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=SALT)


def sign_invitation(secret: str, claims: InvitationClaims) -> str:
    """The URL-safe token for ``claims``, signed now with ``secret``."""
    return str(_serializer(secret).dumps(claims.model_dump(mode="json")))


def read_invitation(secret: str, token: str, *, max_age_s: int) -> InvitationClaims:
    """The claims of ``token`` if it is genuine and younger than ``max_age_s`` seconds.

    Raises
    ------
    TokenExpired
        The signature is genuine but older than ``max_age_s``.
    TokenInvalid
        Anything else: a changed token, another key, not a token, claims of the wrong shape.
    """
    try:
        data = _serializer(secret).loads(token, max_age=max_age_s)
    except SignatureExpired as exc:
        raise TokenExpired("the survey link has expired") from exc
    except BadSignature as exc:
        raise TokenInvalid("the survey link is not valid") from exc
    try:
        return InvitationClaims.model_validate(data)
    except ValidationError as exc:
        raise TokenInvalid("the survey link is not valid") from exc


FORM_SALT = "cxloop-survey-form"


class FormClaims(BaseModel):
    """What a served form page says about itself, signed into the page (a hidden field) so
    that only a page this server served can be posted back: the response it belongs to, the
    page of questions it shows, when the respondent started, and in which language."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    survey_id: str
    response_id: str
    invitation_id: str | None = None
    page: int = Field(ge=0)
    started_at: float
    language: str


def sign_form(secret: str, claims: FormClaims) -> str:
    """The hidden ``f`` field of a form page."""
    return str(URLSafeTimedSerializer(secret, salt=FORM_SALT).dumps(claims.model_dump()))


def read_form(secret: str, token: str, *, max_age_s: int) -> FormClaims:
    """The claims of a posted form page, refused as :func:`read_invitation` refuses."""
    try:
        data = URLSafeTimedSerializer(secret, salt=FORM_SALT).loads(token, max_age=max_age_s)
    except SignatureExpired as exc:
        raise TokenExpired("the form page has expired") from exc
    except BadSignature as exc:
        raise TokenInvalid("the form page is not valid") from exc
    try:
        return FormClaims.model_validate(data)
    except ValidationError as exc:
        raise TokenInvalid("the form page is not valid") from exc
