"""The closed-loop section's words and numbers in each language."""

from __future__ import annotations

from cxloop.domain.kpi import KpiResult
from cxloop.domain.loop_metrics import CurvePoint, LoopEffect, LoopMetrics, NpsAfterResolution
from cxloop.web.closed_loop_view import closed_loop_view
from cxloop.web.i18n import ui_language_for


def _metrics(pairs: int = 40) -> LoopMetrics:
    return LoopMetrics(
        contact_within_sla=KpiResult(kpi="closed_loop_rate", value=0.8, n=50, ci_low=0.67,
                                     ci_high=0.89, small_n=False),
        time_to_close=KpiResult(kpi="time_to_close", value=30.5, n=60, ci_low=24.0,
                                ci_high=40.0, small_n=False, events=55),
        curve=[CurvePoint(hours=0, still_open=1, ci_low=1, ci_high=1, at_risk=60),
               CurvePoint(hours=20, still_open=0.6, ci_low=0.5, ci_high=0.7, at_risk=60),
               CurvePoint(hours=50, still_open=0.1, ci_low=0.05, ci_high=0.2, at_risk=10)],
        nps_after_resolution=NpsAfterResolution(n=12, before=3.0, after=5.5, change=2.5,
                                                ci_low=1.0, ci_high=4.0, small_n=True),
        effects=[LoopEffect(outcome="retention_90d", pairs=pairs, contacted=0.5,
                            not_contacted=0.4, difference=0.1, ci_low=-0.05, ci_high=0.25,
                            eligible_contacted=90, eligible_not_contacted=45, small_n=False),
                 LoopEffect(outcome="later_nps", pairs=0, eligible_contacted=3,
                            eligible_not_contacted=0, small_n=True)],
        matched_on=["score_band", "touchpoint", "team", "value_band", "month"],
        small_n_threshold=30,
    )  # fmt: skip


def test_english_figures_and_the_table_beside_the_curve() -> None:
    view = closed_loop_view(ui_language_for("en"), _metrics())
    assert [h.value for h in view.headlines] == ["80%", "30.5 h", "+2.5"]
    assert view.headlines[2].small_n and not view.headlines[0].small_n
    # read at 0, 6, 12, 24 and 48 h: nothing past the last time observed (50 h)
    assert [r.hours for r in view.curve_rows] == ["0 h", "6 h", "12 h", "24 h", "48 h"]
    assert [r.still_open for r in view.curve_rows][2:] == ["100%", "60%", "60%"]
    retention, later = view.effects
    assert (retention.difference, retention.interval) == ("+10.0 pp", "−5.0 pp – +25.0 pp")
    assert "Matched pairs: 40" in retention.sentence and "month" in retention.sentence
    assert later.interval == "—" and "nothing to compare" in later.sentence
    assert view.chart is not None and "Median time to close: 30.5 h" in view.chart_description


def test_spanish_and_chinese() -> None:
    es = closed_loop_view(ui_language_for("es"), _metrics())
    assert es.headlines[1].value == "30,5 horas"
    assert es.effects[0].outcome == "Volvió a comprar en 90 días"
    zh = closed_loop_view(ui_language_for("zh"), _metrics())
    assert zh.headlines[0].label == "在 SLA 内联系的贬损者"
    assert "匹配对" in zh.effects[0].sentence
