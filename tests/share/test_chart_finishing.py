"""Every chart ends with the one house finishing (:func:`cxloop.share.charts.finished_spec`):
each chart, built on fixed input, gives the very bytes it gave when each module still wrote
its own finishing block (stored in ``chart_specs.json`` beside this file).

A deliberate change to a chart changes its stored spec: rewrite the file with
``PYTHONPATH=src .venv/bin/python tests/share/test_chart_finishing.py`` and review the diff.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cxloop.share.charts import feedback_volume_chart
from cxloop.share.drivers_chart import QUADRANTS, driver_quadrant_chart
from cxloop.share.gap_chart import perception_gap_chart
from cxloop.share.kpi_trend_chart import kpi_trend_chart
from cxloop.share.moments_chart import moments_of_truth_chart
from cxloop.share.stage_chart import stage_history_chart
from cxloop.share.survival_chart import survival_chart
from cxloop.share.theme_heatmap import theme_sentiment_heatmap
from cxloop.share.waterfall_chart import WaterfallStep, match_weight_waterfall_chart

STORED = Path(__file__).with_name("chart_specs.json")
#: a small stand-in for a d3 locale: the finishing copies it into the config as it is
LOCALE = {"number": {"decimal": ",", "thousands": "."}}


def _feedback_volume() -> dict[str, Any]:
    weeks = [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-05"), pd.Timestamp("2026-01-19")]
    frame = pd.DataFrame({"week": weeks, "group": ["English", "Español", "English"],
                          "count": [3, 2, 5]})  # fmt: skip
    return feedback_volume_chart(frame, groups=["English", "Español"], locale=LOCALE)


def _drivers() -> dict[str, Any]:
    rows = [
        {"driver": "delivery", "importance": 0.12, "low": 0.08, "high": 0.16,
         "performance": 0.42, "quadrant": "fix_first"},
        {"driver": "price", "importance": 0.03, "low": None, "high": None,
         "performance": 0.71, "quadrant": "maintain"},
    ]  # fmt: skip
    return driver_quadrant_chart(rows, mean_importance=0.075, mean_performance=0.565,
                                 quadrant_labels={q: q.upper() for q in QUADRANTS},
                                 locale=LOCALE)  # fmt: skip


def _gap() -> dict[str, Any]:
    rows = [
        {"statement": "They listen", "group": "Managers", "share": 0.8, "low": 0.6,
         "high": 0.9, "n": 12},
        {"statement": "They listen", "group": "Customers", "share": 0.4, "low": 0.35,
         "high": 0.45, "n": 400},
    ]  # fmt: skip
    return perception_gap_chart(rows, groups=["Managers", "Employees", "Customers"],
                                statements=["They listen"], locale=None)  # fmt: skip


def _stages() -> dict[str, Any]:
    frame = pd.DataFrame({"snapshot": [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)],
                          "stage": ["new", "loyal"], "customers": [4, 7]})  # fmt: skip
    return stage_history_chart(frame, stages=["new", "loyal"], locale=LOCALE)


def _waterfall() -> dict[str, Any]:
    steps = [WaterfallStep("Prior", -13.29, "prior"), WaterfallStep("E-mail", 15.38),
             WaterfallStep("Phone", -3.84), WaterfallStep("Total", -1.75, "total")]  # fmt: skip
    return match_weight_waterfall_chart(steps, 3.17, locale=LOCALE)


def _heatmap() -> dict[str, Any]:
    frame = pd.DataFrame({"negative": [3, 0], "neutral": [0, 2], "positive": [1, 6]},
                         index=pd.Index(["delivery", "staff"]))  # fmt: skip
    return theme_sentiment_heatmap(frame, locale=LOCALE)


def _kpi_trend() -> dict[str, Any]:
    rows = [{"period_start": "2026-01-01", "value": 31.0, "ci_low": 25.0, "ci_high": 37.0,
             "n": 400},
            {"period_start": "2026-02-01", "value": 35.5, "ci_low": 30.0, "ci_high": 41.0,
             "n": 380}]  # fmt: skip
    return kpi_trend_chart(rows, target=40, locale=LOCALE)


def _survival() -> dict[str, Any]:
    points = [{"hours": 0.0, "still_open": 1.0, "ci_low": 1.0, "ci_high": 1.0, "at_risk": 10},
              {"hours": 5.0, "still_open": 0.4, "ci_low": 0.2, "ci_high": 0.7,
               "at_risk": 10}]  # fmt: skip
    return survival_chart(points, median=5.0, locale=None)


def _moments() -> dict[str, Any]:
    rows = [{"touchpoint": "Delivery", "effect": -2.1, "low": -2.5, "high": -1.7,
             "exposed": 200}]  # fmt: skip
    return moments_of_truth_chart(rows, locale=LOCALE)


CHARTS: dict[str, Callable[[], dict[str, Any]]] = {
    "feedback_volume": _feedback_volume,
    "driver_quadrant": _drivers,
    "perception_gap": _gap,
    "stage_history": _stages,
    "match_weight_waterfall": _waterfall,
    "theme_sentiment_heatmap": _heatmap,
    "kpi_trend": _kpi_trend,
    "survival": _survival,
    "moments_of_truth": _moments,
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_is_byte_for_byte_what_it_was(name: str) -> None:
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    assert json.dumps(CHARTS[name]()) == json.dumps(stored[name])


def test_every_stored_spec_carries_the_house_finishing() -> None:
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    assert set(stored) == set(CHARTS)
    for spec in stored.values():
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
        assert spec["config"]["font"].startswith("system-ui")
        assert spec["config"]["axis"]["labelColor"] == "#374151"


if __name__ == "__main__":
    specs = {name: build() for name, build in CHARTS.items()}
    STORED.write_text(json.dumps(specs, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
