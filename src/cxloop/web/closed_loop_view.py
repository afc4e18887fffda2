"""The closed-loop section of the Scorecard and the team scorecards, in the page's language:
headline figures, the survival curve of time to close with a table beside it, and the matched
comparison of contacted and not-contacted detractors with a sentence on how to read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal

from cxloop.domain.loop_metrics import CurvePoint, LoopEffect, LoopMetrics
from cxloop.share.charts import chart_locale
from cxloop.share.survival_chart import survival_chart
from cxloop.web.i18n import N_, UiLanguage

#: the times the table beside the curve reads it at (hours)
TABLE_HOURS = (0, 6, 12, 24, 48, 72, 96, 120, 168, 336, 720)
MATCHED_ON = {
    "score_band": N_("score band (0–3 or 4–6)"),
    "touchpoint": N_("touchpoint"),
    "team": N_("team"),
    "value_band": N_("value band (spend in the year before)"),
    "month": N_("month"),
}
OUTCOMES = {
    "retention_90d": N_("Bought again within 90 days"),
    "later_nps": N_("NPS of their next answer"),
}


@dataclass(frozen=True)
class Headline:
    """One figure of the section: value, interval, n and its small-n flag."""

    label: str
    value: str
    interval: str
    n: str
    small_n: bool


@dataclass(frozen=True)
class CurveRow:
    """The survival curve read at one time, for the table beside the chart."""

    hours: str
    still_open: str
    interval: str
    at_risk: str


@dataclass(frozen=True)
class EffectRow:
    """One outcome of the matched comparison."""

    outcome: str
    contacted: str
    not_contacted: str
    difference: str
    interval: str
    pairs: str
    small_n: bool
    sentence: str


@dataclass(frozen=True)
class ClosedLoopView:
    """Everything the section's template reads."""

    headlines: list[Headline]
    chart: dict[str, Any] | None
    chart_description: str
    curve_rows: list[CurveRow]
    effects: list[EffectRow]
    matched_on: str
    small_n_threshold: int


def _hours(ui: UiLanguage, value: float | None) -> str:
    if value is None:
        return "—"
    return ui.gettext("%(hours)s h") % {"hours": format_decimal(value, "#,##0.0", ui.locale)}


def _pct(ui: UiLanguage, value: float | None) -> str:
    return "—" if value is None else ui.format_percent(value)


def _points(ui: UiLanguage, value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = format_decimal(abs(value) if signed else value, "#,##0.0", ui.locale)
    if signed:
        return ("+" if value > 0 else "−" if value < 0 else "±") + text
    return text


def _range(low: float | None, high: float | None, fmt: Callable[[float | None], str]) -> str:
    return "—" if low is None and high is None else f"{fmt(low)} – {fmt(high)}"


def _read_curve(points: list[CurvePoint], hours: float) -> CurvePoint | None:
    """The step curve's value at ``hours`` (the last point at or before it)."""
    seen = [p for p in points if p.hours <= hours]
    return seen[-1] if seen else None


def _effect_row(ui: UiLanguage, effect: LoopEffect, matched_on: str) -> EffectRow:
    _ = ui.gettext
    share = effect.outcome == "retention_90d"

    def fmt(v: float | None) -> str:
        return _pct(ui, v) if share else _points(ui, v)

    def diff(v: float | None) -> str:
        if v is None:
            return "—"
        if share:
            return _points(ui, 100 * v, signed=True) + " " + _("pp")
        return _points(ui, v, signed=True)

    if effect.pairs == 0:
        sentence = _("No contacted detractor had a comparable detractor who was not "
                     "contacted, so there is nothing to compare yet.")  # fmt: skip
    else:
        sentence = _(
            "Matched pairs: %(pairs)s, each a contacted detractor and one who was not, alike in "
            "%(matched)s. Contacted: %(contacted)s; not contacted: %(not_contacted)s; "
            "difference %(difference)s (95%% interval %(low)s to %(high)s)."
        ) % {
            "pairs": ui.format_number(effect.pairs), "matched": matched_on,
            "contacted": fmt(effect.contacted), "not_contacted": fmt(effect.not_contacted),
            "difference": diff(effect.difference), "low": diff(effect.ci_low),
            "high": diff(effect.ci_high),
        }  # fmt: skip
    return EffectRow(
        outcome=_(OUTCOMES[effect.outcome]), contacted=fmt(effect.contacted),
        not_contacted=fmt(effect.not_contacted), difference=diff(effect.difference),
        interval=_range(effect.ci_low, effect.ci_high, diff),
        pairs=ui.format_number(effect.pairs), small_n=effect.small_n, sentence=sentence,
    )  # fmt: skip


def closed_loop_view(ui: UiLanguage, metrics: LoopMetrics) -> ClosedLoopView:
    """The section in the page's language."""
    _ = ui.gettext
    headlines = []
    c, t, after = metrics.contact_within_sla, metrics.time_to_close, metrics.nps_after_resolution
    headlines.append(Headline(
        _("Detractors contacted within SLA"), _pct(ui, c.value) if c else "—",
        f"{_pct(ui, c.ci_low)} – {_pct(ui, c.ci_high)}" if c else "—",
        ui.format_number(c.n) if c else "0", bool(c is None or c.small_n),
    ))  # fmt: skip
    headlines.append(Headline(
        _("Median time to close"), _hours(ui, t.value) if t else "—",
        f"{_hours(ui, t.ci_low)} – {_hours(ui, t.ci_high)}" if t else "—",
        ui.format_number(t.n) if t else "0", bool(t is None or t.small_n),
    ))  # fmt: skip
    headlines.append(Headline(
        _("Score change after resolution (0–10)"), _points(ui, after.change, signed=True),
        _range(after.ci_low, after.ci_high, lambda v: _points(ui, v, signed=True)),
        ui.format_number(after.n), after.small_n,
    ))  # fmt: skip
    matched_on = ", ".join(_(MATCHED_ON[k]) for k in metrics.matched_on)
    chart = None
    description = ""
    rows: list[CurveRow] = []
    if metrics.curve:
        last = metrics.curve[-1]
        description = _(
            "Step chart of the share of cases still open against the hours since they were "
            "opened, with its 95%% interval as a band; cases still open count as censored. "
            "Median time to close: %(median)s; after %(hours)s, %(open)s are still open."
        ) % {"median": _hours(ui, t.value if t else None), "hours": _hours(ui, last.hours),
             "open": _pct(ui, last.still_open)}  # fmt: skip
        chart = survival_chart(
            [p.model_dump() for p in metrics.curve],
            hours_title=_("Hours since the case was opened"),
            open_title=_("Share of cases still open"), interval_title=_("95%% interval") % {},
            at_risk_title=_("Cases at risk"), description=description,
            median=t.value if t else None, median_title=_("Median time to close"),
            locale=chart_locale(ui.code),
        )  # fmt: skip
        for hours in TABLE_HOURS:
            if hours > last.hours and rows:
                break
            point = _read_curve(metrics.curve, hours)
            if point is None:
                continue
            rows.append(CurveRow(
                ui.gettext("%(hours)s h") % {"hours": ui.format_number(hours)},
                _pct(ui, point.still_open),
                f"{_pct(ui, point.ci_low)} – {_pct(ui, point.ci_high)}",
                ui.format_number(point.at_risk),
            ))  # fmt: skip
    return ClosedLoopView(
        headlines=headlines, chart=chart, chart_description=description, curve_rows=rows,
        effects=[_effect_row(ui, e, matched_on) for e in metrics.effects],
        matched_on=matched_on, small_n_threshold=metrics.small_n_threshold,
    )  # fmt: skip
