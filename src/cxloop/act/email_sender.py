"""Sending e-mail over SMTP (smtplib): one connection reused for many messages.

The password is a :class:`pydantic.SecretStr` in settings and only ever handed to
``smtplib.SMTP.login``; no error message built here contains it.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from typing import TYPE_CHECKING, Literal, Protocol

from cxloop.errors import ConfigError

if TYPE_CHECKING:
    from cxloop.config import Settings

Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}


class MailTransport(Protocol):
    """Something that delivers e-mail messages; raises :class:`MailError` when it cannot."""

    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


class MailError(Exception):
    """A message was not accepted; ``reason`` is one line for the failure record.

    ``connection`` is true when the server could not be reached or refused the session
    (every later message would fail the same way), false when only this message was refused.
    """

    def __init__(self, reason: str, *, connection: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.connection = connection


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to reach the SMTP server."""

    host: str
    port: int
    security: Security = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_s: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        """The SMTP settings of a project; :class:`ConfigError` when ``smtp_host`` is unset."""
        if not settings.smtp_host:
            raise ConfigError(
                "setting 'smtp_host' is not set: cxloop needs an SMTP server to send e-mail "
                "(or use --dry-run)"
            )
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port or DEFAULT_PORTS[settings.smtp_security],
            security=settings.smtp_security,
            user=settings.smtp_user,
            password=password,
            timeout_s=settings.smtp_timeout_s,
        )


class SmtpTransport:
    """Sends messages over one SMTP connection, opened on first use and reopened after a
    failure.

    Examples
    --------
    >>> transport = SmtpTransport(SmtpConfig("127.0.0.1", 2525, security="none"))
    >>> transport.close()  # nothing was opened
    """

    def __init__(self, config: SmtpConfig, *, tls: ssl.SSLContext | None = None) -> None:
        self.config = config
        self._tls = tls
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        context = self._tls or ssl.create_default_context()
        where = f"SMTP server {c.host}:{c.port}"
        try:
            smtp: smtplib.SMTP
            if c.security == "ssl":
                smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout_s, context=context)
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout_s)
            try:
                smtp.ehlo()
                if c.security == "starttls":
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if c.user:
                    smtp.login(c.user, c.password or "")
            except BaseException:
                _quietly_close(smtp)
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(
                f"{where} refused the login of {c.user!r} ({exc.smtp_code})", connection=True
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise MailError(f"{where}: {exc}", connection=True) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"{where}: {_describe(exc)}", connection=True) from None
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Hand ``message`` to the server; :class:`MailError` if it is not accepted."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            reasons = "; ".join(f"{code} {_text(msg)}" for code, msg in exc.recipients.values())
            raise MailError(f"recipient refused: {reasons}", connection=False) from None
        except smtplib.SMTPSenderRefused as exc:
            # the sender (or the session: no TLS, no login) is refused: so will the next be
            self.close()
            raise MailError(
                f"sender refused: {exc.smtp_code} {_text(exc.smtp_error)}", connection=True
            ) from None
        except smtplib.SMTPDataError as exc:
            self._reset()
            raise MailError(
                f"message refused: {exc.smtp_code} {_text(exc.smtp_error)}", connection=False
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise MailError(f"SMTP connection lost: {_describe(exc)}", connection=True) from None
        if refused:
            reasons = "; ".join(f"{code} {_text(msg)}" for code, msg in refused.values())
            raise MailError(f"recipient refused: {reasons}", connection=False)

    def _reset(self) -> None:
        try:
            if self._smtp is not None:
                self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        """Say QUIT and close the connection, if one is open."""
        if self._smtp is not None:
            smtp, self._smtp = self._smtp, None
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                _quietly_close(smtp)

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sender_domain(mail_from: str) -> str:
    """The domain of a From address (for Message-IDs); ``localhost`` when it has none."""
    local, at, domain = parseaddr(mail_from)[1].rpartition("@")
    return domain if at and local and domain else "localhost"


def _quietly_close(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        smtp.close()


def _text(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return " ".join(str(exc).split()) or type(exc).__name__
