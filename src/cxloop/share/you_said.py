"""The figures of the public "you said, we did" page: what customers raised, what was done.

Everything here is aggregated and free of personal data: counts of feedback per theme over a
period (a piece of feedback with two themes counts under both, so shares may add up to more
than 100%), counts of cases resolved in the period per theme and resolution code, and the
published actions. Any count below ``min_group_n`` is withheld (only how many groups were
withheld is told), so no group small enough to point at a person is shown.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import ibis
from pydantic import BaseModel, Field

from cxloop.domain.public_action import PublicAction
from cxloop.share.public_actions import list_actions
from cxloop.storage import Warehouse

#: the theme of feedback (or of a case's feedback) that has none
NO_THEME = "other"


class ThemeShare(BaseModel):
    """Feedback about one theme in the period, and its share of the analysed feedback."""

    theme: str
    feedback: int
    share: float


class ResolvedCases(BaseModel):
    """Cases resolved in the period about one theme with one resolution code."""

    theme: str
    resolution: str
    cases: int


class YouSaidReport(BaseModel):
    """What the public page shows; nothing below ``min_group_n`` is in it."""

    since: date
    until: date
    min_group_n: int
    feedback: int | None = Field(description="Analysed feedback in the period (None: too few).")
    themes: list[ThemeShare]
    withheld_themes: int = Field(description="Themes with fewer pieces than min_group_n.")
    resolved: list[ResolvedCases]
    withheld_resolved: int = Field(description="Theme × resolution groups under min_group_n.")
    actions: list[PublicAction]


def _themes(raw: object) -> list[str]:
    try:
        themes = json.loads(str(raw)) if raw else []
    except ValueError:
        return []
    return [str(t) for t in themes if t] if isinstance(themes, list) else []


def you_said_we_did(
    warehouse: Warehouse,
    *,
    days: int = 90,
    min_group_n: int = 5,
    now: datetime | None = None,
) -> YouSaidReport:
    """The themes raised in the last ``days`` days, the cases resolved then, and the published
    actions.

    Parameters
    ----------
    days
        The period: the ``days`` days up to and including today (UTC).
    min_group_n
        Counts below this are withheld (the project's ``survey_min_group_n``).

    Examples
    --------
    >>> report = you_said_we_did(wh, days=90, min_group_n=5)
    >>> [(t.theme, t.feedback) for t in report.themes][:1]
    [('delivery', 412)]
    """
    now = now or datetime.now(UTC)
    until = now.astimezone(UTC).date()
    since = until - timedelta(days=days - 1)
    start = datetime.combine(since, time(), tzinfo=UTC)
    end = datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC)
    lo, hi = (ibis.literal(v, type="timestamp('UTC')") for v in (start, end))

    feedback = warehouse.table("feedback")
    insights = warehouse.table("feedback_insights")
    recent = feedback.filter((feedback.ts >= lo) & (feedback.ts < hi)).select("feedback_id")
    analysed = recent.join(insights, recent.feedback_id == insights.feedback_id)
    groups = analysed.group_by(themes=analysed.themes.fill_null("[]")).aggregate(n=analysed.count())
    per_theme: Counter[str] = Counter()
    total = 0
    for row in warehouse.to_pyarrow(groups).to_pylist():
        total += int(row["n"])
        for theme in _themes(row["themes"]) or [NO_THEME]:
            per_theme[theme] += int(row["n"])
    shown_themes = [
        ThemeShare(theme=theme, feedback=n, share=n / total)
        for theme, n in sorted(per_theme.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= min_group_n and theme != NO_THEME
    ]
    withheld_themes = sum(1 for t, n in per_theme.items() if n < min_group_n and t != NO_THEME)

    resolved, withheld_resolved = _resolved(warehouse, lo, hi, min_group_n)
    return YouSaidReport(
        since=since,
        until=until,
        min_group_n=min_group_n,
        feedback=total if total >= min_group_n else None,
        themes=shown_themes if total >= min_group_n else [],
        withheld_themes=withheld_themes if total >= min_group_n else len(per_theme),
        resolved=resolved,
        withheld_resolved=withheld_resolved,
        actions=list_actions(warehouse, published_only=True),
    )


def _resolved(
    warehouse: Warehouse, lo: ibis.Value, hi: ibis.Value, min_group_n: int
) -> tuple[list[ResolvedCases], int]:
    events = warehouse.table("case_events")
    done = events.filter((events.kind == "resolved") & (events.ts >= lo) & (events.ts < hi))
    done = done.mutate(
        _n=ibis.row_number().over(
            group_by=done.case_id, order_by=[ibis.desc(done.ts), ibis.desc(done.case_event_id)]
        )
    )
    done = done.filter(done._n == 0).select(_case=done.case_id, resolution=done.resolution)
    cases = warehouse.table("cases")
    insights = warehouse.table("feedback_insights").select(
        _fid=ibis._.feedback_id, themes=ibis._.themes
    )
    joined = done.join(cases, done._case == cases.case_id)
    joined = joined.left_join(insights, joined.feedback_id == insights._fid)
    groups = joined.group_by(
        themes=joined.themes.fill_null("[]"), resolution=joined.resolution.fill_null("")
    ).aggregate(n=joined.count())
    counts: Counter[tuple[str, str]] = Counter()
    for row in warehouse.to_pyarrow(groups).to_pylist():
        for theme in _themes(row["themes"]) or [NO_THEME]:
            counts[(theme, row["resolution"])] += int(row["n"])
    shown = [
        ResolvedCases(theme=theme, resolution=code, cases=n)
        for (theme, code), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= min_group_n and code
    ]
    return shown, sum(1 for (_, code), n in counts.items() if n < min_group_n and code)
