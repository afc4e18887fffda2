"""Goals and KPIs in the page's language: status names and symbols, the status rule's sentence,
KPI and dimension names, and KPI values formatted as people read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.numbers import format_decimal

from cxloop.domain.goal import GoalEvaluation, GoalStatus, StatusReason
from cxloop.understand.goals import default_direction
from cxloop.understand.kpi import KPIS
from cxloop.web.i18n import N_, UiLanguage

STATUS_LABELS = {
    GoalStatus.HIT: N_("Hit"),
    GoalStatus.ON_TRACK: N_("On track"),
    GoalStatus.AT_RISK: N_("At risk"),
    GoalStatus.MISS: N_("Miss"),
    GoalStatus.NOT_ENOUGH_DATA: N_("Not enough data"),
}
#: a symbol beside every status word, so that the status never rests on colour alone
STATUS_SYMBOLS = {
    GoalStatus.HIT: "✔",
    GoalStatus.ON_TRACK: "↗",
    GoalStatus.AT_RISK: "⚠",
    GoalStatus.MISS: "✘",
    GoalStatus.NOT_ENOUGH_DATA: "?",
}
KPI_LABELS = {
    "nps": N_("Net Promoter Score"),
    "csat": N_("Customer satisfaction (top-2-box)"),
    "csat_mean": N_("Customer satisfaction (mean)"),
    "ces": N_("Customer effort score"),
    "enps": N_("Employee Net Promoter Score"),
    "closed_loop_rate": N_("Closed-loop rate"),
    "time_to_close": N_("Time to close"),
}
DIMENSION_LABELS = {
    "team": N_("Team"),
    "touchpoint": N_("Touchpoint"),
    "channel": N_("Channel"),
    "language": N_("Language"),
    "country": N_("Country"),
    "segment": N_("Segment"),
    "source": N_("Source"),
}
PERIOD_LABELS = {"month": N_("Month"), "quarter": N_("Quarter")}
_SENTENCES = {
    StatusReason.NO_DATA: N_(
        "Not enough data: no observations in this scope up to the deadline, %(deadline)s."
    ),
    StatusReason.SMALL_N: N_(
        "Not enough data: the latest period (from %(start)s) has n = %(n)s; the rule needs at "
        "least %(min)s."
    ),
    StatusReason.HIT: N_(
        "Hit: the latest period (from %(start)s) is %(value)s, with a 95%% interval of %(low)s "
        "to %(high)s that lies wholly on the better side of the target, %(target)s."
    ),
    StatusReason.MISSED: N_(
        "Miss: the deadline %(deadline)s has passed, and the latest period's 95%% interval, "
        "%(low)s to %(high)s, lies wholly on the wrong side of the target, %(target)s."
    ),
    StatusReason.MISSED_UNPROVEN: N_(
        "Miss: the deadline %(deadline)s has passed, and the latest period's 95%% interval, "
        "%(low)s to %(high)s, still includes the target, %(target)s, so reaching it was not "
        "shown."
    ),
    StatusReason.TOO_FEW_PERIODS: N_(
        "Not enough data for a trend: %(count)s periods have n of at least %(min)s, and a "
        "trend needs 3."
    ),
    StatusReason.ON_TRACK: N_(
        "On track: the weighted linear trend over %(count)s periods projects %(value)s (95%% "
        "interval %(low)s to %(high)s) at the deadline, %(deadline)s: on the better side of "
        "the target, %(target)s."
    ),
    StatusReason.AT_RISK: N_(
        "At risk: the weighted linear trend over %(count)s periods projects %(value)s (95%% "
        "interval %(low)s to %(high)s) at the deadline, %(deadline)s: short of the target, "
        "%(target)s."
    ),
}


def kpi_label(ui: UiLanguage, kpi: str) -> str:
    """A KPI's name in the UI language (its library title when it has no translation)."""
    label = KPI_LABELS.get(kpi)
    return ui.gettext(label) if label else KPIS[kpi].title if kpi in KPIS else kpi


def dimension_label(ui: UiLanguage, dimension: str) -> str:
    """A breakdown dimension's name in the UI language."""
    label = DIMENSION_LABELS.get(dimension)
    return ui.gettext(label) if label else dimension


