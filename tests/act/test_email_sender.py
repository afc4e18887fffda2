"""The SMTP transport against a real SMTP server on loopback."""

from __future__ import annotations

import ssl
from email.message import EmailMessage
from pathlib import Path

import pytest

from cxloop.act.email_sender import MailError, SmtpConfig, SmtpTransport, sender_domain
from cxloop.config import Settings
from cxloop.errors import ConfigError
from smtp_server import PASSWORD, USER, free_port, self_signed_certificate, smtp_server


def _message(to: str, subject: str = "Hello") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "cx@acme.example"
    message["To"] = to
    message["Subject"] = subject
    message.set_content("body")
    return message


def test_messages_reach_the_server_over_one_connection() -> None:
    with smtp_server() as (inbox, port):
        with SmtpTransport(SmtpConfig("127.0.0.1", port, security="none")) as transport:
            transport.send(_message("ana@example.com", "one"))
            transport.send(_message("bo@example.com", "two"))
        assert [m["Subject"] for m in inbox.messages] == ["one", "two"]
        assert inbox.to("bo@example.com")[0].get_content().strip() == "body"


def test_login_with_user_and_password() -> None:
    with smtp_server(auth=True) as (inbox, port):
        config = SmtpConfig("127.0.0.1", port, security="none", user=USER, password=PASSWORD)
        with SmtpTransport(config) as transport:
            transport.send(_message("ana@example.com"))
        assert len(inbox.messages) == 1


def test_a_refused_login_is_a_connection_failure_that_never_shows_the_password() -> None:
    with smtp_server(auth=True) as (inbox, port):
        config = SmtpConfig("127.0.0.1", port, security="none", user=USER, password="wrong-pass")
        with SmtpTransport(config) as transport, pytest.raises(MailError) as caught:
            transport.send(_message("ana@example.com"))
    assert caught.value.connection
    assert "refused the login of 'mailer'" in caught.value.reason
    assert "wrong-pass" not in caught.value.reason and "wrong-pass" not in repr(config)
    assert not inbox.messages


def test_a_refused_recipient_fails_only_that_message() -> None:
    with smtp_server() as (inbox, port):
        inbox.refuse.add("gone@example.com")
        with SmtpTransport(SmtpConfig("127.0.0.1", port, security="none")) as transport:
            with pytest.raises(MailError) as caught:
                transport.send(_message("gone@example.com"))
            transport.send(_message("ana@example.com"))
    assert not caught.value.connection
    assert caught.value.reason.startswith("recipient refused: 550")
    assert [m["To"] for m in inbox.messages] == ["ana@example.com"]


def test_no_server_is_a_connection_failure() -> None:
    transport = SmtpTransport(SmtpConfig("127.0.0.1", free_port(), security="none", timeout_s=2))
    with pytest.raises(MailError) as caught:
        transport.send(_message("ana@example.com"))
    assert caught.value.connection
    assert caught.value.reason.startswith("SMTP server 127.0.0.1:")


def test_starttls_against_a_server_without_it_is_refused_clearly() -> None:
    with smtp_server() as (inbox, port):
        transport = SmtpTransport(SmtpConfig("127.0.0.1", port, security="starttls"))
        with pytest.raises(MailError) as caught:
            transport.send(_message("ana@example.com"))
    assert caught.value.connection and "STARTTLS" in caught.value.reason
    assert not inbox.messages


def test_config_from_settings(tmp_path) -> None:
    with pytest.raises(ConfigError, match="smtp_host"):
        SmtpConfig.from_settings(Settings.load(project=tmp_path))
    settings = Settings.load(
        project=tmp_path, smtp_host="mail.acme.example", smtp_security="ssl",
        smtp_user="u", smtp_password="p4ss",
    )  # fmt: skip
    config = SmtpConfig.from_settings(settings)
    assert (config.port, config.security, config.password) == (465, "ssl", "p4ss")
    assert "p4ss" not in repr(settings) and "p4ss" not in repr(config)
    assert SmtpConfig.from_settings(Settings.load(project=tmp_path, smtp_host="h")).port == 587


def test_sender_domain() -> None:
    assert sender_domain("Acme CX <cx@acme.example>") == "acme.example"
    assert sender_domain("nobody") == "localhost"


def _trusting(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


def test_starttls_with_a_verified_certificate(tmp_path: Path) -> None:
    cert_and_key = self_signed_certificate(tmp_path)
    with smtp_server(tls=cert_and_key) as (inbox, port):
        config = SmtpConfig("127.0.0.1", port, security="starttls")
        with SmtpTransport(config, tls=_trusting(cert_and_key[0])) as transport:
            transport.send(_message("ana@example.com"))
        assert len(inbox.messages) == 1


def test_implicit_tls(tmp_path: Path) -> None:
    cert_and_key = self_signed_certificate(tmp_path)
    with smtp_server(tls=cert_and_key, implicit_tls=True) as (inbox, port):
        config = SmtpConfig("127.0.0.1", port, security="ssl")
        with SmtpTransport(config, tls=_trusting(cert_and_key[0])) as transport:
            transport.send(_message("ana@example.com"))
        assert len(inbox.messages) == 1


def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    with smtp_server(tls=self_signed_certificate(tmp_path)) as (inbox, port):
        transport = SmtpTransport(SmtpConfig("127.0.0.1", port, security="starttls"))
        with pytest.raises(MailError) as caught:
            transport.send(_message("ana@example.com"))
    assert caught.value.connection and "CERTIFICATE_VERIFY_FAILED" in caught.value.reason
    assert not inbox.messages


def test_a_server_that_requires_starttls_refuses_plain_text(tmp_path: Path) -> None:
    with smtp_server(tls=self_signed_certificate(tmp_path)) as (inbox, port):
        transport = SmtpTransport(SmtpConfig("127.0.0.1", port, security="none"))
        with pytest.raises(MailError) as caught:
            transport.send(_message("ana@example.com"))
    assert caught.value.connection and caught.value.reason.startswith("sender refused: 530")
    assert not inbox.messages
