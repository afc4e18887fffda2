"""Small hand-made tables for the KPI tests."""

from __future__ import annotations

from datetime import UTC, datetime

from cxloop.storage import Warehouse


def ts(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def add_feedback(
    wh: Warehouse, rows: list[tuple[str, str, str, int | None, int | None, int | None]]
) -> None:
    """Rows of (day, team, touchpoint, nps, csat, ces); customers c0.. cycle over two countries."""
    wh.append_rows(
        "feedback",
        [
            {
                "feedback_id": f"f{i}", "customer_id": f"c{i % 4}", "ts": ts(day), "team_id": team,
                "touchpoint": touchpoint, "channel": "email", "source": "survey",
                "language": "en", "nps": nps, "csat": csat, "ces": ces,
            }
            for i, (day, team, touchpoint, nps, csat, ces) in enumerate(rows)
        ],
    )  # fmt: skip
    wh.append_rows(
        "customers",
        [{"customer_id": f"c{i}", "country": "ES" if i % 2 else "GB"} for i in range(4)],
    )
