"""The loop while the server runs: case rules on each new survey response, and a periodic run
(rules on recent feedback, SLA escalation, closing resolved cases) every ``loop_interval_s``.
The notifications of the cases it opens and escalates are written with them; the
:class:`~cxloop.act.notify_service.NotifyService` sends them.

Rules are read from ``rules/*.yaml`` at each run, so an edited rule applies without a
restart; a rule file with a mistake is logged and the run skipped (``cxloop loop rules``
names the mistake). A failure is logged, never raised: the feedback is already kept.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cxloop.act.loop import LoopOptions, run_loop
from cxloop.act.rules import load_rules
from cxloop.domain.case import LoopReport
from cxloop.errors import ConfigError
from cxloop.storage import Warehouse

if TYPE_CHECKING:
    from cxloop.act.notify_service import NotifyService
    from cxloop.config import Settings

log = logging.getLogger("cxloop.loop")


class LoopService:
    """Runs the loop for a server; :meth:`start` begins the periodic runs."""

    def __init__(
        self, warehouse: Warehouse, settings: Settings, notify: NotifyService | None = None
    ) -> None:
        self.warehouse = warehouse
        self.settings = settings
        self.notify = notify
        self.options = LoopOptions.from_settings(settings)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(
        self, feedback_ids: list[str] | None = None, now: datetime | None = None
    ) -> LoopReport | None:
        """One run: on ``feedback_ids`` only (rules, no escalation), or periodic (all)."""
        try:
            rules = load_rules(self.settings.project)
        except ConfigError as exc:
            log.warning("case rules not run: %s", exc.message)
            return None
        notifier = self.notify.notifier() if self.notify is not None else None
        try:
            return run_loop(
                self.warehouse, rules, options=self.options, feedback_ids=feedback_ids,
                now=now or datetime.now(UTC), escalate=feedback_ids is None, notifier=notifier,
            )  # fmt: skip
        except Exception:
            log.exception("the loop run failed")
            return None

    def start(self) -> None:
        interval = self.settings.loop_interval_s
        if interval <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._periodic, args=(interval,), name="cxloop-loop", daemon=True
        )
        self._thread.start()

    def _periodic(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.run_once()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
