"""The identity review on a customer's profile page, as the page shows it: which records to
compare, Splink's waterfall for the chosen pair (a table and a chart, translated), the
overrides in force, and the outcome of a merge, split or undo just made.

The numbers come from :func:`cxloop.unify.explain.explain_records`; this module only lays
them out in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal

from cxloop.share.charts import chart_locale
from cxloop.share.waterfall_chart import WaterfallStep, match_weight_waterfall_chart
from cxloop.unify.explanation import ComparisonWeight, PairExplanation
from cxloop.unify.overrides import Override
from cxloop.unify.review import Candidate
from cxloop.web import customer_labels, match_labels
from cxloop.web.i18n import UiLanguage


@dataclass(frozen=True)
class WaterfallRow:
    """One comparison of the waterfall, as a row of the table."""

    name: str
    level: str
    level_in_english: bool
    value_a: str | None
    value_b: str | None
    m_probability: str
    u_probability: str
    weight: str
    term_frequency: str | None
    running: str
    direction: str


@dataclass(frozen=True)
class ExplanationView:
    """An explanation of two records, ready for the page."""

    explanation: PairExplanation
    rows: list[WaterfallRow]
    prior: str
    total: str
    threshold: str
    spec: dict[str, Any]
    description: str
    direct_link: str | None
    path: list[str]
    other_customer: str | None


@dataclass(frozen=True)
class Notice:
    """What the last change did, shown above the review after the redirect."""

    action: str
    override: Override
    split_customer: str | None = None


@dataclass(frozen=True)
class ReviewView:
    """Everything the review part of the profile page shows."""

    can_change: bool
    records: list[str]
    candidates: list[Candidate]
    overrides: list[Override]
    a: str
    b: str
    explanation: ExplanationView | None = None
    error: str | None = None
    notice: Notice | None = None


def weight_text(ui: UiLanguage, value: float) -> str:
    """A match weight with its sign and two decimals, in the UI's number format."""
    return format_decimal(value, "+#,##0.00;-#,##0.00", locale=ui.locale)


def probability_text(ui: UiLanguage, value: float | None) -> str:
    """An m or u probability to six decimals (u is often tiny), or a dash."""
    if value is None:
        return "—"
    return format_decimal(value, "0.######", locale=ui.locale)


def _shown_values(c: ComparisonWeight) -> tuple[str | None, str | None]:
    """The first compared column that either record has, side by side."""
    for column, value in c.values_a.items():
        other = c.values_b.get(column)
        if value is not None or other is not None:
            return value, other
    return None, None


def explanation_view(
    ui: UiLanguage, explanation: PairExplanation, customer_id: str
) -> ExplanationView:
    """Lay ``explanation`` out for the profile page of ``customer_id``."""
    _ = ui.gettext
    rows, running = [], explanation.prior_weight
    steps = [WaterfallStep(_("Prior"), explanation.prior_weight, "prior")]
    for c in explanation.comparisons:
        running += c.match_weight
        value_a, value_b = _shown_values(c)
        name = match_labels.comparison(ui, c.name)
        rows.append(
            WaterfallRow(
                name=name,
                level=match_labels.level(ui, c.level, c.label),
                level_in_english=not match_labels.is_translated(c.level, c.label),
                value_a=value_a,
                value_b=value_b,
                m_probability=probability_text(ui, c.m_probability),
                u_probability=probability_text(ui, c.u_probability),
                weight=weight_text(ui, c.match_weight),
                term_frequency=weight_text(ui, c.term_frequency_weight)
                if c.term_frequency_weight
                else None,
                running=weight_text(ui, running),
                direction="up" if c.match_weight > 0 else "down" if c.match_weight < 0 else "none",
            )
        )
        steps.append(WaterfallStep(name, c.match_weight))
    steps.append(WaterfallStep(_("Total"), explanation.total_weight, "total"))
    description = _(
        "Waterfall chart of the match weight of records %(a)s and %(b)s: the prior "
        "%(prior)s, then each comparison's weight, to a total of %(total)s (match probability "
        "%(probability)s) against the threshold %(threshold)s."
    ) % {
        "a": explanation.a.record_id,
        "b": explanation.b.record_id,
        "prior": weight_text(ui, explanation.prior_weight),
        "total": weight_text(ui, explanation.total_weight),
        "probability": ui.format_percent(explanation.match_probability),
        "threshold": weight_text(ui, explanation.threshold_weight),
    }
    spec = match_weight_waterfall_chart(
        steps,
        explanation.threshold_weight,
        weight_title=_("Match weight"),
        axis_title=_("Match weight (dashed line: the threshold)"),
        step_title=_("Comparison"),
        up_label=_("For a match"),
        down_label=_("Against a match"),
        ends_label=_("Prior and total"),
        threshold_label=_("Threshold"),
        running_title=_("Running total"),
        description=description,
        locale=chart_locale(ui.code),
    )
    other = explanation.b.customer_id
    return ExplanationView(
        explanation=explanation,
        rows=rows,
        prior=weight_text(ui, explanation.prior_weight),
        total=weight_text(ui, explanation.total_weight),
        threshold=weight_text(ui, explanation.threshold_weight),
        spec=spec,
        description=description,
        direct_link=customer_labels.method(ui, explanation.direct_link)
        if explanation.direct_link
        else None,
        path=[customer_labels.method(ui, step.kind) for step in explanation.path],
        other_customer=other if other and other != customer_id else None,
    )
