"""Refusing survey e-mail from the e-mail itself: a signed link per recipient, and the
``consents`` event it records.

Every invitation carries ``{public_base_url}/u/TOKEN`` (in the footer, and as the
``List-Unsubscribe`` header with one-click ``List-Unsubscribe-Post``, RFC 8058). The token is
signed with the project's secret and does not expire: a refusal must stay possible. Following
the link shows a page; only a POST (its button, or a mail provider's one-click request)
records the refusal, so a mail scanner that opens links changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cxloop.act.invitations.audience import ids_table
from cxloop.act.invitations.eligibility import (
    EMAIL_CHANNEL,
    PROGRESS_PURPOSE,
    SURVEY_PURPOSE,
    email_consent_expr,
)
from cxloop.storage import Warehouse

SALT = "cxloop-email-opt-out"
#: the ``consents.source`` of refusals made with the link
SOURCE = "email-link"

#: the opt-out page's words; the footer link's label is ``link``
OPT_OUT_PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "link": "Stop survey e-mails",
        "title": "Survey e-mails",
        "ask": "Do you want to stop receiving survey invitations from {company} by e-mail?",
        "button": "Stop survey e-mails",
        "done": "Done: {company} will send you no more survey invitations by e-mail.",
        "invalid": "This link is not valid. Please use the link from the e-mail as it is.",
        "busy": "Too many requests. Please try again in a moment.",
    },
    "es": {
        "link": "No recibir más encuestas por correo",
        "title": "Encuestas por correo",
        "ask": "¿Quiere dejar de recibir invitaciones a encuestas de {company} por correo?",
        "button": "No recibir más encuestas",
        "done": "Hecho: {company} no le enviará más invitaciones a encuestas por correo.",
        "invalid": "Este enlace no es válido. Use el enlace del correo tal como está.",
        "busy": "Demasiadas solicitudes. Vuelva a intentarlo en un momento.",
    },
    "zh": {
        "link": "不再接收问卷邮件",
        "title": "问卷邮件",
        "ask": "您是否不再希望通过电子邮件接收 {company} 的问卷邀请？",
        "button": "不再接收问卷邮件",
        "done": "已完成：{company} 将不再通过电子邮件向您发送问卷邀请。",
        "invalid": "此链接无效。请直接使用邮件中的链接。",
        "busy": "请求过多，请稍后再试。",
    },
}


class OptOutInvalid(ValueError):
    """The opt-out link was changed, signed with another key, or is not one."""


class OptOutClaims(BaseModel):
    """Who refuses what: a customer, for a purpose, and the language to answer in."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    customer_id: str = Field(min_length=1, max_length=200)
    purpose: str = SURVEY_PURPOSE
    language: str = "en"


def sign_opt_out(secret: str, claims: OptOutClaims) -> str:
    """The URL-safe token of an opt-out link.

    Examples
    --------
    >>> token = sign_opt_out("secret", OptOutClaims(customer_id="C1", language="es"))
    >>> read_opt_out("secret", token).customer_id
    'C1'
    """
    return str(URLSafeSerializer(secret, salt=SALT).dumps(claims.model_dump(mode="json")))


def read_opt_out(secret: str, token: str) -> OptOutClaims:
    """The claims of a genuine opt-out token; :class:`OptOutInvalid` otherwise."""
    try:
        data = URLSafeSerializer(secret, salt=SALT).loads(token)
        return OptOutClaims.model_validate(data)
    except (BadSignature, ValidationError) as exc:
        raise OptOutInvalid("the opt-out link is not valid") from exc


def opt_out_url(base_url: str, token: str) -> str:
    """``{base_url}/u/{token}``."""
    return f"{base_url.rstrip('/')}/u/{token}"


#: the words of the page for other purposes than survey e-mail (by purpose, then language);
#: what a purpose does not word (an invalid link, a busy server) is survey e-mail's wording
PURPOSE_PHRASES: dict[str, dict[str, dict[str, str]]] = {
    PROGRESS_PURPOSE: {
        "en": {
            "link": "Stop progress e-mails",
            "title": "Progress e-mails",
            "ask": "Do you want to stop receiving progress e-mails from {company}?",
            "button": "Stop progress e-mails",
            "done": "Done: {company} will send you no more progress e-mails.",
        },
        "es": {
            "link": "No recibir más resúmenes por correo",
            "title": "Resúmenes por correo",
            "ask": "¿Quiere dejar de recibir los resúmenes de su actividad de {company}?",
            "button": "No recibir más resúmenes",
            "done": "Hecho: {company} no le enviará más resúmenes de su actividad.",
        },
        "zh": {
            "link": "不再接收动态邮件",
            "title": "动态邮件",
            "ask": "您是否不再希望接收 {company} 发送的个人动态邮件？",
            "button": "不再接收动态邮件",
            "done": "已完成：{company} 将不再向您发送个人动态邮件。",
        },
    }
}


def opt_out_phrases(language: str, purpose: str = SURVEY_PURPOSE) -> dict[str, str]:
    """The opt-out page's words in ``language`` for e-mail of ``purpose`` (English when
    cxloop has no translation; survey e-mail's words for a purpose with none of its own)."""
    own = PURPOSE_PHRASES.get(purpose, {})
    general = OPT_OUT_PHRASES.get(language, OPT_OUT_PHRASES["en"])
    return {**general, **own.get(language, own.get("en", {}))}


def record_opt_out(
    warehouse: Warehouse, claims: OptOutClaims, *, now: datetime | None = None
) -> bool:
    """Record a refusal of e-mail for ``claims.purpose``; False (and nothing written) when the
    customer's latest answer for that purpose is already a refusal, so a second click adds
    nothing."""
    latest = warehouse.to_pandas(
        email_consent_expr(
            warehouse.table("consents"),
            ids_table("customer_id", [claims.customer_id]),
            claims.purpose,
        )
    )
    if not latest.empty and not bool(latest.granted.iloc[0]):
        return False
    when = now or datetime.now(UTC)
    warehouse.append_rows(
        "consents",
        [
            {
                "consent_event_id": f"{SOURCE}:{claims.customer_id}:{claims.purpose}:"
                f"{when.isoformat()}",
                "customer_id": claims.customer_id,
                "channel": EMAIL_CHANNEL,
                "purpose": claims.purpose,
                "granted": False,
                "ts": when,
                "source": SOURCE,
            }
        ],
    )
    return True
