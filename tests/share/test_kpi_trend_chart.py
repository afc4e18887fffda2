"""The KPI trend chart spec: a band, a line and an optional target rule, ticks on periods."""

from __future__ import annotations

from cxloop.share.kpi_trend_chart import kpi_trend_chart

ROWS = [
    {"period_start": "2026-01-01", "value": 0.5, "ci_low": 0.4, "ci_high": 0.6, "n": 90},
    {"period_start": "2026-04-01", "value": None, "ci_low": None, "ci_high": None, "n": 0},
    {"period_start": "2026-07-01", "value": 0.6, "ci_low": 0.5, "ci_high": 0.7, "n": 80},
]


def test_band_line_and_target() -> None:
    spec = kpi_trend_chart(ROWS, target=0.8, value_format=".0%", description="CSAT")
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "line", "rule"]
    band, _line, rule = spec["layer"]
    assert (
        band["encoding"]["y"]["field"] == "ci_low" and band["encoding"]["y2"]["field"] == "ci_high"
    )
    assert rule["data"]["values"] == [{"target": 0.8, "label": "Target"}]
    data = spec.get("data") or band["data"]
    assert [r["period_start"] for r in data["values"]] == ["2026-01-01", "2026-07-01"]
    ticks = band["encoding"]["x"]["axis"]["values"]
    assert [(t["year"], t["month"], t["date"]) for t in ticks] == [(2026, 1, 1), (2026, 7, 1)]
    assert spec["description"] == "CSAT"


def test_no_target_no_rule() -> None:
    assert len(kpi_trend_chart(ROWS)["layer"]) == 2
