"""Retention: delete rows older than the project's policies (``retention`` in settings).

``cxloop retention apply`` runs it once; ``cxloop serve`` runs it every
``retention_interval_s`` (daily). Old feedback leaves the KPI rollup first
(:func:`~cxloop.understand.kpi.rollup.forget_feedback`) and takes its text analysis with it,
so KPIs read from the rollup stay exactly those of the feedback that remains. Everything is
one transaction, and an audit record says what was deleted.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from cxloop.access import audit
from cxloop.domain.retention import RETENTION_TABLES, check_policies, parse_duration
from cxloop.errors import ConfigError
from cxloop.storage import Warehouse
from cxloop.understand.kpi.rollup import forget_feedback

log = logging.getLogger("cxloop.retention")


class TableRetention(BaseModel):
    """One table's policy and what applying it did (or would do)."""

    table: str
    keep: str = Field(description="The policy, e.g. '24 months'.")
    column: str = Field(description="The time column whose age decides.")
    cutoff: datetime = Field(description="Rows before this moment are deleted.")
    rows: int = Field(description="Rows deleted (in a dry run: that would be deleted).")


class RetentionReport(BaseModel):
    """What ``cxloop retention apply`` did."""

    dry_run: bool
    ran_at: datetime
    tables: list[TableRetention]
    feedback_insights: int = Field(
        default=0, description="Text analyses deleted with their feedback."
    )

    @property
    def total(self) -> int:
        return sum(t.rows for t in self.tables)


def apply_retention(
    wh: Warehouse,
    policies: dict[str, str],
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    actor: str = "retention",
) -> RetentionReport:
    """Delete, from each table with a policy, the rows older than it.

    Parameters
    ----------
    wh
        The warehouse, writable unless ``dry_run``.
    policies
        Table → duration, as the ``retention`` setting holds them (``{"events": "24 months"}``).
    now
        The moment ages are measured from (default: now).
    dry_run
        Count only; nothing is deleted.
    actor
        Who the audit record names.
    """
    try:
        check_policies(policies)
    except ValueError as exc:
        raise ConfigError(f"setting 'retention': {exc}") from None
    now = now or datetime.now(UTC)
    results = [
        TableRetention(
            table=table,
            keep=str(parse_duration(text)),
            column=RETENTION_TABLES[table],
            cutoff=parse_duration(text).before(now),
            rows=0,
        )
        for table, text in sorted(policies.items())
    ]
    insights = 0
    if dry_run:
        for r in results:
            r.rows = wh.count_older_than(r.table, r.column, r.cutoff)
        return RetentionReport(dry_run=True, ran_at=now, tables=results)
    with wh.transaction():
        for r in results:
            if r.table == "feedback":
                insights = _forget_old_feedback(wh, r.cutoff)
            r.rows = wh.delete_older_than(r.table, r.column, r.cutoff)
        report = RetentionReport(
            dry_run=False, ran_at=now, tables=results, feedback_insights=insights
        )
        if report.total:
            audit.record(
                wh,
                actor,
                "retention",
                details={
                    "rows": {r.table: r.rows for r in results if r.rows},
                    "cutoffs": {r.table: r.cutoff.isoformat() for r in results if r.rows},
                    "feedback_insights": insights,
                },
            )
    return report


def _forget_old_feedback(wh: Warehouse, cutoff: datetime) -> int:
    """Take feedback older than ``cutoff`` out of the rollup and delete its text analysis;
    return how many analyses were deleted."""
    feedback = wh.table("feedback")
    ids = wh.to_pyarrow(feedback.filter(feedback.ts < cutoff).select("feedback_id"))
    old = [i for i in ids["feedback_id"].to_pylist() if i is not None]
    if not old:
        return 0
    forget_feedback(wh, old)
    return wh.delete("feedback_insights", "feedback_id", old)


class RetentionService:
    """Applies the retention policies while the server runs, every ``interval`` seconds
    (the first run soon after start). A failure is logged, never raised."""

    def __init__(self, warehouse: Warehouse, policies: dict[str, str], interval: float) -> None:
        self.warehouse = warehouse
        self.policies = dict(policies)
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> RetentionReport | None:
        try:
            report = apply_retention(self.warehouse, self.policies, actor="serve:retention")
        except Exception:
            log.exception("the retention run failed")
            return None
        if report.total:
            log.info("retention deleted %s rows", report.total)
        return report

    def start(self) -> None:
        if not self.policies or self.interval <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._periodic, name="cxloop-retention", daemon=True)
        self._thread.start()

    def _periodic(self) -> None:
        if self._stop.wait(5):  # let the server finish starting
            return
        while True:
            self.run_once()
            if self._stop.wait(self.interval):
                return

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
