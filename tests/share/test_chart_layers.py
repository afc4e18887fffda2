"""The shared chart layers: a line over its band, a dashed rule, the house finishing."""

from __future__ import annotations

import altair as alt

from cxloop.share.chart_layers import dashed_rule, line_with_band
from cxloop.share.charts import finished_spec

POINTS = [{"x": 0, "v": 0.5, "lo": 0.4, "hi": 0.6}, {"x": 1, "v": 0.7, "lo": 0.6, "hi": 0.8}]


def test_a_step_line_over_its_band_and_a_median_rule() -> None:
    base = alt.Chart(alt.Data(values=POINTS)).encode(x="x:Q")
    tip = [alt.Tooltip("v:Q")]
    band, line = line_with_band(base, value="v", low="lo", high="hi", title="Share",
                                axis=alt.Axis(format=".0%"), tooltip=tip,
                                interpolate="step-after", stroke_width=2)  # fmt: skip
    rule = dashed_rule("median", 1.0, channel="x", tooltip=alt.Tooltip("median:Q"))
    spec = finished_spec(alt.layer(band, line, rule), {"decimal": ","})
    area, drawn, dashed = spec["layer"]
    assert area["mark"]["type"] == "area" and area["mark"]["interpolate"] == "step-after"
    assert area["encoding"]["y"]["field"] == "lo" and area["encoding"]["y2"]["field"] == "hi"
    assert drawn["mark"]["interpolate"] == "step-after" and drawn["mark"]["strokeWidth"] == 2
    assert "point" not in drawn["mark"] and drawn["encoding"]["y"]["field"] == "v"
    assert dashed["mark"]["strokeDash"] == [6, 4] and dashed["encoding"]["x"]["field"] == "median"
    assert spec["config"]["locale"] == {"decimal": ","}
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}


def test_a_line_with_points_and_a_target_without_a_locale() -> None:
    base = alt.Chart(alt.Data(values=POINTS)).encode(x="x:Q")
    band, line = line_with_band(base, value="v", low="lo", high="hi", title="NPS",
                                axis=alt.Axis(format=".1f"), tooltip=[], point=True)  # fmt: skip
    rule = dashed_rule("target", 40, channel="y", tooltip=alt.Tooltip("target:Q"), label="Goal")
    spec = finished_spec(alt.layer(band, line, rule), None)
    assert "interpolate" not in spec["layer"][0]["mark"]
    assert spec["layer"][1]["mark"]["point"] is True
    assert spec["layer"][2]["data"]["values"] == [{"target": 40, "label": "Goal"}]
    assert "locale" not in spec["config"]