def kpi_value(ui: UiLanguage, kpi: str, value: float | None) -> str:
    """A KPI value: shares as percentages, NPS to one decimal, means to two; '—' for none."""
    if value is None:
        return "—"
    definition = KPIS.get(kpi)
    if definition is not None and definition.unit == "share":
        return ui.format_percent(value)
    if definition is not None and definition.unit == "hours":
        number = format_decimal(value, format="#,##0.0", locale=ui.locale)
        return ui.gettext("%(hours)s h") % {"hours": number}
    places = "#,##0.0" if definition is not None and definition.shape == "nps" else "#,##0.00"
    return format_decimal(value, format=places, locale=ui.locale)


def status_sentence(ui: UiLanguage, evaluation: GoalEvaluation) -> str:
    """The rule that set the goal's status, as a sentence in the UI language."""
    goal, latest, projection = evaluation.goal, evaluation.latest, evaluation.projection
    fmt = _Values(ui, goal.kpi)
    values: dict[str, str] = {
        "deadline": ui.format_date(goal.deadline),
        "target": fmt(goal.target),
        "min": ui.format_number(evaluation.small_n_threshold),
    }
    if latest is not None:
        values |= {
            "start": ui.format_date(latest.period_start), "n": ui.format_number(latest.n),
            "value": fmt(latest.value), "low": fmt(latest.ci_low), "high": fmt(latest.ci_high),
        }  # fmt: skip
    if evaluation.reason is StatusReason.TOO_FEW_PERIODS:
        values["count"] = ui.format_number(
            sum(p.n >= evaluation.small_n_threshold for p in evaluation.trend
                if p.period_start <= goal.deadline)
        )  # fmt: skip
    if projection is not None:
        values |= {
            "count": ui.format_number(projection.periods), "value": fmt(projection.value),
            "low": fmt(projection.ci_low), "high": fmt(projection.ci_high),
        }  # fmt: skip
    return ui.gettext(_SENTENCES[evaluation.reason]) % values


@dataclass(frozen=True)
class GoalView:
    """A goal as a page shows it, every text already in the page's language."""

    id: str
    title: str
    scope: str
    owner: str
    status: str
    status_label: str
    symbol: str
    sentence: str
    target: str
    latest: str
    interval: str
    n: int | None
    small_n: bool
    deadline: date
    team_id: str | None


def goal_view(ui: UiLanguage, evaluation: GoalEvaluation) -> GoalView:
    """Everything a page shows of one evaluated goal."""
    goal, latest = evaluation.goal, evaluation.latest
    fmt = _Values(ui, goal.kpi)
    scope = ui.gettext(N_("Company"))
    if goal.scope.dimension is not None:
        scope = f"{dimension_label(ui, goal.scope.dimension)}: {goal.scope.value}"
    sign = "≥" if goal.direction == "higher" else "≤"
    return GoalView(
        id=goal.id, title=goal.title or f"{kpi_label(ui, goal.kpi)} · {scope}", scope=scope,
        owner=goal.owner, status=evaluation.status.value,
        status_label=ui.gettext(STATUS_LABELS[evaluation.status]),
        symbol=STATUS_SYMBOLS[evaluation.status], sentence=status_sentence(ui, evaluation),
        target=f"{sign} {fmt(goal.target)}",
        latest=fmt(latest.value) if latest else "—",
        interval=f"{fmt(latest.ci_low)} – {fmt(latest.ci_high)}"
        if latest and latest.ci_low is not None else "—",
        n=latest.n if latest else None, small_n=bool(latest and latest.small_n),
        deadline=goal.deadline,
        team_id=goal.scope.value if goal.scope.dimension == "team" else None,
    )  # fmt: skip


def better_direction(kpi: str) -> str:
    """``higher`` or ``lower``: which way a change is an improvement."""
    return default_direction(kpi)


class _Values:
    def __init__(self, ui: UiLanguage, kpi: str) -> None:
        self.ui, self.kpi = ui, kpi

    def __call__(self, value: float | None) -> str:
        return kpi_value(self.ui, self.kpi, value)
