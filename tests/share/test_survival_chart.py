"""The survival curve's Vega-Lite spec: a step line, its band, the median rule."""

from __future__ import annotations

from cxloop.share.survival_chart import survival_chart

POINTS = [
    {"hours": 0.0, "still_open": 1.0, "ci_low": 1.0, "ci_high": 1.0, "at_risk": 4},
    {"hours": 2.0, "still_open": 0.75, "ci_low": 0.4, "ci_high": 0.9, "at_risk": 4},
    {"hours": 6.0, "still_open": 0.25, "ci_low": 0.05, "ci_high": 0.6, "at_risk": 2},
]


def test_a_step_line_with_its_band_and_the_median() -> None:
    spec = survival_chart(POINTS, median=6.0, description="curve", open_title="Open")
    band, line, rule = spec["layer"]
    assert band["mark"]["type"] == "area" and band["mark"]["interpolate"] == "step-after"
    assert line["mark"]["interpolate"] == "step-after"
    assert line["encoding"]["y"]["title"] == "Open"
    assert rule["data"]["values"] == [{"median": 6.0}]
    assert spec["description"] == "curve"


def test_no_median_rule_while_the_median_is_not_reached() -> None:
    assert len(survival_chart(POINTS, median=None)["layer"]) == 2
