"""The match-weight waterfall spec: bars that add up, colours by direction, the threshold,
and a spec Vega-Lite can draw."""

from __future__ import annotations

import vl_convert

from cxloop.share.charts import chart_locale
from cxloop.share.waterfall_chart import (
    DOWN,
    ENDS,
    UP,
    WaterfallStep,
    match_weight_waterfall_chart,
    waterfall_rows,
)

STEPS = [
    WaterfallStep("Prior", -13.29, "prior"),
    WaterfallStep("Name", 10.41),
    WaterfallStep("Date of birth", 0.0),
    WaterfallStep("Phone", -3.84),
    WaterfallStep("E-mail", 15.38),
    WaterfallStep("Total", 8.66, "total"),
]


def test_each_bar_starts_where_the_last_ended_and_the_ends_run_from_zero() -> None:
    rows = waterfall_rows(STEPS)
    assert [(r["start"], r["end"]) for r in rows] == [
        (0.0, -13.29),
        (-13.29, -2.88),
        (-2.88, -2.88),
        (-2.88, -6.72),
        (-6.72, 8.66),
        (0.0, 8.66),
    ]
    assert [r["label_at"] for r in rows] == [0.0, -2.88, -2.88, -2.88, 8.66, 8.66]


def test_the_spec_colours_by_direction_and_marks_the_threshold() -> None:
    spec = match_weight_waterfall_chart(
        STEPS, 3.17, up_label="pro", down_label="contra", ends_label="ends", description="why"
    )
    zero, bars, values, threshold = spec["layer"]
    assert zero["mark"]["type"] == "rule" and values["mark"]["type"] == "text"
    assert values["encoding"]["text"]["format"] == "+.2f"
    directions = [row["direction"] for row in bars["data"]["values"]]
    assert directions == ["ends", "pro", "pro", "contra", "pro", "ends"]
    colour = bars["encoding"]["color"]["scale"]
    assert colour == {"domain": ["pro", "contra", "ends"], "range": [UP, DOWN, ENDS]}
    assert bars["encoding"]["y"]["sort"] == [s.label for s in STEPS]
    assert threshold["data"]["values"] == [{"threshold": 3.17}]
    assert threshold["mark"]["strokeDash"] == [6, 4]
    domain = bars["encoding"]["x"]["scale"]["domain"]
    assert domain[0] < -13.29 and domain[1] > 8.66  # every bar end and the rule fit
    assert spec["description"] == "why" and spec["height"] == 30 * len(STEPS)


def test_vega_lite_draws_it_with_every_bar_in_a_locale() -> None:
    spec = match_weight_waterfall_chart(STEPS, 3.17, locale=chart_locale("es"))
    svg = vl_convert.vegalite_to_svg(spec)
    assert svg.count('aria-roledescription="bar"') == len(STEPS)
    assert "Date of birth" in svg and "+10,41" in svg  # Spanish decimal comma
