"""Notifications for a running program: the notifier and the SMTP transport built from
settings, and the server's periodic dispatch (every ``notify_interval_s``).

``notifications.yaml`` is read again when it changes, so an edited channel applies without a
restart; a file with a mistake is logged and the last good one kept (``cxloop notify
channels`` names the mistake). A failed pass is logged, never raised: the outbox keeps
everything for the next one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from cxloop.act.email_sender import MailTransport
from cxloop.act.notify_config import NOTIFICATIONS_FILE, NotifyConfig, load_notify_config
from cxloop.act.notify_dispatch import DispatchReport, TransportFactory, dispatch
from cxloop.act.notify_outbox import Notifier
from cxloop.errors import ConfigError
from cxloop.storage import Warehouse

if TYPE_CHECKING:
    from cxloop.config import Settings

log = logging.getLogger("cxloop.notify")


def mail_transport(settings: Settings) -> TransportFactory:
    """Opens an SMTP connection from the settings when first needed (a missing
    ``smtp_host`` fails each e-mail try with that reason)."""
    from cxloop.act.email_sender import SmtpConfig, SmtpTransport

    def make() -> MailTransport:
        return SmtpTransport(SmtpConfig.from_settings(settings))

    return make


class NotifyService:
    """The project's notifier, kept current, and the dispatcher's periodic passes."""

    def __init__(
        self, warehouse: Warehouse, settings: Settings, environ: Mapping[str, str]
    ) -> None:
        self.warehouse = warehouse
        self.settings = settings
        self.environ = dict(environ)
        self.transport = mail_transport(settings)
        self._config: NotifyConfig | None = None
        self._stamp: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reload_lock = threading.Lock()

    def config(self) -> NotifyConfig | None:
        """The current set-up (read again when the file changed); None until one loads."""
        path = self.settings.project / NOTIFICATIONS_FILE
        try:
            stamp = path.stat().st_mtime if path.is_file() else None
        except OSError:
            stamp = None
        with self._reload_lock:
            if self._config is None or stamp != self._stamp:
                self._stamp = stamp  # a broken file is reported once, not at every pass
                try:
                    self._config = load_notify_config(self.settings, self.environ)
                except ConfigError as exc:
                    log.warning("notifications not reloaded: %s", exc.message)
            return self._config

    def notifier(self) -> Notifier | None:
        """What case actions hand to the workflow so their notifications are written."""
        config = self.config()
        return Notifier(config) if config is not None and config.active else None

    def dispatch_once(self, now: datetime | None = None) -> DispatchReport | None:
        config = self.config()
        if config is None:
            return None
        try:
            return dispatch(self.warehouse, config, transport=self.transport, now=now)
        except Exception:
            log.exception("the notification pass failed")
            return None

    def start(self) -> None:
        interval = self.settings.notify_interval_s
        if interval <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._periodic, args=(interval,), name="cxloop-notify", daemon=True
        )
        self._thread.start()

    def _periodic(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.dispatch_once()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
