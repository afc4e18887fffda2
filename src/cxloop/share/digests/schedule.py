"""Digests on a schedule while the server runs: each week, once the ``digest_weekday`` and
``digest_hour`` have come in the digest time zone, the week's team digests and the month's
progress e-mails are sent (as ``digest_schedule`` says). Off unless ``smtp_host`` is set.

The ``digests`` log makes a restarted server, or a cron job beside it, send nothing twice; a
server started after the hour sends the week's digests then. A failure is logged, never
raised, and the next check tries again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cxloop.act.email_sender import MailTransport, SmtpConfig, SmtpTransport
from cxloop.errors import CxloopError
from cxloop.share.digests.periods import due_week_end
from cxloop.share.digests.sending import DigestOptions, DigestReport, send_digests
from cxloop.storage import Warehouse

if TYPE_CHECKING:
    from cxloop.config import Settings

log = logging.getLogger("cxloop.digests")
#: seconds between the service's looks at the clock
CHECK_INTERVAL_S = 300.0


class DigestService:
    """Sends the digests that are due; :meth:`start` begins checking every
    :data:`CHECK_INTERVAL_S` seconds (the first check one interval after start)."""

    def __init__(
        self,
        warehouse: Warehouse,
        settings: Settings,
        transport: Callable[[], MailTransport] | None = None,
    ) -> None:
        self.warehouse = warehouse
        self.settings = settings
        self._transport = transport
        self._done: set[str] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def enabled(self) -> bool:
        """Whether digests are scheduled: SMTP set and ``digest_schedule`` not ``off``."""
        return bool(self.settings.smtp_host) and self.settings.digest_schedule != "off"

    def run_due(self, now: datetime | None = None) -> DigestReport | None:
        """Send the digests due at ``now`` unless this service already sent them all."""
        if not self.enabled:
            return None
        s = self.settings
        now = now or datetime.now(UTC)
        try:
            options = DigestOptions.from_settings(s)
            end = due_week_end(now, options.weekday, s.digest_hour, options.timezone)
            if end.isoformat() in self._done:
                return None
            transport = (self._transport or _smtp(s))()
            report = send_digests(self.warehouse, options, kind=s.digest_schedule,  # type: ignore[arg-type]
                                  period_end=end,
                                  transport=transport, now=now)  # fmt: skip
        except CxloopError as exc:
            log.warning("digests not sent: %s", exc.message)
            return None
        except Exception:
            log.exception("the digest run failed")
            return None
        sent = report.counts.get("sent", 0)
        if sent:
            log.info("digests sent: %s (%s, %s)", sent, report.week, report.month)
        if not report.counts.get("failed") and not report.stopped:
            self._done.add(end.isoformat())
        return report

    def start(self) -> None:
        if not self.enabled or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._periodic, name="cxloop-digests",
                                        daemon=True)  # fmt: skip
        self._thread.start()

    def _periodic(self) -> None:
        # the first look comes one interval after start: a server that is restarted (or a
        # short-lived one) does not compute digests while it is starting up
        while not self._stop.wait(CHECK_INTERVAL_S):
            self.run_due()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


def _smtp(settings: Settings) -> Callable[[], MailTransport]:
    config = SmtpConfig.from_settings(settings)
    return lambda: SmtpTransport(config)
